"""The validation report: recorded by the parity tests, merged across xdist workers, rendered
into a page per language that lists every public module and stays in step with its record."""

import inspect
import subprocess
import sys

import make_report
import pytest
import torch
from test_html import open_page, unexpected

import dlbook.nn as nn
import dlbook.nn.functional as F
import dlbook.optim as optim
from dlbook import testing

RECORD = make_report.read_record()


def public_objects() -> list[str]:
    """What the report must list: every layer and loss of dlbook.nn, every function of
    dlbook.nn.functional that torch.nn.functional has too, the functions of dlbook.nn.utils,
    every optimizer and learning-rate scheduler, the DataLoader and Value."""
    modules = [name for name in nn.__all__ if isinstance(getattr(nn, name), type)
               and issubclass(getattr(nn, name), nn.Module) and name != "Module"]
    functions = [f"F.{name}" for name, f in inspect.getmembers(F, inspect.isfunction)
                 if f.__module__ == F.__name__ and not name.startswith("_")
                 and hasattr(torch.nn.functional, name)]
    utils = [f"nn.utils.{name}" for name in nn.utils.__all__]
    optimizers = [f"optim.{name}" for name in optim.__all__
                  if isinstance(getattr(optim, name), type) and name != "Optimizer"]
    schedulers = [f"optim.lr_scheduler.{name}" for name in optim.lr_scheduler.__all__
                  if name != "LRScheduler"]
    return modules + functions + utils + optimizers + schedulers + ["DataLoader", "Value"]


def rows(**where):
    return [r for r in RECORD["parity"] if all(r[k] == v for k, v in where.items())]


@pytest.mark.parametrize("lang", make_report.LANGS)
def test_the_page_lists_every_public_module_and_function(lang):
    text = (make_report.ROOT / "chapters" / lang / "validation.md").read_text(encoding="utf-8")
    missing = [name for name in public_objects() if f"| `{name}`<br>`torch" not in text]
    assert missing == [], f"not in the report (does a parity test compare them?): {missing}"


def test_every_layer_loss_and_function_is_compared_in_both_dtypes():
    for name in public_objects():
        # The DataLoader hands out float32 batches, Value and the schedulers' learning rates
        # are Python floats (float64).
        if name not in ("DataLoader", "Value") and not name.startswith("optim.lr_scheduler."):
            assert {r["dtype"] for r in rows(dlbook=name)} == {"float32", "float64"}, name


def test_the_record_has_every_chapter_in_both_languages():
    stems = sorted(p.stem for p in (make_report.ROOT / "chapters" / "ko").glob("*.ipynb"))
    assert sorted(RECORD["notebooks"]) == stems
    assert all(set(times) == {"ko", "en"} for times in RECORD["notebooks"].values())


def test_the_pages_are_up_to_date_with_the_record():
    assert make_report.stale(RECORD) == [], "run `python tools/make_report.py` (or `make book`)"


def test_a_hand_edited_page_is_reported_stale(tmp_path, monkeypatch):
    monkeypatch.setattr(make_report, "ROOT", tmp_path)
    for lang in make_report.LANGS:
        (tmp_path / "chapters" / lang).mkdir(parents=True)
    make_report.write_pages(RECORD)
    assert make_report.stale(RECORD) == []
    edited = tmp_path / "chapters" / "en" / "validation.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAn edit.\n", encoding="utf-8")
    assert make_report.stale(RECORD) == [
        "chapters/en/validation.md is stale against chapters/validation.json"]


# -- how the record is made ------------------------------------------------------------------
@pytest.fixture
def fresh_record(monkeypatch):
    """dlbook.testing's record, emptied for one test (the run's own record stays untouched)."""
    monkeypatch.setattr(testing, "PARITY_ROWS", {})
    monkeypatch.setattr(testing, "PARITY_RECORD", {})
    return testing


