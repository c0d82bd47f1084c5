"""draw_graph draws with the engine asked for, or says why it cannot."""

import sys
import types

import matplotlib
import pytest
from matplotlib.figure import Figure

from dlbook.autograd import Value, draw, draw_graph

matplotlib.use("Agg")


@pytest.mark.parametrize("engine", ["dot", "plotly", "Matplotlib"])
def test_an_unknown_engine_is_refused_naming_the_allowed_ones(engine):
    with pytest.raises(ValueError, match=rf"\('graphviz', 'matplotlib'\) or None, got '{engine}'"):
        draw_graph(Value(1.0), engine=engine)


def test_graphviz_engine_without_the_graphviz_package_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)  # makes `import graphviz` fail
    with pytest.raises(RuntimeError, match="needs the graphviz Python package"):
        draw_graph(Value(1.0), engine="graphviz")


def test_graphviz_engine_without_the_dot_program_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", types.ModuleType("graphviz"))
    monkeypatch.setattr(draw.shutil, "which", lambda program: None)
    with pytest.raises(RuntimeError, match="needs Graphviz's dot program"):
        draw_graph(Value(1.0), engine="graphviz")


def test_no_engine_falls_back_to_matplotlib_without_graphviz(monkeypatch):
    monkeypatch.setattr(draw, "_graphviz_missing", lambda: "the graphviz Python package")
    assert isinstance(draw_graph(Value(1.0) * 2), Figure)


def test_no_engine_chooses_graphviz_when_it_is_there(monkeypatch):
    monkeypatch.setattr(draw, "_graphviz_missing", lambda: None)
    monkeypatch.setattr(draw, "_draw_graphviz", lambda root: "a graphviz drawing")
    assert draw_graph(Value(1.0)) == "a graphviz drawing"
