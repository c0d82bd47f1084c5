"""A tiny scalar autograd, ``Value``, for the backpropagation chapter (filled in chapter 4)."""
