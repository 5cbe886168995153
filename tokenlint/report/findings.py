"""Findings as text (`path:line:col: CODE message`) and JSON (the shape ruff users' tools read)."""

from __future__ import annotations

import json
from typing import Iterable

from tokenlint.findings import Finding
from tokenlint.report.safe import clean


def _fixable(f: Finding, unsafe: bool) -> bool:
    return f.fix is not None and (f.fix.applicability == "safe" or unsafe)


def text(findings: Iterable[Finding], unsafe: bool = False) -> str:
    lines = []
    for f in findings:
        mark = " [*]" if _fixable(f, unsafe) else ""
        lines.append(f"{clean(f.path)}:{f.row}:{f.column}: {f.code}{mark} {clean(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def as_json(findings: Iterable[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=True) + "\n"


def summary(findings: list[Finding], files: int, fixed: int = 0, unsafe: bool = False) -> str:
    plural = "s" if files != 1 else ""
    lines = []
    if fixed:
        lines.append(f"Fixed {fixed} error{'s' if fixed != 1 else ''}.")
    if not findings:
        lines.append(f"All checks passed ({files} file{plural} checked).")
        return "\n".join(lines)
    lines.append(f"Found {len(findings)} error{'s' if len(findings) != 1 else ''} in {files} file{plural} checked.")
    fixable = sum(1 for f in findings if _fixable(f, unsafe))
    hidden = sum(1 for f in findings if f.fix is not None and not _fixable(f, unsafe))
    if fixable:
        lines.append(f"[*] {fixable} fixable with `--fix`{' --unsafe-fixes' if unsafe else ''}.")
    if hidden:
        lines.append(f"({hidden} more fix{'es' if hidden != 1 else ''} available with `--unsafe-fixes`.)")
    return "\n".join(lines)
