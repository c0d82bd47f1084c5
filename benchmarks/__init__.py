"""dlbook's speed against torch (and the *Deep Learning from Scratch* layers), as ratios
measured in one run: ``make bench`` or ``python -m benchmarks.run``."""
