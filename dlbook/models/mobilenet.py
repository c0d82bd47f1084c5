"""MobileNetV1 (Howard et al., 2017) and MobileNetV2 (Sandler et al., 2018).

Both replace most 3×3 convolutions by depthwise separable ones: a 3×3 *depthwise* convolution
(groups = channels: each channel filtered alone) followed by a 1×1 *pointwise* convolution
that mixes the channels. For C_in → C_out channels on an H × W map that costs
H·W·C_in·(9 + C_out) multiply-adds instead of H·W·C_in·9·C_out: about 8–9 times fewer.
MobileNetV2 wraps them in inverted residual blocks (expand 1×1, depthwise 3×3, project 1×1
with no activation) and keeps torchvision's names, so a torchvision ``mobilenet_v2``'s
``state_dict()`` loads into it.
"""

from collections import OrderedDict

import dlbook.nn as nn
from dlbook.backend import get_array_module
from dlbook.models.resnet import _kaiming_normal_
from dlbook.random import default_generator


class Conv2dNormActivation(nn.Sequential):
    """Convolution, normalisation, activation, as torchvision.ops.Conv2dNormActivation.

    Shape: x (N, in_channels, H, W) -> y (N, out_channels, H / stride, W / stride). Its
    children are named "0" (Conv2d), "1" (the norm layer) and "2" (the activation), as in
    torchvision; ``norm_layer=None`` or ``activation_layer=None`` leaves that one out.
    ``padding=None`` keeps H × W at stride 1; the convolution has a bias only without a norm.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int = 3,
                 stride: int = 1, padding: int | None = None, groups: int = 1,
                 norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU, dilation: int = 1,
                 inplace: bool | None = True, bias: bool | None = None):
        if padding is None:
            padding = (kernel_size - 1) // 2 * dilation
        if bias is None:
            bias = norm_layer is None  # a norm's shift β makes a bias redundant
        layers = [nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding,
                            dilation=dilation, groups=groups, bias=bias)]
        if norm_layer is not None:
            layers.append(norm_layer(out_channels))
        if activation_layer is not None:
            params = {} if inplace is None else {"inplace": inplace}
            layers.append(activation_layer(**params))
        super().__init__(*layers)
        self.out_channels = out_channels


class DepthwiseSeparableConv(nn.Sequential):
    """MobileNetV1's block: a 3×3 depthwise convolution, then a 1×1 pointwise one, each
    followed by BatchNorm and ReLU.

    Shape: x (N, in_channels, H, W) -> y (N, out_channels, H / stride, W / stride). Children
    ``depthwise`` and ``pointwise``, each a Conv2dNormActivation.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1,
                 norm_layer=nn.BatchNorm2d):
        super().__init__(OrderedDict(
            # groups = channels: each 3×3 filter sees one channel only
            depthwise=Conv2dNormActivation(in_channels, in_channels, stride=stride,
                                           groups=in_channels, norm_layer=norm_layer),
            # 1×1: mixes the channels, pixel by pixel
            pointwise=Conv2dNormActivation(in_channels, out_channels, kernel_size=1,
                                           norm_layer=norm_layer),
        ))


