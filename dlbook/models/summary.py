"""``summary(model, input_shape)``: each layer's output shape, parameters and multiply-adds.

One forward pass of zeros, under ``no_grad()`` and in ``eval()`` mode, records what every
leaf module (one without children) returns. Multiply-adds count the products of the layers
that have them: a Conv2d output value sums C_in / groups · KH · KW products, a Linear output
value in_features; the other layers count 0, as the MobileNet and ResNet papers count.
"""

from dataclasses import dataclass, field

import numpy as np

import dlbook.nn as nn
from dlbook.backend import to_device
from dlbook.grad_mode import no_grad
from dlbook.nn.functional.conv import multiply_adds


@dataclass
class LayerRow:
    """One call of a leaf module: its dotted name (as ``named_modules`` gives it), its type,
    the shape it returned, its parameters (counted on its first call only, so the column sums
    to the model's total) and the multiply-adds of this call, for the whole batch."""

    name: str
    type: str
    output_shape: tuple
    params: int
    mult_adds: int


@dataclass
class ModelSummary:
    """What ``summary`` found: one row per leaf call, in the order of the forward pass, and
    the totals. ``str()`` of it is the table ``summary`` prints."""

    rows: list[LayerRow] = field(repr=False)
    total_params: int
    trainable_params: int
    total_mult_adds: int

    def __str__(self):
        header = ("Layer (type)", "Output shape", "Param #", "Mult-adds")
        lines = [(f"{row.name or '(model)'} ({row.type})", str(row.output_shape),
                  f"{row.params:,}", f"{row.mult_adds:,}") for row in self.rows]
        widths = [max(len(line[i]) for line in [header, *lines]) for i in range(4)]

        def format_line(cells):
            name, shape, params, mult_adds = cells
            return (f"{name:<{widths[0]}}  {shape:<{widths[1]}}  {params:>{widths[2]}}"
                    f"  {mult_adds:>{widths[3]}}")

        rule = "=" * len(format_line(header))
        return "\n".join([
            rule, format_line(header), rule, *map(format_line, lines), rule,
            f"Total params: {self.total_params:,}",
            f"Trainable params: {self.trainable_params:,}",
            f"Non-trainable params: {self.total_params - self.trainable_params:,}",
            f"Total mult-adds: {_in_units(self.total_mult_adds)}",
            rule,
        ])


def summary(model, input_shape, dtype=np.float32, verbose: bool = True) -> ModelSummary:
    """Run ``model`` once on zeros of ``input_shape`` (batch dim included, e.g.
    (1, 3, 224, 224)) and ``dtype``; print one line per leaf module call (name, type, output
    shape, parameters, multiply-adds) and the totals, unless ``verbose=False``.

    The model is left as it was: its train/eval mode is restored, and under ``no_grad()`` the
    pass saves nothing for backward (nor does BatchNorm update its statistics in eval mode).
    Returns a ``ModelSummary`` (``.rows``, ``.total_params``, ``.total_mult_adds``, …).
    """
    leaves = [(name, module) for name, module in model.named_modules()
              if next(module.children(), None) is None]
    rows, counted = [], set()
    modes = [(module, module.training) for module in model.modules()]
    first = next(model.parameters(), None)
    x = np.zeros(input_shape, dtype=dtype)
    if first is not None:
        x = to_device(x, first.device)
    try:
        for name, module in leaves:
            # an instance attribute hides the class's forward, which __call__ looks up
            module.forward = _recording(module, name, rows, counted)
        model.eval()
        with no_grad():
            model(x)
    finally:
        for _, module in leaves:
            module.__dict__.pop("forward", None)  # the class's forward shows through again
        for module, training in modes:
            module.training = training
    params = list(model.parameters())
    result = ModelSummary(
        rows=rows,
        total_params=sum(p.numel() for p in params),
        trainable_params=sum(p.numel() for p in params if p.requires_grad),
        total_mult_adds=sum(row.mult_adds for row in rows),
    )
    if verbose:
        print(result)
    return result


def _recording(module, name: str, rows: list, counted: set):
    """``module``'s own forward, which also appends a LayerRow for each call to ``rows``."""
    forward = module.forward  # the bound method of the class: it still saves and checks

    def record(*args, **kwargs):
        output = forward(*args, **kwargs)
        params = 0
        if id(module) not in counted:  # a module used twice counts its parameters once
            counted.add(id(module))
            params = sum(p.numel() for p in module.parameters())
        rows.append(LayerRow(name, type(module).__name__, _shape(output), params,
                             _mult_adds(module, output)))
        return output

    return record


def _mult_adds(module, output) -> int:
    """Multiply-adds of one call: one product per weight an output value sums over."""
    if isinstance(module, nn.Conv2d):
        return multiply_adds(output.shape, module.weight.shape)
    if isinstance(module, nn.Linear):
        return output.size * module.in_features
    return 0


def _shape(output):
    """The shape of an array output; a tuple of shapes for a tuple of arrays."""
    if isinstance(output, tuple | list):
        return tuple(_shape(item) for item in output)
    return tuple(output.shape)


def _in_units(count: int) -> str:
    """1,814,073,344 -> "1.81 G"; 300,774,272 -> "300.77 M"."""
    if count >= 1e9:
        return f"{count / 1e9:.2f} G"
    return f"{count / 1e6:.2f} M"
