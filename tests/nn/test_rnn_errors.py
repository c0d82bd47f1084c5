"""Bad input to RNN, LSTM, GRU, their cells and Embedding: an error that names the layer, what
it expected and what it got."""

import numpy as np
import pytest

from dlbook.nn.rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell
from dlbook.nn.sparse import Embedding

X = np.zeros((5, 2, 3), dtype=np.float32)  # (L, N, H_in)


def test_a_4d_input_names_the_accepted_ranks():
    message = (r"RNN\(3, 4\): expected 3D or 2D input \(L, N, 3\) or unbatched \(L, 3\), got 4D"
               r" input \(5, 2, 3, 1\)")
    with pytest.raises(ValueError, match=message):
        RNN(3, 4)(np.zeros((5, 2, 3, 1), dtype=np.float32))


def test_a_wrong_feature_size_names_expected_and_received():
    message = (r"LSTM\(3, 4, batch_first=True\): expected input \(N, L, 3\) or unbatched"
               r" \(L, 3\) with 3 features, got \(2, 5, 7\) with 7")
    with pytest.raises(ValueError, match=message):
        LSTM(3, 4, batch_first=True)(np.zeros((2, 5, 7), dtype=np.float32))


def test_an_empty_sequence_is_refused():
    with pytest.raises(ValueError, match=r"GRU\(3, 4\): expected input \(L, N, 3\) with L ≥ 1"):
        GRU(3, 4)(np.zeros((0, 2, 3), dtype=np.float32))


def test_an_hx_of_the_wrong_shape_names_the_expected_shape():
    with pytest.raises(ValueError, match=r"GRU\(3, 4, num_layers=2\): expected hx \(2, 2, 4\),"
                                         r" got \(1, 2, 4\)"):
        GRU(3, 4, num_layers=2)(X, np.zeros((1, 2, 4), dtype=np.float32))
    with pytest.raises(ValueError, match=r"expected hx \(2, 4\), got \(2, 1, 4\)"):
        RNN(3, 4, bidirectional=True)(X[:, 0], np.zeros((2, 1, 4), dtype=np.float32))


def test_lstm_names_which_state_is_wrong_and_wants_a_tuple():
    h = np.zeros((1, 2, 4), dtype=np.float32)
    with pytest.raises(ValueError, match=r"LSTM\(3, 4\): expected hx\[1\] \(c_0\) \(1, 2, 4\),"
                                         r" got \(1, 3, 4\)"):
        LSTM(3, 4)(X, (h, np.zeros((1, 3, 4), dtype=np.float32)))
    with pytest.raises(TypeError, match=r"LSTM\(3, 4\): expected hx as a tuple \(h_0, c_0\),"
                                        r" got ndarray"):
        LSTM(3, 4)(X, h)


def test_a_dtype_mismatch_says_how_to_fix_it():
    with pytest.raises(TypeError, match=r"RNN\(3, 4\): input is float64 but the parameters are"
                                        r" float32; use model\.double\(\)"):
        RNN(3, 4)(X.astype(np.float64))
    with pytest.raises(TypeError, match=r"hx is float64 but the input is float32"):
        RNN(3, 4)(X, np.zeros((1, 2, 4)))


def test_a_torch_tensor_input_says_to_convert_it():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match=r"GRU\(3, 4\): expected input as a NumPy array, got"
                                        r" Tensor; use x\.numpy\(\)"):
        GRU(3, 4)(torch.zeros(5, 2, 3))


def test_a_gradient_of_the_wrong_shape_is_named():
    layer = LSTM(3, 4)
    output, _ = layer(X)
    with pytest.raises(ValueError, match=r"LSTM\(3, 4\): expected grad_c_n \(1, 2, 4\), got"
                                         r" \(2, 4\)"):
        layer.backward(np.zeros_like(output), grad_c_n=np.zeros((2, 4), dtype=np.float32))


