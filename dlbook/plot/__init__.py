"""The house style of every figure in the course, with Hangul that renders everywhere.

``setup()`` registers the font shipped inside dlbook, "dlbook Hangul": NanumGothic (SIL OFL 1.1,
see ``fonts/OFL.txt``) with a minus sign added by ``tools/make_fonts.py``. Korean labels need
no font installed on the reader's machine, and a label may mix Hangul with math ($x^2$, 10⁻⁵).
"""

from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager

FONT_PATH = Path(__file__).parent / "fonts" / "dlbook-hangul.ttf"
FONT_NAME = "dlbook Hangul"

# Okabe–Ito: a palette that stays distinguishable for colour-blind readers.
COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

HOUSE_STYLE = {
    # First, because text mixed with math ("손실 $L$") is drawn in the first family alone;
    # glyphs it lacks in plain text fall back to DejaVu.
    "font.family": [FONT_NAME, "DejaVu Sans"],
    "mathtext.fontset": "dejavusans",
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    # Only the regular weight ships: a bold title would make matplotlib fall back and warn.
    "axes.titleweight": "normal",
    "axes.titlesize": "large",
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "legend.frameon": False,
}


def setup():
    """Register the bundled Korean font and apply the house style to matplotlib."""
    if FONT_NAME not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(FONT_PATH))
    mpl.rcParams.update(HOUSE_STYLE)


# The words of history()'s labels; chapters pick the language with lang="«ko|en»".
HISTORY_LABELS = {
    "ko": {"epoch": "에포크", "training": "훈련", "validation": "검증", "loss": "손실",
           "accuracy": "정확도", "lr": "학습률"},
    "en": {"epoch": "epoch", "training": "training", "validation": "validation",
           "loss": "loss", "accuracy": "accuracy", "lr": "learning rate"},
}


def history(history, metrics=None, ax=None, lang: str = "en", labels=None):
    """Learning curves of ``fit``'s History: loss and val_loss, then each metric in a panel.

    ``metrics``: the names to draw beside the loss ("accuracy", "lr", …); None draws every
    metric logged, each with its val_ twin when there is one. ``ax``: one Axes per panel, or
    a single Axes for the loss alone (unless ``metrics`` names more); None makes a new figure.
    ``lang`` ("ko" or "en") picks the words of the labels; ``labels`` overrides any of them or
    names a metric, e.g. ``labels={"mae": "평균 절대 오차"}``. Returns the figure.
    """
    words = {**HISTORY_LABELS[lang], **(labels or {})}
    logs = history.history
    one_axes = ax is not None and not np.iterable(ax)
    if metrics is None:
        logged = [name for name in logs
                  if name not in ("loss", "lr") and not name.startswith("val_")]
        metrics = [] if one_axes else logged
    panels = ["loss", *metrics]
    if ax is None:
        width, height = mpl.rcParams["figure.figsize"]
        _, ax = plt.subplots(1, len(panels), figsize=(width / 2 * (len(panels) + 1), height),
                             squeeze=False, layout="constrained")
    axes = [ax] if one_axes else list(np.ravel(ax))
    if len(axes) != len(panels):
        raise ValueError(f"plot.history: the panels {panels} need {len(panels)} Axes,"
                         f" got {len(axes)}")
    for name, panel in zip(panels, axes, strict=True):
        panel.plot(history.epochs, logs[name], label=words["training"])
        if f"val_{name}" in logs:
            panel.plot(history.epochs, logs[f"val_{name}"], label=words["validation"])
            panel.legend()
        panel.set_xlabel(words["epoch"])
        panel.set_ylabel(words.get(name, name))
    return axes[0].figure
