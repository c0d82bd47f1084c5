import os

import make_notebooks
import make_report
import pytest
from hypothesis import settings

from dlbook.testing import PARITY_ROWS

pytest_plugins = ["dlbook.testing.fixtures"]

# nbval's kernels run the BLAS kernels the stored outputs were made with, on any x86-64 CPU
make_notebooks.same_blas_kernels()

# Same examples on every run (principle 5); "dev" explores more when asked for.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, max_examples=60)
settings.register_profile("dev", deadline=None, max_examples=300)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config):
    # A plugin, not conftest hooks: those would not see the reports of the notebooks' cells.
    config.pluginmanager.register(ValidationRecord(), "dlbook-validation-record")


class ValidationRecord:
    """The run's record for the validation report (tools/make_report.py): every comparison
    with torch, from this process and each xdist worker, and nbval's time per notebook."""

    def __init__(self):
        self.worker_rows, self.rows = [], []
        self.outcomes, self.notebook_seconds = {}, {}
        self.verdict = ""

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.outcomes[report.nodeid] = "failed"
        elif report.skipped:
            self.outcomes.setdefault(report.nodeid, "skipped")
        elif report.when == "call":
            self.outcomes.setdefault(report.nodeid, "passed")
        make_report.add_notebook_time(self.notebook_seconds, report.nodeid, report.duration)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error):  # xdist: a worker finished and sent its rows
        self.worker_rows.append(getattr(node, "workeroutput", {}).get("parity_rows", []))

    def pytest_sessionfinish(self, session, exitstatus):
        rows = make_report.rows_of(PARITY_ROWS)
        if hasattr(session.config, "workeroutput"):  # an xdist worker: the controller merges
            session.config.workeroutput["parity_rows"] = rows
            return
        self.rows = make_report.merge(rows, *self.worker_rows)
        option = session.config.option
        if option.keyword or option.markexpr or not make_report.is_full_run(self.outcomes):
            self.verdict = "validation record kept: this run left out tests or notebooks"
            return
        tests = {k: list(self.outcomes.values()).count(k) for k in ("passed", "failed", "skipped")}
        record = make_report.record_of(self.rows, self.notebook_seconds, tests)
        make_report.write_record(record)
        make_report.write_pages(record)
        self.verdict = ("validation record written: chapters/validation.json,"
                        " chapters/{ko,en}/validation.md")

    def pytest_terminal_summary(self, terminalreporter):
        """How closely dlbook matched torch in this run, all workers together."""
        for dtype in make_report.DTYPES:
            rows = [r for r in self.rows if r["dtype"] == dtype]
            if rows:
                count = sum(r["comparisons"] for r in rows)
                worst = max(r["worst_relative_error"] for r in rows)
                terminalreporter.write_line(f"parity with torch, {dtype}: {count} comparisons,"
                                            f" worst relative error {worst:.2e}")
        if self.verdict:
            terminalreporter.write_line(self.verdict)
