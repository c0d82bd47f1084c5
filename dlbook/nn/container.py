"""Sequential: layers applied one after another, and backpropagated in reverse."""

from dlbook.nn.module import Module


class Sequential(Module):
    """``Sequential(a, b, c)(x) = c(b(a(x)))``; its children are named "0", "1", … as in torch."""

    def __init__(self, *layers):
        super().__init__()
        for index, layer in enumerate(layers):
            setattr(self, str(index), layer)

    def forward(self, x):
        for layer in self:
            x = layer(x)
        return x

    def backward(self, grad_out):
        # the chain rule, from the last layer back to the first
        for layer in reversed(list(self)):
            grad_out = layer.backward(grad_out)
        return grad_out

    def __getitem__(self, index):
        if isinstance(index, slice):  # a slice keeps its layers' names, as in torch
            part = Sequential()
            for name, layer in list(self._modules.items())[index]:
                setattr(part, name, layer)
            return part
        return list(self._modules.values())[index]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())