def test_comparisons_are_filed_by_object_with_one_case_per_parity_case(fresh_record):
    x = torch.tensor([1.0, 2.0], dtype=torch.float64)
    for _ in range(2):
        with testing.parity_case("Linear", "torch.nn.Linear"):
            testing.assert_close(x.numpy(), x)
            testing.assert_close(x.numpy() * (1 + 1e-12), x)
    testing.assert_close(x.numpy().astype("float32"), x.float())  # outside a case: "other"
    assert fresh_record.PARITY_ROWS == {
        ("Linear", "torch.nn.Linear", "float64", "cpu"): [2, 4, pytest.approx(1e-12)],
        (None, None, "float32", "cpu"): [1, 1, 0.0],
    }


def test_the_helpers_name_the_module_and_its_torch_twin(fresh_record):
    module, torch_module = testing.twins(nn.Linear(3, 2), torch.nn.Linear(3, 2), "float64")
    x = torch.ones(4, 3, dtype=torch.float64).numpy()
    testing.assert_module_matches_torch(module, torch_module, x, x[:, :2])
    ((key, (cases, comparisons, _)),) = fresh_record.PARITY_ROWS.items()
    assert key == ("Linear", "torch.nn.Linear", "float64", "cpu")
    assert (cases, comparisons) == (1, 4)  # forward, dL/dx, dL/dweight, dL/dbias


def test_the_rows_of_the_workers_merge_into_one_per_object_dtype_and_device():
    def row(of, dtype, cases, comparisons, worst):
        return {"dlbook": of, "torch": of and f"torch.nn.{of}", "dtype": dtype, "device": "cpu",
                "cases": cases, "comparisons": comparisons, "worst_relative_error": worst}

    first = [row("Tanh", "float64", 3, 6, 1e-16), row(None, "float32", 1, 1, 0.0)]
    second = [row("Tanh", "float64", 2, 4, 3e-16), row("ReLU", "float32", 5, 10, 0.0)]
    assert make_report.merge(first, second) == [
        row("ReLU", "float32", 5, 10, 0.0), row("Tanh", "float64", 5, 10, 3e-16),
        row(None, "float32", 1, 1, 0.0)]


def test_nbval_time_is_summed_per_chapter_and_language():
    seconds = {}
    for nodeid, duration in [("chapters/ko/03_gradient_descent.ipynb::Cell 0", 1.5),
                             ("chapters/ko/03_gradient_descent.ipynb::Cell 4", 0.25),
                             ("chapters/en/03_gradient_descent.ipynb::Cell 0", 2.0),
                             ("tests/nn/test_module.py::test_repr_matches_torch", 9.0)]:
        make_report.add_notebook_time(seconds, nodeid, duration)
    assert seconds == {"03_gradient_descent": {"ko": 1.75, "en": 2.0}}


def test_only_a_run_of_every_test_file_and_notebook_is_full():
    everything = [p.relative_to(make_report.ROOT).as_posix() + "::x" for p in [
        *make_report.ROOT.glob("tests/**/test_*.py"),
        *make_report.ROOT.glob("chapters/ko/*.ipynb"),
        *make_report.ROOT.glob("chapters/en/*.ipynb")]]
    assert make_report.is_full_run(everything)
    assert not make_report.is_full_run(everything[1:])
    assert not make_report.is_full_run([n for n in everything if "ipynb" not in n])


def test_a_partial_run_leaves_the_record_as_it_was():
    before = make_report.RECORD.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
         "tests/test_backend.py"],
        cwd=make_report.ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "validation record kept" in result.stdout
    assert make_report.RECORD.read_bytes() == before


# -- the built page, in a browser -------------------------------------------------------------
@pytest.mark.browser
@pytest.mark.parametrize("lang", make_report.LANGS)
def test_the_built_report_lists_every_public_module(page, server, lang):
    open_page(page, server, f"chapters/{lang}/validation")
    listed = page.evaluate("[...document.querySelectorAll('main td code')].map(c => c.innerText)")
    missing = [name for name in public_objects() if name not in listed]
    assert missing == [], f"not shown on the page: {missing}"
    assert page.evaluate("[...document.querySelectorAll('main img')].every(i => i.naturalWidth)")
    assert unexpected(page.errors) == []
