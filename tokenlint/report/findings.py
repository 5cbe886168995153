"""Findings as text (`path:line:col: CODE message`) and JSON (the shape ruff users' tools read)."""

from __future__ import annotations

import json
from typing import Iterable

from tokenlint.findings import Finding
from tokenlint.report.safe import clean


def text(findings: Iterable[Finding], show_fixes: bool = False) -> str:
    lines = []
    for f in findings:
        mark = " [*]" if f.fix is not None else ""
        lines.append(f"{clean(f.path)}:{f.row}:{f.column}: {f.code}{mark} {clean(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def as_json(findings: Iterable[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=True) + "\n"


def summary(findings: list[Finding], files: int) -> str:
    if not findings:
        return f"All checks passed ({files} file{'s' if files != 1 else ''} checked)."
    fixable = sum(1 for f in findings if f.fix is not None)
    s = f"Found {len(findings)} error{'s' if len(findings) != 1 else ''} in {files} file{'s' if files != 1 else ''} checked."
    if fixable:
        s += f"\n[*] {fixable} fixable with `--fix`."
    return s
