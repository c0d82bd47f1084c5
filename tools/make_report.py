"""The validation report: what the parity tests compared, as an appendix page in each language.

Every comparison of dlbook with torch is recorded by ``dlbook.testing`` (``PARITY_ROWS``); at
the end of a full ``make test`` run, tests/conftest.py merges the records of the xdist workers
and nbval's time per notebook into ``chapters/validation.json`` (``record_of``). This script
turns that record into ``chapters/{ko,en}/validation.md`` and their figure; ``make book`` runs
it. A module whose tests compare it with torch appears in the report by itself.

    python tools/make_report.py            # write the pages from the record
    python tools/make_report.py --check    # fail if the pages are stale against the record
"""

import argparse
import datetime
import io
import json
import os
import platform
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORD_NAME = "chapters/validation.json"
RECORD = ROOT / RECORD_NAME
LANGS = ("ko", "en")
NOTEBOOK_ITEM = re.compile(r"^chapters/(ko|en)/(\d\d_\w+)\.ipynb::")
DTYPES = ("float64", "float32")
FLOOR = 1e-18  # where the figure draws an error of exactly 0 (log scale), labelled "0"


# -- the record ----------------------------------------------------------------------------------
def rows_of(parity_rows: dict) -> list[dict]:
    """``dlbook.testing.PARITY_ROWS`` as plain rows, the form the JSON and xdist carry."""
    return [{"dlbook": of, "torch": twin, "dtype": dtype, "device": device, "cases": cases,
             "comparisons": comparisons, "worst_relative_error": worst}
            for (of, twin, dtype, device), (cases, comparisons, worst) in parity_rows.items()]


def _key(row):
    return (row["dlbook"] is None, row["dlbook"] or "", row["torch"] or "", row["dtype"],
            row["device"])


def merge(*row_lists: list[dict]) -> list[dict]:
    """One row per (object, twin, dtype, device): counts added, the worst error kept; sorted."""
    merged = {}
    for row in (r for rows in row_lists for r in rows):
        key = _key(row)
        if key not in merged:
            merged[key] = dict(row)
            continue
        into = merged[key]
        into["cases"] += row["cases"]
        into["comparisons"] += row["comparisons"]
        into["worst_relative_error"] = max(into["worst_relative_error"],
                                           row["worst_relative_error"])
    return [merged[key] for key in sorted(merged)]


def add_notebook_time(seconds: dict, nodeid: str, duration: float) -> None:
    """Add one nbval report's duration (a cell's setup, call or teardown) to its chapter."""
    match = NOTEBOOK_ITEM.match(nodeid)
    if match:
        lang, stem = match.groups()
        by_lang = seconds.setdefault(stem, {})
        by_lang[lang] = by_lang.get(lang, 0.0) + duration


def is_full_run(nodeids) -> bool:
    """True when the run reported on every test file under tests/ and every notebook.

    Only such a run rewrites the record: a single test file must not shrink the report.
    """
    files = {nodeid.split("::")[0] for nodeid in nodeids}
    wanted = [*ROOT.glob("tests/**/test_*.py"), *ROOT.glob("chapters/ko/*.ipynb"),
              *ROOT.glob("chapters/en/*.ipynb")]
    return all(path.relative_to(ROOT).as_posix() in files for path in wanted)


def machine() -> dict:
    """What the record was made on: system, CPU, Python, NumPy, torch, GPU ("none")."""
    import numpy as np
    import torch

    from dlbook.backend import cupy

    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        cpu = names[0].strip() if names else cpu
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "cupy": cupy.__version__ if cupy is not None else "none",
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none",
    }


def record_of(rows: list[dict], notebook_seconds: dict, tests: dict, now=None) -> dict:
    """The JSON record of a run: when, on what, every parity row, and nbval's times."""
    from dlbook.testing import TOLERANCES

    now = now or datetime.datetime.now(datetime.UTC)
    return {
        "generated": now.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "tolerances": {dtype.name: dict(tol) for dtype, tol in TOLERANCES.items()},
        "tests": tests,
        "parity": [{**row, "worst_relative_error": float(f"{row['worst_relative_error']:.3g}")}
                   for row in merge(rows)],
        "notebooks": {stem: {lang: round(s, 1) for lang, s in by_lang.items()}
                      for stem, by_lang in notebook_seconds.items()},
    }


