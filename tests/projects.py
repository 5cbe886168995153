"""A project on disk for the tests: a pyproject.toml (so the root never climbs above it) and files.

The default pyproject.toml names an attribution sink (helicone), as a team that reads spend per
feature does: TKL101 then offers its fix (an `extra_headers` Helicone property) on untagged calls."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Mapping, Optional, Union


DEFAULT_PYPROJECT = '[tool.tokenlint]\nattribution = ["helicone"]\n'


def write(root: Path, files: Mapping[str, Union[str, bytes]]) -> None:
    """Each file at its path under `root` (folders made as needed); text as UTF-8, bytes as given."""
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")


def make(root: Path, files: dict[str, Union[str, bytes]], pyproject: str = DEFAULT_PYPROJECT) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    write(root, files)
    return root


def line_of(path: Path, text: str) -> int:
    """The first line (1-based) of the file at `path` holding `text`: a fixture's site, found by its text."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, t in enumerate(lines, 1) if text in t)


def analysed_sites(root: Path, files: dict[str, Union[str, bytes]]) -> list:
    """The call sites tokenlint finds in a project of `files` made at `root` (with the default config),
    asserting that every file was analysed without an error."""
    from tokenlint.config import Config
    from tokenlint.engine import analyse

    make(root, files)
    result = analyse([root], Config(), root=root)
    assert not [f.error for f in result.files if f.error]
    return result.sites


def rule_findings(root: Path, code: str, today: Optional[dt.date] = None) -> list[tuple[str, int, str]]:
    """(path, line, message) of each finding of rule `code` on the project at `root`, sorted: that rule
    alone selected, on a fixed day (2026-12-06) unless told."""
    from tokenlint.config import Config
    from tokenlint.engine import analyse

    result = analyse([root], Config(select=(code,)), root=root, today=today or dt.date(2026, 12, 6))
    return sorted((f.path, f.row, f.message) for f in result.findings if f.code == code)


def rule_rows(root: Path, code: str, path: str = "app.py") -> list[int]:
    """The lines of the findings of rule `code` in the file at `path` (see `rule_findings`)."""
    return [row for p, row, _ in rule_findings(root, code) if p == path]


def one_file_rows(root: Path, source: str, code: str) -> list[int]:
    """The lines rule `code` reports in a project made at `root` holding `source` alone, as app.py."""
    return rule_rows(make(root, {"app.py": source}), code)


def shuffle_analysis(monkeypatch, seed: int) -> None:  # type: ignore[no-untyped-def]
    """Hand every round's files to the analysis in another order (a seeded shuffle)."""
    from tokenlint import engine

    original = engine._Batch.analyse
    rng = random.Random(seed)

    def analyse(self, paths):  # type: ignore[no-untyped-def]
        paths = list(paths)
        rng.shuffle(paths)
        return original(self, paths)

    monkeypatch.setattr(engine._Batch, "analyse", analyse)
