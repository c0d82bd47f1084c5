"""The best-known from-scratch NumPy peer: the layers of *Deep Learning from Scratch*.

Saitō Kōki's books (O'Reilly Japan; code MIT-licensed at oreilly-japan/deep-learning-from-scratch
and deep-learning-from-scratch-2) are where many learners first meet forward/backward layer
classes. These are their algorithms, written again here so that the suite can time them beside
dlbook and torch: im2col by a loop over the kernel taps into (N·OH·OW, C·KH·KW) rows, a GEMM,
col2im by the same loop; max pooling by argmax over im2col rows; an LSTM as one cell object
per time step. Only what the benchmarks run is here.
"""

import numpy as np


def im2col(x, kh, kw, stride=1, pad=0):
    """x: (N, C, H, W) -> rows (N·OH·OW, C·KH·KW), one receptive field per row."""
    n, c, h, w = x.shape
    oh, ow = (h + 2 * pad - kh) // stride + 1, (w + 2 * pad - kw) // stride + 1
    img = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    col = np.zeros((n, c, kh, kw, oh, ow), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            col[:, :, i, j] = img[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(n * oh * ow, -1)


def col2im(col, input_shape, kh, kw, stride=1, pad=0):
    """The adjoint of ``im2col``: rows (N·OH·OW, C·KH·KW) added back onto (N, C, H, W)."""
    n, c, h, w = input_shape
    oh, ow = (h + 2 * pad - kh) // stride + 1, (w + 2 * pad - kw) // stride + 1
    col = col.reshape(n, oh, ow, c, kh, kw).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((n, c, h + 2 * pad + stride - 1, w + 2 * pad + stride - 1), dtype=col.dtype)
    for i in range(kh):
        for j in range(kw):
            img[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride] += col[:, :, i, j]
    return img[:, :, pad:h + pad, pad:w + pad]


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW, self.db = self.x.T @ dout, dout.sum(axis=0)
        return dout @ self.W.T


class Relu:
    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout = dout.copy()
        dout[self.mask] = 0
        return dout


class SoftmaxWithLoss:
    def forward(self, x, t):
        self.t = t
        x = x - x.max(axis=1, keepdims=True)
        self.y = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
        return -np.log(self.y[np.arange(len(t)), t] + 1e-7).mean()

    def backward(self):
        dx = self.y.copy()
        dx[np.arange(len(self.t)), self.t] -= 1
        return dx / len(self.t)


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b, self.stride, self.pad = W, b, stride, pad

    def forward(self, x):
        fn, c, fh, fw = self.W.shape
        n, _, h, w = x.shape
        oh = (h + 2 * self.pad - fh) // self.stride + 1
        ow = (w + 2 * self.pad - fw) // self.stride + 1
        self.x = x
        self.col = im2col(x, fh, fw, self.stride, self.pad)
        self.col_W = self.W.reshape(fn, -1).T
        out = self.col @ self.col_W + self.b
        return out.reshape(n, oh, ow, -1).transpose(0, 3, 1, 2)

    def backward(self, dout):
        fn, c, fh, fw = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, fn)
        self.db = dout.sum(axis=0)
        self.dW = (self.col.T @ dout).transpose(1, 0).reshape(fn, c, fh, fw)
        dcol = dout @ self.col_W.T
        return col2im(dcol, self.x.shape, fh, fw, self.stride, self.pad)


class Pooling:
    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        self.pool_h, self.pool_w, self.stride, self.pad = pool_h, pool_w, stride, pad

    def forward(self, x):
        n, c, h, w = x.shape
        oh, ow = (h - self.pool_h) // self.stride + 1, (w - self.pool_w) // self.stride + 1
        col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad)
        col = col.reshape(-1, self.pool_h * self.pool_w)
        self.x, self.arg_max = x, np.argmax(col, axis=1)
        return np.max(col, axis=1).reshape(n, oh, ow, c).transpose(0, 3, 1, 2)

    def backward(self, dout):
        dout = dout.transpose(0, 2, 3, 1)
        pool_size = self.pool_h * self.pool_w
        dmax = np.zeros((dout.size, pool_size), dtype=dout.dtype)
        dmax[np.arange(self.arg_max.size), self.arg_max.flatten()] = dout.flatten()
        dcol = dmax.reshape(dout.shape + (pool_size,)).reshape(dout.shape[0] * dout.shape[1]
                                                               * dout.shape[2], -1)
        return col2im(dcol, self.x.shape, self.pool_h, self.pool_w, self.stride, self.pad)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


class LSTMCell:
    """One time step; gates in the order f, g, i, o of the book's affine output."""

    def __init__(self, Wx, Wh, b):
        self.Wx, self.Wh, self.b = Wx, Wh, b

    def forward(self, x, h_prev, c_prev):
        H = h_prev.shape[1]
        A = x @ self.Wx + h_prev @ self.Wh + self.b
        f, g = _sigmoid(A[:, :H]), np.tanh(A[:, H:2 * H])
        i, o = _sigmoid(A[:, 2 * H:3 * H]), _sigmoid(A[:, 3 * H:])
        c_next = f * c_prev + g * i
        h_next = o * np.tanh(c_next)
        self.cache = (x, h_prev, c_prev, i, f, g, o, c_next)
        return h_next, c_next

    def backward(self, dh_next, dc_next):
        x, h_prev, c_prev, i, f, g, o, c_next = self.cache
        tanh_c = np.tanh(c_next)
        ds = dc_next + (dh_next * o) * (1 - tanh_c**2)
        dc_prev = ds * f
        di, df, do, dg = ds * g, ds * c_prev, dh_next * tanh_c, ds * i
        di *= i * (1 - i)
        df *= f * (1 - f)
        do *= o * (1 - o)
        dg *= 1 - g**2
        dA = np.hstack((df, dg, di, do))
        self.dWh, self.dWx, self.db = h_prev.T @ dA, x.T @ dA, dA.sum(axis=0)
        return dA @ self.Wx.T, dA @ self.Wh.T, dc_prev


class TimeLSTM:
    """xs: (N, T, D) -> hs: (N, T, H), one LSTMCell per step; backward sums their gradients."""

    def __init__(self, Wx, Wh, b):
        self.Wx, self.Wh, self.b = Wx, Wh, b

    def forward(self, xs):
        N, T, _ = xs.shape
        H = self.Wh.shape[0]
        self.layers = []
        hs = np.empty((N, T, H), dtype=xs.dtype)
        h = c = np.zeros((N, H), dtype=xs.dtype)
        for t in range(T):
            layer = LSTMCell(self.Wx, self.Wh, self.b)
            h, c = layer.forward(xs[:, t], h, c)
            hs[:, t] = h
            self.layers.append(layer)
        return hs

    def backward(self, dhs):
        N, T, _ = dhs.shape
        D = self.Wx.shape[0]
        dxs = np.empty((N, T, D), dtype=dhs.dtype)
        dh = dc = 0
        grads = [0, 0, 0]
        for t in reversed(range(T)):
            layer = self.layers[t]
            dx, dh, dc = layer.backward(dhs[:, t] + dh, dc)
            dxs[:, t] = dx
            for k, grad in enumerate((layer.dWx, layer.dWh, layer.db)):
                grads[k] += grad
        self.dWx, self.dWh, self.db = grads
        return dxs
