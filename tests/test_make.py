"""The two commands as a newcomer runs them: `make run` on another port, the Python versions
README promises matching what pyproject.toml accepts, and no noise of the project's own on the
way (setuptools' editable-install warning, runserver's messages printed twice)."""

import os
import re
import subprocess
import sys
import tomllib
import zipfile
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


def test_the_editable_install_warns_about_nothing(tmp_path):
    # What `make install` (pip install -e .) asks setuptools to build, with every warning shown.
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-W",
            "always",
            "-c",
            "import sys; from setuptools import build_meta; build_meta.build_editable(sys.argv[1])",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Warning" not in done.stderr
    assert "same name as your package" not in " ".join(done.stderr.split())
    # The install is one .pth line naming the project root, where the packages are.
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        (pth,) = [name for name in archive.namelist() if name.endswith(".pth")]
        assert Path(archive.read(pth).decode().strip()).resolve() == ROOT


def test_runserver_messages_print_once_under_the_dev_settings():
    # The autoreloader's logger, as `make run` (runserver, DEBUG on) configures logging.
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.utils.autoreload')"
        ".info('Watching for file changes with StatReloader')"
    )
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.dev", "LOG_LEVEL": "INFO"},
        capture_output=True,
        text=True,
        check=True,
    )
    output = done.stdout + done.stderr
    assert output.count("Watching for file changes") == 1, output
