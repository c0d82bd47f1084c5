"""Bad arguments raise torch's errors, worded to name the dlbook optimizer and the bad value."""

import numpy as np
import pytest
import torch

import dlbook.nn as nn
import dlbook.optim as optim
from dlbook.nn import Parameter

NAMES = ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW"]


def params():
    return [Parameter(np.zeros((2, 3), dtype=np.float32)), Parameter(np.zeros(3, dtype=np.float32))]


@pytest.mark.parametrize("name", NAMES)
def test_empty_parameter_list_is_refused(name):
    with pytest.raises(ValueError, match=rf"^{name}: optimizer got an empty parameter list"):
        getattr(optim, name)([])


# (optimizer, argument, bad value): every argument that torch requires to be >= 0.
NEGATIVE = [(name, "lr", -0.1) for name in NAMES] + [
    (name, "weight_decay", -1e-2) for name in NAMES] + [
    (name, "eps", -1e-8) for name in ["Adagrad", "RMSprop", "Adam", "AdamW"]] + [
    ("SGD", "momentum", -0.9), ("RMSprop", "momentum", -0.5), ("RMSprop", "alpha", -0.99),
    ("Adagrad", "lr_decay", -0.1), ("Adagrad", "initial_accumulator_value", -1.0),
    ("Adam", "lr", float("nan"))]


@pytest.mark.parametrize(("name", "argument", "value"), NEGATIVE)
def test_negative_hyperparameter_is_refused_as_torch_does(name, argument, value):
    with pytest.raises(ValueError):
        getattr(torch.optim, name)([torch.zeros(3, requires_grad=True)], **{argument: value})
    with pytest.raises(ValueError, match=rf"^{name}: Invalid .*: {value} \({argument} must"):
        getattr(optim, name)(params(), **{argument: value})


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
@pytest.mark.parametrize(("betas", "index"), [((1.0, 0.999), 0), ((-0.1, 0.999), 0),
                                              ((0.9, 1.0), 1), ((0.9, 1.5), 1)])
def test_beta_outside_0_1_is_refused(name, betas, index):
    with pytest.raises(ValueError, match=rf"^{name}: Invalid beta parameter at index {index}:"
                                         rf" {betas[index]} \(betas must lie in \[0, 1\)\)"):
        getattr(optim, name)(params(), betas=betas)


@pytest.mark.parametrize(("momentum", "dampening"), [(0, 0), (0.9, 0.1)])
def test_nesterov_needs_momentum_and_no_dampening(momentum, dampening):
    with pytest.raises(ValueError):
        torch.optim.SGD([torch.zeros(3, requires_grad=True)], momentum=momentum,
                        dampening=dampening, nesterov=True)
    with pytest.raises(ValueError, match=rf"^SGD: Nesterov momentum requires a momentum and zero"
                                         rf" dampening, got momentum={momentum},"
                                         rf" dampening={dampening}"):
        optim.SGD(params(), momentum=momentum, dampening=dampening, nesterov=True)


@pytest.mark.parametrize("name", NAMES)
def test_parameter_in_two_groups_is_refused(name):
    shared, other = params()
    with pytest.raises(ValueError, match=rf"^{name}: some parameters appear in more than one"):
        getattr(optim, name)([{"params": [shared]}, {"params": [shared, other]}])
    optimizer = getattr(optim, name)([shared])
    with pytest.raises(ValueError, match=rf"^{name}: some parameters appear in more than one"):
        optimizer.add_param_group({"params": [other, shared]})


def test_lone_parameter_or_set_or_module_is_refused_with_a_hint():
    param = params()[0]
    with pytest.raises(TypeError, match=r"^Adam: .* got a single Parameter; wrap it in a list"):
        optim.Adam(param)
    with pytest.raises(TypeError, match=r"^Adam: .*ordered collections.*use a list"):
        optim.Adam(set(params()))
    model = nn.Sequential(nn.Linear(2, 3))
    with pytest.raises(TypeError, match=r"^Adam: can only optimize Parameters, but one of the"
                                        r" params is Linear; pass model.parameters\(\)"):
        optim.Adam(model)


@pytest.mark.parametrize(("saved_by", "loader"), [("SGD", "Adam"), ("Adam", "RMSprop"),
                                                  ("RMSprop", "Adagrad"), ("Adagrad", "SGD"),
                                                  ("AdamW", "SGD")])
def test_state_dict_of_another_optimizer_is_refused(saved_by, loader):
    optimizer = getattr(optim, loader)(params())
    for saved in (getattr(optim, saved_by)(params()).state_dict(),
                  getattr(torch.optim, saved_by)([torch.zeros(2, 3), torch.zeros(3)])
                  .state_dict()):
        with pytest.raises(ValueError, match=rf"^{loader}.load_state_dict: loaded parameter group"
                                             rf" 0 lacks \[.*\]: it is the state of another"
                                             rf" optimizer, not {loader}"):
            optimizer.load_state_dict(saved)


def test_state_dict_with_another_number_of_groups_is_refused():
    first, second = params()
    saved = optim.Adam([{"params": [first]}, {"params": [second]}]).state_dict()
    with pytest.raises(ValueError, match=r"^Adam.load_state_dict: loaded state dict has a"
                                         r" different number of parameter groups \(2\) than the"
                                         r" optimizer \(1\)"):
        optim.Adam([first, second]).load_state_dict(saved)


def test_state_dict_with_another_group_size_is_refused():
    first, second = params()
    saved = optim.Adam([first]).state_dict()
    with pytest.raises(ValueError, match=r"^Adam.load_state_dict: loaded state dict's parameter"
                                         r" group 0 has 1 parameters, the optimizer's has 2"):
        optim.Adam([first, second]).load_state_dict(saved)


def test_state_of_another_shape_is_refused():
    first, second = params()
    trained = optim.Adam([second, first])  # the same sizes in the other order
    for param in (first, second):
        param.grad = np.ones_like(param.data)
    trained.step()
    with pytest.raises(ValueError, match=r"^Adam.load_state_dict: state 'exp_avg' has shape"
                                         r" \(3,\) but its parameter has shape \(2, 3\)"):
        optim.Adam([first, second]).load_state_dict(trained.state_dict())