def write_record(record: dict, path: Path = RECORD) -> None:
    """Indented, keys sorted: a changed record reads well in a diff."""
    path.write_text(json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")


def read_record(path: Path = RECORD) -> dict:
    if not path.exists():
        sys.exit(f"{path} is missing: run `make test` to record the tests")
    return json.loads(path.read_text(encoding="utf-8"))


# -- the pages -----------------------------------------------------------------------------------
def objects(record: dict) -> list[dict]:
    """One table row per dlbook object: its rows over dtypes and devices put together."""
    table = {}
    for row in record["parity"]:
        entry = table.setdefault((row["dlbook"], row["torch"]), {
            "dlbook": row["dlbook"], "torch": row["torch"], "cases": 0, "comparisons": 0,
            "worst": {}, "devices": set()})
        entry["cases"] += row["cases"]
        entry["comparisons"] += row["comparisons"]
        worst = entry["worst"].get(row["dtype"], 0.0)
        entry["worst"][row["dtype"]] = max(worst, row["worst_relative_error"])
        entry["devices"].add(row["device"])
    # dlbook's classes and Value, then the functions F.*, then what no single object owns
    order = sorted(table, key=lambda k: (k[0] is None, (k[0] or "").startswith("F."),
                                         (k[0] or "").lower()))
    return [table[key] for key in order]


TEXT = {
    "ko": {
        "title": "검증 보고서",
        "switch": "[English version →](../en/validation.md)",
        "intro": (
            "`dlbook`의 모듈과 함수는 모두 PyTorch에 있는 같은 이름의 짝(twin)과 비교하는 "
            "테스트를 통과해야 합니다. 테스트는 hypothesis로 모양과 값이 무작위인 입력을 만들어 "
            "순전파 결과, 입력에 대한 기울기, 모든 매개변수의 기울기를 PyTorch의 결과와 "
            "비교합니다. float64는 상대 오차 {rtol64}(절대 오차 {atol64}), float32는 "
            "{rtol32}(절대 오차 {atol32}) 안에서 같아야 통과합니다."),
        "how": (
            "이 페이지는 사람이 쓰지 않습니다. `make test`가 모든 테스트와 노트북을 실행하면서 "
            "비교 하나하나를 기록해 `chapters/validation.json`에 저장하고, `make book`이 그 "
            "기록으로 이 페이지를 만듭니다. 새 모듈의 테스트가 생기면 표에 저절로 한 줄이 "
            "늘어납니다."),
        "when": "생성 시각과 환경",
        "generated": "생성 시각",
        "system": "운영체제",
        "cpu": "CPU",
        "cores": "코어 {n}개",
        "software": "소프트웨어",
        "gpu": "GPU",
        "no_gpu": "없음 (CUDA 비교는 건너뛰었습니다)",
        "tests": "테스트 결과",
        "outcome": "통과 {passed}개, 실패 {failed}개, 건너뜀 {skipped}개",
        "by_object": "모듈과 함수별 결과",
        "legend": (
            "경우 수는 비교한 입력의 수(hypothesis가 만든 무작위 입력과 경계 사례)입니다. "
            "float64와 float32 열은 그 dtype에서 출력과 기울기를 비교할 때마다 잰 "
            "max|dlbook − torch| ÷ max|torch| 중 가장 큰 값(최대 상대 오차)입니다. 0은 모든 "
            "비트가 같다는 뜻이고, —는 그 dtype으로 비교하지 않았다는 뜻입니다."),
        "columns": ["dlbook<br>PyTorch 짝", "경우 수", "float64", "float32", "장치"],
        "other": "그 밖의 비교 (테스트 안에서 만든 모델, 이식, 경계 사례)",
        "total": "모두 {comparisons}번 비교했고, 가장 큰 오차는 float64에서 {f64}, float32에서 "
                 "{f32}입니다.",
        "figure_alt": "dlbook의 모듈과 함수마다 PyTorch와의 최대 상대 오차를 로그 눈금에 점으로 "
                      "나타내고, 허용 오차 1e-10과 1e-5를 세로 점선으로 표시한 그림",
        "figure_caption": "모듈과 함수별 최대 상대 오차. 점선은 허용 오차이며, 오차가 정확히 "
                          "0이면 왼쪽 끝에 그립니다.",
        "x_label": "PyTorch와의 최대 상대 오차 (로그 눈금)",
        "tolerance": "허용 오차",
        "notebooks": "장별 nbval 실행 시간",
        "notebooks_intro": (
            "`make test`는 두 언어의 노트북을 nbval로 다시 실행하고 저장된 출력과 비교합니다. "
            "아래 시간은 각 노트북의 셀 실행 시간을 모두 더한 값입니다(커널 시작 포함)."),
        "nb_columns": ["장", "한국어판 (초)", "영어판 (초)"],
        "sum": "합계",
    },
    "en": {
        "title": "Validation report",
        "switch": "[한국어판 →](../ko/validation.md)",
        "intro": (
            "Every module and function of `dlbook` must pass tests that compare it with its "
            "twin of the same name in PyTorch. The tests draw inputs of random shapes and values "
            "(hypothesis) and compare the forward result, the gradient with respect to the "
            "input and the gradient of every parameter with PyTorch's. float64 must agree to a "
            "relative error of {rtol64} (absolute {atol64}), float32 to {rtol32} "
            "(absolute {atol32})."),
        "how": (
            "Nobody writes this page by hand. `make test` runs every test and notebook, records "
            "each comparison and saves the record to `chapters/validation.json`; `make book` "
            "turns the record into this page. When a new module gets its tests, the table grows "
            "a row by itself."),
        "when": "When and on what it was generated",
        "generated": "Generated",
        "system": "System",
        "cpu": "CPU",
        "cores": "{n} cores",
        "software": "Software",
        "gpu": "GPU",
        "no_gpu": "none (the CUDA comparisons were skipped)",
        "tests": "Test outcome",
        "outcome": "{passed} passed, {failed} failed, {skipped} skipped",
        "by_object": "Results by module and function",
        "legend": (
            "Cases are the inputs compared (random inputs drawn by hypothesis, and edge cases). "
            "The float64 and float32 columns give the largest max|dlbook − torch| / max|torch| "
            "measured on the outputs and gradients compared in that dtype (the worst relative "
            "error): 0 means equal to the last bit, — means not compared in that dtype."),
        "columns": ["dlbook<br>PyTorch twin", "cases", "float64", "float32", "devices"],
        "other": "other comparisons (models built in the tests, porting, edge cases)",
        "total": "{comparisons} comparisons in all; the worst error is {f64} in float64 and "
                 "{f32} in float32.",
        "figure_alt": "The worst relative error against PyTorch of each dlbook module and "
                      "function as dots on a log scale, with the tolerances 1e-10 and 1e-5 as "
                      "dashed vertical lines",
        "figure_caption": "Worst relative error by module and function. The dashed lines are "
                          "the tolerances; an error of exactly 0 is drawn at the left edge.",
        "x_label": "worst relative error against PyTorch (log scale)",
        "tolerance": "tolerance",
        "notebooks": "nbval time per chapter",
        "notebooks_intro": (
            "`make test` runs the notebooks of both languages again under nbval and compares "
            "them with their stored outputs. The times below add up the cells of each notebook "
            "(kernel start included)."),
        "nb_columns": ["Chapter", "Korean (s)", "English (s)"],
        "sum": "Total",
    },
}


def sci(value: float, digits: int = 0) -> str:
    """1e-05 as "1e-5", 2.22e-16 as "2.2e-16" (digits=1)."""
    return f"{value:.{digits}e}".replace("e-0", "e-").replace("e+00", "")


def error(value) -> str:
    return "—" if value is None else "0" if value == 0 else sci(value, 1)


def render(record: dict, lang: str) -> str:
    """The Markdown page of ``record`` in ``lang``."""
    t, m, tol = TEXT[lang], record["machine"], record["tolerances"]
    intro = t["intro"].format(**{f"{kind}{dtype[-2:]}": sci(tol[dtype][kind])
                                 for dtype in DTYPES for kind in ("rtol", "atol")})
    gpu = t["no_gpu"] if m["gpu"] == "none" else f"{m['gpu']} (CuPy {m['cupy']})"
    lines = [
        "<!-- Generated by tools/make_report.py from chapters/validation.json: do not edit. -->",
        f"# {t['title']}", "", ":::{container} tag_language-switch", t["switch"], ":::", "",
        intro, "", t["how"], "", f"## {t['when']}", "",
        f"- {t['generated']}: {record['generated']}",
        f"- {t['system']}: {m['platform']}",
        f"- {t['cpu']}: {m['cpu']}, {t['cores'].format(n=m['cpu_count'])}",
        f"- {t['software']}: Python {m['python']}, NumPy {m['numpy']}, PyTorch {m['torch']}",
        f"- {t['gpu']}: {gpu}",
        f"- {t['tests']}: {t['outcome'].format(**record['tests'])}",
        "", f"## {t['by_object']}", "", t["legend"], "",
        # each name above its twin; a long twin may wrap, so that the numbers stay in sight
        "<style>main td code ~ code span.pre { white-space: normal; overflow-wrap: anywhere; }"
        " main td.text-right { white-space: nowrap; }</style>", "",
        "| " + " | ".join(t["columns"]) + " |",
        "|:--|--:|--:|--:|:--|",
    ]
    table = objects(record)
    for row in table:
        name = t["other"] if row["dlbook"] is None else f"`{row['dlbook']}`<br>`{row['torch']}`"
        devices = ", ".join(d.upper() for d in sorted(row["devices"]))
        lines.append(f"| {name} | {row['cases']:,} | "
                     f"{error(row['worst'].get('float64'))} | "
                     f"{error(row['worst'].get('float32'))} | {devices} |")
    worst = {d: max((r["worst"][d] for r in table if d in r["worst"]), default=None)
             for d in DTYPES}
    total = sum(r["comparisons"] for r in table)
    lines += ["", t["total"].format(comparisons=f"{total:,}", f64=error(worst["float64"]),
                                    f32=error(worst["float32"])), ""]
    lines += [":::{figure} validation.svg", f":alt: {t['figure_alt']}",
              f":name: validation-errors-{lang}", "", t["figure_caption"], ":::", ""]
    lines += [f"## {t['notebooks']}", "", t["notebooks_intro"], "",
              "| " + " | ".join(t["nb_columns"]) + " |", "|:--|--:|--:|"]
    sums = dict.fromkeys(LANGS, 0.0)
    for stem, seconds in sorted(record["notebooks"].items()):
        cells = []
        for language in LANGS:
            sums[language] += seconds.get(language, 0.0)
            cells.append(f"{seconds[language]:.1f}" if language in seconds else "—")
        # an empty link text takes the chapter's title
        lines.append(f"| [](./{stem}.ipynb) | {' | '.join(cells)} |")
    lines.append(f"| {t['sum']} | {' | '.join(f'{sums[lang]:.1f}' for lang in LANGS)} |")
    return "\n".join(lines) + "\n"


def figure(record: dict, lang: str) -> bytes:
    """An SVG of each object's worst error per dtype against the tolerances; deterministic."""
    import matplotlib as mpl
    from matplotlib.figure import Figure  # no pyplot: nothing global but the font is touched

    from dlbook.plot import COLORS, setup

    t = TEXT[lang]
    table = [row for row in objects(record) if row["dlbook"] is not None][::-1]
    with mpl.rc_context({"svg.hashsalt": "dlbook-validation", "svg.fonttype": "path"}):
        setup()  # the house style, undone with the context
        fig = Figure(figsize=(6.4, 1.2 + 0.24 * len(table)), layout="tight")
        ax = fig.subplots()
        ys = range(len(table))
        for dtype, color, marker, shift in zip(DTYPES, COLORS, "os", (0.15, -0.15),
                                               strict=False):
            xs = [max(row["worst"].get(dtype, float("nan")), FLOOR) for row in table]
            ax.scatter(xs, [y + shift for y in ys], color=color, marker=marker, s=20,
                       label=dtype, zorder=3)
            ax.axvline(record["tolerances"][dtype]["rtol"], color=color, linestyle="--",
                       linewidth=1)
        ax.plot([], [], color="gray", linestyle="--", linewidth=1, label=t["tolerance"])
        ax.set_xscale("log")
        ax.set_xlim(FLOOR / 3, 1e-3)
        ticks = [10.0**e for e in range(-18, -3, 2)]
        ax.set_xticks(ticks, ["0"] + [f"$10^{{{e}}}$" for e in range(-16, -3, 2)])
        ax.set_yticks(list(ys), [row["dlbook"] for row in table], fontsize=8)
        ax.set_xlabel(t["x_label"])
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=8)
        out = io.BytesIO()
        fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def pages(record: dict) -> dict[Path, bytes]:
    """Every file this script writes, with its content."""
    files = {}
    for lang in LANGS:
        folder = ROOT / "chapters" / lang
        files[folder / "validation.md"] = render(record, lang).encode("utf-8")
        files[folder / "validation.svg"] = figure(record, lang)
    return files


def write_pages(record: dict) -> None:
    for path, content in pages(record).items():
        path.write_bytes(content)


def stale(record: dict) -> list[str]:
    """The generated files that are missing or differ from what ``record`` gives."""
    return [f"{path.relative_to(ROOT)} is stale against {RECORD_NAME}"
            for path, content in pages(record).items()
            if not path.exists() or path.read_bytes() != content]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale pages")
    args = parser.parse_args(argv)
    record = read_record()
    if args.check:
        problems = stale(record)
        print("\n".join(problems) or "validation report up to date")
        return 1 if problems else 0
    write_pages(record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
