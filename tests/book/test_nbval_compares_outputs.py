"""The notebooks' stored outputs are really checked: a changed number fails nbval."""

import subprocess
import sys

import make_notebooks as mk
import nbformat
import pytest

CODE = "import math\nprint(f'pi = {math.pi:.6f}')\nprint(object())"


def notebook(printed: str, address: str):
    stored = f"{printed}\n<object object at {address}>\n"
    output = nbformat.v4.new_output("stream", name="stdout", text=stored)
    cell = nbformat.v4.new_code_cell(CODE, execution_count=1, outputs=[output])
    return nbformat.v4.new_notebook(cells=[cell], metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})


def run_nbval(tmp_path, nb):
    path = tmp_path / "check.ipynb"
    nbformat.write(nb, path)
    # Same options as `make test`: they come from pyproject's addopts plus --nbval.
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(mk.ROOT / "pyproject.toml"), "--nbval",
         "-p", "no:cacheprovider", "-q", str(path)],
        cwd=mk.ROOT, capture_output=True, text=True, timeout=300,
    )


@pytest.mark.parametrize("address", ["0x7f3a2c1d9e80", "0x55d0c0ffee00"])
def test_matching_outputs_pass_whatever_the_memory_address(tmp_path, address):
    result = run_nbval(tmp_path, notebook("pi = 3.141593", address))
    assert result.returncode == 0, result.stdout


def test_a_changed_number_fails(tmp_path):
    result = run_nbval(tmp_path, notebook("pi = 3.141594", "0x7f3a2c1d9e80"))
    assert result.returncode == 1, result.stdout
    assert "3.141594" in result.stdout and "3.141593" in result.stdout
