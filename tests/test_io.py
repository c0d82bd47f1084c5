"""dlbook.save / dlbook.load: a state_dict in an .npz file that NumPy alone reads back."""

from collections import OrderedDict

import numpy as np
import pytest
import torch

import dlbook
import dlbook.nn as nn


def mixed_state():
    return OrderedDict([
        ("layer.0.weight", np.arange(6, dtype=np.float32).reshape(2, 3) / 7),
        ("layer.0.bias", np.array([1 / 3, -2.5])),  # float64
        ("bn.num_batches_tracked", np.array(7, dtype=np.int64)),  # 0-d, as torch's buffer
        ("a", np.array([True, False])),
    ])


def test_save_and_load_round_trip_keys_order_dtypes_and_values(tmp_path):
    state = mixed_state()
    dlbook.save(state, tmp_path / "state.npz")
    loaded = dlbook.load(tmp_path / "state.npz")
    assert isinstance(loaded, OrderedDict) and list(loaded) == list(state)
    for key, value in state.items():
        assert loaded[key].dtype == value.dtype and loaded[key].shape == value.shape
        np.testing.assert_array_equal(loaded[key], value)


def test_numpy_alone_reads_the_file_without_pickle(tmp_path):
    dlbook.save(mixed_state(), tmp_path / "state.npz")
    with np.load(tmp_path / "state.npz", allow_pickle=False) as archive:
        assert archive.files == list(mixed_state())
        assert archive["bn.num_batches_tracked"].dtype == np.int64


def test_the_file_is_written_under_exactly_the_given_name(tmp_path):
    dlbook.save(mixed_state(), tmp_path / "model.pt")
    assert [p.name for p in tmp_path.iterdir()] == ["model.pt"]
    assert list(dlbook.load(str(tmp_path / "model.pt"))) == list(mixed_state())


def mlp():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))


def test_a_saved_state_dict_loads_into_a_fresh_model_with_equal_outputs(tmp_path):
    dlbook.manual_seed(0)
    model = mlp()
    dlbook.save(model.state_dict(), tmp_path / "mlp.npz")
    dlbook.manual_seed(1)
    fresh = mlp()
    fresh.load_state_dict(dlbook.load(tmp_path / "mlp.npz"))
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    with dlbook.no_grad():
        np.testing.assert_array_equal(fresh(x), model(x))


def test_a_torch_state_dict_saves_as_numpy_and_loads_into_dlbook(tmp_path):
    torch.manual_seed(0)
    theirs = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    dlbook.save(theirs.state_dict(), tmp_path / "torch.npz")
    ours = mlp()
    ours.load_state_dict(dlbook.load(tmp_path / "torch.npz"))
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    with dlbook.no_grad():
        np.testing.assert_allclose(ours(x), theirs(torch.from_numpy(x)).detach().numpy(),
                                   rtol=1e-6, atol=1e-6)


def test_a_nested_state_dict_such_as_an_optimizers_is_refused(tmp_path):
    with pytest.raises(TypeError, match=r"state_dict\['state'\] is a dict"):
        dlbook.save({"state": {}, "param_groups": []}, tmp_path / "opt.npz")
