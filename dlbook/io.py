"""``save`` and ``load``: a state_dict in an .npz file, as ``torch.save`` / ``torch.load`` do.

The file is a NumPy archive, one array per key, read back with ``allow_pickle=False``: it
holds numbers only, so loading it runs no code, and NumPy alone can read it
(``np.load("model.npz")["0.weight"]``).
"""

from collections import OrderedDict

import numpy as np

from dlbook.backend import is_array, to_device


def save(state_dict, path):
    """Write ``state_dict`` (key → array, as ``model.state_dict()`` gives) to the file ``path``.

    Keys are kept as they are ("0.weight", "bn.num_batches_tracked"), and so are shapes and
    dtypes. GPU arrays (CuPy) and torch tensors are saved as NumPy arrays. The file is
    written under exactly ``path``; ".npz" is the customary suffix.
    """
    arrays = OrderedDict()
    for key, value in state_dict.items():
        if hasattr(value, "detach"):  # a torch tensor, on any device
            value = value.detach().cpu().numpy()
        elif is_array(value):
            value = to_device(value, "cpu")
        elif isinstance(value, int | float | bool | np.generic):
            value = np.asarray(value)
        else:  # a nested dict, e.g. an optimizer's state_dict, needs pickle: not supported
            raise TypeError(f"save: state_dict[{key!r}] is a {type(value).__name__}; only arrays"
                            " and numbers can be saved")
        if value.dtype.kind == "O":
            raise TypeError(f"save: state_dict[{key!r}] is an object array; only numbers")
        arrays[key] = value
    with open(path, "wb") as file:  # an open file: np.savez would append ".npz" to a name
        np.savez(file, **arrays)


def load(path) -> OrderedDict:
    """Read a state_dict written by ``save``: an OrderedDict of NumPy arrays, in saved order.

    ``model.load_state_dict(dlbook.load(path))`` puts the weights back (on the model's device).
    """
    with np.load(path, allow_pickle=False) as archive:
        return OrderedDict((key, archive[key]) for key in archive.files)
