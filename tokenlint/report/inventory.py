"""The inventory: call sites grouped by feature, for people (text, Markdown) and programs (JSON, CSV).

Framework model bindings (`ChatOpenAI(...)`) are listed apart, each with the requests made on it;
the requests, wrapper and facade calls are what features aggregate."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable, Optional

from tokenlint import __version__
from tokenlint.attribution import Attribution
from tokenlint.features import name_for
from tokenlint.report.safe import inline, inline_all, md_cell, md_text, one_line
from tokenlint.resolve.site import CallSite
from tokenlint.resolve.unresolved import Unresolved

UNTAGGED = None

SITE_FIELDS = ("id", "path", "line", "column", "end_line", "end_column", "provider", "sdk", "api", "kind",
               "confidence", "function", "class", "model", "feature", "async", "stream", "in_loop", "binding")


def _provider_text(s: dict[str, Any]) -> str:
    """A site's provider, or for a call that may reach several ("multi") all of them: `groq|openai`."""
    return "|".join(s.get("providers") or ()) if s["provider"] == "multi" else s["provider"]


def _model_name(s: CallSite) -> str:
    return s.model.value or (f"<{s.model.kind}>" if s.model.kind != "literal" else "")


def bucket(s: CallSite) -> str:
    """tagged: a literal or constant feature; forwarded: the tag is a parameter of the enclosing
    wrapper (its callers carry the feature); dynamic: computed per request; untagged: none."""
    if s.feature is not None:
        return "tagged"
    if s.tag is None or s.tag.kind == "missing":
        return "untagged"
    return "forwarded" if s.tag.kind == "parameter" else "dynamic"


_BUCKET_ORDER = {"tagged": 0, "forwarded": 1, "dynamic": 2, "untagged": 3}


def spending(s: CallSite) -> bool:
    """Whether a site is a call (direct, wrapper, framework request, facade) rather than a framework
    model binding, which chooses a model and is listed apart, with the requests made on it."""
    return s.kind != "binding"


def bindings(sites: list[CallSite]) -> list[dict[str, Any]]:
    """One entry per framework model binding: where it is, what it chooses, the requests on it (ids,
    and grouped by the feature they are listed under)."""
    on: dict[str, list[CallSite]] = defaultdict(list)
    for s in sites:
        if s.kind == "request":
            for bid in s.bindings or ((s.binding,) if s.binding else ()):
                on[bid].append(s)
    out = []
    for b in sites:
        if b.kind != "binding":
            continue
        reqs = on.get(b.id, [])
        groups: dict[tuple[str, Any], list[str]] = defaultdict(list)
        for s in reqs:
            groups[(bucket(s), s.feature)].append(s.id)
        out.append({
            "id": b.id, "path": b.path, "line": b.line, "constructor": b.constructor, "provider": b.provider,
            "api": b.api, "model": _model_name(b), "requests": [s.id for s in reqs],
            "features": sorted({s.feature for s in reqs if s.feature is not None}),
            "untagged_requests": sum(1 for s in reqs if bucket(s) == "untagged"),
            "by_feature": [{"feature": k[1], "bucket": k[0], "requests": groups[k]}
                           for k in sorted(groups, key=lambda k: (_BUCKET_ORDER[k[0]], k[1] or ""))],
        })
    return out


