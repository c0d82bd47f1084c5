"""``summary`` counts what the papers count: parameters and multiply-adds, layer by layer."""

import numpy as np
import pytest

import dlbook.models as models
import dlbook.nn as nn


@pytest.mark.parametrize("name, params, mult_adds, printed", [
    # torchvision's metadata and the papers: 1.81 G (ResNet-18), 0.30 G (MobileNetV2), and
    # MobileNetV1's 569 M (Howard et al. 2017, Table 1) at 224 × 224
    ("resnet18", 11_689_512, 1_814_073_344, "1.81 G"),
    ("mobilenet_v2", 3_504_872, 300_774_272, "300.77 M"),
    ("mobilenet_v1", 4_231_976, 568_740_352, "568.74 M"),
])
def test_totals_equal_the_published_tables_at_224(name, params, mult_adds, printed, capsys):
    result = models.summary(getattr(models, name)(), (1, 3, 224, 224))
    assert result.total_params == result.trainable_params == params
    assert result.total_mult_adds == mult_adds
    assert sum(row.params for row in result.rows) == params
    out = capsys.readouterr().out
    assert f"Total params: {params:,}" in out and f"Total mult-adds: {printed}" in out


def test_the_seeds_example_standard_against_depthwise_separable():
    # 16 × 16 output, 3 × 3 filters, 3 input channels, 256 filters
    standard = models.summary(nn.Conv2d(3, 256, 3, padding=1, bias=False), (1, 3, 16, 16),
                              verbose=False)
    separable = models.summary(nn.Sequential(nn.Conv2d(3, 3, 3, padding=1, groups=3, bias=False),
                                             nn.Conv2d(3, 256, 1, bias=False)),
                               (1, 3, 16, 16), verbose=False)
    assert standard.total_mult_adds == 16 * 16 * 3 * 3 * 3 * 256 == 1_769_472
    assert [row.mult_adds for row in separable.rows] == [6_912, 196_608]
    assert separable.total_mult_adds == 203_520


def test_rows_name_each_layer_with_its_output_shape_in_forward_order():
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(4 * 4 * 4, 10))
    result = models.summary(model, (2, 1, 8, 8), verbose=False)
    assert [(row.name, row.type, row.output_shape) for row in result.rows] == [
        ("0", "Conv2d", (2, 4, 8, 8)), ("1", "ReLU", (2, 4, 8, 8)),
        ("2", "MaxPool2d", (2, 4, 4, 4)), ("3", "Flatten", (2, 64)), ("4", "Linear", (2, 10))]
    # the batch counts: 2 images of 8 · 8 · 4 outputs summing 9 products; 2 · 10 outputs of 64
    assert [row.mult_adds for row in result.rows] == [2 * 256 * 9, 0, 0, 0, 2 * 10 * 64]
    assert [row.params for row in result.rows] == [40, 0, 0, 0, 650]


def test_a_module_used_twice_is_listed_twice_but_its_parameters_counted_once():
    block = models.BasicBlock(8, 8)  # its relu runs twice
    result = models.summary(block, (1, 8, 4, 4), verbose=False)
    assert [row.name for row in result.rows].count("relu") == 2
    assert result.total_params == sum(p.numel() for p in block.parameters())


def test_summary_leaves_the_model_as_it_found_it():
    model = models.mobilenet_v1(num_classes=3, width_mult=0.25)
    norm = model.features[0][1]
    before = {k: np.array(v) for k, v in model.state_dict().items()}
    models.summary(model, (2, 3, 32, 32), verbose=False)
    assert model.training and norm.training  # train mode restored
    assert all("forward" not in m.__dict__ for m in model.modules())
    after = model.state_dict()
    assert all(np.array_equal(before[k], after[k]) for k in before)  # no running stats moved
    y = model(np.ones((2, 3, 32, 32), dtype=np.float32))  # and it still trains
    assert model.backward(np.ones_like(y)).shape == (2, 3, 32, 32)
