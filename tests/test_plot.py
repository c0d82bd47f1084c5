"""dlbook.plot renders Hangul with the font dlbook ships, with no missing-glyph warnings."""

import io
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402

import dlbook.plot  # noqa: E402

HANGUL_LABELS = ("훈련 오차와 검증 오차", "다항식 차수 $d$", "손실 $L(w) = -0.5$")


def render(labels):
    fig, ax = plt.subplots()
    ax.semilogy([1e-6, 1e-3, 1.0], label=labels[0])  # tick labels 10⁻⁶ … are drawn as math
    ax.set_title(labels[0])
    ax.set_xlabel(labels[1])
    ax.text(0, 0, labels[2])
    ax.legend()
    fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


def test_hangul_figure_renders_without_missing_glyph_warnings(caplog):
    dlbook.plot.setup()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        render(HANGUL_LABELS)
    # matplotlib reports a missing weight or family through logging, not warnings
    assert [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")] == []


def test_without_the_bundled_font_hangul_glyphs_go_missing():
    # The control for the test above: DejaVu alone has no Hangul, and matplotlib says so.
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        with pytest.warns(UserWarning, match="missing from font"):
            render(HANGUL_LABELS)


def test_setup_resolves_the_hangul_font_to_the_shipped_file():
    dlbook.plot.setup()
    found = font_manager.findfont(font_manager.FontProperties(family=dlbook.plot.FONT_NAME))
    assert found == str(dlbook.plot.FONT_PATH)


def test_font_ships_with_its_licence():
    licence = dlbook.plot.FONT_PATH.with_name("OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in licence and "NanumGothic" in licence
