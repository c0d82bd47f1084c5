"""The work each benchmark times, built the same way for every library.

A workload is a function ``build(lib, device)`` that makes the inputs and the model for one
library ("dlbook", "torch" or "peer", the *Deep Learning from Scratch* layers of peers.py) and
returns ``step``: a callable without arguments that does the work once (forward and backward,
an optimizer step, or an epoch) and returns an array, so that a test can check it ran. Inputs
come from one seeded generator, so every library gets the same numbers; float32 throughout.
``WORKLOADS`` lists them in the order of the report, each with its target ratio dlbook/torch.
"""

from dataclasses import dataclass

import numpy as np

import dlbook
import dlbook.data
import dlbook.nn as nn
import dlbook.optim
from benchmarks import peers
from dlbook.backend import to_device

DTYPE = np.float32


def _rng():
    return np.random.default_rng(0)


def _normal(*shape):
    return _rng().standard_normal(shape).astype(DTYPE)


def _dlbook_input(array, device):
    return to_device(array, device)


def _torch_input(array, device):
    import torch

    return torch.from_numpy(array).to(device)


def _torch_layer_step(layer, x, grad_out):
    """forward, then backward with ``grad_out``: dL/dx and every parameter's gradient."""
    def step():
        layer.zero_grad(set_to_none=True)
        y = layer(x)
        if isinstance(y, tuple):  # a recurrent layer: (output, h_n)
            y = y[0]
        y.backward(grad_out)
        return x.grad
    x.requires_grad_(True)
    return step


def _dlbook_layer_step(layer, x, grad_out):
    def step():
        layer.zero_grad()
        layer(x)
        return layer.backward(grad_out)
    return step


def _layer_workload(make_dlbook, make_torch, input_shape, output_shape, make_peer=None):
    """A workload for one layer: forward and backward of a random input, with a random dL/dy.

    The output's shape is given, not found by a forward pass: a pass would leave the layer's
    saved arrays (im2col's columns) behind, and the memory measurement would miss them.
    """
    def build(lib, device):
        x, grad_out = _normal(*input_shape), _normal(*output_shape)
        if lib == "peer":
            layer = make_peer()

            def step():
                layer.forward(x)
                return layer.backward(grad_out)
            return step
        if lib == "dlbook":
            dlbook.manual_seed(0)
            layer = make_dlbook().to(device)
            x, grad_out = _dlbook_input(x, device), _dlbook_input(grad_out, device)
            return _dlbook_layer_step(layer, x, grad_out)
        import torch

        torch.manual_seed(0)
        layer = make_torch(torch.nn).to(device)
        x, grad_out = _torch_input(x, device), _torch_input(grad_out, device)
        return _torch_layer_step(layer, x, grad_out)
    return build


def _peer_conv(in_channels, out_channels, kernel, pad):
    rng = _rng()
    weight = rng.standard_normal((out_channels, in_channels, kernel, kernel)).astype(DTYPE)
    return peers.Convolution(weight * 0.1, np.zeros(out_channels, DTYPE), pad=pad)


def build_mlp(lib, device):
    """Linear 784 → 512, ReLU, Linear 512 → 10 and cross-entropy; a batch of 256."""
    x, target = _normal(256, 784), _rng().integers(0, 10, 256)
    if lib == "peer":
        rng = _rng()
        fc1 = peers.Affine(rng.standard_normal((784, 512)).astype(DTYPE) * 0.03,
                           np.zeros(512, DTYPE))
        fc2 = peers.Affine(rng.standard_normal((512, 10)).astype(DTYPE) * 0.04,
                           np.zeros(10, DTYPE))
        relu, loss = peers.Relu(), peers.SoftmaxWithLoss()

        def step():
            loss.forward(fc2.forward(relu.forward(fc1.forward(x))), target)
            return fc1.backward(relu.backward(fc2.backward(loss.backward())))
        return step
    if lib == "dlbook":
        dlbook.manual_seed(0)
        model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10)).to(device)
        criterion = nn.CrossEntropyLoss()
        x, target = _dlbook_input(x, device), _dlbook_input(target, device)

        def step():
            model.zero_grad()
            criterion(model(x), target)
            return model.backward(criterion.backward())
        return step
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(),
                                torch.nn.Linear(512, 10)).to(device)
    criterion = torch.nn.CrossEntropyLoss()
    x, target = _torch_input(x, device).requires_grad_(True), _torch_input(target, device)

    def step():
        model.zero_grad(set_to_none=True)
        criterion(model(x), target).backward()
        return x.grad
    return step


