"""Bad input gets an error that names the module, what it expected and what came."""

import numpy as np
import pytest

import dlbook.nn as nn


def test_linear_names_the_expected_and_received_shapes():
    message = (r"Linear\(in_features=3, out_features=2, bias=True\): "
               r"expected input \(\*, 3\), got \(2, 5\)")
    with pytest.raises(ValueError, match=message):
        nn.Linear(3, 2)(np.zeros((2, 5), dtype=np.float32))


def test_a_dtype_mismatch_says_how_to_fix_it():
    with pytest.raises(TypeError, match=r"input is float64 but the parameters are float32.*"
                                        r"model\.double\(\) or x\.astype\(np\.float32\)"):
        nn.Linear(3, 2)(np.zeros((1, 3)))


def test_backward_before_forward_is_an_error():
    with pytest.raises(RuntimeError, match=r"ReLU\(\): backward\(\) called before forward\(\)"):
        nn.ReLU().backward(np.ones(3))
    with pytest.raises(RuntimeError, match="before forward"):
        nn.CrossEntropyLoss().backward()


def test_cross_entropy_rejects_a_class_out_of_range():
    with pytest.raises(ValueError, match=r"target 3 is out of range for 3 classes"):
        nn.CrossEntropyLoss()(np.zeros((2, 3)), np.array([0, 3]))


def test_cross_entropy_names_the_expected_target_shape():
    with pytest.raises(ValueError, match=r"expected target integer class indices \(2,\), got"):
        nn.CrossEntropyLoss()(np.zeros((2, 4)), np.array([0, 1, 2]))


def test_a_regression_loss_names_the_mismatched_target():
    with pytest.raises(ValueError, match=r"MSELoss\(\): expected target \(4, 1\), got \(4,\)"):
        nn.MSELoss()(np.zeros((4, 1)), np.zeros(4))


def test_bce_rejects_values_outside_0_1_and_points_to_logits():
    with pytest.raises(ValueError, match="BCEWithLogitsLoss"):
        nn.BCELoss()(np.array([1.5, 0.2]), np.array([1.0, 0.0]))


def test_an_unknown_reduction_is_named():
    with pytest.raises(ValueError, match=r"reduction must be one of .* got 'avg'"):
        nn.MSELoss(reduction="avg")


def test_softmax_names_a_dim_the_input_lacks():
    message = r"Softmax\(dim=2\): expected input with a dim 2, got \(4, 3\)"
    with pytest.raises(ValueError, match=message):
        nn.Softmax(dim=2)(np.zeros((4, 3)))


def test_flatten_names_dims_the_input_lacks():
    with pytest.raises(ValueError, match=r"Flatten\(start_dim=1, end_dim=-1\): expected input"):
        nn.Flatten()(np.zeros(4))


@pytest.mark.parametrize("target", [np.array([1, 0]), np.array([1.0, 0.0])])
def test_a_target_of_another_dtype_is_refused_like_torch(target):
    with pytest.raises(TypeError, match=r"BCELoss\(\): target is .* but the input is float32"):
        nn.BCELoss()(np.array([0.9, 0.2], dtype=np.float32), target)
