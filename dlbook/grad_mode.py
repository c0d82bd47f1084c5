"""``no_grad``: switching off what forward saves for backward, as ``torch.no_grad`` does.

Evaluation needs no gradients; under ``no_grad()`` a forward call keeps nothing for backward,
so a loop over a test set costs no memory beyond its outputs.
"""

import contextlib
import threading

_mode = threading.local()  # per thread, as torch's grad mode


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad()``: forward calls save what their backward needs."""
    return getattr(_mode, "enabled", True)


class _GradMode(contextlib.ContextDecorator):
    """Sets the grad mode inside a ``with`` block or a decorated function, then restores it."""

    enabled: bool

    def __new__(cls, function=None):
        mode = super().__new__(cls)
        return mode(function) if callable(function) else mode  # @no_grad without brackets

    def __enter__(self):
        self.previous = is_grad_enabled()
        _mode.enabled = self.enabled

    def __exit__(self, *exc_info):
        _mode.enabled = self.previous

    def _recreate_cm(self):
        return type(self)()  # a fresh instance per call, so a decorated function may recurse


class no_grad(_GradMode):  # noqa: N801  (torch's name)
    """``with dlbook.no_grad():`` or ``@dlbook.no_grad()``: forward calls save nothing."""

    enabled = False


class enable_grad(_GradMode):  # noqa: N801
    """Switch saving back on inside a ``no_grad()`` block."""

    enabled = True
