"""DataLoader and datasets follow torch.utils.data: lengths, batches, shuffling, errors."""

import re

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import dlbook
from dlbook.data import DataLoader, Dataset, TensorDataset
from dlbook.testing import parity_case, record_comparison


@given(n=st.integers(1, 50), batch_size=st.integers(1, 20), drop_last=st.booleans())
def test_batches_match_torch_without_shuffling(n, batch_size, drop_last):
    X, y = np.arange(2 * n, dtype=np.float32).reshape(n, 2), np.arange(n)
    ours = DataLoader(TensorDataset(X, y), batch_size=batch_size, drop_last=drop_last)
    theirs = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(y)),
        batch_size=batch_size, drop_last=drop_last)
    assert len(ours) == len(theirs)
    batches = list(ours)
    assert len(batches) == len(theirs)
    with parity_case("DataLoader", "torch.utils.data.DataLoader"):
        for (xb, yb), (xt, yt) in zip(batches, theirs, strict=True):
            np.testing.assert_array_equal(xb, xt.numpy())
            np.testing.assert_array_equal(yb, yt.numpy())
            record_comparison(xb, xt)  # for the validation report: equal, error 0


def test_2000_samples_in_batches_of_200_make_10_iterations_per_epoch():
    loader = DataLoader(TensorDataset(np.zeros((2000, 3))), batch_size=200)
    assert len(loader) == 10 and sum(1 for _ in loader) == 10


def test_the_last_batch_is_short_unless_drop_last():
    data = TensorDataset(np.arange(10))
    assert [len(b[0]) for b in DataLoader(data, batch_size=4)] == [4, 4, 2]
    assert [len(b[0]) for b in DataLoader(data, batch_size=4, drop_last=True)] == [4, 4]


def test_default_batch_size_is_1_like_torch():
    assert DataLoader(TensorDataset(np.zeros(5))).batch_size == 1
    assert len(DataLoader(TensorDataset(np.zeros(5)))) == 5


def test_shuffling_visits_every_sample_once_in_a_new_order_each_epoch():
    loader = DataLoader(TensorDataset(np.arange(100)), batch_size=7, shuffle=True,
                        generator=np.random.default_rng(0))
    first = np.concatenate([b[0] for b in loader])
    second = np.concatenate([b[0] for b in loader])
    assert sorted(first) == list(range(100)) and sorted(second) == list(range(100))
    assert not np.array_equal(first, second) and not np.array_equal(first, np.arange(100))


def test_the_same_seed_gives_the_same_order():
    def epoch():
        dlbook.manual_seed(3)
        loader = DataLoader(TensorDataset(np.arange(20)), batch_size=5, shuffle=True)
        return np.concatenate([b[0] for b in loader])

    np.testing.assert_array_equal(epoch(), epoch())


def test_a_plain_dataset_is_collated_by_stacking_each_field():
    class Squares(Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return np.array([i, i * i], dtype=np.float32), i % 2

    xb, yb = next(iter(DataLoader(Squares(), batch_size=3)))
    np.testing.assert_array_equal(xb, [[0, 0], [1, 1], [2, 4]])
    np.testing.assert_array_equal(yb, [0, 1, 0])


def test_a_tensor_dataset_needs_at_least_one_array():
    with pytest.raises(ValueError, match="TensorDataset: expected at least one array, got none"):
        TensorDataset()


def test_arrays_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match=r"same length, got \(3, 2\), \(4,\)"):
        TensorDataset(np.zeros((3, 2)), np.zeros(4))


def test_tensor_dataset_batches_are_lists_like_torch():
    X, y = np.zeros((4, 2), np.float32), np.arange(4)
    batch = next(iter(DataLoader(TensorDataset(X, y), batch_size=3)))
    torch_batch = next(iter(torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(y)), batch_size=3)))
    assert type(batch) is type(torch_batch) is list
    assert [b.dtype for b in batch] == [np.float32, np.int64]


