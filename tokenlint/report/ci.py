"""Findings for CI systems: SARIF 2.1.0, GitHub workflow annotations, GitLab Code Quality, JUnit XML.

Every format carries the same stable fingerprint (see `fingerprints`), so code-scanning services
and the baseline recognise a finding after unrelated edits move its line.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Callable, Iterable, Optional

from tokenlint import __version__
from tokenlint.findings import Finding
from tokenlint.report.findings import NO_SINK_HINT, NO_SINK_ID, no_sink_hint
from tokenlint.report.safe import inline, uri_path


# xml.sax.saxutils would do, but importing it pulls in urllib.request, http.client and ssl (25 ms at
# every start, for a replayed run a tenth of the time)
def xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(s: str) -> str:
    s = xml_escape(s).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    return f'"{s}"'

RULE_URL = "https://github.com/tokenlint/tokenlint/blob/main/rules/{code}.md"

LinesOf = Callable[[str], list[str]]


def fingerprints(findings: list[Finding], lines_of: LinesOf) -> list[str]:
    """One stable id per finding: code, file, the whitespace-folded text of the finding's lines and
    an occurrence count among identical ones. Moving the code elsewhere in the file keeps it; editing
    the flagged code itself makes it a new finding."""
    seen: Counter[tuple[str, str, str]] = Counter()
    out = []
    for f in findings:
        lines = lines_of(f.path)
        text = " ".join("".join(lines[f.row - 1:f.end_row]).split()) if lines else f.message
        key = (f.code, f.path, text)
        n = seen[key]
        seen[key] += 1
        raw = f"{f.code}\x00{f.path}\x00{text}\x00{n}"
        out.append(hashlib.sha256(raw.encode("utf-8", errors="replace")).hexdigest()[:32])
    return out


def _rule_meta(code: str) -> dict:
    import inspect

    from tokenlint.rules import BY_CODE

    r = BY_CODE.get(code)
    if r is None:
        return {"id": code, "name": "unparsable-file" if code == "TKL000" else code,
                "shortDescription": {"text": "The file cannot be read, decoded or parsed."},
                "defaultConfiguration": {"level": "error"}}
    doc = inspect.cleandoc(r.__doc__ or "")
    what = doc.split("## Why is this bad?")[0].replace("## What it does", "").strip()
    return {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.name.replace("-", " ")},
        "fullDescription": {"text": " ".join(what.split())},
        "help": {"text": doc, "markdown": doc},
        "helpUri": RULE_URL.format(code=r.code),
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["llm-cost"], "fix": r.fix_safety or "none"},
    }


def _same(path: str) -> str:
    return path


def sarif(findings: list[Finding], lines_of: LinesOf, uri_base: Optional[str] = None,
          shown: Callable[[str], str] = _same, no_sink: bool = False) -> str:
    """SARIF 2.1.0; `shown` turns a finding's project-root path into the one to print (report.where).
    `no_sink`: the run's untagged-llm-call findings share the no-sink hint, carried once as a tool
    configuration notification of the run's invocation (code-scanning UIs list those) and as a run
    property."""
    codes = sorted({f.code for f in findings} | _all_codes())
    rules = [_rule_meta(c) for c in codes]
    index = {c: i for i, c in enumerate(codes)}
    results = []
    for f, fp in zip(findings, fingerprints(findings, lines_of)):
        result = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": "error" if f.code == "TKL000" else "warning",
            "message": {"text": inline(f.message)},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": uri_path(shown(f.path)), **({"uriBaseId": "%SRCROOT%"} if uri_base else {})},
                "region": {"startLine": f.row, "startColumn": f.column, "endLine": f.end_row,
                           "endColumn": max(f.end_column, 1)},
            }}],
            "partialFingerprints": {"tokenlint/v1": fp},
        }
        if f.fix is not None:
            result["properties"] = {"fix": f.fix.applicability, "fixTitle": inline(f.fix.message)}
        results.append(result)
    run: dict = {
        "tool": {"driver": {"name": "tokenlint", "version": __version__, "semanticVersion": __version__,
                            "informationUri": "https://github.com/tokenlint/tokenlint", "rules": rules}},
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    if uri_base:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": uri_base.rstrip("/") + "/"}}
    if no_sink_hint(findings, no_sink):
        untagged = sum(1 for f in findings if f.code == "TKL101")
        text = f"{untagged} untagged-llm-call finding{'s' if untagged != 1 else ''} and {NO_SINK_HINT}."
        run["invocations"] = [{"executionSuccessful": True, "toolConfigurationNotifications": [
            {"descriptor": {"id": NO_SINK_ID, "index": 0}, "level": "note", "message": {"text": text},
             "associatedRule": {"id": "TKL101", "index": index["TKL101"]}}]}]
        run["properties"] = {"attributionSinks": [], "attributionHint": text}
        run["tool"]["driver"]["notifications"] = [{"id": NO_SINK_ID, "shortDescription": {
            "text": "No attribution sink is configured or inferable, so untagged-llm-call has no fix"}}]
    doc = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=True) + "\n"


def _all_codes() -> set[str]:
    from tokenlint.rules import RULES

    return {r.code for r in RULES}


def _gh_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        s = s.replace(":", "%3A").replace(",", "%2C")
    return s


def github(findings: Iterable[Finding]) -> str:
    """GitHub Actions workflow commands: one annotation per finding on the PR's changed files."""
    out = []
    for f in findings:
        level = "error" if f.code == "TKL000" else "warning"
        props = (f"file={_gh_escape(inline(f.path), True)},line={f.row},col={f.column},endLine={f.end_row},"
                 f"endColumn={f.end_column},title={_gh_escape(f.code + ' ' + f.name, True)}")
        out.append(f"::{level} {props}::{_gh_escape(inline(f.code + ' ' + f.message))}")
    return "\n".join(out) + ("\n" if out else "")


