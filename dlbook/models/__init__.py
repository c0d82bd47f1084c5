"""Whole networks with torchvision's module names: MobileNet and ResNet (filled in chapter 9)."""