def _recurrent_workload(kind):
    """``kind`` ("LSTM" or "GRU"): batch 32, T = 50, input 64, hidden 128, (T, N, C) layout."""
    steps, batch, inputs, hidden = 50, 32, 64, 128

    def build(lib, device):
        x, grad_out = _normal(steps, batch, inputs), _normal(steps, batch, hidden)
        if lib == "peer":  # the book's TimeLSTM is batch-first: (N, T, C)
            rng = _rng()
            scale = hidden ** -0.5
            lstm = peers.TimeLSTM(
                rng.uniform(-scale, scale, (inputs, 4 * hidden)).astype(DTYPE),
                rng.uniform(-scale, scale, (hidden, 4 * hidden)).astype(DTYPE),
                np.zeros(4 * hidden, DTYPE))
            xs, dhs = x.transpose(1, 0, 2).copy(), grad_out.transpose(1, 0, 2).copy()

            def step():
                lstm.forward(xs)
                return lstm.backward(dhs).transpose(1, 0, 2)  # (T, N, C) as the others
            return step
        if lib == "dlbook":
            dlbook.manual_seed(0)
            rnn = getattr(nn, kind)(inputs, hidden).to(device)
            x, grad_out = _dlbook_input(x, device), _dlbook_input(grad_out, device)
            return _dlbook_layer_step(rnn, x, grad_out)
        import torch

        torch.manual_seed(0)
        rnn = getattr(torch.nn, kind)(inputs, hidden).to(device)
        return _torch_layer_step(rnn, _torch_input(x, device), _torch_input(grad_out, device))
    return build


def build_adam(lib, device):
    """One Adam step over resnet18's 11.7 M parameters, every gradient given."""
    if lib == "dlbook":
        from dlbook.models import resnet18

        dlbook.manual_seed(0)
        model = resnet18().to(device)
        params = list(model.parameters())
        for param in params:
            param.grad = _dlbook_input(_normal(*param.shape), device)
        optimizer = dlbook.optim.Adam(params, lr=1e-3)
    else:
        import torch
        import torchvision

        torch.manual_seed(0)
        model = torchvision.models.resnet18(weights=None).to(device)
        params = list(model.parameters())
        for param in params:
            param.grad = _torch_input(_normal(*param.shape), device)
        optimizer = torch.optim.Adam(params, lr=1e-3)

    def step():
        optimizer.step()
        return params[0].data
    return step


def _digits():
    X, y = dlbook.data.load_digits()
    return (X / 16).reshape(-1, 1, 8, 8)[:1347], y[:1347]  # chapter 8's training size


