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


@pytest.mark.parametrize("dtype", [np.int64, np.float16, np.bool_])
def test_an_input_that_is_not_the_models_float_suggests_casting_the_input(dtype):
    with pytest.raises(TypeError, match=rf"input is {np.dtype(dtype)} but the parameters are "
                                        r"float32; use x\.astype\(np\.float32\)$"):
        nn.Linear(3, 2)(np.zeros((1, 3), dtype=dtype))


def test_a_float32_input_to_a_float64_model_suggests_either_cast():
    with pytest.raises(TypeError, match=r"use model\.float\(\) or x\.astype\(np\.float64\)"):
        nn.Linear(3, 2).double()(np.zeros((1, 3), dtype=np.float32))


@pytest.mark.parametrize("call, what", [
    (lambda: nn.Linear(3, 2)([1.0, 2.0, 3.0]), r"Linear\(in_features=3.*\): expected input as a"),
    (lambda: nn.ReLU()([1.0, -1.0]), r"ReLU\(\): expected input as a NumPy array, got list"),
    (lambda: nn.Softmax(0)([1.0]), r"Softmax\(dim=0\): expected input"),
    (lambda: nn.Flatten()([[1.0]]), r"Flatten\(.*\): expected input"),
    (lambda: nn.MSELoss()([1.0], np.ones(1)), r"MSELoss\(\): expected input as a NumPy array"),
    (lambda: nn.CrossEntropyLoss()(np.zeros((2, 3)), [0, 1]),
     r"CrossEntropyLoss\(\): expected target as a NumPy array, got list"),
])
def test_a_python_list_is_refused_naming_the_module(call, what):
    with pytest.raises(TypeError, match=what + r".*np\.asarray"):
        call()


def test_a_torch_tensor_given_to_a_layer_suggests_numpy():
    import torch

    with pytest.raises(TypeError, match=r"got Tensor; use x\.numpy\(\)"):
        nn.ReLU()(torch.zeros(2))


def test_load_state_dict_refuses_lists_and_names_each_key():
    with pytest.raises(RuntimeError, match=r'While copying the parameter named "weight", expected'
                                           r" an array or a torch tensor.*received <class 'list'>"):
        nn.Linear(2, 2).load_state_dict({"weight": [[1.0, 2.0], [3.0, 4.0]], "bias": [0.0, 0.0]})


def test_load_state_dict_given_a_model_asks_for_its_state_dict():
    with pytest.raises(TypeError, match=r"Expected state_dict to be dict-like, got .*Linear'>; "
                                        r"pass model\.state_dict\(\)"):
        nn.Linear(2, 2).load_state_dict(nn.Linear(2, 2))


@pytest.mark.parametrize("module", [nn.Linear(3, 2), nn.Sequential(nn.Linear(3, 2), nn.ReLU()),
                                    nn.Tanh()])
def test_a_grad_out_of_the_wrong_shape_names_the_outputs_shape(module):
    x = np.zeros((4, 3), dtype=np.float32)
    y = module(x)
    with pytest.raises(ValueError, match=rf"expected grad_out \({y.shape[0]}, {y.shape[1]}\) "
                                         r"\(the output's shape\), got \(2, 4\)"):
        module.backward(np.zeros((2, 4), dtype=np.float32))
    with pytest.raises(ValueError, match=r"got a float"):
        module.backward(1.0)  # no silent broadcast: torch wants the output's shape too


BATCHNORM_1D = (r"BatchNorm1d\(3, eps=1e-05, momentum=0\.1, affine=True, bias=True,"
                r" track_running_stats=True\)")


@pytest.mark.parametrize("layer, shape, message", [
    (nn.BatchNorm1d(3), (2, 3, 4, 5),
     BATCHNORM_1D + r": expected 2D or 3D input \(N, 3\) or \(N, 3, L\), got 4D input"
                    r" \(2, 3, 4, 5\)"),
    (nn.BatchNorm2d(3), (2, 3, 4),
     r"BatchNorm2d\(3, .*\): expected 4D input \(N, 3, H, W\), got 3D input \(2, 3, 4\)"),
])
def test_batchnorm_names_the_ranks_it_takes(layer, shape, message):
    with pytest.raises(ValueError, match=message):
        layer(np.zeros(shape, dtype=np.float32))


@pytest.mark.parametrize("layer, shape, message", [
    (nn.BatchNorm1d(3), (2, 4), BATCHNORM_1D + r": expected input \(N, 3\) or \(N, 3, L\) with 3"
                                               r" channels, got \(2, 4\) with 4"),
    (nn.BatchNorm2d(3), (2, 5, 4, 4),
     r"BatchNorm2d\(3, .*\): expected input \(N, 3, H, W\) with 3 channels, got \(2, 5, 4, 4\)"
     r" with 5"),
])
def test_batchnorm_names_the_expected_and_received_channels(layer, shape, message):
    with pytest.raises(ValueError, match=message):
        layer(np.zeros(shape, dtype=np.float32))


@pytest.mark.parametrize("layer, shape", [(nn.BatchNorm1d(3), (1, 3)),
                                          (nn.BatchNorm1d(3), (1, 3, 1)),
                                          (nn.BatchNorm2d(3), (1, 3, 1, 1)),
                                          (nn.BatchNorm1d(3, track_running_stats=False).eval(),
                                           (1, 3))])