class MobileNetV1(nn.Module):
    """MobileNetV1 (Howard et al., 2017, Table 1): a 3×3 convolution of stride 2 to 32 channels,
    13 depthwise separable blocks (64, 128, 128, 256, 256, 512 ×6, 1024, 1024 channels; four of
    them stride 2: with the first convolution, five halvings take 224 × 224 to 7 × 7), global
    average pooling and a linear classifier.

    Shape: x (N, 3, H, W) -> logits (N, num_classes). For 1000 classes at width_mult 1:
    4,231,976 parameters and about 569 M multiply-adds at 224 × 224 (the paper's 4.2 M and
    569 M). ``width_mult`` (the paper's α) scales every layer's channels.
    Children: ``features`` (``features.0`` the first convolution, ``features.1`` …
    ``features.13`` the blocks), ``avgpool``, ``fc``.
    """

    # (output channels, stride) of each depthwise separable block, from Table 1
    blocks = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
              (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]

    def __init__(self, num_classes: int = 1000, width_mult: float = 1.0, norm_layer=None):
        super().__init__()
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        input_channel = int(32 * width_mult)
        features = [Conv2dNormActivation(3, input_channel, stride=2, norm_layer=norm_layer)]
        for channels, stride in self.blocks:
            output_channel = int(channels * width_mult)
            features.append(DepthwiseSeparableConv(input_channel, output_channel, stride,
                                                   norm_layer))
            input_channel = output_channel
        self.features = nn.Sequential(*features)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(input_channel, num_classes)
        _init_weights(self)

    def forward(self, x):
        x = self.features(x)
        x = self.avgpool(x)
        self.pooled_shape = x.shape  # (N, C, 1, 1): backward undoes the flatten
        x = x.reshape(x.shape[0], -1)  # torch.flatten(x, 1)
        return self.fc(x)

    def backward(self, grad_out):
        grad = self.fc.backward(grad_out)
        grad = self.avgpool.backward(grad.reshape(self.pooled_shape))
        return self.features.backward(grad)


def mobilenet_v1(**kwargs) -> MobileNetV1:
    """MobileNetV1 (``num_classes=1000``, ``width_mult=1.0``); see ``MobileNetV1``."""
    return MobileNetV1(**kwargs)


def _make_divisible(v: float, divisor: int, min_value: int | None = None) -> int:
    """``v`` rounded to the nearest multiple of ``divisor`` (at least ``min_value``), never more
    than 10% below ``v``: channel counts that suit hardware (from TensorFlow's MobileNet)."""
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:  # rounding down must not remove more than 10% of the channels
        new_v += divisor
    return new_v


class InvertedResidual(nn.Module):
    """MobileNetV2's block: 1×1 expansion (× expand_ratio, ReLU6), 3×3 depthwise (ReLU6), 1×1
    linear projection (no activation: ReLU on few channels would destroy information), and a
    skip y = x + conv(x) when the shape allows it (stride 1 and inp == oup).

    Shape: x (N, inp, H, W) -> y (N, oup, H / stride, W / stride). ``conv`` is the Sequential
    of torchvision: ``conv.0`` expansion (absent for expand_ratio 1), then depthwise,
    projection Conv2d and its BatchNorm.
    """

    def __init__(self, inp: int, oup: int, stride: int, expand_ratio: int, norm_layer=None):
        super().__init__()
        self.stride = stride
        if stride not in [1, 2]:
            raise ValueError(f"stride should be 1 or 2 instead of {stride}")
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d

        hidden_dim = int(round(inp * expand_ratio))
        self.use_res_connect = self.stride == 1 and inp == oup

        layers = []
        if expand_ratio != 1:
            # pw: 1×1 expansion to hidden_dim channels
            layers.append(Conv2dNormActivation(inp, hidden_dim, kernel_size=1,
                                               norm_layer=norm_layer,
                                               activation_layer=nn.ReLU6))
        layers.extend([
            # dw: 3×3 depthwise
            Conv2dNormActivation(hidden_dim, hidden_dim, stride=stride, groups=hidden_dim,
                                 norm_layer=norm_layer, activation_layer=nn.ReLU6),
            # pw-linear: 1×1 projection, no activation
            nn.Conv2d(hidden_dim, oup, 1, 1, 0, bias=False),
            norm_layer(oup),
        ])
        self.conv = nn.Sequential(*layers)
        self.out_channels = oup

    def forward(self, x):
        if self.use_res_connect:
            return x + self.conv(x)
        return self.conv(x)

    def backward(self, grad_out):
        grad = self.conv.backward(grad_out)
        if self.use_res_connect:
            return grad + grad_out  # the skip passes the gradient on unchanged
        return grad