def test_backward_before_forward_is_an_error():
    with pytest.raises(RuntimeError, match=r"GRU\(3, 4\): backward\(\) called before forward"):
        GRU(3, 4).backward(np.zeros((5, 2, 4), dtype=np.float32))
    with pytest.raises(RuntimeError, match=r"LSTMCell\(3, 4\): backward\(\) called before"):
        LSTMCell(3, 4).backward(np.zeros((2, 4), dtype=np.float32))


@pytest.mark.parametrize("cell", [RNNCell(3, 4), LSTMCell(3, 4), GRUCell(3, 4)],
                         ids=["RNNCell", "LSTMCell", "GRUCell"])
def test_a_cell_names_its_accepted_shapes(cell):
    name = type(cell).__name__
    with pytest.raises(ValueError, match=rf"{name}\(3, 4\): expected 2D or 1D input \(N, 3\) or"
                                         r" \(3,\), got 3D input \(5, 2, 3\)"):
        cell(X)
    with pytest.raises(ValueError, match=r"expected input \(N, 3\) or \(3,\) with 3 features,"
                                         r" got \(2, 5\) with 5"):
        cell(np.zeros((2, 5), dtype=np.float32))
    h = np.zeros((3, 4), dtype=np.float32)
    with pytest.raises(ValueError, match=r"expected hx(\[0\] \(h\))? \(2, 4\), got \(3, 4\)"):
        cell(X[0], (h, h) if name == "LSTMCell" else h)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"nonlinearity": "sigmoid"}, ValueError, r"Unknown nonlinearity 'sigmoid'"),
    ({"dropout": 1.5}, ValueError, r"dropout should be a number in range \[0, 1\]"),
    ({"hidden_size": 0}, ValueError, r"hidden_size must be greater than zero"),
    ({"num_layers": 0}, ValueError, r"num_layers must be greater than zero"),
    ({"hidden_size": 2.5}, TypeError, r"hidden_size should be of type int, got: float"),
    ({"batch_first": 1}, TypeError, r"batch_first should be of type bool, got: int"),
])
def test_arguments_torch_refuses_are_refused(kwargs, error, message):
    with pytest.raises(error, match=message):
        RNN(**({"input_size": 3, "hidden_size": 4} | kwargs))


def test_lstm_proj_size_is_not_implemented():
    with pytest.raises(NotImplementedError, match=r"proj_size=2 is not implemented"):
        LSTM(3, 4, proj_size=2)


def test_dropout_with_one_layer_warns_like_torch():
    with pytest.warns(UserWarning, match=r"non-zero dropout expects num_layers greater than 1"):
        GRU(3, 4, dropout=0.5)


def test_an_embedding_index_out_of_range_is_named():
    with pytest.raises(IndexError, match=r"Embedding\(5, 2\): index 5 is out of range: expected"
                                         r" 0 … 4"):
        Embedding(5, 2)(np.array([[0, 5]]))
    with pytest.raises(ValueError, match=r"index -1 is out of range"):
        Embedding(5, 2)(np.array([-1]))


def test_a_float_index_is_refused():
    with pytest.raises(TypeError, match=r"Embedding\(5, 2\): expected integer indices \(int64\),"
                                        r" got float32; use indices\.astype\(np\.int64\)"):
        Embedding(5, 2)(np.array([1.0], dtype=np.float32))


def test_embedding_arguments_torch_refuses_or_dlbook_lacks():
    with pytest.raises(ValueError, match=r"Padding_idx must be within num_embeddings"):
        Embedding(5, 2, padding_idx=5)
    for kwargs in ({"max_norm": 1.0}, {"scale_grad_by_freq": True}, {"sparse": True}):
        with pytest.raises(NotImplementedError, match=r"is not implemented in dlbook"):
            Embedding(5, 2, **kwargs)
    with pytest.raises(ValueError, match=r"expected _weight \(5, 2\), got \(2, 5\)"):
        Embedding(5, 2, _weight=np.zeros((2, 5)))