def test_batchnorm_refuses_one_value_per_channel_for_batch_statistics_like_torch(layer, shape):
    with pytest.raises(ValueError, match=r"\): Expected more than 1 value per channel when"
                                         rf" training, got input size \({shape[0]}, 3"):
        layer(np.zeros(shape, dtype=np.float32))


def test_batchnorm_in_eval_mode_takes_a_single_example():
    assert nn.BatchNorm2d(3).eval()(np.ones((1, 3, 1, 1), dtype=np.float32)).shape == (1, 3, 1, 1)


def test_batchnorm_without_affine_checks_the_dtype_of_its_running_statistics():
    with pytest.raises(TypeError, match=r"BatchNorm1d\(.*\): input is float64 but the parameters"
                                        r" are float32; use model\.double\(\)"):
        nn.BatchNorm1d(3, affine=False)(np.zeros((2, 3)))


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_dropout_refuses_a_probability_outside_0_1_like_torch(p):
    with pytest.raises(ValueError, match=rf"Dropout: dropout probability p has to be between 0 and"
                                         rf" 1, but got {p}"):
        nn.Dropout(p)


def test_dropout_refuses_a_list():
    with pytest.raises(TypeError, match=r"Dropout\(p=0\.5, inplace=False\): expected input as a"
                                        r" NumPy array, got list"):
        nn.Dropout()([1.0, 2.0])


CONV = r"Conv2d\(3, 4, kernel_size=\(3, 3\), stride=\(1, 1\)\)"


def test_conv2d_names_the_expected_and_received_channels():
    with pytest.raises(ValueError, match=CONV + r": expected input \(N, 3, H, W\) or \(3, H, W\)"
                                              r" with 3 channels, got \(2, 2, 5, 5\) with 2"):
        nn.Conv2d(3, 4, 3)(np.zeros((2, 2, 5, 5), dtype=np.float32))


def test_conv2d_names_the_ranks_it_takes():
    with pytest.raises(ValueError, match=CONV + r": expected 4D or 3D input .* got 5D input"):
        nn.Conv2d(3, 4, 3)(np.zeros((1, 2, 3, 5, 5), dtype=np.float32))


def test_conv2d_refuses_an_input_smaller_than_its_kernel_like_torch():
    with pytest.raises(ValueError, match=CONV + r": calculated padded input size per channel:"
                                              r" \(2 x 6\)\. Kernel size: \(3 x 3\)"):
        nn.Conv2d(3, 4, 3)(np.zeros((1, 3, 2, 6), dtype=np.float32))


@pytest.mark.parametrize("kwargs, message", [
    ({"groups": 2}, r"in_channels must be divisible by groups, got in_channels=3 and groups=2"),
    ({"groups": 0}, r"groups must be a positive integer, got 0"),
    ({"padding": -1}, r"negative padding is not supported, got \(-1, -1\)"),
    ({"padding": "full"}, r"invalid padding string 'full', should be one of"),
    ({"padding": "same", "stride": 2}, r"padding='same' is not supported for strided"),
    ({"padding_mode": "mirror"}, r"padding_mode must be one of .* got padding_mode='mirror'"),
    ({"stride": 0}, r"stride must be positive, got \(0, 0\)"),
])
def test_conv2d_refuses_arguments_torch_refuses_at_construction(kwargs, message):
    with pytest.raises(ValueError, match=r"Conv2d\(3, 4, .*\): " + message):
        nn.Conv2d(3, 4, 3, **kwargs)


def test_conv2d_groups_must_divide_the_output_channels_too():
    with pytest.raises(ValueError, match=r"out_channels must be divisible by groups, got"
                                         r" out_channels=3 and groups=2"):
        nn.Conv2d(4, 3, 3, groups=2)


@pytest.mark.parametrize("pool", [nn.MaxPool2d(3), nn.AvgPool2d(3)])
def test_a_pool_refuses_an_input_smaller_than_its_window(pool):
    with pytest.raises(ValueError, match=r"given input size \(1, 2, 2\), the calculated output"
                                         r" size is \(1, 0, 0\): the input is smaller than one"
                                         r" window"):
        pool(np.zeros((1, 1, 2, 2)))


@pytest.mark.parametrize("pool", [nn.MaxPool2d(2, padding=2), nn.AvgPool2d(3, padding=(0, 2))])
def test_a_pool_refuses_padding_over_half_its_kernel_like_torch(pool):
    with pytest.raises(ValueError, match=r"Pool2d\(.*\): pad should be at most half of kernel"
                                         r" size"):
        pool(np.zeros((1, 1, 6, 6)))


@pytest.mark.parametrize("pool", [nn.MaxPool2d(2), nn.AvgPool2d(2), nn.AdaptiveAvgPool2d(1)])
def test_a_pool_names_the_ranks_it_takes(pool):
    with pytest.raises(ValueError, match=r"expected input \(N, C, H, W\) or \(C, H, W\), got"
                                         r" \(4, 4\)"):
        pool(np.zeros((4, 4)))
