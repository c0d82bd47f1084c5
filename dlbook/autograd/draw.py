"""Drawing a Value's computational graph: with graphviz when installed, else with matplotlib."""

import shutil

ENGINES = ("graphviz", "matplotlib")


def draw_graph(root, engine: str | None = None):
    """The graph that produced ``root``: each value as a blue box (label, data, grad), each
    operation as a small yellow box.

    Returns a ``graphviz.Digraph`` (engine "graphviz", the default when the graphviz package
    and its ``dot`` program are installed) or a matplotlib Figure (engine "matplotlib").
    """
    if engine is None:
        engine = "matplotlib" if _graphviz_missing() else "graphviz"
    if engine not in ENGINES:
        raise ValueError(f"draw_graph: engine must be one of {ENGINES} or None, got {engine!r}")
    if engine == "matplotlib":
        return _draw_matplotlib(root)
    if missing := _graphviz_missing():
        raise RuntimeError(f"draw_graph: engine 'graphviz' needs {missing}; "
                           "use engine='matplotlib', or None to choose automatically")
    return _draw_graphviz(root)


def _graphviz_missing() -> str | None:
    """What engine "graphviz" lacks on this machine, or None when it has everything."""
    try:
        import graphviz  # noqa: F401
    except ImportError:
        return "the graphviz Python package (pip install graphviz), which is not installed"
    if shutil.which("dot") is None:
        return "Graphviz's dot program, which is not on PATH (e.g. apt install graphviz)"
    return None


def _box(node) -> str:
    name = f"{node.label} | " if node.label else ""
    return f"{name}data {node.data:.4f} | grad {node.grad:.4f}"


def _draw_graphviz(root):
    import graphviz

    dot = graphviz.Digraph(graph_attr={"rankdir": "LR"})
    for node in root.graph():
        dot.node(str(id(node)), _box(node), shape="record")
        if node.op:
            dot.node(f"{id(node)}op", node.op, shape="circle")
            dot.edge(f"{id(node)}op", str(id(node)))
        for child in node.children:
            dot.edge(str(id(child)), f"{id(node)}op")
    return dot


def _draw_matplotlib(root):
    import matplotlib.pyplot as plt

    nodes = root.graph()
    depth = {}
    for node in nodes:  # children come first, so their depth is known
        depth[id(node)] = 1 + max((depth[id(c)] for c in node.children), default=-1)
    rows: dict[int, int] = {}
    position = {}
    for node in nodes:
        column = 2 * depth[id(node)]
        position[id(node)] = (column, rows.get(column, 0))
        rows[column] = rows.get(column, 0) + 1

    fig, ax = plt.subplots(figsize=(1.1 * (max(rows) + 2), 0.9 * max(rows.values()) + 0.6))
    fig.subplots_adjust(left=0, right=1, bottom=0, top=1)
    for node in nodes:
        x, y = position[id(node)]
        if node.op:
            ax.annotate("", xy=(x - 0.45, y), xytext=(x - 1.0, y),
                        arrowprops={"arrowstyle": "->", "color": "0.4"})
            ax.text(x - 1.0, y, node.op, ha="center", va="center", fontsize=8,
                    bbox={"boxstyle": "round,pad=0.3", "fc": "#fff3d6", "ec": "0.4"})
            for child in node.children:
                cx, cy = position[id(child)]
                ax.annotate("", xy=(x - 1.2, y), xytext=(cx + 0.45, cy),
                            arrowprops={"arrowstyle": "->", "color": "0.4"})
        ax.text(x, y, _box(node).replace(" | ", "\n"), ha="center", va="center", fontsize=8,
                bbox={"boxstyle": "round", "fc": "#e8f1fb", "ec": "#0072B2"})
    ax.set_xlim(-1.5, max(rows) + 1)
    ax.set_ylim(-0.8, max(rows.values()) - 0.2)
    ax.axis("off")
    return fig
