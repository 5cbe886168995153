"""The weekly spend report: the content of `spend.weekly.build` as the audit's content tree, rendered
as text, Markdown or self-contained HTML by the audit's renderers, or as JSON.

Nothing here computes spend: every figure comes from the report data; this module only chooses
words, order, links and charts. Strings from usage files (feature tags, model ids, paths) are data in
the tree and are escaped by the renderers.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

from tokenlint import __version__
from tokenlint.report.audit import (Badge, Bars, Cards, Heading, Link, Para, Strong, Table, Trend, _join, as_html,
                                    as_markdown, as_text, dollars, family, file_href, plural, slug)

SECTIONS = ("Summary", "Spend per week", "Features", "Model mix and tier policy", "Prompt caching",
            "Batch-eligible spend", "Floating and retired models", "Untagged spend", "Orphan tags",
            "Features with no spend", "Sources")


def pct(x: Optional[Decimal]) -> str:
    return "—" if x is None else f"{percent(x)}%"


def hit_rate(r: dict) -> str:
    """A feature's cache hit rate, and on which share of its input it is measured when not on all of it
    (the rest came from rows that say nothing about caching)."""
    cov = r.get("cache_coverage")
    if r["cache_hit"] is None or cov is None or cov >= 1:
        return pct(r["cache_hit"])
    return f"{pct(r['cache_hit'])} (cache data on {pct(cov)} of input tokens)"


def percent(x: Decimal) -> Decimal:
    """A ratio in percent as the report prints it (whole from 10%, one decimal under it), so a chart
    and the table beside it show the same figure."""
    v = Decimal(x) * 100
    return v.quantize(Decimal(1)) if abs(v) >= 10 or v == 0 else v.quantize(Decimal("0.1"))


def _change(r: dict) -> str:
    if r["previous"] == 0:
        return "new" if r["spend"] else "—"
    sign = "+" if r["change"] >= 0 else "-"
    return f"{sign}{dollars(abs(r['change']))} ({r['spend'] / r['previous']:.1f}x)"


def blocks(report: dict[str, Any], root: Path, out_dir: Path, title: str = "") -> list:
    """The whole spend report as a content tree (links relative to `out_dir`)."""

    def site(s: dict) -> Link:
        return Link(f"{s['path']}:{s['line']}", file_href(root, out_dir, s["path"], s["line"]))

    def finding(f: dict) -> list:
        return [Badge(f["code"], family(f["code"])), " ",
                Link(f"{f['path']}:{f['line']}", file_href(root, out_dir, f["path"], f["line"]))]

    def sites_cell(sites: list[dict], limit: int = 4) -> Any:
        if not sites:
            return "—"
        cell = _join([site(s) for s in sites[:limit]], ", ")
        return cell + ([f" +{len(sites) - limit}"] if len(sites) > limit else [])

    def findings_cell(fs: list[dict]) -> Any:
        seen, out = set(), []
        for f in fs:
            key = (f["code"], f["path"], f["line"])
            if key not in seen:
                seen.add(key)
                out.append(finding(f))
        return _join(out, ", ") if out else "—"

    out: list = []
    name = title or root.name or str(root)
    if report.get("week") is None:
        out.append(Heading(f"LLM spend: {name}", 1))
        out.append(Para(["No usage rows were read: nothing to report."]))
        out += _sources(report)
        return out
    sm = report["summary"]
    week = report["week"]
    out.append(Heading(f"LLM spend: {name}, week {week}", 1))
    out.append(Para([f"{report['range'][0]} to {report['range'][1]} (ISO week, UTC) against {report['previous']}"
                     f" · tokenlint {__version__}"], muted=True))
    # -- the one-minute summary
    out.append(Heading(SECTIONS[0]))
    change = sm["change"]
    out.append(Cards([
        (dollars(sm["total"]), f"spent in {week}", ""),
        (("+" if change >= 0 else "-") + dollars(abs(change)),
         f"vs {report['previous']}" + (f" ({pct(sm['change_ratio'])})" if sm["change_ratio"] is not None else ""),
         "warn" if change > 0 else "ok"),
        (pct(sm["untagged_share"]), "untagged", "error" if sm["untagged_share"] else "ok"),
        (str(len(sm["spikes"])), plural(len(sm["spikes"]), "spike", bare=True), "error" if sm["spikes"] else "ok"),
        (str(len(sm["low_cache"])), "low cache hit rate", "warn" if sm["low_cache"] else "ok"),
        (dollars(sm["batch_forgone"]), "batch discount forgone", "warn" if sm["batch_forgone"] else "ok"),
    ]))
    if sm["movers"]:
        out.append(Para([Strong("Top movers"), f" (change against {report['previous']})"]))
        out.append(Table(["feature", "spend", "previous", "change", "call sites"],
                         [[[m["label"]] + ([" ", Badge("spike", "error")] if m["spike"] else []),
                           dollars(m["spend"]), dollars(m["previous"]),
                           ("+" if m["change"] >= 0 else "-") + dollars(abs(m["change"])), sites_cell(m["sites"], 2)]
                          for m in sm["movers"]], frozenset({1, 2, 3}), frozenset({1, 2, 3})))
    if sm["savings"]:
        out.append(Para([Strong("Top savings"), " per week, and the finding whose fix unlocks each"]))
        out.append(Bars("Savings per week", "saving", [(f"{x['label']} ({x['what']})", x["dollars"])
                                                       for x in sm["savings"]], unit="USD / week", money=True))
        out.append(Table(["feature", "saving / week", "how", "fix"],
                         [[s["label"], dollars(s["dollars"]), s["what"], findings_cell(s["findings"])]
                          for s in sm["savings"]], frozenset({1}), frozenset({1})))
    else:
        out.append(Para(["No priced saving was found this week (batch candidates and prompt-cache problems "
                         "with spend)."]))
    out.append(Para(["Contents: "] + _join([Link(t, "#" + slug(t)) for t in SECTIONS], " · ")))

    # -- spend per week
    out.append(Heading(SECTIONS[1]))
    feats = report["features"]
    trend = report["trend"]
    series = [(label, values, f"c{i + 1}") for i, (label, values) in enumerate(trend["features"])]
    if any(trend["other"]):
        series.append(("other features", trend["other"], "c6"))
    series.append(("untagged", trend["untagged"], "error"))
    out.append(Trend("Spend per week: the top features, the rest, and untagged spend", trend["weeks"], series,
                     money=True))

    # -- features
    out.append(Heading(SECTIONS[2]))
    if not feats:
        out.append(Para(["No spend carries a feature or call-site tag."]))
    else:
        out.append(Bars(f"Spend per feature in {week}", "feature", [(r["label"], r["spend"]) for r in feats],
                        unit="USD", money=True, tones={r["label"]: "error" for r in feats if r["spike"]}))
        rows = []
        for r in feats:
            tk = r["tokens"]
            rows.append([[r["label"]] + ([" ", Badge("spike", "error")] if r["spike"] else [])
                         + ([" ", Badge(f"{r['unpriced_records']} unpriced", "warn")] if r["unpriced_records"] else []),
                         dollars(r["spend"]), _change(r), r["requests"],
                         f"{tk['input'] + tk['cache_read'] + tk['cache_write']:,}", f"{tk['output']:,}",
                         hit_rate(r), sites_cell(r["sites"])])
        out.append(Table(["feature", "spend", "change", "requests", "input tokens", "output tokens", "cache hit",
                          "call sites"], rows, frozenset({1, 2, 3, 4, 5, 6}), frozenset({1, 2, 3, 4, 5, 6})))
        s = report["settings"]
        out.append(Para([f"A spike is at least {s['spike_ratio']:g}x the previous week's spend and "
                         f"{dollars(s['spike_min'])} more ([tool.tokenlint.spend] spike-ratio, spike-min-dollars)."],
                        muted=True))

    # -- model mix
    out.append(Heading(SECTIONS[3]))
    mix_rows = []
    for r in feats:
        if not r["models"]:
            continue
        models = _join([[m["model"], f" {pct(m['share'])}"] + ([f" ({m['tier']})"] if m["tier"] else [])
                        + ([" ", Badge("outside policy", "error")] if m["outside_policy"] else [])
                        for m in r["models"]], ", ")
        policy = ", ".join(r["tier_policy"]) if r["tier_policy"] else "none (premium = large, frontier)"
        mix_rows.append([r["label"], models, pct(r["premium_share"]), policy, findings_cell(r["tier_findings"])])
    if mix_rows:
        out.append(Table(["feature", "models (share of spend, tier)", "premium share", "tier policy", "TKL204"],
                         mix_rows, frozenset({2}), frozenset({2})))
    else:
        out.append(Para(["No attributed spend names a model."]))

    # -- caching
    out.append(Heading(SECTIONS[4]))
    cache_rows = [r for r in feats if r["cache_hit"] is not None]
    absent = sm.get("cache_absent") or []
    if absent:  # a usage export without cache figures: unknown, never a 0% hit rate or a saving
        out.append(Para([Strong("Cache data is absent"), f" from the usage export for {len(absent)} "
                         f"{plural(len(absent), 'feature', bare=True)} ({', '.join(absent[:5])}"
                         f"{', ...' if len(absent) > 5 else ''}): their cache hit rate is unknown, not 0%, "
                         "and no cache finding or saving is drawn from them."]))
    if not cache_rows:
        out.append(Para(["No attributed spend reports its cache use." if absent
                         else "No attributed spend reports input tokens."]))
    else:
        out.append(Para([f"Cache hit rate = cache-read tokens / the input tokens of the rows that report their "
                         "cache use (rows without a cache figure are left out, and the share measured is shown "
                         "when it is not all of the input). Below "
                         f"{pct(report['settings']['cache_min'])} is flagged; the prompt-cache findings "
                         "(TKL301–TKL304) at the feature's call sites are the likely cause. The saving assumes "
                         "half of today's uncached input would be read from the cache."]))
        cache_sorted = sorted(cache_rows, key=lambda r: r["cache_hit"])
        out.append(Bars("Cache hit rate per feature (cache-read share of input tokens)", "feature",
                        [(r["label"], percent(r["cache_hit"])) for r in cache_sorted], unit="% of input",
                        tones={r["label"]: "error" for r in cache_sorted if r["cache_low"]}))
        out.append(Table(["feature", "cache hit", "cache read", "input (uncached)", "likely cause", "saving / week"],
                         [[r["label"], [Badge(hit_rate(r), "error" if r["cache_low"] else "ok")],
                           f"{r['tokens']['cache_read']:,}", f"{r['tokens']['input']:,}",
                           findings_cell(r["cache_causes"]) if r["cache_low"] else "—",
                           dollars(r["cache_saving"]) if r["cache_saving"] and r["cache_low"] else "—"]
                          for r in sorted(cache_rows, key=lambda r: r["cache_hit"])],
                         frozenset({2, 3, 5}), frozenset({1, 2, 3, 5})))

    # -- batch
    out.append(Heading(SECTIONS[5]))
    batch_rows = [r for r in feats if r["batch_eligible"] is not None]
    if not batch_rows:
        out.append(Para(["No spend reached a batch candidate (TKL401)."]))
    else:
        out.append(Para(["Spend at synchronous calls in offline loops (TKL401) that the provider's batch API "
                         "would bill at its discount."]))
        out.append(Table(["feature", "eligible spend", "forgone / week", "finding"],
                         [[r["label"], dollars(r["batch_eligible"]),
                           dollars(r["batch_forgone"]) if r["batch_forgone"] is not None else "unknown discount",
                           findings_cell(r["batch_findings"])] for r in batch_rows],
                         frozenset({1, 2}), frozenset({1, 2})))

    # -- models
    out.append(Heading(SECTIONS[6]))
    if not report["models"]:
        out.append(Para(["No floating or retired model received spend."]))
    else:
        out.append(Table(["model", "status", "spend", "successor", "features", "findings (TKL201, TKL203)"],
                         [[m["model"], [Badge(m["status"], "error" if "retire" in m["status"] else "warn")],
                           dollars(m["spend"]), m["successor"] or "—", ", ".join(m["features"]) or "—",
                           findings_cell(m["findings"])] for m in report["models"]],
                         frozenset({2}), frozenset({2})))

    # -- untagged
    out.append(Heading(SECTIONS[7]))
    un = report["untagged"]
    out.append(Para([Strong(dollars(un["spend"])), f" ({pct(un['share'])}) of {week}'s spend is attributed to no "
                     "feature or call site. A provider's total comes from its billing export when one is given "
                     "(never added to gateway logs); what the gateway logs do not attribute is untagged."]))
    if un["by_provider"]:
        out.append(Table(["provider", "total", "from", "attributed", "untagged"],
                         [[g["provider"], dollars(g["total"]), g["total_from"], dollars(g["attributed"]),
                           [dollars(g["untagged"])] + ([" ", Badge(f"gateway exceeds billing by {dollars(g['over'])}",
                                                                   "warn")] if g["over"] else [])]
                          for g in un["by_provider"]], frozenset({1, 3, 4}), frozenset({1, 3})))
    if un["by_model"]:
        out.append(Table(["model", "untagged spend", "requests", "untagged call sites using it", "TKL101 / TKL102"],
                         [[m["model"], [Badge(f"unpriced ({m['unpriced_records']} rows)", "warn")]
                           if m["unpriced_records"] and not m["spend"] else
                           [dollars(m["spend"])] + ([" ", Badge(f"+ {m['unpriced_records']} unpriced", "warn")]
                                                    if m["unpriced_records"] else []),
                           m["requests"], sites_cell(m["candidates"]),
                           findings_cell(m["findings"])] for m in un["by_model"]],
                         frozenset({1, 2}), frozenset({1, 2})))

    # -- orphans
    out.append(Heading(SECTIONS[8]))
    orphans = report["orphans"] + report["orphan_sites"]
    if not orphans:
        out.append(Para(["Every tag in the spend names a feature or call site of the code."]))
    else:
        out.append(Para(["Tags in the spend that name no feature or call site of this code: a renamed feature, "
                         "or code outside these paths."]))
        out.append(Table(["tag", "spend this week", "weeks seen"],
                         [[o["tag"], dollars(o["spend"]), ", ".join(o["weeks"])] for o in orphans],
                         frozenset({1}), frozenset({1})))

    # -- no spend
    out.append(Heading(SECTIONS[9]))
    if not report["tags_in_spend"]:
        out.append(Para(["No usage file carries feature tags, so features without spend cannot be told apart."]))
    elif not report["no_spend"]:
        out.append(Para(["Every feature of the code has spend."]))
    else:
        out.append(Para(["Features of the code with no spend in a tag-carrying export over the period read: "
                         "dead code, another deployment, or calls that lost their tag on the way."]))
        out.append(Table(["feature", "call sites"], [[x["feature"], sites_cell(x["sites"])] for x in report["no_spend"]]))
    out += _sources(report)
    out.append(Para([f"Generated by tokenlint {__version__}. Costs are the exports' own where they report one, else "
                     "list prices from tokenlint's model catalog (`tokenlint models`) with its cache and batch "
                     "rates; a model without a price counts as unpriced, never as zero."], muted=True))
    return out


def _sources(report: dict[str, Any]) -> list:
    out: list = [Heading(SECTIONS[10])]
    rows = []
    for f in report["files"]:
        unit = "item" if f.get("rows_are") == "item" else "line"
        probs = [f"{p['kind']}: {p['count']} (first at {unit} {p['first_row']}"
                 + (f": {p['detail']}" if p["detail"] else "") + ")" for p in f["problems"]]
        if f["error"]:
            probs.insert(0, f"error{' at line ' + str(f['error_line']) if f.get('error_line') else ''}: {f['error']}")
        basis = ", ".join(f"{n} {b}" for b, n in f.get("cost_basis", {}).items()) or "—"
        rows.append([f["path"], f["format"] or "—", f["kind"] or "—", f["rows"], f["records"], basis,
                     [Badge("; ".join(probs), "warn")] if probs else "—"])
    out.append(Table(["file", "format", "kind", "rows", "records", "cost basis", "problems"], rows,
                     frozenset({3, 4}), frozenset({1, 2, 3, 4})))
    out.append(Para(["Cost basis: reported by the export, computed from the catalog's list prices, or unknown "
                     "(no price: unpriced, never counted as $0)."], muted=True))
    return out


def _plain(x: Any) -> Any:
    if isinstance(x, Decimal):
        return str(x)
    if isinstance(x, (set, frozenset)):
        return sorted(x)
    raise TypeError(type(x).__name__)


def as_json(report: dict[str, Any]) -> str:
    """Amounts as exact decimal strings (US dollars), ratios as decimal strings."""
    return json.dumps({"tokenlint_version": __version__, **report}, indent=2, default=_plain,
                      ensure_ascii=True) + "\n"


def render(report: dict[str, Any], fmt: str, root: Path, out_dir: Path) -> str:
    if fmt == "json":
        return as_json(report)
    tree = blocks(report, root, out_dir)
    return {"html": as_html, "markdown": as_markdown, "text": as_text}[fmt](tree)
