"""Embedding equals torch.nn.Embedding: the rows it looks up and the weight gradient, where
repeated indices add up and the padding row gets none, over hypothesis-drawn sizes, index
shapes and padding indices (negative ones counting from the end)."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import dlbook
from dlbook.backend import to_device
from dlbook.nn.sparse import Embedding
from dlbook.testing import assert_close, parity_case, to_torch, twin_names, twins
from dlbook.testing.strategies import float_dtypes, shapes


@st.composite
def embedding_configs(draw):
    """(num_embeddings, embedding_dim, padding_idx or None, the shape of the indices)."""
    rows = draw(st.integers(1, 8), label="num_embeddings")
    dim = draw(st.integers(1, 5), label="embedding_dim")
    padding_idx = draw(st.one_of(st.none(), st.integers(-rows, rows - 1)), label="padding_idx")
    return rows, dim, padding_idx, draw(shapes(min_dims=0, max_dims=3), label="indices shape")


@given(config=embedding_configs(), dtype=float_dtypes, seed=st.integers(0, 2**16))
def test_embedding_matches_torch(device, config, dtype, seed):
    rows, dim, padding_idx, shape = config
    torch.manual_seed(seed)
    ours, theirs = twins(Embedding(rows, dim, padding_idx), torch.nn.Embedding(rows, dim,
                                                                              padding_idx),
                         dtype, device)
    rng = np.random.default_rng(seed)
    # few rows, many indices: most indices repeat
    indices = to_device(rng.integers(0, rows, size=shape), device)
    grad_out = to_device(rng.standard_normal((*shape, dim)).astype(dtype), device)
    y = ours(indices)
    assert ours.backward(grad_out) is None  # integer indices have no gradient
    y_t = theirs(to_torch(indices, device))
    y_t.backward(to_torch(grad_out, device))
    with parity_case(*twin_names(ours, theirs)):
        assert_close(y, y_t, name="Embedding forward")
        assert_close(ours.weight.grad, theirs.weight.grad, name="Embedding dL/dweight")


def test_repeated_indices_add_their_gradients_and_padding_gets_none():
    layer = Embedding(4, 2, padding_idx=-1).double()
    indices = np.array([[0, 2, 0], [3, 0, 2]])
    layer(indices)
    layer.backward(np.ones((2, 3, 2)))
    # row 0 three times, row 2 twice, row 1 never, row 3 is the padding row
    np.testing.assert_array_equal(layer.weight.grad, [[3, 3], [0, 0], [2, 2], [0, 0]])


def test_padding_row_starts_at_zero_and_the_others_are_standard_normal():
    layer = Embedding(2000, 50, padding_idx=3)
    assert not layer.weight.data[3].any()
    others = np.delete(layer.weight.data, 3, axis=0)
    assert abs(others.mean()) < 0.01 and abs(others.std() - 1) < 0.01
    assert layer.weight.dtype == np.float32


def test_negative_padding_idx_counts_from_the_end_like_torch():
    for padding_idx in (-1, -5, 2):
        ours, theirs = Embedding(5, 3, padding_idx), torch.nn.Embedding(5, 3, padding_idx)
        assert ours.padding_idx == theirs.padding_idx
        assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("args, kwargs", [((10, 3), {}), ((10, 3), {"padding_idx": 0}),
                                          ((7, 2), {"padding_idx": -2})])
def test_repr_matches_torch(args, kwargs):
    assert repr(Embedding(*args, **kwargs)) == repr(torch.nn.Embedding(*args, **kwargs))


def test_state_dict_round_trip_with_torch():
    torch.manual_seed(0)
    source = torch.nn.Embedding(6, 4, padding_idx=1)
    ours = Embedding(6, 4, padding_idx=1)
    ours.load_state_dict(source.state_dict())
    assert list(ours.state_dict()) == list(source.state_dict()) == ["weight"]
    back = torch.nn.Embedding(6, 4, padding_idx=1)
    back.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    indices = np.array([[5, 1, 0], [2, 2, 3]])
    with parity_case(*twin_names(ours, source)):
        assert_close(ours(indices), source(torch.from_numpy(indices)), name="Embedding forward")
    assert torch.equal(back.weight, source.weight)


def test_given_weight_and_from_pretrained_as_torch():
    weight = np.arange(6, dtype=np.float64).reshape(3, 2)
    layer = Embedding(3, 2, _weight=weight)
    assert layer.weight.data is weight and layer.weight.requires_grad
    frozen = Embedding.from_pretrained(weight)
    frozen(np.array([0, 2]))
    frozen.backward(np.ones((2, 2)))
    assert frozen.weight.grad is None  # frozen: no gradient, as torch's requires_grad=False
    trainable = Embedding.from_pretrained(weight, freeze=False, padding_idx=0)
    theirs = torch.nn.Embedding.from_pretrained(torch.from_numpy(weight), freeze=False,
                                                padding_idx=0)
    assert repr(trainable) == repr(theirs)
    np.testing.assert_array_equal(trainable(np.array([1, 2])), [[2, 3], [4, 5]])


def test_a_generator_or_the_seed_repeats_the_weights():
    a = Embedding(5, 3, generator=np.random.default_rng(1))
    b = Embedding(5, 3, generator=np.random.default_rng(1))
    dlbook.manual_seed(4)
    c = Embedding(5, 3)
    dlbook.manual_seed(4)
    d = Embedding(5, 3)
    assert np.array_equal(a.weight.data, b.weight.data)
    assert np.array_equal(c.weight.data, d.weight.data)


def test_float64_layer_gives_float64_rows_and_gradients():
    layer = Embedding(4, 3, dtype=np.float64)
    y = layer(np.array([1, 3], dtype=np.int32))
    layer.backward(np.ones_like(y))
    assert y.dtype == layer.weight.grad.dtype == np.float64
