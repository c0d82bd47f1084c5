"""Loss functions as modules: ``loss = criterion(input, target)`` then ``criterion.backward()``.

The criterion keeps its input and target, so ``backward()`` needs no argument: it returns
dL/dinput for a loss that is the last node of the graph (grad_out = 1). With
``reduction="none"`` the loss is an array and ``backward(grad_out)`` takes one of its shape.
"""

from dlbook.backend import get_array_module
from dlbook.nn import functional as F
from dlbook.nn.checks import check_array, check_class_target, check_shape, check_target_dtype
from dlbook.nn.module import Module


class _Loss(Module):
    """What every loss shares: ``reduction``, keeping (input, target), and the float it returns."""

    function = None  # F.*_loss, and its backward
    function_backward = None
    target_kinds = "fiu"  # target dtypes accepted (promoted as torch does); None: the input's

    def __init__(self, reduction: str = "mean", **options):
        super().__init__()
        if reduction not in F.REDUCTIONS:
            raise ValueError(f"{type(self).__name__}: reduction must be one of {F.REDUCTIONS},"
                             f" got {reduction!r}")
        self.reduction = reduction
        self.options = options

    def check(self, input, target):
        check_shape(self, target, target.shape == input.shape, f"{tuple(input.shape)}", "target")
        check_target_dtype(self, input, target, self.target_kinds)

    def forward(self, input, target):
        check_array(self, input)
        check_array(self, target, "target")
        self.check(input, target)
        self.input, self.target = input, target
        loss = type(self).function(input, target, reduction=self.reduction, **self.options)
        return loss if self.reduction == "none" else float(loss)

    def backward(self, grad_out=1.0):
        return type(self).function_backward(grad_out, self.input, self.target,
                                             reduction=self.reduction, **self.options)

    def extra_repr(self):
        return "" if self.reduction == "mean" else f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    """Mean squared error (L2): mean (x − t)². Sensitive to outliers. Shapes: (*), (*)."""

    function = staticmethod(F.mse_loss)
    function_backward = staticmethod(F.mse_loss_backward)


class L1Loss(_Loss):
    """Mean absolute error (L1): mean |x − t|. Robust to outliers. Shapes: (*), (*)."""

    function = staticmethod(F.l1_loss)
    function_backward = staticmethod(F.l1_loss_backward)


class BCELoss(_Loss):
    """Binary cross-entropy on probabilities p ∈ [0, 1] (after a sigmoid). Shapes: (*), (*)."""

    function = staticmethod(F.binary_cross_entropy)
    function_backward = staticmethod(F.binary_cross_entropy_backward)
    target_kinds = None  # torch refuses a target of another dtype here

    def __init__(self, weight=None, reduction: str = "mean"):
        super().__init__(reduction, weight=weight)

    def check(self, input, target):
        super().check(input, target)
        xp = get_array_module(input)
        if not bool(xp.all((input >= 0) & (input <= 1))):
            raise ValueError(f"{self.label()}: expected input probabilities in [0, 1], got values"
                             f" in [{float(input.min())}, {float(input.max())}];"
                             " pass logits to BCEWithLogitsLoss instead")


class BCEWithLogitsLoss(_Loss):
    """Sigmoid + binary cross-entropy in one stable step, on logits. Shapes: (*), (*)."""

    function = staticmethod(F.binary_cross_entropy_with_logits)
    function_backward = staticmethod(F.binary_cross_entropy_with_logits_backward)
    target_kinds = "f"

    def __init__(self, weight=None, reduction: str = "mean", pos_weight=None):
        super().__init__(reduction, weight=weight, pos_weight=pos_weight)


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities (after LogSoftmax).

    Shapes: input (N, C) or (N, C, d…), target class indices (N,) or (N, d…).
    """

    function = staticmethod(F.nll_loss)
    function_backward = staticmethod(F.nll_loss_backward)

    def __init__(self, weight=None, ignore_index: int = -100, reduction: str = "mean"):
        super().__init__(reduction, weight=weight, ignore_index=ignore_index)

    def check(self, input, target):
        check_class_target(self, input, target, self.options["ignore_index"], False)


class CrossEntropyLoss(_Loss):
    """Softmax + negative log-likelihood on logits: the classification loss.

    Shapes: input (C,), (N, C) or (N, C, d…); target class indices (N, d…) ("sparse"), or
    class probabilities of the input's shape (one-hot or soft). Gradient: softmax(x) − y.
    """

    function = staticmethod(F.cross_entropy)
    function_backward = staticmethod(F.cross_entropy_backward)

    def __init__(self, weight=None, ignore_index: int = -100, reduction: str = "mean",
                 label_smoothing: float = 0.0):
        super().__init__(reduction, weight=weight, ignore_index=ignore_index,
                         label_smoothing=label_smoothing)

    def check(self, input, target):
        check_class_target(self, input, target, self.options["ignore_index"], True)
