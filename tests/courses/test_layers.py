"""Models sit at the bottom: nothing in a models module imports the layers above it, not even
inside a function (import-linter counts those too)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODELS = [*sorted((ROOT / "courses" / "models").glob("*.py")), ROOT / "home" / "models.py"]
ABOVE = (
    "courses.views",
    "courses.rendered",
    "courses.structure",
    "courses.selectors",
    "courses.services",
    "courses.api",
    "courses.wagtail_hooks",
    "courses.templatetags",
)


def imported(path: Path) -> set[str]:
    """Every module an import statement anywhere in the file names (from-imports include the
    names imported, which may be modules)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_models_import_nothing_from_the_layers_above():
    assert len(MODELS) > 5
    for path in MODELS:
        upward = {name for name in imported(path) for layer in ABOVE if name.startswith(layer)}
        assert upward == set(), path.relative_to(ROOT)
