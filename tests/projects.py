"""A project on disk for the tests: a pyproject.toml (so the root never climbs above it) and files."""

from __future__ import annotations

from pathlib import Path
from typing import Union


def make(root: Path, files: dict[str, Union[str, bytes]], pyproject: str = "[tool.tokenlint]\n") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
    return root
