"""Prompt observations of the labels next to what tokenlint's resolver knows about the prompt there.

    python bench/prompts.py [--split tune] [--app APP] [--tokenlint PATH] [--all-kinds]

The labels' `prompt_observations` (bench/study/labels/*.json: file, line, what) are places a
labeller read by hand. This lists those of the prompt-cache kind (dynamic text before static
instructions, a date or id in the system prompt, a long static prompt with no cache breakpoint:
chosen by words in `what`; `--all-kinds` lists every observation) and, for each, the call sites
that correspond to it -- a request within a few lines of it, or a request whose prompt is written
there (the cache prefix's expression, followed through names) -- with the resolver's facts for
that prompt: its pieces in order (S<chars> static, D<origin> dynamic, C a constant of unknown
length, U unknown; cut at 160 characters, `PIECES_WIDTH=N` in the environment widens it), and the
TKL301 / TKL302 / TKL305 findings in that file near the line or at that site. Where the labeller
estimated the static text after the first dynamic part (`static_chars_after`, labels from round 11
on), the observation is checked against the rule's own definition: the estimate in tokens (the
resolver's one estimator, tokens.estimate_tokens) beside the cache minimum of the site's model, so
"should fire" and "below the minimum, silence is right" are told apart. It runs tokenlint in
this process (the prompt facts are not in any output format) on the label file's scope, from the
snapshot root, as bench/study.py does. Nothing is asserted; the listing is for classifying by
reading why a prompt was not found.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from study import LABELS, SPLIT, SRC, _scope_config, chosen  # noqa: E402

CACHE_KIND = re.compile(r"cache|before|starts? with|at the start|near the start|dynamic|date|time\b|timestamp|"
                        r"interpolat|templated|prefix|in the middle", re.I)
RULES = ("TKL301", "TKL302", "TKL305")
NEAR = 5  # lines between an observation and a call site or finding that correspond


def pieces_text(pieces) -> str:  # type: ignore[no-untyped-def]
    out = []
    for p in pieces:
        if p.kind == "static":
            out.append(f"S{p.chars}")
        elif p.kind == "dynamic":
            out.append(f"D`{p.origin}`")
        else:
            out.append("C" if p.kind == "constant" else "U")
    text = " ".join(out)
    width = int(os.environ.get("PIECES_WIDTH", "160"))  # PIECES_WIDTH=100000: every piece, for classifying
    return text if len(text) < width else text[:width - 3] + "..."


def prompt_where(site):  # type: ignore[no-untyped-def]
    """(relpath, first line, last line) of where the site's cache prefix is written, followed through
    names to its text; None when the resolver has no prompt for it."""
    from tokenlint.resolve.pieces import resolve
    from tokenlint.resolve.prompts import prefix_of

    try:
        found = prefix_of(site)
    except RecursionError:
        return None
    if found is None or found[1] is None:
        return None
    node, scope = resolve(found[0], found[1])
    return scope.module.source.relpath, node.lineno, node.end_lineno or node.lineno


def describe(site, models) -> str:  # type: ignore[no-untyped-def]
    from tokenlint.resolve.prompts import cache_minimum, cache_prefix, caller_prefix

    sp, ms = site.system, site.messages
    head = (f"{site.kind:8} {site.provider}/{site.api} L{site.line} model={site.model.value or site.model.kind} "
            f"system={sp.kind if sp else '-'} messages={ms.kind if ms else '-'}")
    try:
        prefix = cache_prefix(site)
        via = caller_prefix(site) if site.kind == "wrapper" else None
    except RecursionError:
        return head + "  prefix=RecursionError"
    where = prompt_where(site)
    at = f" written {where[0]}:{where[1]}" if where else ""
    minimum, _ = cache_minimum(site, models)
    text = f"{head}\n        prefix{at} (min {minimum} tok): " + (pieces_text(prefix.pieces) if prefix else "none")
    if via is not None:
        text += "\n        via caller: " + pieces_text(via.pieces)
    return text


def by_definition(chars: int, near, models) -> str:  # type: ignore[no-untyped-def]
    """Whether TKL301's definition says the observation should fire, from the labeller's estimate of
    the static characters after the first dynamic part and the cache minimum of the nearest site's
    model (the catalog's default minimum when no site is near)."""
    from tokenlint.resolve.prompts import cache_minimum
    from tokenlint.resolve.tokens import estimate_tokens

    tokens = estimate_tokens(chars)
    minimum = cache_minimum(near[0], models)[0] if near else None
    if minimum is None:
        return f"label estimate: {chars} static chars after the dynamic part (~{tokens} tokens); no site to read a minimum from"
    verdict = "SHOULD FIRE by the definition" if tokens >= minimum else "below the cache minimum: silence is right"
    return f"label estimate: {chars} static chars after the dynamic part (~{tokens} tokens), minimum {minimum}: {verdict}"


def observe(app: dict, obs: list[dict], src: Path) -> None:
    from tokenlint.engine import analyse, rule_context
    from tokenlint.hierarchy import load_root, override_rules

    root = src / app["app"]
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        cfg_file = _scope_config(app, tmp)
        os.chdir(root)
        try:
            cfg = override_rules(load_root([Path(".")], cfg_file), RULES, (), ())
            result = analyse([Path(".")], cfg, jobs=1)
        finally:
            os.chdir(here)
    models = rule_context(cfg).models
    sites = result.sites
    findings = [f for f in result.findings if f.code in RULES]
    by_id = {s.id: s for s in sites}
    written = {}
    for s in sites:
        w = prompt_where(s) if s.kind in ("direct", "request", "wrapper") else None
        if w is not None:
            written[s.id] = w
    print(f"== {app['app']}: {len(sites)} sites, " + ", ".join(
        f"{c} {sum(f.code == c for f in findings)}" for c in RULES))
    for o in obs:
        print(f"-- {o['file']}:{o['line']}  {o['what'][:150]}")
        near = [s for s in sites if s.path == o["file"] and abs(s.line - o["line"]) <= NEAR]
        near += [s for s in sites if s not in near and s.id in written and written[s.id][0] == o["file"]
                 and written[s.id][1] - NEAR <= o["line"] <= written[s.id][2] + NEAR]
        if isinstance(o.get("static_chars_after"), (int, float)):
            print("     " + by_definition(int(o["static_chars_after"]), near, models))
        for s in near[:6]:
            print(f"     {s.path}:{s.line} " + describe(s, models))
        if not near:
            same = sorted({s.line for s in sites if s.path == o["file"]})
            print(f"     no site near; sites in the file at lines {same[:12]}")
        fired = [f for f in findings if (f.path == o["file"] and abs(f.row - o["line"]) <= NEAR)
                 or f.site_id in {s.id for s in near}]
        for f in fired:
            print(f"     FIRED {f.code} {f.path}:{f.row} {f.message[:140]}")
        if not fired:
            print("     fired: none")
    for f in findings:
        s = by_id.get(f.site_id)
        print(f"   finding {f.code} {f.path}:{f.row} (site {s.path + ':' + str(s.line) if s else '?'})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", default=str(SRC))
    ap.add_argument("--tokenlint", help="a tokenlint checkout to import instead of this one")
    ap.add_argument("--split", default="tune", choices=["tune", "holdout", "all"])
    ap.add_argument("--app", action="append")
    ap.add_argument("--all-kinds", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, args.tokenlint or str(HERE.parent))
    assignment = json.loads(SPLIT.read_text(encoding="utf-8")) if SPLIT.exists() else {}
    for path in sorted(LABELS.glob("*.json")):
        app = json.loads(path.read_text(encoding="utf-8"))
        name = app["app"]
        if (args.app and name not in args.app) or not chosen(name, args.split, assignment):
            continue
        obs = [o for o in app.get("prompt_observations", []) if args.all_kinds or CACHE_KIND.search(o["what"])]
        if obs:
            observe(app, obs, Path(args.src))


if __name__ == "__main__":
    main()
