import numpy as np
import pytest

import dlbook
from dlbook.backend import get_array_module, to_device


def test_numpy_arrays_use_numpy():
    assert get_array_module(np.zeros(3), np.ones(2)) is np


def test_array_module_follows_the_device(device):
    x = to_device(np.arange(4.0), device)
    xp = get_array_module(x)
    assert xp.__name__ == ("numpy" if device == "cpu" else "cupy")
    np.testing.assert_array_equal(to_device(xp.sqrt(x), "cpu"), np.sqrt([0.0, 1.0, 2.0, 3.0]))


def test_unknown_device_is_named_in_the_error():
    with pytest.raises(ValueError, match="'tpu'"):
        to_device(np.zeros(1), "tpu")


def test_manual_seed_repeats_the_same_draws():
    dlbook.manual_seed(7)
    a = dlbook.default_generator().standard_normal(3)
    dlbook.manual_seed(7)
    b = dlbook.default_generator().standard_normal(3)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, np.random.default_rng(7).standard_normal(3))
