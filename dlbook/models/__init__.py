"""Whole networks with torchvision's module names: MobileNet and ResNet (chapter 9).

A torchvision model's ``state_dict()`` loads into its dlbook twin and gives the same outputs;
``summary(model, input_shape)`` counts parameters and multiply-adds layer by layer.
"""

from dlbook.models.mobilenet import (
    Conv2dNormActivation,
    DepthwiseSeparableConv,
    InvertedResidual,
    MobileNetV1,
    MobileNetV2,
    mobilenet_v1,
    mobilenet_v2,
)
from dlbook.models.resnet import BasicBlock, Bottleneck, ResNet, resnet18, resnet34, resnet50
from dlbook.models.summary import LayerRow, ModelSummary, summary

__all__ = [
    "BasicBlock", "Bottleneck", "Conv2dNormActivation", "DepthwiseSeparableConv",
    "InvertedResidual", "LayerRow", "MobileNetV1", "MobileNetV2", "ModelSummary", "ResNet",
    "mobilenet_v1", "mobilenet_v2", "resnet18", "resnet34", "resnet50", "summary",
]