class MobileNetV2(nn.Module):
    """MobileNetV2 (Sandler et al., 2018), as torchvision's: a 3×3 convolution of stride 2 to 32
    channels, 17 inverted residual blocks, a 1×1 convolution to 1280 channels, global average
    pooling, dropout and a linear classifier.

    Shape: x (N, 3, H, W) -> logits (N, num_classes). 3,504,872 parameters and about 0.30 G
    multiply-adds at 224 × 224 for 1000 classes. ``inverted_residual_setting`` lists the
    stages as [t (expand ratio), c (channels), n (blocks), s (stride of the first)];
    ``width_mult`` scales the channels, rounded to multiples of ``round_nearest``.
    Children: ``features`` (Conv2dNormActivation, InvertedResidual × 17, Conv2dNormActivation)
    and ``classifier`` (Dropout(dropout), Linear).
    """

    def __init__(self, num_classes: int = 1000, width_mult: float = 1.0,
                 inverted_residual_setting: list[list[int]] | None = None,
                 round_nearest: int = 8, block=None, norm_layer=None, dropout: float = 0.2):
        super().__init__()
        if block is None:
            block = InvertedResidual
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d

        input_channel = 32
        last_channel = 1280

        if inverted_residual_setting is None:
            inverted_residual_setting = [
                # t, c, n, s
                [1, 16, 1, 1],
                [6, 24, 2, 2],
                [6, 32, 3, 2],
                [6, 64, 4, 2],
                [6, 96, 3, 1],
                [6, 160, 3, 2],
                [6, 320, 1, 1],
            ]
        if len(inverted_residual_setting) == 0 or len(inverted_residual_setting[0]) != 4:
            raise ValueError("inverted_residual_setting should be non-empty or a 4-element list,"
                             f" got {inverted_residual_setting}")

        # building first layer
        input_channel = _make_divisible(input_channel * width_mult, round_nearest)
        self.last_channel = _make_divisible(last_channel * max(1.0, width_mult), round_nearest)
        features = [Conv2dNormActivation(3, input_channel, stride=2, norm_layer=norm_layer,
                                         activation_layer=nn.ReLU6)]
        # building inverted residual blocks
        for t, c, n, s in inverted_residual_setting:
            output_channel = _make_divisible(c * width_mult, round_nearest)
            for i in range(n):
                stride = s if i == 0 else 1
                features.append(block(input_channel, output_channel, stride, expand_ratio=t,
                                      norm_layer=norm_layer))
                input_channel = output_channel
        # building last several layers
        features.append(Conv2dNormActivation(input_channel, self.last_channel, kernel_size=1,
                                             norm_layer=norm_layer, activation_layer=nn.ReLU6))
        self.features = nn.Sequential(*features)

        # building classifier
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout),
            nn.Linear(self.last_channel, num_classes),
        )
        _init_weights(self)

    def forward(self, x):
        x = self.features(x)
        # torchvision: adaptive_avg_pool2d(x, (1, 1)) then flatten, i.e. each channel's mean
        self.features_shape = x.shape
        x = x.mean(axis=(2, 3))
        return self.classifier(x)

    def backward(self, grad_out):
        grad = self.classifier.backward(grad_out)
        h, w = self.features_shape[2:]
        # each of the H·W pixels of a channel contributed 1/(H·W) of its mean
        xp = get_array_module(grad)
        grad = xp.broadcast_to(grad[:, :, None, None] / (h * w), self.features_shape).copy()
        return self.features.backward(grad)


def mobilenet_v2(*, num_classes: int = 1000, width_mult: float = 1.0, **kwargs) -> MobileNetV2:
    """MobileNetV2 as torchvision's ``mobilenet_v2(weights=None)``; see ``MobileNetV2``."""
    return MobileNetV2(num_classes=num_classes, width_mult=width_mult, **kwargs)


def _init_weights(model):
    """torchvision's MobileNet initialisation: convolutions He-normal (fan_out) with zero bias,
    norms γ = 1 and β = 0, linear layers N(0, 0.01²) with zero bias."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            _kaiming_normal_(m.weight.data, mode="fan_out")
            if m.bias is not None:
                m.bias.data[...] = 0
        elif isinstance(m, nn.BatchNorm2d):
            m.weight.data[...] = 1
            m.bias.data[...] = 0
        elif isinstance(m, nn.Linear):
            m.weight.data[...] = default_generator().normal(0.0, 0.01, size=m.weight.shape)
            m.bias.data[...] = 0
