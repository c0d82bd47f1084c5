"""pytest fixtures for parity tests; load with ``pytest_plugins = ["dlbook.testing.fixtures"]``."""

import pytest
import torch

from dlbook.backend import cupy

CUDA = torch.cuda.is_available()


@pytest.fixture(
    scope="session",
    params=["cpu", pytest.param("cuda", marks=pytest.mark.skipif(not CUDA, reason="no CUDA GPU"))],
)
def device(request):
    """Each device a test runs on: "cpu" always, "cuda" when torch sees a GPU."""
    if request.param == "cuda" and cupy is None:
        pytest.skip("CUDA GPU present but CuPy is not installed: dlbook cannot use it")
    return request.param
