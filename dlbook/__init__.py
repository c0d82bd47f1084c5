"""dlbook: deep learning from scratch in NumPy, mirroring PyTorch's API.

Every layer, loss and optimizer is implemented explicitly (``forward`` keeps what
``backward(grad_out)`` needs) and tested against its PyTorch twin.
"""

from dlbook.grad_mode import enable_grad, is_grad_enabled, no_grad
from dlbook.io import load, save
from dlbook.random import default_generator, manual_seed

__version__ = "0.1.0"

__all__ = ["__version__", "default_generator", "enable_grad", "is_grad_enabled", "load",
           "manual_seed", "no_grad", "save"]
