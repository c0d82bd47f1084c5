"""The house style of every figure in the course, with Hangul that renders everywhere.

``setup()`` registers the font shipped inside dlbook, "dlbook Hangul": NanumGothic (SIL OFL 1.1,
see ``fonts/OFL.txt``) with a minus sign added by ``tools/make_fonts.py``. Korean labels need
no font installed on the reader's machine, and a label may mix Hangul with math ($x^2$, 10⁻⁵).
"""

from pathlib import Path

import matplotlib as mpl
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
