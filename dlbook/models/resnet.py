"""ResNet (He et al., 2015) with torchvision's structure and names: BasicBlock, Bottleneck.

A residual block learns F(x) and outputs relu(F(x) + x): the skip connection carries x past
the block, so a block can start as (almost) the identity and gradients reach early layers
through the sum unchanged. Module and parameter names are torchvision's (``layer1.0.conv1``,
``layer2.0.downsample.0``, …), so ``model.load_state_dict(torchvision_model.state_dict())``
loads a torchvision ResNet into dlbook.
"""

import math

import dlbook.nn as nn
from dlbook.random import default_generator


def conv3x3(in_planes: int, out_planes: int, stride: int = 1, groups: int = 1,
            dilation: int = 1) -> nn.Conv2d:
    """3×3 convolution whose padding keeps H × W at stride 1 (no bias: a BatchNorm follows)."""
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=dilation,
                     groups=groups, bias=False, dilation=dilation)


def conv1x1(in_planes: int, out_planes: int, stride: int = 1) -> nn.Conv2d:
    """1×1 convolution: mixes channels pixel by pixel (no bias: a BatchNorm follows)."""
    return nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    """Two 3×3 convolutions and a skip: y = relu(bn2(conv2(relu(bn1(conv1(x))))) + x).

    Shape: x (N, inplanes, H, W) -> y (N, planes, H / stride, W / stride). When the shape
    changes, ``downsample`` (a 1×1 convolution and a BatchNorm) brings x to y's shape before
    the sum. ``relu`` is one module used twice, as in torchvision.
    """

    expansion: int = 1  # output channels = planes · expansion

    def __init__(self, inplanes: int, planes: int, stride: int = 1, downsample=None,
                 groups: int = 1, base_width: int = 64, dilation: int = 1, norm_layer=None):
        super().__init__()
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        if groups != 1 or base_width != 64:
            raise ValueError("BasicBlock only supports groups=1 and base_width=64")
        if dilation > 1:
            raise NotImplementedError("Dilation > 1 not supported in BasicBlock")
        # Both self.conv1 and self.downsample downsample the input when stride != 1
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = norm_layer(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = norm_layer(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        identity = x

        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)

        out = self.conv2(out)
        out = self.bn2(out)

        if self.downsample is not None:
            identity = self.downsample(x)

        out = out + identity
        out = self.relu(out)
        return out

    def backward(self, grad_out):
        grad = self.relu.backward(grad_out)  # the second use of relu is undone first
        # the sum hands the same gradient to both branches
        grad_identity = grad if self.downsample is None else self.downsample.backward(grad)
        grad = self.bn2.backward(grad)
        grad = self.conv2.backward(grad)
        grad = self.relu.backward(grad)
        grad = self.bn1.backward(grad)
        grad = self.conv1.backward(grad)
        return grad + grad_identity  # x fed both branches: their gradients add


class Bottleneck(nn.Module):
    """1×1 (reduce) → 3×3 → 1×1 (expand ×4), and a skip: y = relu(F(x) + x).

    Shape: x (N, inplanes, H, W) -> y (N, planes · 4, H / stride, W / stride). The 1×1
    convolutions make the 3×3 one cheap: 256 → 64 → 64 → 256 channels instead of 256 → 256.
    As torchvision ("ResNet v1.5"), the stride sits on the 3×3 convolution (the paper puts it
    on the first 1×1). ``groups`` and ``base_width`` give ResNeXt and wide ResNets.
    """

    expansion: int = 4

    def __init__(self, inplanes: int, planes: int, stride: int = 1, downsample=None,
                 groups: int = 1, base_width: int = 64, dilation: int = 1, norm_layer=None):
        super().__init__()
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        width = int(planes * (base_width / 64.0)) * groups
        # Both self.conv2 and self.downsample downsample the input when stride != 1
        self.conv1 = conv1x1(inplanes, width)
        self.bn1 = norm_layer(width)
        self.conv2 = conv3x3(width, width, stride, groups, dilation)
        self.bn2 = norm_layer(width)
        self.conv3 = conv1x1(width, planes * self.expansion)
        self.bn3 = norm_layer(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        identity = x

        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)

        out = self.conv2(out)
        out = self.bn2(out)
        out = self.relu(out)

        out = self.conv3(out)
        out = self.bn3(out)

        if self.downsample is not None:
            identity = self.downsample(x)

        out = out + identity
        out = self.relu(out)
        return out

    def backward(self, grad_out):
        grad = self.relu.backward(grad_out)
        grad_identity = grad if self.downsample is None else self.downsample.backward(grad)
        grad = self.bn3.backward(grad)
        grad = self.conv3.backward(grad)
        grad = self.relu.backward(grad)
        grad = self.bn2.backward(grad)
        grad = self.conv2.backward(grad)
        grad = self.relu.backward(grad)
        grad = self.bn1.backward(grad)
        grad = self.conv1.backward(grad)
        return grad + grad_identity


class ResNet(nn.Module):
    """A stem (7×7 convolution stride 2, max pool stride 2), four stages of residual blocks
    (``layer1`` … ``layer4``, 64 → 512 planes, each stage after the first halving H and W),
    global average pooling and a linear classifier, as torchvision's ResNet.

    Shape: x (N, 3, H, W) -> logits (N, num_classes); any H, W ≥ 1 works, 224 is ImageNet's.
    ``layers`` gives the number of blocks per stage: [2, 2, 2, 2] with BasicBlock is ResNet-18,
    [3, 4, 6, 3] with Bottleneck ResNet-50. ``zero_init_residual`` starts each block's last
    BatchNorm at γ = 0, so every block starts as the identity. ``replace_stride_with_dilation``
    (three booleans, for layer2 … layer4) keeps the resolution and dilates instead.
    """

    def __init__(self, block, layers: list[int], num_classes: int = 1000,
                 zero_init_residual: bool = False, groups: int = 1, width_per_group: int = 64,
                 replace_stride_with_dilation: list[bool] | None = None, norm_layer=None):
        super().__init__()
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        self._norm_layer = norm_layer

        self.inplanes = 64
        self.dilation = 1
        if replace_stride_with_dilation is None:
            # each element says whether to replace that stage's stride 2 with a dilation
            replace_stride_with_dilation = [False, False, False]
        if len(replace_stride_with_dilation) != 3:
            raise ValueError("replace_stride_with_dilation should be None or a 3-element tuple,"
                             f" got {replace_stride_with_dilation}")
        self.groups = groups
        self.base_width = width_per_group
        self.conv1 = nn.Conv2d(3, self.inplanes, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = norm_layer(self.inplanes)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, 64, layers[0])
        self.layer2 = self._make_layer(block, 128, layers[1], stride=2,
                                       dilate=replace_stride_with_dilation[0])
        self.layer3 = self._make_layer(block, 256, layers[2], stride=2,
                                       dilate=replace_stride_with_dilation[1])
        self.layer4 = self._make_layer(block, 512, layers[3], stride=2,
                                       dilate=replace_stride_with_dilation[2])
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * block.expansion, num_classes)

        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                _kaiming_normal_(m.weight.data, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.data[...] = 1
                m.bias.data[...] = 0

        # Zero-initialise the last BN in each residual branch, so that the branch starts with
        # zeros and each block behaves like the identity (Goyal et al., 2017: +0.2–0.3%).
        if zero_init_residual:
            for m in self.modules():
                if isinstance(m, Bottleneck) and m.bn3.weight is not None:
                    m.bn3.weight.data[...] = 0
                elif isinstance(m, BasicBlock) and m.bn2.weight is not None:
                    m.bn2.weight.data[...] = 0

    def _make_layer(self, block, planes: int, blocks: int, stride: int = 1,
                    dilate: bool = False) -> nn.Sequential:
        """One stage: ``blocks`` blocks, the first of which may change the shape."""
        norm_layer = self._norm_layer
        downsample = None
        previous_dilation = self.dilation
        if dilate:
            self.dilation *= stride
            stride = 1
        if stride != 1 or self.inplanes != planes * block.expansion:
            # the skip must match the block's output: project x with a strided 1×1 convolution
            downsample = nn.Sequential(
                conv1x1(self.inplanes, planes * block.expansion, stride),
                norm_layer(planes * block.expansion),
            )

        layers = [block(self.inplanes, planes, stride, downsample, self.groups, self.base_width,
                        previous_dilation, norm_layer)]
        self.inplanes = planes * block.expansion
        for _ in range(1, blocks):
            layers.append(block(self.inplanes, planes, groups=self.groups,
                                base_width=self.base_width, dilation=self.dilation,
                                norm_layer=norm_layer))
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.conv1(x)
        x = self.bn1(x)
        x = self.relu(x)
        x = self.maxpool(x)

        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        x = self.layer4(x)

        x = self.avgpool(x)
        self.pooled_shape = x.shape  # (N, C, 1, 1): backward undoes the flatten
        x = x.reshape(x.shape[0], -1)  # torch.flatten(x, 1)
        x = self.fc(x)
        return x

    def backward(self, grad_out):
        grad = self.fc.backward(grad_out)
        grad = self.avgpool.backward(grad.reshape(self.pooled_shape))
        grad = self.layer4.backward(grad)
        grad = self.layer3.backward(grad)
        grad = self.layer2.backward(grad)
        grad = self.layer1.backward(grad)
        grad = self.maxpool.backward(grad)
        grad = self.relu.backward(grad)
        grad = self.bn1.backward(grad)
        return self.conv1.backward(grad)


def resnet18(*, num_classes: int = 1000, **kwargs) -> ResNet:
    """ResNet-18: BasicBlock × [2, 2, 2, 2]; 11,689,512 parameters for 1000 classes."""
    return ResNet(BasicBlock, [2, 2, 2, 2], num_classes=num_classes, **kwargs)


def resnet34(*, num_classes: int = 1000, **kwargs) -> ResNet:
    """ResNet-34: BasicBlock × [3, 4, 6, 3]; 21,797,672 parameters for 1000 classes."""
    return ResNet(BasicBlock, [3, 4, 6, 3], num_classes=num_classes, **kwargs)


def resnet50(*, num_classes: int = 1000, **kwargs) -> ResNet:
    """ResNet-50: Bottleneck × [3, 4, 6, 3]; 25,557,032 parameters for 1000 classes."""
    return ResNet(Bottleneck, [3, 4, 6, 3], num_classes=num_classes, **kwargs)


def _kaiming_normal_(array, a: float = 0.0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu", generator=None):
    """He initialisation, normal: N(0, std²) with std = gain / √fan, as torch.nn.init's.

    ``mode="fan_out"`` (out_channels · KH · KW) keeps the gradients' variance steady in the
    backward pass, as torchvision's CNNs choose. Fills ``array`` in place; returns it.
    """
    receptive_field = math.prod(array.shape[2:])
    fan = array.shape[1 if mode == "fan_in" else 0] * receptive_field
    std = nn.init.calculate_gain(nonlinearity, a) / math.sqrt(fan)
    rng = generator or default_generator()
    array[...] = rng.normal(0.0, std, size=array.shape)
    return array