def build(sites: list[CallSite], root: Path, files_analysed: int, errors: int = 0,
          attribution: Optional[Attribution] = None, unresolved: Iterable[Unresolved] = ()) -> dict[str, Any]:
    """The inventory document; `unresolved`: the places that look like LLM requests but are no site."""
    not_resolved = [u.as_dict() for u in sorted(unresolved, key=lambda u: (u.path, u.line, u.kind))]
    features: dict[tuple[str, Any], list[CallSite]] = defaultdict(list)
    for s in sites:
        if spending(s):
            features[(bucket(s), s.feature)].append(s)
    feats = []
    for key in sorted(features, key=lambda k: (_BUCKET_ORDER[k[0]], k[1] or "")):
        group = features[key]
        feats.append({
            "feature": key[1],
            "bucket": key[0],
            "call_sites": len(group),
            "direct": sum(1 for s in group if s.kind == "direct"),
            "wrapper": sum(1 for s in group if s.kind == "wrapper"),
            "request": sum(1 for s in group if s.kind == "request"),
            "facade": sum(1 for s in group if s.kind == "facade"),
            "providers": sorted({p for s in group for p in (s.providers or (s.provider,))}),
            "models": sorted({_model_name(s) for s in group}),
            "files": sorted({s.path for s in group}),
        })
    summary = {
        "files_analysed": files_analysed,
        "files_with_call_sites": len({s.path for s in sites}),
        "files_with_errors": errors,
        "call_sites": len(sites),
        "direct": sum(1 for s in sites if s.kind == "direct"),
        "wrapper": sum(1 for s in sites if s.kind == "wrapper"),
        "request": sum(1 for s in sites if s.kind == "request"),
        "facade": sum(1 for s in sites if s.kind == "facade"),
        "bindings": sum(1 for s in sites if s.kind == "binding"),
        "inferred": sum(1 for s in sites if s.confidence == "inferred"),
        "untagged": sum(1 for s in sites if bucket(s) == "untagged" and s.spends),
        "untagged_kinds": dict(Counter(s.kind for s in sites if bucket(s) == "untagged" and s.spends)),
        "dynamic_tags": sum(1 for s in sites if bucket(s) == "dynamic"),
        "forwarded_tags": sum(1 for s in sites if bucket(s) == "forwarded"),
        "features": len({s.feature for s in sites if s.feature is not None and spending(s)}),
        # calls only: a binding chooses a model, the requests made on it are what is counted
        "by_provider": dict(sorted(Counter(s.provider for s in sites if spending(s)).items())),
        "by_api": dict(sorted(Counter(s.api for s in sites if spending(s)).items())),
        "by_model": dict(sorted(Counter(_model_name(s) for s in sites if spending(s)).items())),
        "not_resolved": len(not_resolved),
    }
    out = {
        "tokenlint_version": __version__,
        "root": str(root),
        "call_sites": [{**s.as_dict(), "bucket": bucket(s)} for s in sites],
        "features": feats,
        "summary": summary,
        "attribution": _attribution(attribution or Attribution()),
        "not_resolved": not_resolved,
    }
    if summary["bindings"]:
        out["bindings"] = bindings(sites)
    return out


def only_unresolved(inv: dict[str, Any]) -> dict[str, Any]:
    """The inventory reduced to its \"not resolved\" places (`tokenlint inventory --unresolved`)."""
    return {**inv, "call_sites": [], "features": [], "only_unresolved": True}


def _attribution(att: Attribution) -> dict[str, Any]:
    """Which sinks TKL101 judged tags against, and why (configured, inferred from what, or none)."""
    return {**att.as_dict(), "summary": att.summary()}


def attribution_line(inv: dict[str, Any]) -> str:
    att = inv.get("attribution")
    return f"attribution sinks: {att['summary']}" if isinstance(att, dict) and att.get("summary") else ""


def feature_names(sites: list[CallSite], features: tuple = ()) -> list[dict[str, Any]]:
    """One row per function that spends tokens: the feature name TKL101's fix would write there,
    why (configured paths, route, task, command, method, module and function), and the tags its
    calls already carry, for review before a team applies --fix."""
    rows: dict[tuple[str, Any, Any], dict[str, Any]] = {}
    for s in sites:
        if not s.spends:
            continue
        key = (s.path, s.cls, s.function)
        row = rows.get(key)
        if row is None:
            name, why = name_for(s, features)
            row = rows[key] = {"feature": name, "why": why, "path": s.path, "line": s.line,
                               "function": ".".join(x for x in (s.cls, s.function) if x) or "<module>",
                               "call_sites": 0, "untagged": 0, "tagged_as": []}
        row["call_sites"] += 1
        row["untagged"] += bucket(s) == "untagged"
        if s.feature is not None and s.feature not in row["tagged_as"]:
            row["tagged_as"].append(s.feature)
    return sorted(rows.values(), key=lambda r: (r["feature"], r["path"], r["line"]))


