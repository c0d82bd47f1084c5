"""Code ported from torch runs unchanged: Sequential from a dict, Parameters that act like arrays,
``to()`` with keywords and torch dtypes, ``zero_grad(set_to_none=False)``, keyword arguments."""

from collections import OrderedDict

import numpy as np
import pytest
import torch

import dlbook
import dlbook.nn as nn
from dlbook.testing import assert_close, twins


# -- Sequential --------------------------------------------------------------------------------
def test_sequential_from_an_ordered_dict_keeps_the_names_like_torch():
    ours = nn.Sequential(OrderedDict(fc=nn.Linear(2, 3), act=nn.ReLU(), out=nn.Linear(3, 1)))
    theirs = torch.nn.Sequential(OrderedDict(fc=torch.nn.Linear(2, 3), act=torch.nn.ReLU(),
                                             out=torch.nn.Linear(3, 1)))
    assert list(ours.state_dict()) == list(theirs.state_dict()) == [
        "fc.weight", "fc.bias", "out.weight", "out.bias"]
    assert repr(ours) == repr(theirs)
    ours.load_state_dict(theirs.state_dict())
    x = np.ones((4, 2), dtype=np.float32)
    assert_close(ours(x), theirs(torch.from_numpy(x)))


@pytest.mark.parametrize("bad, name", [
    ([nn.Linear(2, 3)], "list"),
    (nn.ReLU, "dlbook.nn.activation.ReLU"),
    (3, "int"),
    ({"fc": nn.Linear(2, 3)}, "dict"),  # torch takes an OrderedDict only
])
def test_sequential_refuses_what_is_not_a_module_with_torchs_type_error(bad, name):
    with pytest.raises(TypeError, match=f"^{name} is not a Module subclass$"):
        nn.Sequential(nn.Linear(2, 3), bad) if name == "dlbook.nn.activation.ReLU" else \
            nn.Sequential(bad)
    torch_bad = torch.nn.ReLU if name.endswith("ReLU") else bad
    with pytest.raises(TypeError, match="is not a Module subclass"):
        torch.nn.Sequential(torch_bad)


def test_sequential_append_extend_and_insert_like_torch():
    ours = nn.Sequential(nn.ReLU()).append(nn.Tanh()).extend([nn.Sigmoid(), nn.Identity()])
    ours.insert(1, nn.Linear(2, 2)).insert(-1, nn.Flatten())
    theirs = torch.nn.Sequential(torch.nn.ReLU()).append(torch.nn.Tanh())
    theirs.extend([torch.nn.Sigmoid(), torch.nn.Identity()])
    theirs.insert(1, torch.nn.Linear(2, 2)).insert(-1, torch.nn.Flatten())
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["1.weight", "1.bias"]
    with pytest.raises(IndexError, match="Index out of range: 9"):
        ours.insert(9, nn.ReLU())
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        ours.append(3)


# -- assigning parameters and modules ----------------------------------------------------------
def test_setting_bias_to_none_drops_it_from_state_dict_and_parameters_like_torch():
    ours, theirs = nn.Linear(2, 3), torch.nn.Linear(2, 3)
    ours.bias, theirs.bias = None, None
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight"]
    assert len(list(ours.parameters())) == 1 and ours.bias is None
    assert repr(ours) == repr(theirs)
    y = ours(np.ones((1, 2), dtype=np.float32))
    ours.backward(np.ones_like(y))
    ours.bias = nn.Parameter(np.zeros(3, dtype=np.float32))  # and back
    assert list(ours.state_dict()) == ["weight", "bias"]


def test_bias_false_registers_an_absent_parameter_like_torch():
    ours, theirs = nn.Linear(2, 3, bias=False), torch.nn.Linear(2, 3, bias=False)
    assert list(ours._parameters) == list(theirs._parameters) == ["weight", "bias"]
    assert list(ours.state_dict()) == ["weight"] and ours.bias is None


