"""The CI gate's filters: a baseline of accepted findings, and only the lines a pull request touched."""

from __future__ import annotations

import json
import os
import re
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


def _git(args: list[str], cwd: Path) -> bytes:
    from tokenlint.gitinfo import GitError, run

    try:
        return run(args, cwd)
    except GitError as exc:
        missing = "not installed" in str(exc)
        raise GateError("--diff-base needs git, which is not installed" if missing else str(exc)) from None


_HUNK = re.compile(rb"^@@@* -\d+(?:,\d+)? .*?\+(\d+)(?:,(\d+))? @@")
# what `git diff` must print whatever the user's or repository's settings: text diffs of every file
# (a `-diff` or `binary` attribute, or a textconv driver, would hide the lines), fixed a/ b/ prefixes
_DIFF = ["-c", "diff.noprefix=false", "-c", "diff.mnemonicprefix=false", "-c", "diff.relative=false",
         "diff", "--no-color", "--no-ext-diff", "--no-textconv", "--text", "--no-renames",
         "--src-prefix=a/", "--dst-prefix=b/", "--ignore-submodules=none"]


def changed_lines(ref: str, root: Path) -> dict[str, Optional[set[int]]]:
    """Lines added or changed since `git merge-base REF HEAD`, per path relative to `root`.

    None for a file that counts as wholly changed: new, untracked, or one whose hunks cannot be read
    (a changed file is never taken as unchanged)."""
    from tokenlint.gitinfo import fsdecode_z

    try:
        top = Path(os.fsdecode(_git(["rev-parse", "--show-toplevel"], root).rstrip(b"\n")))
    except GateError:
        raise GateError(f"--diff-base: {root} is not inside a git repository") from None
    try:
        base = _git(["merge-base", ref, "HEAD"], top).decode("ascii", "replace").strip()
    except GateError:
        raise GateError(f"--diff-base: unknown git ref '{ref}'") from None
    status = fsdecode_z(_git([*_DIFF, "-z", "--name-status", base, "--", "."], top))
    names = [status[i + 1] for i in range(0, len(status) - 1, 2) if status[i] != "D"]
    changed = [status[i + 1] for i in range(0, len(status) - 1, 2)]
    out: dict[str, Optional[set[int]]] = dict.fromkeys(names)
    hunks = _hunks(_git([*_DIFF, "-U0", base, "--", "."], top), changed)
    for name in names:
        out[name] = hunks.get(name)
    for name in fsdecode_z(_git(["ls-files", "-z", "--others", "--exclude-standard"], top)):
        out[name] = None  # untracked files are new too
    # re-key relative to the analysis root
    rel: dict[str, Optional[set[int]]] = {}
    real_root = root.resolve()
    for name, lines in out.items():
        try:
            rel[(top / name).resolve().relative_to(real_root).as_posix()] = lines
        except (ValueError, OSError):
            continue
    return rel


def _hunks(diff: bytes, names: list[str]) -> dict[str, set[int]]:
    """The new-side line numbers of each file's hunks, for the files whose section of `diff` could be
    told apart: sections come in the order of `--name-status`, and each one's header must name its
    file. Any doubt (a count or a header that does not match) leaves the file out: wholly changed."""
    sections: list[list[bytes]] = []
    for line in diff.split(b"\n"):
        if line.startswith(b"diff --git "):
            sections.append([line])
        elif sections:
            sections[-1].append(line)
    if len(sections) != len(names):
        return {}
    out: dict[str, set[int]] = {}
    for name, section in zip(names, sections):
        if not _header_names(section[0], name):
            continue
        lines: set[int] = set()
        ok = True
        for line in section[1:]:
            if line.startswith(b"@@"):
                m = _HUNK.match(line)
                if m is None:
                    ok = False
                    break
                start, count = int(m.group(1)), int(m.group(2) or b"1")
                lines.update(range(start, start + count))
            elif line.startswith((b"Binary files ", b"GIT binary patch")):
                ok = False
                break
        if ok:
            out[name] = lines
    return out


def _header_names(header: bytes, name: str) -> bool:
    raw = os.fsencode(name)
    return header in (b"diff --git a/" + raw + b" b/" + raw,
                      b'diff --git "a/' + _c_quote(raw) + b'" "b/' + _c_quote(raw) + b'"')


def _c_quote(raw: bytes) -> bytes:
    """A name as git quotes it in headers when it holds `"`, `\\` or control characters."""
    named = {0x07: b"a", 0x08: b"b", 0x09: b"t", 0x0A: b"n", 0x0B: b"v", 0x0C: b"f", 0x0D: b"r",
             0x22: b'"', 0x5C: b"\\"}
    out = bytearray()
    for c in raw:
        if c in named:
            out += b"\\" + named[c]
        elif c < 0x20 or c == 0x7F:
            out += b"\\%03o" % c
        else:
            out.append(c)
    return bytes(out)


def only_changed(findings: list[Finding], changed: dict[str, Optional[set[int]]]) -> list[Finding]:
    out = []
    for f in findings:
        if f.path not in changed:
            continue
        lines = changed[f.path]
        if lines is None or any(r in lines for r in range(f.row, f.end_row + 1)):
            out.append(f)
    return out
