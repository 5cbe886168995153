"""Read `# site: key=value ...` markers from fixture files and compare them with resolved sites."""

from __future__ import annotations

import re
from pathlib import Path

MARKER = re.compile(r"#\s*site:\s*(?P<body>.*)$")


def read_markers(path: Path) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = MARKER.search(line)
        if not m:
            continue
        fields: dict[str, str] = {}
        for tok in m.group("body").split():
            if "=" in tok:
                k, v = tok.split("=", 1)
                fields[k] = v
        out[i] = fields
    return out


def site_fields(site) -> dict[str, str]:
    def b(x: bool) -> str:
        return "true" if x else "false"

    return {
        "provider": site.provider,
        "providers": ",".join(site.providers),
        "api": site.api,
        "sdk": site.sdk,
        "model": site.model.value or "",
        "model_kind": site.model.kind,
        "feature": site.feature or "",
        "async": b(site.is_async),
        "stream": b(site.stream),
        "in_loop": b(site.in_loop),
        "kind": site.kind,
        "confidence": site.confidence,
        "backend": site.backend or "",
        "bindings": str(len(site.bindings)),  # request sites: how many model bindings they are linked to
    }


def compare(path: Path, rel: str, sites) -> list[str]:
    """Differences between the markers of `path` and the sites reported for it (empty when equal)."""
    expected = read_markers(path)
    got: dict[int, list] = {}
    for s in sites:
        if s.path == rel:
            got.setdefault(s.line, []).append(s)
    problems = []
    for line in sorted(set(expected) - set(got)):
        problems.append(f"{rel}:{line}: missed site {expected[line]}")
    for line in sorted(set(got) - set(expected)):
        s = got[line][0]
        problems.append(f"{rel}:{line}: false site {s.provider} {s.api} ({s.kind}, {s.confidence})")
    for line in sorted(set(got) & set(expected)):
        want = expected[line]
        best = None
        for s in got[line]:
            have = site_fields(s)
            diff = {k: (v, have.get(k)) for k, v in want.items() if have.get(k) != v}
            if best is None or len(diff) < len(best):
                best = diff
        if best:
            problems.append(f"{rel}:{line}: " + ", ".join(f"{k} want {w!r} got {g!r}" for k, (w, g) in best.items()))
    return problems
