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


def a_history(val=True):
    from dlbook.train import History

    history = History()
    for epoch in range(1, 4):
        logs = {"loss": 1 / epoch, "accuracy": 1 - 0.5 / epoch}
        if val:
            logs |= {"val_loss": 1.2 / epoch, "val_accuracy": 1 - 0.6 / epoch}
        history.append(epoch, logs | {"lr": 0.1})
    return history


def lines_of(ax):
    return [(line.get_label(), list(line.get_xdata()), list(line.get_ydata()))
            for line in ax.get_lines()]


def test_history_plots_loss_then_each_metric_with_its_validation_curve():
    history = a_history()
    fig = dlbook.plot.history(history)
    loss_ax, accuracy_ax = fig.axes
    assert lines_of(loss_ax) == [("training", [1, 2, 3], history["loss"]),
                                 ("validation", [1, 2, 3], history["val_loss"])]
    assert lines_of(accuracy_ax) == [("training", [1, 2, 3], history["accuracy"]),
                                     ("validation", [1, 2, 3], history["val_accuracy"])]
    assert [(ax.get_xlabel(), ax.get_ylabel()) for ax in fig.axes] == [
        ("epoch", "loss"), ("epoch", "accuracy")]
    plt.close(fig)


def test_history_plot_without_validation_draws_one_curve_per_panel():
    fig = dlbook.plot.history(a_history(val=False), metrics=["lr"])
    assert [len(ax.get_lines()) for ax in fig.axes] == [1, 1]
    assert fig.axes[1].get_ylabel() == "learning rate" and fig.axes[0].get_legend() is None
    plt.close(fig)


def test_history_plot_on_a_given_axes_draws_the_loss_alone():
    fig, ax = plt.subplots()
    assert dlbook.plot.history(a_history(), ax=ax) is fig
    assert len(fig.axes) == 1 and [label for label, *_ in lines_of(ax)] == ["training",
                                                                           "validation"]
    with pytest.raises(ValueError, match="need 2 Axes, got 1"):
        dlbook.plot.history(a_history(), metrics=["accuracy"], ax=ax)
    plt.close(fig)


def test_history_plot_speaks_korean_and_renders_it(caplog):
    dlbook.plot.setup()
    fig = dlbook.plot.history(a_history(), lang="ko", labels={"accuracy": "정답률"})
    assert [(ax.get_xlabel(), ax.get_ylabel()) for ax in fig.axes] == [
        ("에포크", "손실"), ("에포크", "정답률")]
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["훈련", "검증"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(io.BytesIO(), format="png")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")] == []
    plt.close(fig)