def test_assigning_a_plain_array_to_a_parameter_raises_torchs_type_error():
    with pytest.raises(TypeError, match=r"cannot assign 'numpy.ndarray' as parameter 'bias' "
                                        r"\(dlbook.nn.Parameter or None expected\)"):
        nn.Linear(2, 3).bias = np.zeros(3)
    with pytest.raises(TypeError, match=r"cannot assign 'int' as child module '0'"):
        setattr(nn.Sequential(nn.ReLU()), "0", 5)


def test_a_subclass_that_forgot_super_init_gets_torchs_message():
    class Forgot(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(2, 2)

    class ForgotParameter(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(np.zeros(2))

    with pytest.raises(AttributeError, match=r"cannot assign module before Module.__init__\(\)"):
        Forgot()
    with pytest.raises(AttributeError, match="cannot assign parameters before Module.__init__"):
        ForgotParameter()


def test_calling_a_module_whose_init_was_skipped_names_the_fix():
    class NoInit(nn.Module):
        def __init__(self):
            pass

        def forward(self, x):
            return x

    with pytest.raises(RuntimeError, match=r"NoInit: Module.__init__\(\) was not called"):
        NoInit()(np.ones(2))


# -- Parameter acts like its array -------------------------------------------------------------
def test_a_parameter_reads_like_the_array_it_holds():
    p, t = nn.Parameter(np.arange(6.0).reshape(2, 3)), torch.nn.Parameter(
        torch.arange(6.0, dtype=torch.float64).reshape(2, 3))
    np.testing.assert_array_equal(np.asarray(p), p.data)
    assert (p.shape, p.ndim, p.dtype) == (tuple(t.shape), t.ndim, np.float64)
    assert p.numel() == t.numel() == 6 and p.size() == tuple(t.size()) and p.size(1) == 3
    assert p.requires_grad and t.requires_grad
    np.testing.assert_array_equal(p.T, t.T.detach().numpy())
    np.testing.assert_array_equal(p * 2 + 1, (t * 2 + 1).detach().numpy())
    np.testing.assert_array_equal(np.ones((3, 2)) @ p, np.ones((3, 2)) @ p.data)
    assert p.sum() == 15 and p[1, 2] == 5 and len(p) == 2 and p.device == "cpu"
    assert {p: "a parameter can be a dict key, as torch's"}[p]


def test_torchs_manual_update_loop_runs_unchanged():
    torch.manual_seed(0)
    ours, theirs = twins(nn.Linear(3, 2), torch.nn.Linear(3, 2), np.float32)
    x = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)
    y = ours(x)
    ours.backward(np.ones_like(y))
    theirs(torch.from_numpy(x)).backward(torch.ones(4, 2))
    with dlbook.no_grad():
        for p in ours.parameters():
            p -= 0.1 * p.grad  # in place: p stays the Parameter, p.data changes
    with torch.no_grad():
        for p in theirs.parameters():
            p -= 0.1 * p.grad
    assert all(isinstance(p, nn.Parameter) for p in ours.parameters())
    assert_close(ours.weight.data, theirs.weight)
    assert_close(ours.bias.data, theirs.bias)


def test_a_frozen_parameter_gets_no_gradient_like_torch():
    ours, theirs = nn.Linear(3, 2), torch.nn.Linear(3, 2)
    ours.weight.requires_grad_(False)
    theirs.weight.requires_grad_(False)
    y = ours(np.ones((1, 3), dtype=np.float32))
    ours.backward(np.ones_like(y))
    theirs(torch.ones(1, 3)).sum().backward()
    assert ours.weight.grad is None and theirs.weight.grad is None
    assert ours.bias.grad is not None


# -- to(), dtypes, devices, zero_grad, keywords ------------------------------------------------
@pytest.mark.parametrize("call", [
    lambda m: m.to(np.float64), lambda m: m.to(dtype=np.float64), lambda m: m.to("cpu", np.float64),
    lambda m: m.to(torch.float64), lambda m: m.to(device="cpu", dtype=torch.float64),
    lambda m: m.to(torch.device("cpu"), torch.float64),
])
def test_to_takes_torchs_forms(call):
    model = call(nn.Sequential(nn.Linear(2, 3)))
    assert model.dtype == np.float64 and model[0].weight.device == "cpu"


def test_to_an_integer_dtype_is_refused_like_torch():
    with pytest.raises(TypeError, match="only accepts floating point dtypes.*int64"):
        nn.Linear(2, 3).to(np.int64)


@pytest.mark.parametrize("dtype", [torch.float64, np.float64, "float64"])
def test_layers_take_numpy_or_torch_dtypes_and_a_device(dtype):
    layer = nn.Linear(3, 2, device="cpu", dtype=dtype)
    assert layer.weight.dtype == layer.bias.dtype == np.float64


@pytest.mark.parametrize("dtype", [np.int64, torch.int32, np.bool_])
def test_a_non_float_dtype_is_refused_at_construction(dtype):
    with pytest.raises(TypeError, match=r"Linear\(3, 2\): parameters must have a floating point"):
        nn.Linear(3, 2, dtype=dtype)


def test_zero_grad_set_to_none_false_zeroes_in_place_like_torch():
    model = nn.Linear(2, 2)
    model.zero_grad(set_to_none=False)
    assert model.weight.grad is None  # never computed: stays None, as torch
    y = model(np.ones((1, 2), dtype=np.float32))
    model.backward(np.ones_like(y))
    grad = model.weight.grad
    model.zero_grad(set_to_none=False)
    assert model.weight.grad is grad and not grad.any()
    model.zero_grad()
    assert model.weight.grad is None


def test_keyword_arguments_pass_through_a_module_call():
    class Scaled(nn.Module):
        def forward(self, x, scale=1.0):
            self.scale = scale
            return x * scale

        def backward(self, grad_out):
            return grad_out * self.scale

    module = Scaled()
    y = module(np.ones(3), scale=2.0)
    np.testing.assert_array_equal(y, [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(module.backward(np.ones(3)), [2.0, 2.0, 2.0])


def test_a_subclass_calling_super_forward_shares_one_record():
    class Doubled(nn.ReLU):
        def forward(self, x):
            self.doubled = True
            return 2 * super().forward(x)

        def backward(self, grad_out):
            return super().backward(2 * grad_out)

    module, x = Doubled(), np.array([-1.0, 3.0])
    y = module(x)
    np.testing.assert_array_equal(module.backward(np.ones_like(y)), [0.0, 2.0])


def test_sequential_setitem_and_delitem_renumber_like_torch():
    ours = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    del ours[1]
    del theirs[1]
    ours[-1], theirs[-1] = nn.Linear(3, 4), torch.nn.Linear(3, 4)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())


def test_apply_visits_children_first_then_the_module_like_torch():
    ours = nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.ReLU()))
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Sequential(torch.nn.ReLU()))
    seen, torch_seen = [], []
    ours.apply(lambda m: seen.append(type(m).__name__))
    theirs.apply(lambda m: torch_seen.append(type(m).__name__))
    assert seen == torch_seen == ["Linear", "ReLU", "Sequential", "Sequential"]


def test_requires_grad_false_freezes_every_parameter_of_a_module():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    model[0].requires_grad_(False)
    y = model(np.ones((4, 2), dtype=np.float32))
    model.backward(np.ones_like(y))
    assert model[0].weight.grad is None and model[0].bias.grad is None
    assert model[2].weight.grad is not None


def test_a_copied_model_starts_with_nothing_to_undo():
    import copy

    model = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    y = model(np.ones((1, 2), dtype=np.float32))
    clone = copy.deepcopy(model)
    with pytest.raises(RuntimeError, match="before forward"):
        clone.backward(np.ones_like(y))
    model.backward(np.ones_like(y))  # the original still can
    np.testing.assert_array_equal(clone[0].weight.data, model[0].weight.data)