def features_as_text(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "No function spends tokens: no feature name to review.\n"
    out = ["Feature names TKL101's fix writes, one per function (review them before --fix --unsafe-fixes;",
           "set [tool.tokenlint.features.<name>] paths = [...] to choose others):", ""]
    width = min(max(len(r["feature"]) for r in rows), 40)
    for r in rows:
        tagged = f"; tagged as {', '.join(r['tagged_as'])}" if r["tagged_as"] else ""
        out.append(f"  {inline(r['feature']):<{width}}  {inline(r['path'])}:{r['line']} {inline(r['function'])}"
                   f"  ({r['why']}; {_plural(r['call_sites'], 'call site')}, {r['untagged']} untagged{inline(tagged)})")
    return "\n".join(out) + "\n"


def as_json(inv: dict[str, Any]) -> str:
    return json.dumps(inline_all(inv), indent=2, ensure_ascii=True) + "\n"


def as_csv(inv: dict[str, Any]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    cols = list(SITE_FIELDS) + ["model_kind", "spends", "target"]
    w.writerow(cols)
    for s in inv["call_sites"]:
        row = []
        for c in cols:
            if c == "model":
                v = s["model"]["value"]
            elif c == "model_kind":
                v = s["model"]["kind"]
            else:
                v = s.get(c)
            if isinstance(v, bool):
                v = "true" if v else "false"
            row.append(_csv_safe("" if v is None else str(v)))
        w.writerow(row)
    for u in inv.get("not_resolved", ()):  # a row each: kind "not-resolved", what was seen as the api, why as function
        row_of = {"path": u["path"], "line": u["line"], "kind": "not-resolved", "api": u["kind"], "function": u["detail"]}
        w.writerow([_csv_safe(str(row_of.get(c, ""))) for c in cols])
    return buf.getvalue()


def _csv_safe(v: str) -> str:
    # spreadsheet formula injection: a cell from the analysed code never starts a formula
    v = inline(v)
    return "'" + v if v[:1] in ("=", "+", "-", "@") else v


def _where(s: dict[str, Any]) -> str:
    owner = ".".join(x for x in (s.get("class"), s.get("function")) if x) or "<module>"
    return f"{s['path']}:{s['line']} {owner}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _short(qualname: str) -> str:
    """`pkg.mod.Class.method` -> `Class.method`, `pkg.mod.func` -> `func`: the name as the caller
    wrote it, not a module path longer than the rest of the line (the JSON has it whole)."""
    parts = qualname.split(".")
    keep = 1
    while keep < len(parts) and parts[-keep - 1][:1].isupper():
        keep += 1
    return ".".join(parts[-keep:])


def _flags(s: dict[str, Any], by_id: dict[str, dict[str, Any]] | None = None) -> str:
    flags = []
    if s["kind"] == "wrapper":
        flags.append(f"via wrapper {one_line(_short(s['wrapper']), 60)}" if s.get("wrapper") else "via wrapper")
    if s["kind"] == "facade":
        flags.append(f"via facade {one_line(_short(s['wrapper']), 60)}" if s.get("wrapper") else "via facade")
    if s["kind"] == "request":
        b = (by_id or {}).get(s.get("binding") or "")
        flags.append(f"on {one_line(b.get('constructor') or 'model', 40)} at {inline(b['path'])}:{b['line']}" if b
                     else "on a model built elsewhere")
    if len(s.get("alternatives") or ()) > 1:
        flags.append("or " + one_line(", ".join(s["alternatives"][1:]), 80))
    if s["confidence"] == "inferred":
        flags.append("inferred")
    if s["async"]:
        flags.append("async")
    if s["stream"]:
        flags.append("stream")
    if s["in_loop"]:
        flags.append("in loop")
    if not s["spends"]:
        flags.append("no spend")
    if s.get("removed"):
        flags.append("cannot run: " + one_line(s["removed"], 80))
    return ", ".join(flags)


def _model_text(s: dict[str, Any]) -> str:
    m = s["model"]
    if m["value"]:
        pin = {True: "", False: " (floating)", None: ""}[m.get("pinned")]
        return f"{m['value']}{pin} [{'SDK default' if m['kind'] == 'missing' else m['kind']}]"
    return f"<{m['kind']}>"


def _by_bucket(inv: dict[str, Any]) -> dict[tuple[str, Any], list[dict[str, Any]]]:
    out: dict[tuple[str, Any], list[dict[str, Any]]] = defaultdict(list)
    for s in inv["call_sites"]:
        if s["kind"] != "binding":
            out[(s["bucket"], s["feature"])].append(s)
    return out


# How to read the text and Markdown inventories (the README says the same at more length).
LEGEND = (
    ("(forwarded)", "tag taken from a parameter of the function; its callers are listed \"via wrapper\""),
    ("(dynamic)", "tag computed per request"),
    ("via wrapper F", "a call of your function F, which calls the LLM (provider, model: F's call)"),
    ("on M at F:L", "a request (invoke, stream, embed...) on the framework model built at F:L"),
    ("via facade F", "a call of your base-class method F, resolved to its subclasses' LLM calls"),
    ("or ...", "the other models or implementations the call may use (fallbacks, subclasses)"),
    ("[literal] [constant]", "model name written at the call / a named constant"),
    ("[env] [config]", "model from an environment variable's default / a setting"),
    ("[SDK default]", "no model given: the SDK's default model"),
    ("<parameter> <dynamic>", "model passed in by the caller / computed at run time"),
    ("<config> <missing>", "model read from settings / not given, default unknown"),
    ("(floating)", "an alias the provider can point at another model"),
    ("inferred", "the client was recognised by its name or by evidence in the file, not followed to its creation"),
    ("no spend", "a call that costs no tokens (token counting, session set-up)"),
    ("cannot run", "an SDK method the SDK version the project requires no longer has: it raises, sends nothing"),
)


def _no_spend(sites: list[dict[str, Any]]) -> str:
    """The untagged count leaves out calls that cost nothing (token counting): say so where they are
    listed, or the header's "64 untagged" and the group's 76 call sites look like a mistake."""
    n = sum(1 for s in sites if not s["spends"])
    return f" ({n} spend{'s' if n == 1 else ''} no tokens)" if n else ""


def _kinds(sm: dict[str, Any]) -> str:
    parts = [f"{sm['direct']} direct"]
    if sm.get("request"):
        parts.append(f"{sm['request']} on framework models")
    parts.append(f"{sm['wrapper']} through wrappers")
    if sm.get("facade"):
        parts.append(f"{sm['facade']} through facades")
    return ", ".join(parts)


_UNTAGGED_KINDS = (("direct", "direct"), ("request", "on framework models"), ("wrapper", "through wrappers"),
                   ("facade", "through facades"), ("binding", "model bindings"))


def _untagged_kinds(sm: dict[str, Any]) -> str:
    """What the untagged count counts: call sites of every kind, so the call inside a wrapper and each
    call through it count apart, where `check`'s TKL101 reports a wrapper's callers only when the
    wrapper takes a tag parameter they leave out, and no facade site."""
    kinds = sm.get("untagged_kinds") or {}
    if set(kinds) <= {"direct"}:  # each a call of its own: the two counts agree
        return ""
    parts = [f"{kinds[k]} {words}" for k, words in _UNTAGGED_KINDS if kinds.get(k)]
    return (f" (call sites of every kind: {', '.join(parts)}; check's TKL101 reports a wrapper's callers only "
            "when it takes a tag parameter, and no facade site)")


def _header(sm: dict[str, Any], untagged: list[dict[str, Any]]) -> str:
    calls = sm["call_sites"] - sm.get("bindings", 0)
    return (f"{_plural(calls, 'call site')} ({_kinds(sm)}) "
            f"in {sm['files_with_call_sites']} of {_plural(sm['files_analysed'], 'file')}; "
            f"{_plural(sm['features'], 'feature')}; {sm['untagged']} untagged"
            + (" that spend tokens" if _no_spend(untagged) else "") + _untagged_kinds(sm)
            + (f"; {_plural(sm['bindings'], 'model binding')}" if sm.get("bindings") else ""))


def _binding_line(b: dict[str, Any], site: dict[str, Any]) -> str:
    """`ChatOpenAI at app/llm.py:12 -- 14 requests in 6 features` and the model it chooses."""
    n = len(b["requests"])
    feats = f" in {_plural(len(b['features']), 'feature')}" if b["features"] else ""
    untagged = f", {b['untagged_requests']} untagged" if b["untagged_requests"] else ""
    return (f"{one_line(b.get('constructor') or 'model', 40)} at {inline(_where(site))} -- "
            f"{_plural(n, 'request')}{feats}{untagged}; {site['provider']} {one_line(_model_text(site), 70)}")


SHOWN = 3  # request places listed per feature under a binding; the rest are counted


def _binding_groups(b: dict[str, Any], sites: dict[str, dict[str, Any]]) -> list[str]:
    """Under a binding, its requests by feature: `faq: app/faq.py:5 answer, app/bot.py:9 reply, +2 more`."""
    out = []
    for g in b.get("by_feature") or ():
        places = [inline(_where(sites[i])) for i in g["requests"] if i in sites]
        more = f", +{len(places) - SHOWN} more" if len(places) > SHOWN else ""
        title = inline(g["feature"]) if g["feature"] is not None else f"({g['bucket']})"
        out.append(f"{title}: {', '.join(places[:SHOWN])}{more}")
    return out


def binding_features(b: dict[str, Any]) -> str:
    """`faq 3, (untagged) 2`: a binding's requests counted by feature (Markdown)."""
    return ", ".join(f"{g['feature'] if g['feature'] is not None else '(' + g['bucket'] + ')'} {len(g['requests'])}"
                     for g in b.get("by_feature") or ())


def _unresolved_title(n: int) -> str:
    return f"not resolved: {_plural(n, 'place')} that look{'s' if n == 1 else ''} like LLM requests but were not resolved"


def as_text(inv: dict[str, Any]) -> str:
    sm = inv["summary"]
    by_feature = _by_bucket(inv)
    nr = inv.get("not_resolved", [])
    if inv.get("only_unresolved"):
        out = [f"tokenlint inventory of {inline(inv['root'])}", _unresolved_title(len(nr)), ""]
        out += [f"  {inline(u['path'])}:{u['line']}  {u['kind']}  {one_line(u['detail'], 120)}" for u in nr]
        return "\n".join(out).rstrip() + "\n"
    out = [f"tokenlint inventory of {inline(inv['root'])}", _header(sm, by_feature[("untagged", None)])]
    if attribution_line(inv):
        out.append(inline(attribution_line(inv)))
    out.append("")
    by_id = {s["id"]: s for s in inv["call_sites"] if s["kind"] == "binding"}
    for f in inv["features"]:
        name = f["feature"]
        title = inline(name) if name is not None else f"({f['bucket']})"
        n = f["call_sites"]
        out.append(f"{title}: {_plural(n, 'call site')}{_no_spend(by_feature[(f['bucket'], name)])}; "
                   f"providers {', '.join(f['providers'])}; "
                   f"models {', '.join(one_line(m, 60) for m in f['models'])}")
        for s in by_feature[(f["bucket"], name)]:
            flags = _flags(s, by_id)
            out.append(f"  {inline(_where(s))}  {inline(_provider_text(s))} {s['api']}  {one_line(_model_text(s), 70)}"
                       + (f"  ({flags})" if flags else ""))
        out.append("")
    if inv.get("bindings"):
        out.append("model bindings (framework models: each chooses a model), with their requests by feature:")
        every = {s["id"]: s for s in inv["call_sites"]}
        for b in inv["bindings"]:
            out.append(f"  {_binding_line(b, by_id[b['id']])}")
            out += [f"      {line}" for line in _binding_groups(b, every)]
        out.append("")
    if nr:
        out.append(_unresolved_title(len(nr)))
        out += [f"  {inline(u['path'])}:{u['line']}  {u['kind']}  {one_line(u['detail'], 120)}" for u in nr]
        out.append("")
    if sm["by_provider"]:
        out.append("providers: " + ", ".join(f"{k} {v}" for k, v in sm["by_provider"].items()))
        width = max(len(k) for k, _ in LEGEND)
        out += ["", "legend:"] + [f"  {k:<{width}}  {v}" for k, v in LEGEND]
    return "\n".join(out).rstrip() + "\n"


def _unresolved_markdown(nr: list[dict[str, Any]]) -> list[str]:
    out = ["", "## Not resolved", "", f"{_plural(len(nr), 'place')} that look like LLM requests but were not resolved "
           "into call sites: read them before taking the counts above as complete.", "",
           "| where | kind | why |", "|---|---|---|"]
    return out + [f"| {md_text(u['path'] + ':' + str(u['line']))} | {u['kind']} | {md_cell(u['detail'])} |" for u in nr]


def as_markdown(inv: dict[str, Any]) -> str:
    sm = inv["summary"]
    nr = inv.get("not_resolved", [])
    if inv.get("only_unresolved"):
        return "\n".join(["# LLM requests not resolved"] + _unresolved_markdown(nr)[1:]) + "\n"
    calls = sm["call_sites"] - sm.get("bindings", 0)
    out = ["# LLM call-site inventory", "",
           f"**{calls}** call site{'' if calls == 1 else 's'} ({_kinds(sm)}) in **{sm['files_with_call_sites']}** of "
           f"{_plural(sm['files_analysed'], 'file')} · **{sm['features']}** feature{'' if sm['features'] == 1 else 's'}"
           f" · **{sm['untagged']}** untagged" + (" that spend tokens" if _no_spend(_by_bucket(inv)[("untagged", None)])
                                                   else "")
           + (f" · **{sm['bindings']}** model binding{'' if sm['bindings'] == 1 else 's'}" if sm.get("bindings")
              else ""), ""]
    if attribution_line(inv):
        out += [md_text(attribution_line(inv)), ""]
    out += ["| feature | call sites | providers | models | files |", "|---|---:|---|---|---:|"]
    for f in inv["features"]:
        name = md_cell(f["feature"]) if f["feature"] is not None else f"_({f['bucket']})_"
        out.append(f"| {name} | {f['call_sites']} | {', '.join(f['providers'])} | "
                   f"{md_cell(', '.join(f['models']))} | {len(f['files'])} |")
    by_feature = _by_bucket(inv)
    by_id = {s["id"]: s for s in inv["call_sites"] if s["kind"] == "binding"}
    for f in inv["features"]:
        name = md_cell(f["feature"]) if f["feature"] is not None else f"({f['bucket']})"
        out += ["", f"## {name}", "", "| where | provider | api | model | notes |", "|---|---|---|---|---|"]
        for s in by_feature[(f["bucket"], f["feature"])]:
            out.append(f"| {md_text(_where(s))} | {md_cell(_provider_text(s))} | {s['api']} | {md_cell(_model_text(s))} | "
                       f"{md_text(_flags(s, by_id))} |")
    if inv.get("bindings"):
        out += ["", "## Model bindings", "", "| model object | where | provider | model | requests | by feature |",
                "|---|---|---|---|---:|---|"]
        for b in inv["bindings"]:
            site = by_id[b["id"]]
            out.append(f"| {md_cell(b.get('constructor') or 'model')} | {md_text(_where(site))} | {site['provider']} | "
                       f"{md_cell(_model_text(site))} | {len(b['requests'])} | {md_cell(binding_features(b))} |")
    if nr:
        out += _unresolved_markdown(nr)
    if sm["by_provider"]:
        out += ["", "## Providers", "", "| provider | call sites |", "|---|---:|"]
        out += [f"| {k} | {v} |" for k, v in sm["by_provider"].items()]
        out += ["", "## Legend", ""] + [f"- {md_text(k)}: {md_text(v)}" for k, v in LEGEND]
    return "\n".join(out) + "\n"


RENDERERS = {"json": as_json, "csv": as_csv, "text": as_text, "markdown": as_markdown}
