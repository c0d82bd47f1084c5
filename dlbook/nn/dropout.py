"""Dropout: during training, zero each input element with probability p (inverted dropout)."""

from dlbook.backend import get_array_module
from dlbook.nn.checks import check_array, check_probability
from dlbook.nn.module import Module
from dlbook.random import default_generator


class Dropout(Module):
    """y = x · m / (1 − p) in training, with m ~ Bernoulli(1 − p) drawn anew for each element and
    each call; y = x in ``eval()`` mode and for p = 0. p = 1 gives zeros, as in torch.

    Scaling the kept values by 1/(1 − p) ("inverted" dropout) keeps E[y] = x, so nothing needs
    rescaling at evaluation time. Shape: x (*) -> y (*), same dtype.

    The masks come from dlbook's default generator, so ``dlbook.manual_seed`` repeats them;
    ``generator`` (an ``np.random.Generator``, not an argument of torch's Dropout) gives this
    layer a stream of its own instead. With ``inplace=True`` the result is written into x.
    """

    def __init__(self, p: float = 0.5, inplace: bool = False, generator=None):
        super().__init__()
        check_probability("Dropout", p)
        self.p, self.inplace, self.generator = p, inplace, generator

    def forward(self, x):
        check_array(self, x)
        if not self.training or self.p == 0:
            self.mask = None  # identity: backward passes the gradient through
            return x
        xp = get_array_module(x)
        # the default generator is looked up per call: manual_seed replaces it
        rng = default_generator() if self.generator is None else self.generator
        keep = rng.random(x.shape) >= self.p  # each element kept with probability 1 − p
        scale = 0.0 if self.p == 1 else 1 / (1 - self.p)
        self.mask = xp.asarray(keep.astype(x.dtype) * scale)  # 0 or 1/(1 − p): backward needs it
        if self.inplace:
            x *= self.mask
            return x
        return x * self.mask

    def backward(self, grad_out):
        if self.mask is None:
            return grad_out
        return grad_out * self.mask  # dy/dx = m / (1 − p), the same mask as the forward's

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"