def gitlab(findings: list[Finding], lines_of: LinesOf, shown: Callable[[str], str] = _same) -> str:
    """GitLab Code Quality report (a JSON array), shown in merge requests."""
    items = []
    for f, fp in zip(findings, fingerprints(findings, lines_of)):
        items.append({
            "description": inline(f"{f.code} {f.message}"),
            "check_name": f.code,
            "fingerprint": fp,
            "severity": "major" if f.code == "TKL000" else "minor",
            "location": {"path": inline(shown(f.path)), "lines": {"begin": f.row, "end": f.end_row}},
        })
    return json.dumps(items, indent=2, ensure_ascii=True) + "\n"


def junit(findings: list[Finding], files: list[str]) -> str:
    """JUnit XML: a test case per checked file, failed when it has findings."""
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(f.path, []).append(f)
    cases = []
    for path in sorted(set(files) | set(by_file)):
        fs = by_file.get(path, [])
        name = quoteattr(inline(path))
        if not fs:
            cases.append(f'    <testcase classname="tokenlint" name={name}/>')
            continue
        body = "\n".join(f"{f.row}:{f.column}: {f.code} {inline(f.message)}" for f in fs)
        msg = quoteattr((f"{len(fs)} finding{'s' if len(fs) != 1 else ''}"))
        cases.append(f'    <testcase classname="tokenlint" name={name}>\n'
                     f'      <failure message={msg}>{xml_escape(body)}</failure>\n    </testcase>')
    failures = sum(1 for p in by_file)
    total = len(set(files) | set(by_file))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n'
            f'  <testsuite name="tokenlint" tests="{total}" failures="{failures}" errors="0">\n'
            + "\n".join(cases) + "\n  </testsuite>\n</testsuites>\n")


def statistics(findings: list[Finding]) -> str:
    """Findings per rule, most frequent first, with how many `--fix` and `--fix --unsafe-fixes` would
    fix, and a total: where to start on a large code base."""
    counts = Counter((f.code, f.name) for f in findings)
    safe = Counter(f.code for f in findings if f.fix is not None and f.fix.applicability == "safe")
    unsafe = Counter(f.code for f in findings if f.fix is not None and f.fix.applicability != "safe")
    width = max((len(name) for _code, name in counts), default=0)
    rows = []
    for (code, name), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        notes = ([f"[*] {safe[code]} fixable with --fix"] if safe[code] else []) + \
                ([f"{unsafe[code]} fixable with --fix --unsafe-fixes"] if unsafe[code] else [])
        rows.append(f"{n:>5}  {code}  {name:<{width}}  {'; '.join(notes)}".rstrip())
    if rows:
        files = len({f.path for f in findings})
        rows.append(f"{len(findings):>5}  finding{'s' if len(findings) != 1 else ''} in "
                    f"{files} file{'s' if files != 1 else ''}")
    return "\n".join(rows) + ("\n" if rows else "")
