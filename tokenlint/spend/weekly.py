"""The weekly spend report's content, computed from the ledger and the code: one ISO week (UTC)
against the week before, per feature.

Billing exports give each provider-week's total, attribution exports split it by feature; the two
are never added: the part of a billing total no feature or call site accounts for is untagged spend.
Everything here is data (dicts, Decimals); `report/spend.py` renders it and decides nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Optional

from tokenlint.catalog import ModelCatalog
from tokenlint.spend.join import (CACHE_SEEN, COST, INPUT, OUTPUT, READ, RECORDS, REQUESTS, WRITE, ZERO, Code, Ledger,
                                  known_input, shift, week_start)
from tokenlint.spend.pricing import Pricer

CACHE_CODES = ("TKL301", "TKL302", "TKL303", "TKL304")
MODEL_CODES = ("TKL201", "TKL203")
PREMIUM = ("large", "frontier")
HISTORY = 8
CACHE_TARGET = Decimal("0.5")  # the savings estimate: half the uncached input read from the cache


@dataclass(frozen=True)
class Settings:
    week: Optional[str] = None  # default: the latest week with spend
    spike_ratio: Decimal = Decimal(3)
    spike_min: Decimal = Decimal(50)
    cache_min: Decimal = Decimal("0.2")
    today: dt.date = field(default_factory=dt.date.today)
    warning_days: int = 90


def _site_ref(s: dict) -> dict:
    owner = ".".join(x for x in (s.get("class"), s.get("function")) if x) or "<module>"
    return {"id": s["id"], "path": s["path"], "line": s["line"], "function": owner,
            "feature": s.get("feature"), "model": (s.get("model") or {}).get("value")}


def _finding_ref(f: dict) -> dict:
    return {"code": f["code"], "name": f.get("name", ""), "message": f.get("message", ""), "path": f["filename"],
            "line": f["location"]["row"], "column": f["location"].get("column", 1), "site_id": f.get("site_id")}


def _ratio(part: Any, whole: Any) -> Optional[Decimal]:
    return (Decimal(part) / Decimal(whole)) if whole else None


class _Row:
    __slots__ = ("feature", "site", "weeks", "models", "tokens", "requests", "unpriced", "batch_spend", "cache_seen",
                 "known_input")

    def __init__(self, feature: Optional[str], site: Optional[str]) -> None:
        self.feature, self.site = feature, site
        self.weeks: dict[str, Decimal] = defaultdict(lambda: ZERO)
        self.models: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)  # week's (provider, model)
        self.tokens = [0, 0, 0, 0]  # week's input, read, write, output
        self.requests: dict[str, int] = defaultdict(int)
        self.unpriced = 0
        self.batch_spend = ZERO
        self.cache_seen = 0  # week's records that carry a cache figure: none, and the hit rate is unknown
        self.known_input = 0  # week's uncached input of those records: the hit rate is over them only


def build(ledger: Ledger, code: Code, catalog: ModelCatalog, pricer: Pricer, batch: dict,
          tiers: dict[str, tuple[str, ...]], settings: Settings, files: list[dict]) -> dict[str, Any]:
    weeks = ledger.weeks()
    week = settings.week or (weeks[-1] if weeks else None)
    if week is None:
        return {"week": None, "files": files, "empty": True}
    prev = shift(week, -1)
    history = [w for w in (shift(week, -i) for i in range(HISTORY - 1, -1, -1)) if w >= weeks[0] or w == prev]

    # -- which records count, per provider-week
    by_pw: dict[tuple[str, str], dict[str, Any]] = {}
    for key, acc in ledger.sums.items():
        w, kind, _source, provider = key[0], key[1], key[2], key[3]
        pw = by_pw.setdefault((w, provider), {"billing": False, "attribution": False, "reported": False,
                                              "billing_reported": ZERO, "billing_computed": ZERO,
                                              "attribution_total": ZERO})
        if kind == "billing":
            pw["billing"] = True
            if key[8] == "reported":
                pw["reported"] = True
                pw["billing_reported"] += acc[COST]
            else:
                pw["billing_computed"] += acc[COST]
        else:
            pw["attribution"] = True
            pw["attribution_total"] += acc[COST]
    for pw in by_pw.values():
        billing_total = pw["billing_reported"] if pw["reported"] else pw["billing_computed"]
        pw["total"] = billing_total if pw["billing"] else pw["attribution_total"]
        pw["split_by"] = "attribution" if pw["attribution"] else "billing"

    rows: dict[tuple, _Row] = {}
    attributed: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    untagged_models: dict[tuple[str, str], list] = defaultdict(lambda: [ZERO, 0, 0])  # cost, requests, unpriced
    orphans: dict[str, dict] = {}
    orphan_sites: dict[str, dict] = {}
    tags_seen = False
    for key, acc in ledger.sums.items():
        w, kind, _source, provider, feature, site, model, is_batch, basis = key
        pw = by_pw[(w, provider)]
        if kind != pw["split_by"]:
            continue
        # billing with a reported cost (a cost export) gives the dollars; a usage export of the same
        # provider-week gives only its tokens, else the two would be added
        cost = ZERO if kind == "billing" and pw["reported"] and basis != "reported" else acc[COST]
        if feature is None and site is not None and site in code.sites:
            feature = code.sites[site].get("feature")
        if feature is not None or site is not None:
            tags_seen = True
        if feature is None and site is None:
            if w == week:
                um = untagged_models[(provider, model)]
                um[0] += cost
                um[1] += acc[REQUESTS]
                if basis == "unknown":
                    um[2] += acc[RECORDS]
            continue
        if feature is not None and feature not in code.by_feature:
            o = orphans.setdefault(feature, {"tag": feature, "spend": ZERO, "requests": 0, "weeks": set()})
            o["weeks"].add(w)
            if w == week:
                o["spend"] += cost
                o["requests"] += acc[REQUESTS]
        if site is not None and site not in code.sites:
            o = orphan_sites.setdefault(site, {"tag": site, "spend": ZERO, "requests": 0, "weeks": set()})
            o["weeks"].add(w)
            if w == week:
                o["spend"] += cost
        rk = (feature, None) if feature is not None else (None, site)
        row = rows.get(rk)
        if row is None:
            row = rows[rk] = _Row(*rk)
        row.weeks[w] += cost
        row.requests[w] += acc[REQUESTS]
        attributed[(w, provider)] += cost
        if w == week:
            row.models[(provider, model)] += cost
            row.tokens[0] += acc[INPUT]
            row.tokens[1] += acc[READ]
            row.tokens[2] += acc[WRITE]
            row.tokens[3] += acc[OUTPUT]
            row.cache_seen += acc[CACHE_SEEN]
            row.known_input += known_input(acc)
            if basis == "unknown":
                row.unpriced += acc[RECORDS]
            if is_batch:
                row.batch_spend += cost

    # -- totals per week, and the untagged gap
    totals = []
    for w in history:
        total = sum((pw["total"] for (pw_w, _p), pw in by_pw.items() if pw_w == w), ZERO)
        attr = sum((v for (a_w, _p), v in attributed.items() if a_w == w), ZERO)
        totals.append({"week": w, "total": total, "attributed": attr, "untagged": max(total - attr, ZERO)})
    this = next(t for t in totals if t["week"] == week)
    before = next(t for t in totals if t["week"] == prev)
    gaps = []
    for (w, provider), pw in sorted(by_pw.items()):
        if w != week:
            continue
        attr = attributed.get((w, provider), ZERO)
        gaps.append({"provider": provider, "total": pw["total"], "attributed": attr,
                     "untagged": max(pw["total"] - attr, ZERO), "total_from": "billing" if pw["billing"] else "gateway",
                     "over": max(attr - pw["total"], ZERO)})

    # -- per-row analysis
    feature_rows = []
    for rk, row in rows.items():
        feature_rows.append(_feature_row(row, week, prev, code, catalog, pricer, batch, tiers, settings))
    feature_rows.sort(key=lambda r: (-r["spend"], r["label"]))

    # untagged spend per model, with the untagged call sites that use the model
    untagged_sites = [s for s in code.sites.values() if s.get("spends", True) and not s.get("feature")]
    by_model = []
    for (provider, model), (cost, requests, unpriced) in sorted(untagged_models.items(), key=lambda kv: -kv[1][0]):
        cands = [_site_ref(s) for s in untagged_sites if _same_model(pricer, catalog, s, model)]
        by_model.append({"provider": provider, "model": model or "(none)", "spend": cost, "requests": requests,
                         "unpriced_records": unpriced,
                         "candidates": cands, "findings": [_finding_ref(f) for s in cands
                                                           for f in code.findings_at.get(s["id"], [])
                                                           if f["code"] in ("TKL101", "TKL102")]})

    models = _model_rows(rows, week, code, catalog, pricer, settings)
    has_tags = tags_seen or any(f.get("kind") == "attribution" and f.get("records") for f in files)
    no_spend = []
    if has_tags:
        for feature, sites in sorted(code.by_feature.items()):
            if (feature, None) not in rows or all(v == 0 for v in rows[(feature, None)].weeks.values()):
                no_spend.append({"feature": feature, "sites": [_site_ref(s) for s in sites]})

    # the chart's series: the five largest features over the weeks shown, the rest, untagged
    shown = [t["week"] for t in totals]
    top = [r for r in feature_rows if any(r["history"].get(w) for w in shown)][:5]
    top_series = [(r["label"], [r["history"].get(w, ZERO) for w in shown]) for r in top]
    trend = {"weeks": shown, "features": top_series,
             "other": [t["attributed"] - sum((v[i] for _, v in top_series), ZERO) for i, t in enumerate(totals)],
             "untagged": [t["untagged"] for t in totals]}

    movers = sorted((r for r in feature_rows if r["change"] != 0), key=lambda r: -abs(r["change"]))[:5]
    savings = _savings(feature_rows)
    change = this["total"] - before["total"]
    return {
        "week": week, "previous": prev, "history": history,
        "range": [str(_monday(week)), str(_monday(week) + dt.timedelta(days=6))],
        "settings": {"spike_ratio": settings.spike_ratio, "spike_min": settings.spike_min,
                     "cache_min": settings.cache_min},
        "summary": {
            "total": this["total"], "previous_total": before["total"], "change": change,
            "change_ratio": _ratio(change, before["total"]),
            "untagged": this["untagged"], "untagged_share": _ratio(this["untagged"], this["total"]),
            "spikes": [r["label"] for r in feature_rows if r["spike"]],
            "low_cache": [r["label"] for r in feature_rows if r["cache_low"]],
            "cache_absent": [r["label"] for r in feature_rows if not r["cache_data"] and r["spend"]],
            "movers": [{"label": r["label"], "spend": r["spend"], "previous": r["previous"], "change": r["change"],
                        "spike": r["spike"], "sites": r["sites"][:3]} for r in movers],
            "savings": savings[:5],
            "batch_forgone": sum((r["batch_forgone"] or ZERO for r in feature_rows), ZERO),
        },
        "totals": totals, "trend": trend,
        "features": feature_rows,
        "untagged": {"spend": this["untagged"], "share": _ratio(this["untagged"], this["total"]),
                     "by_provider": gaps, "by_model": by_model},
        "models": models,
        "orphans": [{**o, "weeks": sorted(o["weeks"])} for o in sorted(orphans.values(), key=lambda o: -o["spend"])],
        "orphan_sites": [{**o, "weeks": sorted(o["weeks"])} for o in orphan_sites.values()],
        "no_spend": no_spend, "tags_in_spend": has_tags,
        "files": files,
    }


def _monday(week: str) -> dt.date:
    return week_start(week)


def _same_model(pricer: Pricer, catalog: ModelCatalog, site: dict, model: str) -> bool:
    value = (site.get("model") or {}).get("value")
    if not value or not model:
        return False
    norm, info = pricer.model(value)
    if norm == model:
        return True
    return bool(info is not None and info.points_to and pricer.model(info.points_to)[0] == model)


def _feature_row(row: _Row, week: str, prev: str, code: Code, catalog: ModelCatalog, pricer: Pricer,
                 batch: dict, tiers: dict, settings: Settings) -> dict[str, Any]:
    spend, previous = row.weeks.get(week, ZERO), row.weeks.get(prev, ZERO)
    change = spend - previous
    ratio = _ratio(spend, previous)
    spike = change >= settings.spike_min and (previous == 0 or spend >= settings.spike_ratio * previous)
    sites = code.sites_of(row.feature, row.site)
    refs = [_site_ref(s) for s in sites]
    if row.feature is not None:
        label = row.feature
    elif row.site in code.sites:
        s = refs[0]
        label = f"{s['path']}:{s['line']} {s['function']} (no feature tag)"
    else:
        label = f"tokenlint_site:{row.site}"
    inp, read, write, out = row.tokens
    all_in = inp + read + write
    # the hit rate is over the input of the records that say how much was cached; rows without a cache
    # figure (a FOCUS export of input charges only, a log without usage objects) say nothing about it:
    # none, and it is unknown, not 0%, and no cache finding or saving is drawn from it
    cache_data = row.cache_seen > 0
    known_in = row.known_input + read + write if cache_data else 0
    hit = _ratio(read, known_in) if cache_data else None
    coverage = _ratio(known_in, all_in) if cache_data else None  # share of input tokens with cache data
    findings = [f for s in sites for f in code.findings_at.get(s["id"], [])]
    causes = [_finding_ref(f) for f in findings if f["code"] in CACHE_CODES]
    cache_low = hit is not None and hit < settings.cache_min
    # model mix and the tier policy (TKL204's [tool.tokenlint.features.<name>] tiers)
    allowed = tiers.get(row.feature or "", ())
    mix, premium = [], ZERO
    for (provider, model), cost in sorted(row.models.items(), key=lambda kv: -kv[1]):
        _, info = pricer.model(model) if model else ("", None)
        tier = info.tier if info is not None else None
        if tier is None and info is not None and info.points_to:
            target = catalog.lookup(info.points_to)
            tier = target.tier if target else None
        outside = bool(allowed) and tier is not None and tier not in allowed
        if (outside if allowed else tier in PREMIUM):
            premium += cost
        mix.append({"provider": provider, "model": model or "(none)", "spend": cost, "tier": tier,
                    "share": _ratio(cost, spend), "outside_policy": outside})
    # batch: spend on the models of this row's TKL401 sites, not already sent in batch, times the discount
    batch_sites = [s for s in sites if any(f["code"] == "TKL401" for f in code.findings_at.get(s["id"], []))]
    eligible, forgone, batch_findings = ZERO, None, []
    if batch_sites:
        models_at = {}
        for s in batch_sites:
            v = (s.get("model") or {}).get("value")
            if v:
                models_at[pricer.model(v)[0]] = s.get("provider")
            batch_findings += [_finding_ref(f) for f in code.findings_at.get(s["id"], []) if f["code"] == "TKL401"]
        for (provider, model), cost in row.models.items():
            if model in models_at or (len(sites) == len(batch_sites)):
                eligible += cost
        eligible = max(eligible - row.batch_spend, ZERO)
        offer = batch.get(batch_sites[0].get("provider")) or {}
        disc = offer.get("discount")
        forgone = eligible * Decimal(str(disc)) if disc is not None else None
    # cache savings estimate: half the uncached input read from the cache instead
    cache_saving = None
    if causes and row.known_input and cache_data:  # only input known to be uncached could be read from the cache
        per_model_in = _input_price_gap(row, pricer)
        if per_model_in is not None:
            cache_saving = Decimal(row.known_input) * per_model_in * CACHE_TARGET / Decimal(1_000_000)
    tier_findings = [_finding_ref(f) for f in findings if f["code"] == "TKL204"]
    return {
        "label": label, "feature": row.feature, "site": row.site, "sites": refs,
        "spend": spend, "previous": previous, "change": change, "ratio": ratio, "spike": spike,
        "history": {w: v for w, v in row.weeks.items()},
        "requests": row.requests.get(week, 0), "previous_requests": row.requests.get(prev, 0),
        "tokens": {"input": inp, "cache_read": read, "cache_write": write, "output": out},
        "cache_hit": hit, "cache_data": cache_data, "cache_coverage": coverage, "cache_low": cache_low, "cache_causes": causes, "cache_saving": cache_saving,
        "models": mix, "premium_share": _ratio(premium, spend), "premium_spend": premium,
        "tier_policy": list(allowed), "tier_findings": tier_findings,
        "batch_eligible": eligible if batch_sites else None, "batch_forgone": forgone,
        "batch_findings": batch_findings, "unpriced_records": row.unpriced,
    }


def _input_price_gap(row: _Row, pricer: Pricer) -> Optional[Decimal]:
    """Input price minus cache-read price (USD per 1M tokens) of the row's main model this week."""
    for (provider, model), _cost in sorted(row.models.items(), key=lambda kv: -kv[1]):
        p = pricer.price(model, provider) if model else None
        if p is not None:
            return p.input - p.cache_read
    return None


