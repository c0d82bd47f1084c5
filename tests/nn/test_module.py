"""Module and Parameter behave as torch.nn.Module does: state, traversal, modes, printing."""

import numpy as np
import pytest
import torch

import dlbook
import dlbook.nn as nn
from dlbook.testing import assert_close


def mlp():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))


def torch_mlp():
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))


def test_state_dict_has_torchs_keys_in_torchs_order():
    assert list(mlp().state_dict()) == list(torch_mlp().state_dict())


def test_named_parameters_and_shapes_match_torch():
    ours = [(n, p.shape) for n, p in mlp().named_parameters()]
    theirs = [(n, tuple(p.shape)) for n, p in torch_mlp().named_parameters()]
    assert ours == theirs


def test_repr_matches_torch():
    assert repr(mlp()) == repr(torch_mlp())
    assert repr(nn.LeakyReLU(0.2)) == repr(torch.nn.LeakyReLU(0.2))
    assert repr(nn.Flatten()) == repr(torch.nn.Flatten())


def test_load_state_dict_from_torch_then_back_gives_the_same_outputs():
    torch.manual_seed(0)
    theirs, ours = torch_mlp(), mlp()
    ours.load_state_dict(theirs.state_dict())
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    assert_close(ours(x), theirs(torch.from_numpy(x)))

    back = torch_mlp()
    back.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    for key, value in back.state_dict().items():
        assert torch.equal(value, theirs.state_dict()[key])


def test_load_state_dict_casts_into_the_modules_own_dtype():
    model = mlp()
    state = {k: v.astype(np.float64) + 1 for k, v in model.state_dict().items()}
    model.load_state_dict(state)
    assert all(p.dtype == np.float32 for p in model.parameters())
    np.testing.assert_allclose(model[0].bias.data, state["0.bias"].astype(np.float32))


def test_load_state_dict_names_missing_and_unexpected_keys():
    state = mlp().state_dict()
    state["3.weight"] = state.pop("2.weight")
    with pytest.raises(RuntimeError, match=r"Missing key\(s\) in state_dict: '2.weight'") as err:
        mlp().load_state_dict(state)
    assert "Unexpected key(s) in state_dict: '3.weight'" in str(err.value)
    result = mlp().load_state_dict(state, strict=False)
    assert (result.missing_keys, result.unexpected_keys) == (["2.weight"], ["3.weight"])


def test_load_state_dict_names_a_shape_mismatch():
    state = mlp().state_dict()
    state["0.weight"] = np.zeros((8, 5), dtype=np.float32)
    with pytest.raises(RuntimeError, match=r"size mismatch for 0.weight: .*\(8, 5\).*\(8, 4\)"):
        mlp().load_state_dict(state)


def test_gradients_accumulate_until_zero_grad_like_torch():
    model, x = mlp(), np.ones((2, 4), dtype=np.float32)
    g = np.ones((2, 3), dtype=np.float32)
    model(x)
    model.backward(g)
    once = model[0].weight.grad.copy()
    model(x)
    model.backward(g)
    np.testing.assert_allclose(model[0].weight.grad, 2 * once)
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_train_and_eval_reach_every_submodule():
    model = mlp().eval()
    assert not any(m.training for m in model.modules())
    assert all(m.training for m in model.train().modules())


def test_double_and_float_convert_parameters_and_forward_keeps_the_dtype():
    model, x = mlp().double(), np.ones((2, 4))
    assert model(x).dtype == np.float64 and model.backward(np.ones((2, 3))).dtype == np.float64
    assert model.float()(x.astype(np.float32)).dtype == np.float32


def test_parameters_are_float32_by_default_like_torch():
    assert {p.dtype for p in mlp().parameters()} == {np.dtype(np.float32)}


def test_sequential_supports_indexing_slicing_len_and_iteration():
    model = mlp()
    assert len(model) == 3 and isinstance(model[1], nn.ReLU) and isinstance(model[-1], nn.Linear)
    head = model[:2]
    assert isinstance(head, nn.Sequential) and len(head) == 2 and head[0] is model[0]
    tail = ["2.weight", "2.bias"]  # the slice keeps the names: ReLU is "1", Linear "2"
    assert list(model[1:].state_dict()) == list(torch_mlp()[1:].state_dict()) == tail
    assert [type(m).__name__ for m in model] == ["Linear", "ReLU", "Linear"]


def test_children_and_modules_walk_like_torch():
    ours = [name for name, _ in mlp().named_modules()]
    theirs = [name for name, _ in torch_mlp().named_modules()]
    assert ours == theirs and len(list(mlp().children())) == 3


def test_linear_init_follows_torchs_bounds_and_the_seed():
    dlbook.manual_seed(0)
    layer = nn.Linear(400, 300)
    bound = 1 / np.sqrt(400)  # kaiming-uniform with a = √5 gives ±1/√fan_in
    assert np.abs(layer.weight.data).max() <= bound and np.abs(layer.bias.data).max() <= bound
    np.testing.assert_allclose(layer.weight.data.std(), bound / np.sqrt(3), rtol=0.01)
    theirs = torch.nn.Linear(400, 300).weight.detach().numpy()
    np.testing.assert_allclose(layer.weight.data.std(), theirs.std(), rtol=0.01)
    dlbook.manual_seed(0)
    np.testing.assert_array_equal(nn.Linear(400, 300).weight.data, layer.weight.data)


def test_an_explicit_generator_gives_reproducible_init():
    a = nn.Linear(3, 2, generator=np.random.default_rng(5)).weight.data
    b = nn.Linear(3, 2, generator=np.random.default_rng(5)).weight.data
    np.testing.assert_array_equal(a, b)
