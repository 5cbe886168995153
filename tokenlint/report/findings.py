"""Findings as text (`path:line:col: CODE message`) and JSON (the shape ruff users' tools read)."""

from __future__ import annotations

import json
from typing import Iterable

from tokenlint.findings import Finding
from tokenlint.report.safe import inline


def _fixable(f: Finding, unsafe: bool) -> bool:
    return f.fix is not None and (f.fix.applicability == "safe" or unsafe)


def text(findings: Iterable[Finding], unsafe: bool = False) -> str:
    lines = []
    for f in findings:
        mark = " [*]" if _fixable(f, unsafe) else ""
        lines.append(f"{inline(f.path)}:{f.row}:{f.column}: {f.code}{mark} {inline(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


# The hint every untagged-llm-call finding shares when the project names no attribution sink and none
# can be inferred: said once per run (text summary, SARIF notification), or on each such finding (JSON).
NO_SINK_ID = "no-attribution-sink"
NO_SINK_HINT = ("no attribution sink configured or inferable: set [tool.tokenlint] attribution to have them "
                "fixed, see `tokenlint rule untagged-llm-call`")


def no_sink_hint(findings: Iterable[Finding], no_sink: bool) -> bool:
    """Whether the run's output carries the no-sink hint: no sink, and an untagged-llm-call finding."""
    return no_sink and any(f.code == "TKL101" for f in findings)


def as_json(findings: Iterable[Finding], no_sink: bool = False) -> str:
    """ruff's shape, a list of findings; with `no_sink`, each untagged-llm-call finding carries the
    run's hint as a `hint` object (`id`, `message`), since a list has no top level to hold it."""
    out = []
    for f in findings:
        d = f.as_dict()
        d["filename"], d["message"] = inline(f.path), inline(f.message)
        if d["fix"] is not None:
            d["fix"]["message"] = inline(d["fix"]["message"])  # its edits are code, applied as they are
        if no_sink and f.code == "TKL101":
            d["hint"] = {"id": NO_SINK_ID, "message": NO_SINK_HINT}
        out.append(d)
    return json.dumps(out, indent=2, ensure_ascii=True) + "\n"


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 'es' if word.endswith('x') else 's'}"


def summary(findings: list[Finding], files: int, fixed: int = 0, unsafe: bool = False, hidden_by: str = "",
            hidden: int = 0, skipped: str = "", too_large: int = 0, no_sink: bool = False) -> str:
    """ruff's closing lines, in tokenlint's words: what was fixed, what was found where, what `--fix`
    would do, how many known findings `--baseline` / `--diff-base` (`hidden_by`) left out, and why
    files were not checked (`skipped`: why a run checked none; `too_large`: files over the cap), and once
    per run the hint every TKL101 finding shares when no attribution sink is known (`no_sink`)."""
    lines = []
    if fixed:
        lines.append(f"Fixed {_n(fixed, 'finding')}.")
    if not files:
        lines.append(f"No files checked ({skipped or 'no Python files found'}).")
    elif not findings:
        lines.append(f"All checks passed ({_n(files, 'file')} checked).")
    else:
        in_files = len({f.path for f in findings})
        where = _n(files, "file") if in_files == files else f"{in_files} of {_n(files, 'file')}"
        lines.append(f"Found {_n(len(findings), 'finding')} in {where} checked.")
    if hidden:
        lines.append(f"({_n(hidden, 'finding')} {hidden_by} not shown.)")
    if too_large:
        lines.append(f"({_n(too_large, 'file')} over max-file-size, reported as TKL000 and not analysed.)")
    untagged = sum(1 for f in findings if f.code == "TKL101")
    if no_sink and untagged:
        # worded without " TKL" (a space, then a code), which tools reading the output take for a finding line
        lines.append(f"({_n(untagged, 'untagged-llm-call finding')} and {NO_SINK_HINT}.)")
    fixable = sum(1 for f in findings if _fixable(f, unsafe))
    more = sum(1 for f in findings if f.fix is not None and not _fixable(f, unsafe))
    if fixable:
        lines.append(f"[*] {fixable} fixable with `--fix{' --unsafe-fixes' if unsafe else ''}`.")
    if more:
        lines.append(f"({_n(more, 'more fix' if fixable else 'fix')} available with `--fix --unsafe-fixes`; "
                     "`--diff --unsafe-fixes` shows them first.)")
    return "\n".join(lines)
