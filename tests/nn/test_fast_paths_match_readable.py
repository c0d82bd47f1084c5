"""dlbook's layers are written for speed where it counts (issue 13: tap-by-tap max pooling,
BatchNorm without x̂ or large temporaries, Adam in place). Each is held here to the plain
formula a chapter teaches, written the readable way, on the same numbers."""

import numpy as np
import pytest

import dlbook
import dlbook.nn as nn
import dlbook.optim as optim


def readable_max_pool(x, k):
    """Non-overlapping k × k windows: reshape so that each window has its own two axes."""
    n, c, h, w = x.shape
    windows = x[:, :, :h // k * k, :w // k * k].reshape(n, c, h // k, k, w // k, k)
    return windows.max(axis=(3, 5))


def readable_max_pool_backward(x, k, grad_out):
    """The gradient of each window goes to the first of its maxima, in row-major order."""
    grad_x = np.zeros_like(x)
    for index in np.ndindex(grad_out.shape):
        n, c, i, j = index
        window = x[n, c, i * k:(i + 1) * k, j * k:(j + 1) * k]
        di, dj = np.unravel_index(window.argmax(), window.shape)
        grad_x[n, c, i * k + di, j * k + dj] += grad_out[index]
    return grad_x


@pytest.mark.parametrize("k", [2, 3])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_max_pool2d_equals_the_reshaped_windows_max(k, dtype):
    rng = np.random.default_rng(k)
    x = rng.integers(0, 4, (3, 2, 7, 8)).astype(dtype)  # small integers: many ties
    grad_out = rng.standard_normal((3, 2, 7 // k, 8 // k)).astype(dtype)
    pool = nn.MaxPool2d(k)
    np.testing.assert_array_equal(pool(x), readable_max_pool(x, k))
    np.testing.assert_allclose(pool.backward(grad_out), readable_max_pool_backward(x, k, grad_out))


def readable_batch_norm(x, gamma, beta, eps):
    """y = γ (x − μ) / √(σ² + ε) + β over (N, H, W) per channel, and dL/dx, dγ, dβ for a
    given g, by the formulas of chapter 7."""
    axes = (0, 2, 3)
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    x_hat = (x - mean) / np.sqrt(var + eps)
    return x_hat, gamma.reshape(1, -1, 1, 1) * x_hat + beta.reshape(1, -1, 1, 1)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_batch_norm2d_equals_the_textbook_formulas(dtype):
    rng = np.random.default_rng(0)
    x = (3 + 2 * rng.standard_normal((8, 3, 5, 6))).astype(dtype)
    g = rng.standard_normal(x.shape).astype(dtype)
    layer = nn.BatchNorm2d(3, dtype=dtype)
    layer.weight.data[...] = [0.5, 2.0, -1.0]
    layer.bias.data[...] = [0.1, 0.0, -0.3]
    x_hat, expected = readable_batch_norm(x.astype(np.float64), layer.weight.data.astype(float),
                                          layer.bias.data.astype(float), layer.eps)
    tolerance = dict(rtol=1e-5, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-12)
    np.testing.assert_allclose(layer(x), expected, **tolerance)
    grad_x = layer.backward(g)
    m, gamma = x[:, 0].size, layer.weight.data.astype(float).reshape(1, -1, 1, 1)
    g64, axes = g.astype(np.float64), (0, 2, 3)
    grad_x_hat = gamma * g64
    inv_std = 1 / np.sqrt(x.astype(np.float64).var(axis=axes, keepdims=True) + layer.eps)
    expected_grad_x = (m * grad_x_hat - grad_x_hat.sum(axis=axes, keepdims=True)
                       - x_hat * (grad_x_hat * x_hat).sum(axis=axes, keepdims=True)) * inv_std / m
    np.testing.assert_allclose(grad_x, expected_grad_x, **tolerance)
    np.testing.assert_allclose(layer.weight.grad, (g64 * x_hat).sum(axis=axes), **tolerance)
    np.testing.assert_allclose(layer.bias.grad, g64.sum(axis=axes), **tolerance)


def test_adam_equals_its_docstring_formulas_over_ten_steps():
    rng = np.random.default_rng(0)
    dlbook.manual_seed(0)
    param = nn.Parameter(rng.standard_normal((4, 5)))
    optimizer = optim.Adam([param], lr=0.1, betas=(0.8, 0.99), eps=1e-6)
    theta, m, v = param.data.copy(), np.zeros((4, 5)), np.zeros((4, 5))
    for t in range(1, 11):
        g = rng.standard_normal((4, 5))
        param.grad = g.copy()
        optimizer.step()
        m = 0.8 * m + 0.2 * g
        v = 0.99 * v + 0.01 * g * g
        m_hat, v_hat = m / (1 - 0.8**t), v / (1 - 0.99**t)
        theta = theta - 0.1 * m_hat / (np.sqrt(v_hat) + 1e-6)
        np.testing.assert_allclose(param.data, theta, rtol=1e-13, atol=1e-14)