def _model_rows(rows: dict, week: str, code: Code, catalog: ModelCatalog, pricer: Pricer,
                settings: Settings) -> list[dict]:
    """Floating or retired models that still receive spend this week, with the findings naming them."""
    spend: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    labels: dict[tuple[str, str], set] = defaultdict(set)
    for row in rows.values():
        for (provider, model), cost in row.models.items():
            if model:
                spend[(provider, model)] += cost
                site = code.sites.get(row.site or "")
                labels[(provider, model)].add(row.feature or (f"{site['path']}:{site['line']}" if site else row.site) or "")
    out = []
    for (provider, model), cost in sorted(spend.items(), key=lambda kv: -kv[1]):
        _, info = pricer.model(model)
        kind = catalog.kind_of(model)
        status = []
        if kind in ("floating", "alias", "router"):
            status.append("floating" if kind != "alias" else "alias (may be repointed)")
        retires = None
        if info is not None and info.retires:
            try:
                retires = dt.date.fromisoformat(info.retires)
            except ValueError:
                retires = None
        if retires is not None and (retires - settings.today).days <= settings.warning_days:
            status.append(f"retired on {retires}" if retires <= settings.today else f"retires on {retires}")
        elif info is not None and info.retired:
            status.append("retired")
        findings = [_finding_ref(f) for f in code.findings if f["code"] in MODEL_CODES and f.get("site_id")
                    and _same_model(pricer, catalog, code.sites.get(f["site_id"], {}), model)]
        if not status and not findings:
            continue
        out.append({"provider": provider, "model": model, "spend": cost, "status": "; ".join(status) or "named by a finding",
                    "successor": info.successor if info is not None else None,
                    "features": sorted(x for x in labels[(provider, model)] if x), "findings": findings})
    return out


