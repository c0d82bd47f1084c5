"""default_collate follows torch.utils.data.default_collate, with NumPy arrays for tensors."""

from collections import namedtuple

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from dlbook.backend import get_array_module, to_device
from dlbook.data import DataLoader, Dataset, default_collate
from dlbook.testing import to_numpy
from dlbook.testing.strategies import arrays

Point = namedtuple("Point", ["x", "label"])


def assert_same_batch(ours, theirs):
    """``ours`` has the structure, values and dtypes of torch's batch, NumPy arrays for tensors."""
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, np.ndarray), f"expected a NumPy array, got {type(ours)}"
        assert (ours.dtype, ours.shape) == (theirs.numpy().dtype, theirs.numpy().shape)
        np.testing.assert_array_equal(ours, theirs.numpy())
    elif isinstance(theirs, dict):
        assert type(ours) is dict and ours.keys() == theirs.keys()
        for key in theirs:
            assert_same_batch(ours[key], theirs[key])
    elif isinstance(theirs, (list, tuple)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs, strict=True):
            assert_same_batch(a, b)
    else:
        assert ours == theirs


def assert_collates_like_torch(batch):
    assert_same_batch(default_collate(batch), torch.utils.data.default_collate(batch))


def test_numpy_arrays_stack_along_a_new_first_axis_in_their_dtype_like_torch():
    assert_collates_like_torch([np.zeros((2, 3), np.float32), np.ones((2, 3), np.float32)])
    assert_collates_like_torch([np.arange(4), np.arange(4, 8)])
    assert_collates_like_torch([np.array(1.5), np.array(2.5)])  # 0-d arrays give shape (2,)


def test_numpy_scalars_stack_into_an_array_of_their_dtype_like_torch():
    assert_collates_like_torch([np.float32(1), np.float32(2)])
    assert_collates_like_torch([np.int32(1), np.int32(2)])
    assert_collates_like_torch([np.bool_(True), np.bool_(False)])


def test_python_floats_ints_and_bools_become_float64_int64_and_bool_arrays_like_torch():
    assert default_collate([1.0, 2.5]).dtype == np.float64
    assert default_collate([1, 2]).dtype == np.int64
    assert default_collate([True, False]).dtype == np.bool_
    for batch in ([1.0, 2.5], [1, 2], [True, False], [1.5, 2]):
        assert_collates_like_torch(batch)


def test_strings_and_bytes_stay_the_list_they_came_in_like_torch():
    assert default_collate(["cat", "dog"]) == ["cat", "dog"]
    assert_collates_like_torch(["cat", "dog"])
    assert_collates_like_torch([b"cat", b"dog"])


def test_dict_samples_collate_to_a_dict_of_batches_like_torch():
    batch = [{"x": np.array([1.0, 2.0]), "label": 0}, {"x": np.array([3.0, 4.0]), "label": 1}]
    collated = default_collate(batch)
    np.testing.assert_array_equal(collated["x"], [[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(collated["label"], [0, 1])
    assert_collates_like_torch(batch)


def test_namedtuple_samples_collate_to_the_same_namedtuple_like_torch():
    batch = [Point(np.array([1.0, 2.0]), 0), Point(np.array([3.0, 4.0]), 1)]
    collated = default_collate(batch)
    assert type(collated) is Point
    np.testing.assert_array_equal(collated.label, [0, 1])
    assert_collates_like_torch(batch)


def test_tuple_and_list_samples_collate_to_a_list_of_batches_like_torch():
    for batch in ([(np.zeros(2), 0), (np.ones(2), 1)], [[np.zeros(2), 0], [np.ones(2), 1]]):
        xb, yb = collated = default_collate(batch)
        assert type(collated) is list
        np.testing.assert_array_equal(xb, [[0, 0], [1, 1]])
        np.testing.assert_array_equal(yb, [0, 1])
        assert_collates_like_torch(batch)


def test_nested_samples_collate_recursively_like_torch():
    batch = [{"pair": (np.zeros(2, np.float32), 1), "tags": ["a", "b"]},
             {"pair": (np.ones(2, np.float32), 2), "tags": ["c", "d"]}]
    assert default_collate(batch)["tags"] == [("a", "c"), ("b", "d")]  # zip's tuples, as torch
    assert_collates_like_torch(batch)


def test_samples_of_different_lengths_raise_torchs_runtime_error():
    batch = [(np.zeros(2), 0), (np.ones(2),)]
    message = "each element in list of batch should be of equal size"
    with pytest.raises(RuntimeError, match=message):
        torch.utils.data.default_collate(batch)
    with pytest.raises(RuntimeError, match=message):
        default_collate(batch)


@pytest.mark.parametrize("batch, found", [
    ([None, None], "<class 'NoneType'>"),
    ([object(), object()], "<class 'object'>"),
    ([np.array(["a"]), np.array(["b"])], "<U1"),
    ([np.array([None]), np.array([None])], "object"),
])
def test_anything_else_raises_torchs_type_error_naming_what_it_found(batch, found):
    with pytest.raises(TypeError) as theirs:
        torch.utils.data.default_collate(batch)
    with pytest.raises(TypeError) as ours:
        default_collate(batch)
    assert str(ours.value) == ("default_collate: batch must contain arrays, numbers, dicts or "
                               f"lists; found {found}")
    assert str(theirs.value) == str(ours.value).replace("arrays", "tensors, numpy arrays")


def test_arrays_are_stacked_on_their_own_device(device):
    batch = [to_device(np.arange(3.0), device), to_device(np.arange(3.0, 6.0), device)]
    stacked = default_collate(batch)
    assert get_array_module(stacked) is get_array_module(batch[0])
    np.testing.assert_array_equal(to_numpy(stacked), [[0, 1, 2], [3, 4, 5]])


class Records(Dataset):
    """Rows of X (N, d) and labels y (N,), served as dicts or as tuples."""

    def __init__(self, X, y, as_dict):
        self.X, self.y, self.as_dict = X, y, as_dict

    def __len__(self):
        return len(self.X)

    def __getitem__(self, i):
        x, label, weight = self.X[i], int(self.y[i]), float(i) / 2
        if self.as_dict:
            return {"x": x, "label": label, "weight": weight, "name": f"row {i}"}
        return x, label, weight


@given(X=st.integers(1, 30).flatmap(lambda n: arrays(np.float32, (n, 3))),
       batch_size=st.integers(1, 8), drop_last=st.booleans(), as_dict=st.booleans())
def test_batches_of_dict_and_tuple_samples_equal_torchs(X, batch_size, drop_last, as_dict):
    dataset = Records(X, np.arange(len(X)) % 3, as_dict)
    ours = DataLoader(dataset, batch_size=batch_size, drop_last=drop_last)
    theirs = torch.utils.data.DataLoader(dataset, batch_size=batch_size, drop_last=drop_last)
    assert len(ours) == len(theirs)
    for batch, torch_batch in zip(ours, theirs, strict=True):
        assert_same_batch(batch, torch_batch)
