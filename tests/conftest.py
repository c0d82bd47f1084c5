import os

from hypothesis import settings

pytest_plugins = ["dlbook.testing.fixtures"]

# Same examples on every run (principle 5); "dev" explores more when asked for.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, max_examples=60)
settings.register_profile("dev", deadline=None, max_examples=300)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_terminal_summary(terminalreporter):
    """How closely dlbook matched torch in this process (not collected from xdist workers)."""
    from dlbook.testing import PARITY_RECORD

    for dtype, (count, worst) in sorted(PARITY_RECORD.items()):
        terminalreporter.write_line(
            f"parity with torch, {dtype}: {count} comparisons, worst relative error {worst:.2e}")
