"""Helpers shared by the rule tests: a project on disk and a project model catalog."""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def project(root: Path, files: dict[str, str], pyproject: str = "") -> Path:
    """`files` written under `root`, with a pyproject.toml so the root never climbs above it."""
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return root


def catalog(path: Path, *entries: dict) -> Path:
    """A project model catalog (the `model-catalog` setting) with these entries."""
    blocks = []
    for e in entries:
        fields = {"provider": "openai", "kind": "snapshot", "source": "acme gateway docs", "checked": "2026-11-01", **e}
        blocks.append("[[model]]\n" + "".join(f'{k} = "{v}"\n' for k, v in fields.items()))
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def prompt_findings(root: Path) -> list:
    """TKL301 / TKL302 findings of the project at `root`, on a fixed day."""
    from tokenlint.config import Config
    from tokenlint.engine import analyse

    return analyse([root], Config().with_overrides(select=("TKL301", "TKL302")), root=root,
                   today=dt.date(2026, 12, 5)).findings


def marked(text: str) -> list[tuple[str, int]]:
    """(code number, line) of each line of `text` ending with a `# 301` / `# 302` marker."""
    return sorted((mark, n) for n, line in enumerate(text.splitlines(), 1)
                  for mark in ("301", "302") if line.rstrip().endswith("# " + mark))
