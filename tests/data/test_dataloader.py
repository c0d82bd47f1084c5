"""DataLoader and datasets follow torch.utils.data: lengths, batches, shuffling, errors."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import dlbook
from dlbook.data import DataLoader, Dataset, TensorDataset


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
    for (xb, yb), (xt, yt) in zip(batches, theirs, strict=True):
        np.testing.assert_array_equal(xb, xt.numpy())
        np.testing.assert_array_equal(yb, yt.numpy())


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


def test_arrays_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match=r"same length, got \(3, 2\), \(4,\)"):
        TensorDataset(np.zeros((3, 2)), np.zeros(4))


def test_a_batch_size_of_zero_is_refused():
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        DataLoader(TensorDataset(np.zeros(3)), batch_size=0)
