"""The two commands as a newcomer runs them: `make run` on another port, and the Python versions
README promises matching what pyproject.toml accepts."""

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def serve_command(*args: str) -> str:
    # -n prints the recipe without running it; -B so that no target counts as up to date.
    done = subprocess.run(  # noqa: S603 - fixed arguments
        ["make", "-nB", "serve", *args],  # noqa: S607 - make from PATH, as a newcomer runs it
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return next(line for line in done.stdout.splitlines() if "runserver" in line)


def test_make_run_serves_on_8000_unless_given_another_port():
    assert serve_command().endswith("runserver 127.0.0.1:8000")
    assert serve_command("PORT=8001").endswith("runserver 127.0.0.1:8001")


def test_readme_names_the_python_versions_pyproject_accepts():
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == ">=3.11,<3.14"
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"Python 3\.11, 3\.12 or 3\.13", readme)