def _savings(rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        if r["batch_forgone"]:
            out.append({"label": r["label"], "dollars": r["batch_forgone"], "what": "batch API",
                        "findings": r["batch_findings"]})
        if r["cache_saving"] and r["cache_low"]:
            out.append({"label": r["label"], "dollars": r["cache_saving"], "what": "prompt caching",
                        "findings": r["cache_causes"]})
    out.sort(key=lambda s: -s["dollars"])
    return out


def dollars_at_stake(report: dict[str, Any], code: Code) -> dict[tuple, Decimal]:
    """(path, line, code) of each finding of a rule with a dollar model -> the week's dollars that
    finding can save or puts at risk (TKL401's forgone discount, the cache saving, the untagged spend a
    tag attributes, the site's spend on the model, the premium-tier spend)."""
    return finding_dollars(report, code)[0]


def finding_dollars(report: dict[str, Any], code: Code) -> tuple[dict[tuple, Decimal], dict[tuple, Decimal]]:
    """(at stake, feature spend): each keyed by a finding's (path, line, code). A rule without a dollar
    model (TKL103, TKL202, TKL205, TKL402, ...) gets no figure at stake: only the weekly spend of the
    feature its call serves, in the second map, shown as such and never as what the finding saves."""
    stake: dict[tuple, Decimal] = {}
    touched: dict[tuple, Decimal] = {}
    if not report.get("features") and not report.get("untagged"):
        return stake, touched
    by_site: dict[str, list[dict]] = defaultdict(list)
    for r in report["features"]:
        for s in r["sites"]:
            by_site[s["id"]].append(r)
    untagged_by_site: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for m in report["untagged"]["by_model"]:
        for s in m["candidates"]:
            untagged_by_site[s["id"]] += m["spend"]
    for f in code.findings:
        sid = f.get("site_id")
        if not sid:
            continue
        rows = by_site.get(sid, [])
        c = f["code"]
        value: Optional[Decimal] = None
        out = stake
        if c == "TKL401":
            value = sum((r["batch_forgone"] or ZERO for r in rows), ZERO)
        elif c in CACHE_CODES:
            value = sum((r["cache_saving"] or ZERO for r in rows), ZERO)
        elif c in ("TKL101", "TKL102"):
            value = untagged_by_site.get(sid)
        elif c in MODEL_CODES:  # the site's own spend on the model the finding names
            s = code.sites.get(sid, {})
            value = sum((m["spend"] for r in rows for m in r["models"] if _model_match(s, m["model"])), ZERO)
            value = value or untagged_by_site.get(sid)
        elif c == "TKL204":
            value = sum((r["premium_spend"] for r in rows), ZERO)
        else:  # no dollar model: the feature's spend, labelled as such
            value, out = sum((r["spend"] for r in rows), ZERO), touched
        if value:
            key = (f["filename"], f["location"]["row"], c)
            out[key] = out.get(key, ZERO) + value
    return stake, touched


def _model_match(site: dict, model: str) -> bool:
    value = (site.get("model") or {}).get("value") or ""
    return bool(value) and (value == model or model.startswith(value))
