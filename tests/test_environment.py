"""environment.yml and pyproject.toml list the same dependencies."""

import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def normalized(requirements):
    return {str(Requirement(r)) for r in requirements}


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = normalized(
        project["dependencies"]
        + [r for extra in ("book", "test") for r in project["optional-dependencies"][extra]]
    )
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = normalized(r for r in pip_section if not r.startswith("-e"))
    assert listed == wanted, f"only in pyproject: {wanted - listed}; only in env: {listed - wanted}"


def test_environment_yml_pins_the_python_pyproject_requires():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert f"python{project['requires-python']}" in env["dependencies"]
