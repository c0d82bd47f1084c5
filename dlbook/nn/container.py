"""Sequential: layers applied one after another, and backpropagated in reverse."""

from collections import OrderedDict

from dlbook.nn.module import Module


class Sequential(Module):
    """``Sequential(a, b, c)(x) = c(b(a(x)))``; its children are named "0", "1", … as in torch.

    ``Sequential(OrderedDict(fc=..., act=...))`` names them instead. A layer may appear more
    than once (a shared activation, tied weights): each use is undone by its own backward.
    """

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for name, module in args[0].items():
                self.add_module(name, module)
        else:
            for index, module in enumerate(args):
                self.add_module(str(index), module)

    def forward(self, x):
        for layer in self:
            x = layer(x)
        return x

    def backward(self, grad_out):
        # the chain rule, from the last layer back to the first
        for layer in reversed(list(self)):
            grad_out = layer.backward(grad_out)
        return grad_out

    def append(self, module):
        """Add ``module`` at the end; returns self."""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        """Add each of ``modules`` (an iterable, or another Sequential) at the end."""
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module):
        """Put ``module`` at ``index``, moving the layers from there one place on; returns self."""
        n = len(self)
        if not -n <= index <= n:
            raise IndexError(f"Index out of range: {index}")
        self.add_module(str(n), module)  # checks the type, and makes room at the end
        index = index + n if index < 0 else index  # −1: before the last of the n layers
        layers = list(self._modules.values())
        layers.insert(index, layers.pop())
        self._modules = OrderedDict((str(i), layer) for i, layer in enumerate(layers))
        return self

    def __getitem__(self, index):
        if isinstance(index, slice):  # a slice keeps its layers' names, as in torch
            return Sequential(OrderedDict(list(self._modules.items())[index]))
        return list(self._modules.values())[index]

    def __setitem__(self, index: int, module):
        self.add_module(list(self._modules)[index], module)

    def __delitem__(self, index):
        layers = list(self._modules.values())
        del layers[index]
        # renumber, as torch does, so the names stay 0, 1, 2, …
        self._modules = OrderedDict((str(i), layer) for i, layer in enumerate(layers))

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())