def build_digits_epoch(lib, device):
    """One epoch of chapter 8's CNN on the digits: Adam (lr 0.01), shuffled batches of 32."""
    X, y = _digits()
    if lib == "dlbook":
        from dlbook.data import DataLoader, TensorDataset
        from dlbook.train import fit

        dlbook.manual_seed(0)
        model = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(16 * 2 * 2, 10)).to(device)
        optimizer = dlbook.optim.Adam(model.parameters(), lr=0.01)
        loader = DataLoader(TensorDataset(_dlbook_input(X, device), _dlbook_input(y, device)),
                            batch_size=32, shuffle=True, generator=np.random.default_rng(0))

        def step():
            fit(model, nn.CrossEntropyLoss(), optimizer, loader, epochs=1, progress=False)
            return model[0].weight.data
        return step
    import torch

    torch.manual_seed(0)
    tnn = torch.nn
    model = tnn.Sequential(
        tnn.Conv2d(1, 8, 3, padding=1), tnn.ReLU(), tnn.MaxPool2d(2),
        tnn.Conv2d(8, 16, 3, padding=1), tnn.ReLU(), tnn.MaxPool2d(2),
        tnn.Flatten(), tnn.Linear(16 * 2 * 2, 10)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    criterion = tnn.CrossEntropyLoss()
    dataset = torch.utils.data.TensorDataset(_torch_input(X, device), _torch_input(y, device))
    loader = torch.utils.data.DataLoader(dataset, batch_size=32, shuffle=True,
                                         generator=torch.Generator().manual_seed(0))

    def step():
        for xb, yb in loader:
            optimizer.zero_grad()
            criterion(model(xb), yb).backward()
            optimizer.step()
        return model[0].weight.data
    return step


def build_resnet18_forward(lib, device):
    """resnet18 (eval mode) forward on a batch of 8 × 3 × 64 × 64 images; no gradients."""
    x = _normal(8, 3, 64, 64)
    if lib == "dlbook":
        from dlbook.models import resnet18

        dlbook.manual_seed(0)
        model = resnet18().to(device).eval()
        x = _dlbook_input(x, device)
        return lambda: model(x)
    import torch
    import torchvision

    torch.manual_seed(0)
    model = torchvision.models.resnet18(weights=None).to(device).eval()
    x = _torch_input(x, device)

    def step():
        with torch.no_grad():
            return model(x)
    return step


@dataclass(frozen=True)
class Workload:
    name: str
    description: str
    build: object  # build(lib, device) -> step
    target: float | None = None  # the ratio dlbook / torch to stay under, None where unset
    peer: bool = False  # whether peers.py has this work
    memory: bool = False  # whether the suite also measures its peak memory


WORKLOADS = [
    Workload("mlp", "Linear 784→512→10 + cross-entropy, batch 256, fwd+bwd", build_mlp,
             1.2, peer=True),
    Workload("conv2d", "Conv2d 3×3, N=64, 16→32 channels, 28×28, fwd+bwd", _layer_workload(
        lambda: nn.Conv2d(16, 32, 3, padding=1), lambda tnn: tnn.Conv2d(16, 32, 3, padding=1),
        (64, 16, 28, 28), (64, 32, 28, 28), lambda: _peer_conv(16, 32, 3, 1)), 4.0, peer=True,
        memory=True),
    Workload("depthwise", "depthwise Conv2d 3×3, N=64, 32 channels, 28×28, fwd+bwd",
             _layer_workload(lambda: nn.Conv2d(32, 32, 3, padding=1, groups=32),
                             lambda tnn: tnn.Conv2d(32, 32, 3, padding=1, groups=32),
                             (64, 32, 28, 28), (64, 32, 28, 28))),
    Workload("maxpool2d", "MaxPool2d 2×2, N=64, 32 channels, 28×28, fwd+bwd", _layer_workload(
        lambda: nn.MaxPool2d(2), lambda tnn: tnn.MaxPool2d(2), (64, 32, 28, 28), (64, 32, 14, 14),
        lambda: peers.Pooling(2, 2, stride=2)), 3.0, peer=True),
    Workload("batchnorm2d", "BatchNorm2d (training), N=64, 32 channels, 28×28, fwd+bwd",
             _layer_workload(lambda: nn.BatchNorm2d(32), lambda tnn: tnn.BatchNorm2d(32),
                             (64, 32, 28, 28), (64, 32, 28, 28)), 2.0),
    Workload("lstm", "LSTM batch 32, T=50, input 64, hidden 128, fwd+bwd",
             _recurrent_workload("LSTM"), 3.0, peer=True, memory=True),
    Workload("gru", "GRU batch 32, T=50, input 64, hidden 128, fwd+bwd",
             _recurrent_workload("GRU"), 3.0),
    Workload("adam", "one Adam step over resnet18's parameters (11.7 M)", build_adam, 2.0),
    Workload("digits_cnn_epoch", "one epoch of chapter 8's digits CNN (1,347 images, batch 32)",
             build_digits_epoch),
    Workload("resnet18_forward", "resnet18 forward (eval), 8 × 3 × 64 × 64",
             build_resnet18_forward),
]