def test_a_tensor_dataset_subclass_is_batched_from_its_own_samples():
    class Doubled(TensorDataset):
        def __getitem__(self, index):
            return tuple(2 * a[index] for a in self.arrays)

    (xb,) = next(iter(DataLoader(Doubled(np.arange(5)), batch_size=5)))
    np.testing.assert_array_equal(xb, [0, 2, 4, 6, 8])


def test_collate_fn_receives_the_list_of_samples_like_torch():
    X = np.arange(6).reshape(3, 2)
    ours = DataLoader(TensorDataset(X), batch_size=2, collate_fn=len)
    theirs = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.from_numpy(X)),
                                         batch_size=2, collate_fn=len)
    assert list(ours) == list(theirs) == [2, 1]


def test_batch_size_none_yields_each_sample_as_it_is_like_torch():
    X = np.arange(6.0).reshape(3, 2)
    ours = DataLoader(X, batch_size=None)
    theirs = torch.utils.data.DataLoader(X, batch_size=None)
    assert len(ours) == len(theirs) == 3
    for sample, torch_sample in zip(ours, theirs, strict=True):
        assert isinstance(sample, np.ndarray)
        np.testing.assert_array_equal(sample, torch_sample.numpy())


def test_batch_size_none_applies_collate_fn_to_each_sample_like_torch():
    X = np.arange(6).reshape(3, 2)
    ours = DataLoader(X, batch_size=None, collate_fn=lambda sample: int(sample.sum()))
    theirs = torch.utils.data.DataLoader(X, batch_size=None,
                                         collate_fn=lambda sample: int(sample.sum()))
    assert list(ours) == list(theirs) == [1, 5, 9]


def test_batch_size_none_still_shuffles():
    loader = DataLoader(np.arange(20), batch_size=None, shuffle=True,
                        generator=np.random.default_rng(0))
    order = [int(i) for i in loader]
    assert sorted(order) == list(range(20)) and order != list(range(20))


def test_batch_size_none_with_drop_last_raises_torchs_value_error():
    message = ("batch_size=None option disables auto-batching and is mutually exclusive with "
               "drop_last")
    with pytest.raises(ValueError, match=message):
        torch.utils.data.DataLoader(np.zeros(3), batch_size=None, drop_last=True)
    with pytest.raises(ValueError, match=message):
        DataLoader(np.zeros(3), batch_size=None, drop_last=True)


@pytest.mark.parametrize("batch_size", [2.5, 0, -1, True, np.int64(2)])
def test_a_batch_size_that_is_not_a_positive_int_raises_torchs_value_error(batch_size):
    with pytest.raises(ValueError) as theirs:
        torch.utils.data.DataLoader(np.zeros(3), batch_size=batch_size)
    with pytest.raises(ValueError) as ours:
        DataLoader(np.zeros(3), batch_size=batch_size)
    assert str(ours.value) == str(theirs.value) == (
        f"batch_size should be a positive integer value, but got batch_size={batch_size}")


def test_num_workers_0_is_the_only_value_accepted():
    assert DataLoader(np.zeros(3), num_workers=0).num_workers == 0
    with pytest.raises(ValueError, match="main process, so num_workers must be 0, got 2"):
        DataLoader(np.zeros(3), num_workers=2)


def test_arguments_after_shuffle_are_keywords_since_torch_puts_sampler_there():
    with pytest.raises(TypeError, match="positional"):
        DataLoader(np.zeros(3), 1, False, 0)


@pytest.mark.parametrize("generator, found", [
    (0, "<class 'int'>"),
    (torch.Generator(), "<class 'torch._C.Generator'>"),
    (np.random.RandomState(0), "<class 'numpy.random.mtrand.RandomState'>"),
])
def test_a_generator_that_is_not_a_numpy_generator_is_refused(generator, found):
    message = ("generator must be a numpy.random.Generator, such as np.random.default_rng(seed); "
               f"got {found}")
    with pytest.raises(TypeError, match=re.escape(message)):
        DataLoader(np.zeros(3), shuffle=True, generator=generator)
