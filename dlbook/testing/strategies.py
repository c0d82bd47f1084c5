"""Hypothesis strategies shared by the parity tests: random shapes, dtypes and arrays."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

float_dtypes = st.sampled_from([np.float64, np.float32])


def shapes(min_dims: int = 0, max_dims: int = 4, max_side: int = 6):
    """Array shapes such as (), (3,), (2, 5, 1): the ranks and sizes layers meet."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=max_side)


def arrays(dtype, shape, bound: float = 10.0):
    """Arrays of ``dtype`` and ``shape`` with finite values in [−bound, bound]."""
    elements = st.floats(-bound, bound, allow_nan=False, width=np.dtype(dtype).itemsize * 8)
    return hnp.arrays(dtype, shape, elements=elements)
