"""torchvision's ResNets and MobileNetV2 load into dlbook.models and give the same logits, input
gradient and parameter gradients; MobileNetV1, which torchvision lacks, has the paper's size and
a backward that agrees with finite differences."""

import math

import numpy as np
import pytest
import torch

import dlbook
import dlbook.models as models
import dlbook.nn
from dlbook.backend import to_device
from dlbook.testing import assert_close, assert_close_to_scale, parity_case, to_torch, twins

torchvision = pytest.importorskip("torchvision")

TWINS = ["resnet18", "resnet34", "resnet50", "mobilenet_v2"]

# torchvision's own counts (the num_params of its weights' metadata)
PARAMETERS = {"resnet18": 11_689_512, "resnet34": 21_797_672, "resnet50": 25_557_032,
              "mobilenet_v2": 3_504_872}


def both(name, dtype=np.float64, device="cpu", seed=0, **kwargs):
    """dlbook's and torchvision's ``name`` (weights=None) holding torchvision's state.

    A fresh torchvision model has γ = 1, β = 0, mean 0, variance 1 in every BatchNorm: the
    norms would be near-identities and a mix-up of their four tensors would go unseen. So
    they get random values first.
    """
    torch.manual_seed(seed)
    theirs = getattr(torchvision.models, name)(weights=None, **kwargs)
    with torch.no_grad():
        for m in theirs.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0, 0.1)
                m.running_mean.normal_(0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    return twins(getattr(models, name)(**kwargs), theirs, dtype, device)


def images(shape, dtype, seed=1):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def run_both(ours, theirs, x, device, seed=2):
    """Logits and dL/dx of both for the same upstream gradient g: (y, dx, y_t, dx_t)."""
    y = ours(to_device(x, device))
    g = images(y.shape, x.dtype, seed)
    dx = ours.backward(to_device(g, device))
    x_t = to_torch(x, device, requires_grad=True)
    y_t = theirs(x_t)
    y_t.backward(to_torch(g, device))
    return y, dx, y_t, x_t.grad


def assert_gradients_match(ours, theirs, name):
    """Every parameter has torch's gradient, under torch's name."""
    torch_grads = {n: p.grad for n, p in theirs.named_parameters()}
    grads = {n: p.grad for n, p in ours.named_parameters()}
    assert grads.keys() == torch_grads.keys()
    for key, grad in grads.items():
        assert_close_to_scale(grad, torch_grads[key], name=f"{name} dL/d{key}")


# -- structure -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", TWINS)
def test_state_dict_has_torchvisions_keys_in_torchvisions_order_and_shapes(name):
    ours = getattr(models, name)()
    theirs = getattr(torchvision.models, name)(weights=None)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for key, value in theirs.state_dict().items():
        assert ours.state_dict()[key].shape == tuple(value.shape), key


@pytest.mark.parametrize("name", TWINS)
def test_parameter_count_equals_torchvisions(name):
    ours = getattr(models, name)()
    theirs = getattr(torchvision.models, name)(weights=None)
    count = sum(p.numel() for p in ours.parameters())
    assert count == sum(p.numel() for p in theirs.parameters()) == PARAMETERS[name]


def test_num_classes_sizes_the_classifier_as_torchvision():
    for name in TWINS:
        ours = getattr(models, name)(num_classes=10)
        theirs = getattr(torchvision.models, name)(weights=None, num_classes=10)
        assert sum(p.numel() for p in ours.parameters()) == sum(
            p.numel() for p in theirs.parameters()), name


def test_resnet_initialises_like_torchvision():
    model = models.resnet18()
    # kaiming_normal_(mode="fan_out", nonlinearity="relu"): std = √(2 / (64 · 7 · 7)) = 0.0252
    assert np.std(model.conv1.weight.data) == pytest.approx(math.sqrt(2 / (64 * 49)), rel=0.03)
    assert np.all(model.layer1[0].bn2.weight.data == 1)
    assert np.all(model.layer1[0].bn2.bias.data == 0)


def test_zero_init_residual_zeroes_the_last_norm_of_every_block_as_torchvision():
    for name, last in (("resnet18", "bn2"), ("resnet50", "bn3")):
        ours = getattr(models, name)(zero_init_residual=True)
        theirs = getattr(torchvision.models, name)(weights=None, zero_init_residual=True)
        zero = sorted(k for k, v in ours.state_dict().items() if k.endswith("weight")
                      and v.ndim == 1 and not v.any())
        torch_zero = sorted(k for k, v in theirs.state_dict().items() if k.endswith("weight")
                            and v.ndim == 1 and not v.any())
        assert zero == torch_zero
        assert len(zero) == sum(len(getattr(ours, f"layer{i}")) for i in range(1, 5))
        assert all(k.endswith(f"{last}.weight") for k in zero)


# -- same numbers as torchvision -----------------------------------------------------------------
@pytest.mark.parametrize("name", TWINS)
def test_eval_logits_input_gradient_and_every_parameter_gradient_match_torchvision_float64(
        device, name):
    ours, theirs = both(name, np.float64, device)
    ours.eval()
    theirs.eval()
    y, dx, y_t, dx_t = run_both(ours, theirs, images((2, 3, 64, 64), np.float64), device)
    with parity_case(f"models.{name}", f"torchvision.models.{name}"):
        assert_close(y, y_t, name=f"{name} logits")
        assert_close(dx, dx_t, name=f"{name} dL/dx")
        assert_gradients_match(ours, theirs, name)


@pytest.mark.parametrize("name", TWINS)
def test_eval_logits_and_input_gradient_match_torchvision_float32_loosely(device, name):
    # Dozens of layers of float32 roundoff, summed in different orders by the two: agreement to
    # ~1e-5 of the largest value, not elementwise to float32's last digits.
    ours, theirs = both(name, np.float32, device)
    ours.eval()
    theirs.eval()
    y, dx, y_t, dx_t = run_both(ours, theirs, images((2, 3, 32, 32), np.float32), device)
    with parity_case(f"models.{name}", f"torchvision.models.{name}"):
        assert_close_to_scale(y, y_t, name=f"{name} float32 logits")
        assert_close_to_scale(dx, dx_t, name=f"{name} float32 dL/dx")


@pytest.mark.parametrize("name, kwargs", [
    ("resnet18", {}),
    ("mobilenet_v2", {"dropout": 0.0}),  # no random masks, which the two would draw differently
])
def test_train_mode_batch_statistics_gradients_and_running_stats_match_torchvision(
        device, name, kwargs):
    ours, theirs = both(name, np.float64, device, **kwargs)
    y, dx, y_t, dx_t = run_both(ours, theirs, images((2, 3, 64, 64), np.float64), device)
    with parity_case(f"models.{name}", f"torchvision.models.{name}"):
        assert_close(y, y_t, name=f"{name} train logits")
        # batch statistics of 8 values per channel (layer4 at 2 × 2) magnify roundoff: dL/dx
        # to the scale of its largest values, as the parameters' gradients
        assert_close_to_scale(dx, dx_t, name=f"{name} train dL/dx")
        assert_gradients_match(ours, theirs, name)
        torch_state = theirs.state_dict()
        for key, value in ours.state_dict().items():  # running means and variances
            if key.endswith("num_batches_tracked"):
                assert int(value) == int(torch_state[key]) == 1, key
            else:
                assert_close(value, torch_state[key], name=key)


@pytest.mark.parametrize("name, kwargs", [
    ("resnet50", {"replace_stride_with_dilation": [False, True, True]}),
    ("resnext50_32x4d", {}),
    ("mobilenet_v2", {"width_mult": 0.5, "num_classes": 7}),
])
def test_other_configurations_match_torchvision(name, kwargs):
    torch.manual_seed(0)
    if name == "resnext50_32x4d":  # groups=32, width_per_group=4: ResNet's grouped Bottleneck
        theirs = torchvision.models.resnext50_32x4d(weights=None)
        ours = models.ResNet(models.Bottleneck, [3, 4, 6, 3], groups=32, width_per_group=4)
    else:
        theirs = getattr(torchvision.models, name)(weights=None, **kwargs)
        ours = getattr(models, name)(**kwargs)
    ours, theirs = twins(ours.eval(), theirs.eval(), np.float64)
    y, dx, y_t, dx_t = run_both(ours, theirs, images((1, 3, 32, 32), np.float64), "cpu")
    of = "models.ResNet" if name == "resnext50_32x4d" else f"models.{name}"
    with parity_case(of, f"torchvision.models.{name}"):
        assert_close(y, y_t, name=f"{name} {kwargs} logits")
        assert_close(dx, dx_t, name=f"{name} {kwargs} dL/dx")
        assert_gradients_match(ours, theirs, name)


def test_dlbook_state_dict_loads_back_into_torchvision_with_the_same_logits():
    ours, theirs = both("resnet18", np.float32)
    back = torchvision.models.resnet18(weights=None).eval()
    back.load_state_dict({k: torch.as_tensor(np.asarray(v)) for k, v in
                          ours.state_dict().items()})
    x = images((1, 3, 32, 32), np.float32)
    with torch.no_grad():
        assert torch.equal(back(torch.from_numpy(x)), theirs.eval()(torch.from_numpy(x)))


# -- MobileNetV1: no torchvision twin; the paper and finite differences instead ------------------
def test_mobilenet_v1_has_the_papers_4_2_million_parameters():
    # Howard et al. 2017, Table 1: 28 layers; 4.2 M parameters (4,231,976 exactly, with
    # BatchNorm's γ and β and the classifier's bias, as Keras' MobileNet counts them)
    model = models.mobilenet_v1()
    assert sum(p.numel() for p in model.parameters()) == 4_231_976
    assert len(model.features) == 14  # the first convolution and 13 separable blocks
    assert sum(1 for m in model.modules() if type(m).__name__ == "Conv2d") == 27  # + fc = 28


def test_mobilenet_v1_width_multiplier_shrinks_parameters_by_about_alpha_squared():
    # Table 6: 4.2 M at α = 1, 1.3 M at α = 0.5, 0.5 M at α = 0.25; the classifier (1024α
    # inputs) shrinks by α only, the rest by about α²
    counts = {alpha: sum(p.numel() for p in models.mobilenet_v1(width_mult=alpha).parameters())
              for alpha in (1.0, 0.5, 0.25)}
    assert round(counts[0.5] / 1e6, 1) == 1.3
    assert round(counts[0.25] / 1e6, 1) == 0.5
    assert counts[1.0] > counts[0.5] > counts[0.25]


def test_mobilenet_v1_forward_backward_shapes():
    model = models.mobilenet_v1(num_classes=10)
    x = images((2, 3, 32, 32), np.float32)
    y = model(x)
    assert y.shape == (2, 10) and y.dtype == np.float32
    dx = model.backward(np.ones_like(y))
    assert dx.shape == x.shape and dx.dtype == np.float32
    for name, p in model.named_parameters():
        assert p.grad is not None and p.grad.shape == p.shape, name


@pytest.mark.parametrize("mode", ["train", "eval"])
def test_mobilenet_v1_gradients_agree_with_finite_differences_float64(mode):
    # Directional derivatives: f(θ + εv) − f(θ − εv) ≈ 2ε ⟨∇f, v⟩, for the input and for all
    # the parameters at once (v random, each tensor's part on the scale of its values),
    # f = Σ g · logits. 64 × 64 ends at 2 × 2: batch statistics of 8 values, not of 2 (which
    # normalise to ±1 whatever the input).
    dlbook.manual_seed(0)  # the same weights whichever tests ran before
    model = models.mobilenet_v1(num_classes=5, width_mult=0.25).double()
    x = images((2, 3, 64, 64), np.float64)
    calibrate_norms(model, x)
    getattr(model, mode)()
    y = model(x)
    g = images(y.shape, np.float64, seed=3)
    dx = model.backward(g)
    params = list(model.parameters())
    rng = np.random.default_rng(4)
    v_x = rng.standard_normal(x.shape)
    v_params = [rng.standard_normal(p.shape) * max(float(p.data.std()), 0.01) for p in params]

    def f(step):
        for p, v in zip(params, v_params, strict=True):
            p.data += step * v
        with dlbook.no_grad():
            value = float((model(x + step * v_x) * g).sum())
        for p, v in zip(params, v_params, strict=True):
            p.data -= step * v
        return value

    # small, so that no ReLU input crosses 0 between f(−ε) and f(ε): with ~10⁵ ReLUs, 1e-7
    # let one cross for 4 draws in 16; float64's roundoff over 2ε stays ~1e-8 of the result
    eps = 1e-8
    numeric = (f(eps) - f(-eps)) / (2 * eps)
    analytic = float((dx * v_x).sum()) + sum(float((p.grad * v).sum())
                                             for p, v in zip(params, v_params, strict=True))
    assert numeric == pytest.approx(analytic, rel=1e-6)


def calibrate_norms(model, x):
    """Random γ and β, and running statistics equal to the statistics of ``x``'s batch.

    With torchvision's initialisation the depthwise layers (fan_out = 9 · C) shrink the signal
    in eval mode until the logits hardly depend on x, and β = 0 puts every ReLU at its kink:
    finite differences would then measure nothing, or the kinks.
    """
    rng = np.random.default_rng(5)
    for m in model.modules():
        if isinstance(m, dlbook.nn.BatchNorm2d):
            m.weight.data[...] = rng.uniform(0.5, 1.5, m.weight.shape)
            m.bias.data[...] = rng.normal(0, 0.5, m.bias.shape)
            m.momentum = None  # the running statistics become the average of batches seen: x's
    with dlbook.no_grad():
        model.train()(x)
