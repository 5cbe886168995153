"""The resolver package keeps its shape: each module opens with the question it answers, and the
modules import one another without a circle (only `resolver` composes the others)."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

import tokenlint.resolve

PACKAGE = Path(tokenlint.resolve.__file__).parent
MODULES = sorted(p for p in PACKAGE.glob("*.py"))


def _runtime_imports(path: Path) -> set[str]:
    """Sibling modules `path` imports at run time (imports under `if TYPE_CHECKING:` excluded)."""
    deps = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tokenlint.resolve."):
            deps.add(node.module.rpartition(".")[2])
    return deps


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_module_opens_with_what_it_answers(path: Path) -> None:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert doc, f"{path.name} has no opening docstring"


def test_no_import_circles() -> None:
    graph = {p.stem: _runtime_imports(p) for p in MODULES}
    graphlib.TopologicalSorter(graph).prepare()  # raises CycleError on a circle
    used_by_others = {d for name, deps in graph.items() if name != "resolver" for d in deps}
    assert "resolver" not in used_by_others

