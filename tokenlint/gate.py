"""The CI gate's filters: a baseline of accepted findings, and only the lines a pull request touched."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Optional

from tokenlint import __version__
from tokenlint.findings import Finding
from tokenlint.report.ci import LinesOf, fingerprints

BASELINE_VERSION = 1


class GateError(ValueError):
    """A one-line, user-facing problem with --baseline or --diff-base."""


# ------------------------------------------------------------------ baseline


def write_baseline(path: Path, findings: list[Finding], lines_of: LinesOf) -> None:
    from tokenlint.fsutil import atomic_write_text

    entries = [{"fingerprint": fp, "code": f.code, "path": f.path, "line": f.row, "message": f.message}
               for f, fp in zip(findings, fingerprints(findings, lines_of))]
    doc = {"tokenlint_baseline": BASELINE_VERSION, "tokenlint_version": __version__, "findings": entries}
    atomic_write_text(path, json.dumps(doc, indent=2, ensure_ascii=True) + "\n")


BaselineKey = tuple[str, str, str]
"""(code, path, fingerprint): an entry hides a finding only when all three match, so what a baseline
file says it accepts (its readable code and path, reviewed in the pull request) is what it hides."""


def read_baseline(path: Path) -> Counter[BaselineKey]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GateError(f"{path}: baseline file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GateError(f"{path}: cannot read baseline: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GateError(f"{path}: baseline is not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(doc, dict) or "tokenlint_baseline" not in doc:
        raise GateError(f"{path}: not a tokenlint baseline (no 'tokenlint_baseline' key)")
    if doc["tokenlint_baseline"] != BASELINE_VERSION:
        raise GateError(f"{path}: baseline version {doc['tokenlint_baseline']!r} is not supported "
                        f"(expected {BASELINE_VERSION}); write a new one with --write-baseline")
    entries = doc.get("findings")
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and all(isinstance(e.get(k), str) for k in ("fingerprint", "code", "path"))
            for e in entries):
        raise GateError(f"{path}: baseline 'findings' must be a list of objects with a 'fingerprint', "
                        "a 'code' and a 'path'")
    return Counter((e["code"], e["path"], e["fingerprint"]) for e in entries)


def subtract_baseline(findings: list[Finding], accepted: Counter[BaselineKey], lines_of: LinesOf) -> list[Finding]:
    left = Counter(accepted)
    out = []
    for f, fp in zip(findings, fingerprints(findings, lines_of)):
        key = (f.code, f.path, fp)
        if left[key] > 0:
            left[key] -= 1
            continue
        out.append(f)
    return out


# ------------------------------------------------------------------ diff base


def _git(args: list[str], cwd: Path) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=str(cwd), capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise GateError("--diff-base needs git, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise GateError(f"git {' '.join(args)} timed out") from None
    if proc.returncode != 0:
        msg = (proc.stderr or proc.stdout).strip().splitlines()
        raise GateError(msg[0] if msg else f"git {' '.join(args)} failed")
    return proc.stdout


_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def changed_lines(ref: str, root: Path) -> dict[str, Optional[set[int]]]:
    """Lines added or changed since `git merge-base REF HEAD`, per path relative to `root`.

    None for a file that is new (every line counts)."""
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], root).strip())
    except GateError:
        raise GateError(f"--diff-base: {root} is not inside a git repository") from None
    try:
        base = _git(["merge-base", ref, "HEAD"], top).strip()
    except GateError:
        raise GateError(f"--diff-base: unknown git ref '{ref}'") from None
    diff = _git(["diff", "--no-color", "--no-ext-diff", "-U0", "--no-renames", base, "--", "."], top)
    out: dict[str, Optional[set[int]]] = {}
    current: Optional[str] = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            current = None if name == "/dev/null" else name[2:] if name.startswith("b/") else name
            if current is not None:
                out.setdefault(current, set())
        elif line.startswith("--- /dev/null") and current is None:
            pass
        elif current is not None:
            m = _HUNK.match(line)
            if m:
                start, count = int(m.group(1)), int(m.group(2) or "1")
                lines = out[current]
                if lines is not None:
                    lines.update(range(start, start + count))
    # untracked files are new too
    for name in _git(["ls-files", "--others", "--exclude-standard"], top).splitlines():
        out[name] = None
    # re-key relative to the analysis root
    rel: dict[str, Optional[set[int]]] = {}
    for name, lines in out.items():
        try:
            rel[(top / name).resolve().relative_to(root.resolve()).as_posix()] = lines
        except ValueError:
            continue
    return rel


def only_changed(findings: list[Finding], changed: dict[str, Optional[set[int]]]) -> list[Finding]:
    out = []
    for f in findings:
        if f.path not in changed:
            continue
        lines = changed[f.path]
        if lines is None or any(r in lines for r in range(f.row, f.end_row + 1)):
            out.append(f)
    return out
