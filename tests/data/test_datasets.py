"""The offline data sets: shapes, dtypes, determinism, and the train/validation split."""

import numpy as np
import pytest

from dlbook.data import load_diabetes, load_digits, make_moons, noisy_line, train_val_split


def test_digits_are_1797_float32_images_with_int64_labels():
    X, y = load_digits()
    assert (X.shape, X.dtype, y.shape, y.dtype) == ((1797, 64), np.float32, (1797,), np.int64)
    assert X.min() == 0 and X.max() == 16 and set(y) == set(range(10))


def test_diabetes_has_442_patients_and_a_column_target():
    X, y = load_diabetes()
    assert (X.shape, y.shape, X.dtype, y.dtype) == ((442, 10), (442, 1), np.float32, np.float32)


def test_generated_data_is_reproducible():
    np.testing.assert_array_equal(make_moons(50)[0], make_moons(50)[0])
    x, y = noisy_line(200, slope=3.0, intercept=-1.0, noise=0.0)
    np.testing.assert_allclose(y, 3 * x - 1, rtol=1e-5, atol=1e-5)


def test_train_val_split_keeps_pairs_together_and_splits_by_fraction():
    X, y = np.arange(20).reshape(10, 2), np.arange(10)
    X_train, y_train, X_val, y_val = train_val_split(X, y, val_fraction=0.3,
                                                     generator=np.random.default_rng(0))
    assert (len(X_train), len(X_val)) == (7, 3)
    np.testing.assert_array_equal(X_train[:, 0] // 2, y_train)
    assert sorted(np.concatenate([y_train, y_val])) == list(range(10))


def test_train_val_split_refuses_arrays_of_different_lengths():
    with pytest.raises(ValueError, match="same length"):
        train_val_split(np.zeros(3), np.zeros(4))


def test_train_val_split_needs_at_least_one_array():
    with pytest.raises(ValueError, match="train_val_split: expected at least one array, got none"):
        train_val_split()
