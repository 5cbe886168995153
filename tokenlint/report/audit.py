"""The audit report, and inventories compared or merged.

The audit is built once as a small content tree (headings, paragraphs, tables, bar charts) and
rendered twice, as self-contained HTML (inline CSS, inline SVG, no script) and as Markdown, so the two
carry the same content. Every string that comes from the audited code (paths, feature names, model
names, messages) is plain data in the tree: the renderers escape all of it, HTML with `html.escape`
after removing control characters, Markdown with `report.safe` plus backslash escapes. No renderer
takes markup from a caller.

`compare` and `merge` work on inventory JSON (the contract of `report/inventory.py`), never on code.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Optional, Union

from tokenlint import __version__
from tokenlint.report import inventory as inv
from tokenlint.report.safe import inline, md_text, one_line, uri_path

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import ModelCatalog, ModelInfo
    from tokenlint.engine import RunResult
    from tokenlint.findings import Finding
    from tokenlint.resolve.site import CallSite

BUCKETS = ("tagged", "forwarded", "dynamic", "untagged")

# ------------------------------------------------------------------ the content tree


@dataclass(frozen=True)
class Link:
    text: str
    href: str  # already URL-quoted; still attribute-escaped in HTML


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Badge:
    text: str  # a rule code or a status word
    tone: str = ""  # a CSS class: attribution / models / cache / batch / error / warn / ok


Inline = Union[str, Link, Strong, Badge]
Cell = Union[Inline, list]  # a list of inlines, concatenated


@dataclass
class Heading:
    text: str
    level: int = 2

    @property
    def anchor(self) -> str:
        return slug(self.text)


@dataclass
class Para:
    parts: list
    muted: bool = False


@dataclass
class Table:
    headers: list[str]
    rows: list[list]
    numeric: frozenset = frozenset()  # indexes of right-aligned columns
    nowrap: frozenset = frozenset()  # indexes of columns kept on one line (HTML)
    compact: bool = False  # as narrow as its content (HTML)


@dataclass
class Bars:
    """A horizontal bar chart (SVG in HTML, a table with text bars in Markdown)."""

    title: str
    label: str  # what a row is ("feature", "provider")
    items: list[tuple[str, int]]
    unit: str = "call sites"
    tones: dict = field(default_factory=dict)  # label -> tone, for bars that mean something
    money: bool = False  # values are US dollars (Decimal)


@dataclass
class Stack:
    """One stacked bar: parts of a whole (the attribution buckets)."""

    title: str
    items: list[tuple[str, int, str]]  # label, value, tone


@dataclass
class Cards:
    items: list[tuple[str, str, str]]  # value, label, tone


@dataclass
class Trend:
    """Stacked columns over periods (weeks): each series one tone, each column one period."""

    title: str
    periods: list[str]
    series: list[tuple[str, list, str]]  # label, one value per period, tone
    money: bool = False


Block = Union[Heading, Para, Table, Bars, Stack, Cards, Trend]


def dollars(x: Any) -> str:
    """US dollars: cents, or tenths of a cent below one dollar (`$0.004`); exact Decimal rounding."""
    from decimal import ROUND_HALF_UP, Decimal

    d = x if isinstance(x, Decimal) else Decimal(str(x))
    q = Decimal("0.01") if abs(d) >= 1 or d == 0 else Decimal("0.001")
    d = d.quantize(q, rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    return f"{sign}${abs(d):,}"


def _value(x: Any, money: bool) -> str:
    return dollars(x) if money else str(x)


def slug(text: str) -> str:
    """The anchor GitHub gives a Markdown heading (headings here are tokenlint's own words)."""
    return re.sub(r"[^a-z0-9 _-]", "", text.lower()).strip().replace(" ", "-")


# ------------------------------------------------------------------ escaping

def h(text: Any, limit: Optional[int] = None) -> str:
    """Any string, made inert in HTML text or a quoted attribute."""
    s = one_line(str(text), limit) if limit else inline(str(text))
    return html.escape(s, quote=True)


def plural(n: int, word: str, words: Optional[str] = None, bare: bool = False) -> str:
    """`1 call site`, `2 call sites` (`bare`: the word alone)."""
    w = word if n == 1 else (words or word + "s")
    return w if bare else f"{n} {w}"


def file_href(root: Path, out_dir: Path, path: str, line: Optional[int] = None) -> str:
    """A relative link from the report's folder to a file of the audited project, at a line."""
    target = root / path
    try:
        rel = os.path.relpath(target, out_dir).replace(os.sep, "/")
    except ValueError:  # another drive (Windows): no relative path exists
        rel = target.absolute().as_uri()
        return rel + (f"#L{line}" if line else "")
    return uri_path(rel) + (f"#L{line}" if line else "")


# ------------------------------------------------------------------ the audit's content

RULE_FAMILY = {"TKL1": "attribution", "TKL2": "models", "TKL3": "cache", "TKL4": "batch", "TKL0": "error"}

CACHE_CODES = ("TKL301", "TKL302", "TKL303", "TKL304")
CACHE_WHY = {
    "TKL301": "dynamic text comes before the static prompt, so no two requests share a cacheable prefix",
    "TKL302": "a per-request value (a time, an id) sits in the prefix and changes it on every call",
    "TKL303": "the system message is not first, so the stable part of the prompt is not the prefix",
    "TKL304": "a cache breakpoint is placed where it cannot take effect",
}

_MODEL_IN_MESSAGE = re.compile(r"^Model '(.*?)'(?=\s|$)")
_PROVIDER_IN_MESSAGE = re.compile(r"^Synchronous (\S+) (\S+) call")


def family(code: str) -> str:
    return RULE_FAMILY.get(code[:4], "")


@dataclass
class AuditInput:
    """What the audit reads: the run, the model catalog, the batch offers, the date, the report folder."""

    result: "RunResult"
    catalog: Optional["ModelCatalog"]
    batch: dict = field(default_factory=dict)  # provider -> {"api", "discount", "source", "checked"}
    today: _dt.date = field(default_factory=_dt.date.today)
    out_dir: Path = Path(".")
    at_stake: dict = field(default_factory=dict)  # (path, line, code) -> the week's dollars (with --usage)
    sort_dollars: bool = True  # with at_stake: the costliest findings first


def audit_blocks(a: AuditInput) -> list:
    """The whole report as a content tree."""
    result = a.result
    root = Path(result.root)
    out_dir = Path(a.out_dir).absolute()
    sites = result.sites
    by_id = {s.id: s for s in sites}
    findings = result.findings
    errors = [f for f in result.files if f.error]
    data = inv.build(sites, root, len(result.files), len(errors), result.attribution, result.unresolved)
    sm = data["summary"]

    def where(f: "Finding") -> Link:
        return Link(f"{f.path}:{f.row}:{f.column}", file_href(root, out_dir, f.path, f.row))

    def site_link(s: "CallSite") -> Link:
        return Link(f"{s.path}:{s.line}", file_href(root, out_dir, s.path, s.line))

    spending = [s for s in sites if s.spends]
    untagged = [s for s in spending if inv.bucket(s) == "untagged"]
    share = _pct(len(untagged), len(spending))
    model_rows = _model_rows(findings, by_id, sites, a.catalog, a.today)
    cache = [f for f in findings if f.code in CACHE_CODES]
    batch = [f for f in findings if f.code == "TKL401"]

    out: list = [Heading(f"LLM spend audit: {root.name or root}", 1)]
    out.append(Para([f"{root}", f" · as of {a.today.isoformat()} · tokenlint {__version__} · "
                     f"{plural(len(result.files), 'file')} analysed"
                     + (f", {len(errors)} could not be read" if errors else "")], muted=True))
    calls = sm["call_sites"] - sm.get("bindings", 0)  # a model binding chooses a model: it is no call
    out.append(Cards([
        (str(calls), plural(calls, "call site", bare=True), ""),
        (str(sm["features"]), plural(sm["features"], "feature", bare=True), ""),
        (f"{share}", "untagged", "error" if untagged else "ok"),
        (str(len(model_rows)), plural(len(model_rows), "floating or retired model", bare=True),
         "warn" if model_rows else "ok"),
        (str(len(cache)), plural(len(cache), "prompt-cache problem", bare=True), "warn" if cache else "ok"),
        (str(len(batch)), plural(len(batch), "batch candidate", bare=True), "warn" if batch else "ok"),
        (str(len(findings)), plural(len(findings), "finding", bare=True), "warn" if findings else "ok"),
    ] + ([(str(len(a.at_stake)), "findings with spend at stake (from usage)", "warn")] if a.at_stake else [])))
    out.append(Para(["Contents: "] + _join([Link(t, "#" + slug(t)) for t in SECTIONS], " · ")))

    # -- call sites per feature, provider and model
    out.append(Heading(SECTIONS[0]))
    if not sites:
        out.append(Para(["No LLM call sites were found."]))
    else:
        out.append(Bars("Call sites per feature", "feature",
                        [(_feature_label(f), f["call_sites"]) for f in data["features"]],
                        tones={"(untagged)": "error", "(dynamic)": "warn", "(forwarded)": "fwd"}))
        rows = []
        for f in data["features"]:
            rows.append([_feature_label(f), f["call_sites"], ", ".join(f["providers"]),
                         ", ".join(f["models"]), len(f["files"])])
        out.append(Table(["feature", "call sites", "providers", "models", "files"], rows, frozenset({1, 4}),
                         frozenset({0, 1, 4})))
        if data.get("bindings"):
            out.append(Para(["Framework model bindings (a model object chooses the model; the requests made on "
                             "it are counted in the features above):"]))
            out.append(Table(["model object", "where", "model", "requests", "by feature"],
                             [[b["constructor"] or "model", Link(f"{b['path']}:{b['line']}",
                                                                file_href(root, out_dir, b["path"], b["line"])),
                               f"{b['provider']} {b['model']}", len(b["requests"]), inv.binding_features(b)]
                              for b in data["bindings"]], frozenset({3}), frozenset({0, 1, 3})))
        out.append(Heading(SECTIONS[1]))
        out.append(Bars("Call sites per provider", "provider", list(_by_count(sm["by_provider"]))))
        out.append(Heading(SECTIONS[2]))
        out.append(Bars("Call sites per model", "model", list(_by_count(sm["by_model"]))))

    # -- what was seen but not resolved: the counts above are not the whole story when this is not empty
    out.append(Heading(SECTIONS[3]))
    nr = data["not_resolved"]
    if not nr:
        out.append(Para(["Nothing that looks like an LLM request was left unresolved."]))
    else:
        out.append(Para([Strong(str(len(nr))), f" {plural(len(nr), 'place', bare=True)} look like LLM requests but "
                         "were not resolved into call sites (an SDK imported where no call was found, a request-"
                         "shaped call on an object of unknown type, an LLM URL that reaches no HTTP call): read "
                         "them before taking the counts above as complete."]))
        out.append(Table(["where", "kind", "why"],
                         [[Link(f"{u['path']}:{u['line']}", file_href(root, out_dir, u["path"], u["line"])),
                           u["kind"], u["detail"]] for u in nr], nowrap=frozenset({0, 1})))

    # -- attribution
    out.append(Heading(SECTIONS[4]))
    line = inv.attribution_line(data)
    out.append(Para([line[:1].upper() + line[1:] + "."]))  # which sinks tags were judged against, and why
    counts = Counter(inv.bucket(s) for s in spending)
    if not spending:
        out.append(Para(["No call site spends tokens."]))
    else:
        out.append(Para([Strong(str(len(untagged))), f" of {len(spending)} call sites that spend tokens (",
                         Strong(share), ") carry no feature tag: their spend cannot be attributed to a feature."]))
        out.append(Stack("Attribution of call sites", [
            ("tagged", counts["tagged"], "ok"),
            ("forwarded by a wrapper", counts["forwarded"], "fwd"),
            ("computed per request", counts["dynamic"], "warn"),
            ("untagged", counts["untagged"], "error"),
        ]))
        if untagged:
            out.append(Table(["where", "function", "provider", "api", "model"],
                             [[site_link(s), _owner(s), s.provider, s.api, inv._model_name(s)] for s in untagged],
                             nowrap=frozenset({0, 2, 3})))  # long method and model names wrap: the row fits
        else:
            out.append(Para(["Every call site that spends tokens carries a feature tag."]))

    # -- models
    out.append(Heading(SECTIONS[5]))
    if not model_rows:
        out.append(Para(["No floating or retired model was found (rules TKL201, TKL203)."]))
    else:
        out.append(Para(["A floating alias is repointed by the provider without a change to your code; a "
                         "retired model fails or is rerouted after its shutdown date. Dates and successors are "
                         "from tokenlint's model catalog."]))
        rows = []
        for m in model_rows:
            rows.append([m["model"], m["kind"] or "unknown", m["points_to"] or "—",
                         [Badge(m["status"], m["tone"])] if m["status"] else "—",
                         m["successor"] or "—", m["sites"], _join([where(f) for f in m["findings"]], ", ")])
        out.append(Table(["model", "kind", "points to", "status", "successor", "call sites", "written at"],
                         rows, frozenset({5}), frozenset({0, 1, 2, 4, 5})))

    # -- prompt caching
    out.append(Heading(SECTIONS[6]))
    if not cache:
        out.append(Para(["No prompt-cache order problem was found (rules TKL301–TKL304)."]))
    else:
        out.append(Para(["Providers cache the longest identical prefix of a prompt: anything that varies "
                         "per request must come after the static instructions."]))
        rows = []
        for f in cache:
            s = by_id.get(f.site_id or "")
            rows.append([where(f), [Badge(f.code, "cache")], f.message, CACHE_WHY.get(f.code, f.name),
                         _feature_of(s), inv._model_name(s) if s else "—"])
        out.append(Table(["where", "rule", "problem", "why it matters", "feature", "model"], rows,
                         nowrap=frozenset({0, 1, 4, 5})))

    # -- batch
    out.append(Heading(SECTIONS[7]))
    if not batch:
        out.append(Para(["No batch candidate was found (rule TKL401)."]))
    else:
        out.append(Para(["Synchronous calls in loops of offline jobs could go through the provider's batch "
                         "API, which charges less for results that arrive within hours."]))
        rows = []
        for f in batch:
            b = _batch_row(f, by_id.get(f.site_id or ""), a.batch, a.catalog)
            rows.append([where(f), b["provider"], b["api"], b["model"], b["feature"],
                         [Strong(b["discount"])] + ([" (" + b["price"] + ")"] if b["price"] else []),
                         b["batch_api"]])
        out.append(Table(["where", "provider", "api", "model", "feature", "discount forgone", "batch API"], rows,
                         nowrap=frozenset({0, 1, 2, 3, 4})))

    # -- every finding
    out.append(Heading(SECTIONS[8]))
    if not findings:
        out.append(Para(["No findings."]))
    else:
        per_rule = Counter((f.code, f.name) for f in findings)
        out.append(Table(["rule", "name", "findings"],
                         [[[Badge(c, family(c))], n, k] for (c, n), k in sorted(per_rule.items())], frozenset({2}),
                         frozenset({0, 1, 2}), compact=True))
        if a.at_stake:  # priced: the costliest first
            def stake(f: "Finding") -> Any:
                return a.at_stake.get((f.path, f.row, f.code))

            ordered = sorted(findings, key=lambda f: -(stake(f) or 0)) if a.sort_dollars else findings
            out.append(Table(["where", "rule", "message", "$ / week"],
                             [[where(f), [Badge(f.code, family(f.code))], f.message,
                               dollars(stake(f)) if stake(f) else "—"] for f in ordered],
                             frozenset({3}), nowrap=frozenset({0, 1, 3})))
        else:
            out.append(Table(["where", "rule", "message"],
                             [[where(f), [Badge(f.code, family(f.code))], f.message] for f in findings],
                             nowrap=frozenset({0, 1})))
    out.append(Para([f"Generated by tokenlint {__version__} by static analysis: no audited code was imported "
                     "or run. Model facts come from the catalog shipped with tokenlint "
                     "(`tokenlint models` lists them)."], muted=True))
    return out


SECTIONS = ("Call sites per feature", "Call sites per provider", "Call sites per model", "Not resolved",
            "Attribution", "Floating and retired models", "Prompt-cache order problems", "Batch candidates",
            "Findings")


def _join(items: list, sep: str) -> list:
    out: list = []
    for i, x in enumerate(items):
        if i:
            out.append(sep)
        out.append(x)
    return out


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def _by_count(counts: dict) -> Iterable[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _feature_label(f: dict) -> str:
    return f["feature"] if f["feature"] is not None else f"({f['bucket']})"


def _owner(s: "CallSite") -> str:
    return ".".join(x for x in (s.cls, s.function) if x) or "<module>"


def _feature_of(s: Optional["CallSite"]) -> str:
    if s is None:
        return "—"
    return s.feature if s.feature is not None else f"({inv.bucket(s)})"


def _target(catalog: "ModelCatalog", info: "ModelInfo") -> Optional["ModelInfo"]:
    return catalog.lookup(info.points_to) if info.points_to else None


def _date(value: Optional[str]) -> Optional[_dt.date]:
    try:
        return _dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _model_of(f: "Finding", s: Optional["CallSite"]) -> str:
    m = _MODEL_IN_MESSAGE.match(f.message)
    if m:
        return m.group(1)
    if s is not None and s.model.value:
        return s.model.value
    return "(unknown)"


def _model_rows(findings: list, by_id: dict, sites: list, catalog: Optional["ModelCatalog"],
                today: _dt.date) -> list[dict]:
    """One row per model named by TKL201 / TKL203, with the catalog's facts."""
    rows: dict[str, dict] = {}
    for f in findings:
        if f.code not in ("TKL201", "TKL203"):
            continue
        s = by_id.get(f.site_id or "")
        model = _model_of(f, s)
        row = rows.setdefault(model, {"model": model, "codes": set(), "findings": [], "site_ids": set()})
        row["codes"].add(f.code)
        if not any((g.path, g.row, g.column) == (f.path, f.row, f.column) for g in row["findings"]):
            row["findings"].append(f)
        if f.site_id:
            row["site_ids"].add(f.site_id)
    out = []
    for model, row in rows.items():
        info = catalog.lookup(model) if catalog is not None else None
        target = _target(catalog, info) if (catalog is not None and info is not None) else None
        kind = catalog.kind_of(model) if catalog is not None else None
        retires = _date(info.retires if info else None) or _date(target.retires if target else None)
        status, tone = [], ""
        if "TKL201" in row["codes"]:
            status.append("floating")
            tone = "warn"
        if retires is not None:
            days = (retires - today).days
            status.append(f"retired on {retires}" if days <= 0 else f"retires on {retires} (in {days} days)")
            tone = "error"
        elif "TKL203" in row["codes"] or (info is not None and info.retired):
            status.append("retired (no date in the catalog)")
            tone = "error"
        successor = (info.successor if info else None) or (target.successor if target else None)
        using = {s.id for s in sites if s.model.value == model} | row["site_ids"]
        out.append({"model": model, "kind": kind, "points_to": info.points_to if info else None,
                    "status": "; ".join(status), "tone": tone, "successor": successor,
                    "sites": len(using), "findings": row["findings"], "retires": retires})
    # the most urgent first: retired, then retiring soonest, then floating
    out.sort(key=lambda r: (r["retires"] is None, r["retires"] or _dt.date.max, r["model"]))
    return out


def _price(catalog: Optional["ModelCatalog"], model: Optional[str]) -> Optional["ModelInfo"]:
    """The catalog entry that carries the model's price: itself, its target, or the alias naming it."""
    if catalog is None or not model:
        return None
    return catalog.priced(model)


def _money(x: float) -> str:
    return f"${x:,.2f}" if x >= 0.1 else f"${x:,.3f}"


def _batch_row(f: "Finding", s: Optional["CallSite"], batch: dict, catalog: Optional["ModelCatalog"]) -> dict:
    m = _PROVIDER_IN_MESSAGE.match(f.message)
    provider = s.provider if s is not None else (m.group(1) if m else "?")
    api = s.api if s is not None else (m.group(2) if m else "?")
    model = s.model.value if s is not None and s.model.value else None
    offer = batch.get(provider) or {}
    discount = offer.get("discount")
    info = catalog.lookup(model) if (catalog is not None and model) else None
    if discount is None and info is not None:
        discount = info.batch_discount
    price = ""
    priced = _price(catalog, model)
    if priced is not None and discount:
        parts = [f"{_money(priced.price_input)} → {_money(priced.price_input * (1 - discount))} per 1M input tokens"]
        if priced.price_output is not None:
            parts.append(f"{_money(priced.price_output)} → {_money(priced.price_output * (1 - discount))} output")
        price = ", ".join(parts)
    return {
        "provider": provider, "api": api,
        "model": (inv._model_name(s) if s is not None else "—") or "—",
        "feature": _feature_of(s),
        "discount": f"{round(discount * 100)}%" if discount else "unknown",
        "price": price,
        "batch_api": offer.get("api") or "—",
    }


# ------------------------------------------------------------------ HTML

CSS = """
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;--ok:#1a7f37;--warn:#9a6700;
--error:#cf222e;--fwd:#0969da;--accent:#0969da}
*{box-sizing:border-box}
body{margin:0;background:var(--soft);color:var(--fg);font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",
Helvetica,Arial,sans-serif}
main{max-width:1160px;margin:0 auto;padding:28px 32px 48px;background:var(--bg);min-height:100vh}
h1{font-size:26px;margin:0 0 4px;overflow-wrap:anywhere}
h2{font-size:19px;margin:36px 0 10px;padding-bottom:6px;border-bottom:1px solid var(--line)}
p{margin:8px 0}
.muted{color:var(--muted)}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:10px;margin:18px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;background:var(--bg)}
.card b{display:block;font-size:24px;line-height:1.2}
.card span{color:var(--muted);font-size:12px}
.card.ok b{color:var(--ok)}.card.warn b{color:var(--warn)}.card.error b{color:var(--error)}
.scroll{overflow-x:auto;margin:10px 0}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
td.nw{white-space:nowrap}
table.compact{width:auto;min-width:40%}
th{background:var(--soft);font-weight:600;white-space:nowrap}
tr:nth-child(even) td{background:#fbfcfd}
td.num,th.num{text-align:right;white-space:nowrap}
.badge{display:inline-block;padding:0 7px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap;
background:#eaeef2;color:var(--fg)}
.badge.attribution{background:#ddf4ff;color:#0550ae}.badge.models{background:#fff1e5;color:#953800}
.badge.cache{background:#fbefff;color:#8250df}.badge.batch{background:#dafbe1;color:#116329}
.badge.error{background:#ffebe9;color:#a40e26}.badge.warn{background:#fff8c5;color:#7d4e00}
.badge.ok{background:#dafbe1;color:#116329}
figure{margin:12px 0}figcaption{font-size:12px;color:var(--muted);margin-bottom:4px}
svg.chart{display:block;max-width:100%;height:auto}
svg text{font:12px -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;fill:var(--fg)}
svg text.more{fill:var(--muted)}
.bar{fill:#0969da}
.s-ok{fill:#2da44e}.s-fwd{fill:#54aeff}.s-warn{fill:#d4a72c}.s-error{fill:#cf222e}
.legend{display:flex;flex-wrap:wrap;gap:14px;font-size:12px;color:var(--muted);margin-top:6px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.l-ok{background:#2da44e}.l-fwd{background:#54aeff}.l-warn{background:#d4a72c}.l-error{background:#cf222e}
.s-c1{fill:#0969da}.s-c2{fill:#8250df}.s-c3{fill:#1a7f37}.s-c4{fill:#bf8700}.s-c5{fill:#57606a}.s-c6{fill:#afb8c1}
.l-c1{background:#0969da}.l-c2{background:#8250df}.l-c3{background:#1a7f37}.l-c4{background:#bf8700}
.l-c5{background:#57606a}.l-c6{background:#afb8c1}
@media print{body{background:#fff}main{padding:0}}
"""

MAX_BARS = 25


def _h_inline(x: Any) -> str:
    if isinstance(x, Link):
        return f'<a href="{html.escape(x.href, quote=True)}">{h(x.text)}</a>'
    if isinstance(x, Strong):
        return f"<strong>{h(x.text)}</strong>"
    if isinstance(x, Badge):
        return f'<span class="badge {html.escape(x.tone, quote=True)}">{h(x.text)}</span>'
    if isinstance(x, list):
        return "".join(_h_inline(y) for y in x)
    return h(x)


def _svg_bars(b: Bars) -> str:
    items = b.items[:MAX_BARS]
    rest = b.items[MAX_BARS:]
    row, label_w, bar_w = 24, 260, 560
    width = label_w + bar_w + 60
    n = len(items) + (1 if rest else 0)
    height = n * row + 6
    top = max((v for _, v in items), default=0) or 1

    def tone(label: str) -> str:
        t = b.tones.get(label)
        return f"s-{html.escape(t, quote=True)}" if t else "bar"

    out = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{h(b.title)}" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">']
    for i, (label, value) in enumerate(items):
        y = 3 + i * row
        w = max(2, round(bar_w * value / top)) if value else 0
        out.append(f'<g><title>{h(label)}: {h(_value(value, b.money))} {h(b.unit)}</title>'
                   f'<text x="{label_w - 10}" y="{y + 16}" text-anchor="end">{h(label, 38)}</text>'
                   f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row - 9}" rx="3" class="{tone(label)}"/>'
                   f'<text x="{label_w + w + 6}" y="{y + 16}">{h(_value(value, b.money))}</text></g>')
    if rest:
        y = 3 + len(items) * row
        out.append(f'<text class="more" x="{label_w - 10}" y="{y + 16}" text-anchor="end">'
                   f'… {len(rest)} more ({h(_value(sum(v for _, v in rest), b.money))} {h(b.unit)})</text>')
    out.append("</svg>")
    return f"<figure>{''.join(out)}</figure>"


def _svg_stack(s: Stack) -> str:
    total = sum(v for _, v, _ in s.items) or 1
    width, height = 1096, 26
    out = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{h(s.title)}" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">']
    x = 0.0
    for label, value, tone in s.items:
        if not value:
            continue
        w = width * value / total
        out.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" class="s-{h(tone)}">'
                   f'<title>{h(label)}: {value}</title></rect>')
        if w > 36:
            out.append(f'<text x="{x + w / 2:.1f}" y="17" text-anchor="middle" style="fill:#fff;font-weight:600">'
                       f'{_pct(value, total)}</text>')
        x += w
    out.append("</svg>")
    legend = "".join(f'<span><i class="l-{h(tone)}"></i>{h(label)}: {value}</span>' for label, value, tone in s.items)
    return f'<figure><figcaption>{h(s.title)}</figcaption>{"".join(out)}<div class="legend">{legend}</div></figure>'


def _svg_trend(t: Trend) -> str:
    n = max(1, len(t.periods))
    col, gap, chart_h, left, top_pad = 96, 28, 180, 70, 20  # room above the tallest column for its total
    width, height = left + n * (col + gap), chart_h + top_pad + 50
    totals = [sum((s[1][i] for s in t.series), 0) for i in range(len(t.periods))]
    top = max(totals, default=0) or 1
    out = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{h(t.title)}" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f'<line x1="{left - 6}" y1="{chart_h + top_pad}" x2="{width}" y2="{chart_h + top_pad}" stroke="#d1d9e0"/>']
    for i, period in enumerate(t.periods):
        x = left + i * (col + gap)
        y = chart_h + top_pad
        for label, values, tone in t.series:
            v = values[i]
            hgt = float(chart_h * v / top) if v else 0.0
            if hgt <= 0:
                continue
            y -= hgt
            out.append(f'<rect x="{x}" y="{y:.1f}" width="{col}" height="{hgt:.1f}" class="s-{h(tone)}">'
                       f'<title>{h(period)} {h(label)}: {h(_value(v, t.money))}</title></rect>')
        out.append(f'<text x="{x + col / 2}" y="{y - 5:.1f}" text-anchor="middle">{h(_value(totals[i], t.money))}</text>')
        out.append(f'<text x="{x + col / 2}" y="{chart_h + top_pad + 18}" text-anchor="middle">{h(period)}</text>')
    out.append("</svg>")
    legend = "".join(f'<span><i class="l-{h(tone)}"></i>{h(label)}</span>' for label, _, tone in t.series)
    return f'<figure><figcaption>{h(t.title)}</figcaption>{"".join(out)}<div class="legend">{legend}</div></figure>'


def _h_table(t: Table) -> str:
    def cls(i: int) -> str:
        names = (["num"] if i in t.numeric else []) + (["nw"] if i in t.nowrap else [])
        return f' class="{" ".join(names)}"' if names else ""

    head = "".join(f"<th{cls(i)}>{h(c)}</th>" for i, c in enumerate(t.headers))
    body = []
    for r in t.rows:
        cells = "".join(f"<td{cls(i)}>{_h_inline(c)}</td>" for i, c in enumerate(r))
        body.append(f"<tr>{cells}</tr>")
    table = '<table class="compact">' if t.compact else "<table>"
    return f'<div class="scroll">{table}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def as_html(blocks: list) -> str:
    title = next((b.text for b in blocks if isinstance(b, Heading) and b.level == 1), "tokenlint audit")
    out = []
    for b in blocks:
        if isinstance(b, Heading):
            out.append(f'<h{b.level} id="{b.anchor}">{h(b.text)}</h{b.level}>')
        elif isinstance(b, Para):
            out.append(f'<p{" class=muted" if b.muted else ""}>{_h_inline(b.parts)}</p>')
        elif isinstance(b, Table):
            out.append(_h_table(b))
        elif isinstance(b, Bars):
            out.append(_svg_bars(b))
        elif isinstance(b, Stack):
            out.append(_svg_stack(b))
        elif isinstance(b, Trend):
            out.append(_svg_trend(b))
        elif isinstance(b, Cards):
            cards = "".join(f'<div class="card {h(tone)}"><b>{h(v)}</b><span>{h(label)}</span></div>'
                            for v, label, tone in b.items)
            out.append(f'<div class="cards">{cards}</div>')
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            "img-src data:\">\n"
            f"<title>{h(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(out) + "\n</main>\n</body>\n</html>\n")


# ------------------------------------------------------------------ Markdown


def _m_inline(x: Any) -> str:
    if isinstance(x, Link):
        return f"[{md_text(x.text)}]({x.href})"
    if isinstance(x, Strong):
        return f"**{md_text(x.text)}**"
    if isinstance(x, Badge):
        return md_text(x.text)
    if isinstance(x, list):
        return "".join(_m_inline(y) for y in x)
    return md_text(x)


def _m_table(headers: list[str], rows: list[list], numeric: frozenset = frozenset()) -> list[str]:
    out = ["| " + " | ".join(md_text(c) for c in headers) + " |",
           "|" + "|".join("---:" if i in numeric else "---" for i in range(len(headers))) + "|"]
    for r in rows:
        out.append("| " + " | ".join(_m_inline(c) for c in r) + " |")
    return out


def as_markdown(blocks: list) -> str:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            out += ["#" * b.level + " " + md_text(b.text), ""]
        elif isinstance(b, Para):
            text = _m_inline(b.parts)
            out += [f"_{text}_" if b.muted else text, ""]
        elif isinstance(b, Table):
            out += _m_table(b.headers, b.rows, b.numeric) + [""]
        elif isinstance(b, Bars):
            top = max((v for _, v in b.items), default=0) or 1
            rows = [[label, _value(value, b.money), "█" * max(1, round(20 * value / top)) if value > 0 else ""]
                    for label, value in b.items]
            out += _m_table([b.label, b.unit, ""], rows, frozenset({1})) + [""]
        elif isinstance(b, Stack):
            total = sum(v for _, v, _ in b.items)
            rows = [[label, value, _pct(value, total)] for label, value, _ in b.items]
            out += [f"**{md_text(b.title)}**", ""] + _m_table(["", "call sites", "share"], rows,
                                                               frozenset({1, 2})) + [""]
        elif isinstance(b, Cards):
            out += [" · ".join(f"**{md_text(v)}** {md_text(label)}" for v, label, _ in b.items), ""]
        elif isinstance(b, Trend):
            rows = [[label] + [_value(v, b.money) for v in values] for label, values, _ in b.series]
            out += [f"**{md_text(b.title)}**", ""] + _m_table([""] + b.periods, rows,
                                                               frozenset(range(1, len(b.periods) + 1))) + [""]
    return "\n".join(out).rstrip() + "\n"


# ------------------------------------------------------------------ plain text (a terminal)


def _t_inline(x: Any) -> str:
    if isinstance(x, (Link, Strong, Badge)):
        return one_line(x.text, 1000)
    if isinstance(x, list):
        return "".join(_t_inline(y) for y in x)
    return re.sub(r"\s+", " ", inline(str(x)))  # one line; the spaces around a fragment are kept


def _t_table(headers: list[str], rows: list[list], numeric: frozenset = frozenset()) -> list[str]:
    """Aligned columns: each as wide as its widest cell, so a long label never shifts the columns after
    it; only the last column, which nothing follows, has its rule capped at 60."""
    cells = [[one_line(c) for c in headers]] + [[_t_inline(c) for c in r] for r in rows]
    last = len(headers) - 1
    widths = [min(60, n) if i == last else n for i, n in enumerate(max(len(r[i]) for r in cells)
                                                                   for i in range(len(headers)))]

    def line(r: list[str]) -> str:
        return "  ".join((c.rjust(w) if i in numeric else c.ljust(w)) if len(c) <= w else c
                         for i, (c, w) in enumerate(zip(r, widths))).rstrip()

    return [line(cells[0]), "  ".join("-" * w for w in widths)] + [line(r) for r in cells[1:]]


def as_text(blocks: list) -> str:
    """The same content tree for a terminal: aligned tables, text bars, no markup."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            title = one_line(b.text)
            out += ([title, "=" * len(title)] if b.level == 1 else ["", title, "-" * len(title)])
        elif isinstance(b, Para):
            out += [_t_inline(b.parts), ""]
        elif isinstance(b, Table):
            out += _t_table(b.headers, b.rows, b.numeric) + [""]
        elif isinstance(b, Bars):
            top = max((v for _, v in b.items), default=0) or 1
            rows = [[label, _value(value, b.money), "#" * max(1, round(30 * value / top)) if value > 0 else ""]
                    for label, value in b.items]
            out += [one_line(b.title)] + _t_table([b.label, b.unit, ""], rows, frozenset({1})) + [""]
        elif isinstance(b, Stack):
            total = sum(v for _, v, _ in b.items)
            out += [one_line(b.title) + ": " + ", ".join(f"{label} {_pct(v, total)}" for label, v, _ in b.items), ""]
        elif isinstance(b, Cards):
            out += ["  ".join(f"{one_line(v)} {one_line(label)}" for v, label, _ in b.items), ""]
        elif isinstance(b, Trend):
            rows = [[label] + [_value(v, b.money) for v in values] for label, values, _ in b.series]
            out += [one_line(b.title)] + _t_table([""] + b.periods, rows, frozenset(range(1, len(b.periods) + 1))) + [""]
    return "\n".join(out).rstrip() + "\n"


# ------------------------------------------------------------------ inventories: reading


class InventoryError(ValueError):
    """An inventory file that is not the shape `tokenlint inventory --format json` writes."""


_SITE_KEYS = {"id": str, "path": str, "line": int, "provider": str, "api": str, "model": dict}


def check_inventory(data: Any) -> dict:
    """The inventory, or InventoryError naming the first thing that is wrong with it."""
    if not isinstance(data, dict):
        raise InventoryError(f"not a tokenlint inventory: the top level is a JSON {_json_type(data)}, not an object")
    sites = data.get("call_sites")
    if not isinstance(sites, list):
        raise InventoryError("not a tokenlint inventory: no 'call_sites' list")
    if not isinstance(data.get("summary"), dict):
        raise InventoryError("not a tokenlint inventory: no 'summary' object")
    merged = isinstance(data.get("repositories"), list)
    for i, s in enumerate(sites):
        if not isinstance(s, dict):
            raise InventoryError(f"not a tokenlint inventory: call_sites[{i}] is not an object")
        for key, typ in _SITE_KEYS.items():
            if not isinstance(s.get(key), typ) or isinstance(s.get(key), bool):
                raise InventoryError(f"not a tokenlint inventory: call_sites[{i}].{key} is missing or not a "
                                     f"{_TYPE_NAMES[typ]}")
        if not isinstance(s["model"].get("kind"), str) or not isinstance(s["model"].get("value"), (str, type(None))):
            raise InventoryError(f"not a tokenlint inventory: call_sites[{i}].model needs 'kind' and 'value'")
        if "feature" not in s or not isinstance(s["feature"], (str, type(None))):
            raise InventoryError(f"not a tokenlint inventory: call_sites[{i}].feature is missing")
        if s.get("bucket") not in BUCKETS:
            raise InventoryError(f"not a tokenlint inventory: call_sites[{i}].bucket is not one of "
                                 f"{', '.join(BUCKETS)}")
        if merged and not isinstance(s.get("repository"), str):
            raise InventoryError(f"not a tokenlint inventory: call_sites[{i}].repository is missing")
    return data


_TYPE_NAMES = {str: "string", int: "number", dict: "object", list: "list"}


def _json_type(x: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean",
            type(None): "null"}.get(type(x), type(x).__name__)


def read_inventory(path: Path) -> dict:
    """Read and check an inventory file; InventoryError with a one-line reason otherwise."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InventoryError("no such file") from None
    except IsADirectoryError:
        raise InventoryError("is a directory, not an inventory file") from None
    except OSError as exc:
        raise InventoryError(f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InventoryError("not JSON: the file is not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InventoryError(f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise InventoryError("not a tokenlint inventory: nested too deeply") from None
    return check_inventory(data)


# ------------------------------------------------------------------ inventories: compare


def _mname(s: dict) -> str:
    m = s["model"]
    return m.get("value") or (f"<{m.get('kind')}>" if m.get("kind") != "literal" else "")


def _skey(s: dict) -> tuple:
    return (s.get("repository") or "", s["id"])


def _sort(sites: Iterable[dict]) -> list[dict]:
    return sorted(sites, key=lambda s: (s.get("repository") or "", s["path"], s["line"], s["id"]))


def _untagged(s: dict) -> bool:
    return s["bucket"] == "untagged" and s.get("spends", True) is not False


def _uses(sites: Iterable[dict]) -> list[dict]:
    return [{"provider": p, "model": m} for p, m in sorted({(s["provider"], _mname(s)) for s in sites})]


def _calls(sites: Iterable[dict]) -> list[dict]:
    """The calls among an inventory's sites: framework model bindings choose a model, they are not calls."""
    return [s for s in sites if s.get("kind") != "binding"]


def _side(data: dict) -> dict:
    sites = data["call_sites"]
    side = {"root": data.get("root"), "call_sites": len(_calls(sites)),
            "untagged": sum(1 for s in sites if _untagged(s)),
            "features": len({s["feature"] for s in _calls(sites) if s["feature"] is not None})}
    return {**side, **_framework_counts(sites, ("binding",))}


def _framework_counts(sites: list[dict], kinds: tuple[str, ...]) -> dict:
    """Counts of framework site kinds ("request", "facade", "binding" as "bindings"), only those
    present: inventories without framework code compare and merge exactly as before."""
    out = {}
    for kind in kinds:
        n = sum(1 for s in sites if s.get("kind") == kind)
        if n:
            out["bindings" if kind == "binding" else kind] = n
    return out


def compare(old: dict, new: dict) -> dict:
    """What changed from `old` to `new`, call sites matched by their stable id (and repository)."""
    before = {_skey(s): s for s in old["call_sites"]}
    after = {_skey(s): s for s in new["call_sites"]}
    added = _sort(s for k, s in after.items() if k not in before)
    removed = _sort(s for k, s in before.items() if k not in after)
    feats_old: dict[str, list] = defaultdict(list)
    feats_new: dict[str, list] = defaultdict(list)
    for s in _calls(old["call_sites"]):
        if s["feature"] is not None:
            feats_old[s["feature"]].append(s)
    for s in _calls(new["call_sites"]):
        if s["feature"] is not None:
            feats_new[s["feature"]].append(s)
    moved = []
    for name in sorted(set(feats_old) & set(feats_new)):
        b, a = _uses(feats_old[name]), _uses(feats_new[name])
        if b != a:
            moved.append({"feature": name, "before": b, "after": a})
    newly = []
    for s in _sort(after.values()):
        if not _untagged(s):
            continue
        prev = before.get(_skey(s))
        if prev is None:
            newly.append({"site": s, "previously": None})
        elif not _untagged(prev):
            newly.append({"site": s, "previously": {"bucket": prev["bucket"], "feature": prev["feature"]}})
    out = {"tokenlint_version": __version__, "old": _side(old), "new": _side(new), "added": added,
           "removed": removed, "moved": moved, "newly_untagged": newly}
    rebound = _rebound(before, after)
    if rebound:  # only with framework models: inventories without them compare exactly as before
        out["rebound"] = rebound
    return out


def _rebound(before: dict, after: dict) -> list[dict]:
    """Model bindings (same id) whose provider or model changed, with the requests they serve now:
    one edit where the model is written moves every feature that spends through it."""
    reqs: dict[tuple, list[dict]] = defaultdict(list)
    for s in after.values():
        if s.get("kind") == "request":
            for bid in _bound_to(s):
                reqs[(s.get("repository") or "", bid)].append(s)
    out = []
    for k, a in after.items():
        b = before.get(k)
        if a.get("kind") != "binding" or b is None or b.get("kind") != "binding":
            continue
        if (a["provider"], _mname(a)) == (b["provider"], _mname(b)):
            continue
        served = reqs.get(k, [])
        out.append({"binding": a, "before": _uses([b])[0], "after": _uses([a])[0], "requests": len(served),
                    "features": sorted({s["feature"] for s in served if s["feature"] is not None})})
    return sorted(out, key=lambda r: _skey(r["binding"]))


def _where(s: dict) -> str:
    owner = ".".join(x for x in (s.get("class"), s.get("function")) if x) or "<module>"
    repo = f"{s['repository']}: " if s.get("repository") else ""
    return f"{repo}{s['path']}:{s['line']} {owner}"


def _uses_text(uses: list[dict]) -> str:
    return ", ".join(f"{u['model'] or '?'} ({u['provider']})" for u in uses) or "—"


def _previously(n: dict) -> str:
    p = n["previously"]
    if p is None:
        return "new call site"
    if p["feature"] is not None:
        return f"lost its tag '{p['feature']}'"
    return f"was {p['bucket']}"


def _changed(c: dict) -> bool:
    return bool(c["added"] or c["removed"] or c["moved"] or c["newly_untagged"] or c.get("rebound"))


def _served(r: dict) -> str:
    return plural(r["requests"], "request") + (f" in {plural(len(r['features']), 'feature')}" if r["features"] else "")


def compare_json(c: dict) -> str:
    return json.dumps(c, indent=2, ensure_ascii=True, sort_keys=False) + "\n"


def compare_text(c: dict) -> str:
    o, n = c["old"], c["new"]
    out = [f"call sites {o['call_sites']} -> {n['call_sites']}, untagged {o['untagged']} -> {n['untagged']}, "
           f"features {o['features']} -> {n['features']}"]
    if not _changed(c):
        return "\n".join(out + ["no change to the LLM call sites"]) + "\n"
    for s in c["added"]:
        out.append(f"new{_kind_word(s)}: {one_line(_where(s), 100)}  {inline(s['provider'])} {inline(s['api'])}  "
                   f"{one_line(_mname(s), 60)}  [{one_line(s['feature'] or s['bucket'], 60)}]")
    for s in c["removed"]:
        out.append(f"removed{_kind_word(s)}: {one_line(_where(s), 100)}  {inline(s['provider'])} {inline(s['api'])}  "
                   f"{one_line(_mname(s), 60)}  [{one_line(s['feature'] or s['bucket'], 60)}]")
    for m in c["moved"]:
        out.append(f"moved: {one_line(m['feature'], 60)}: {one_line(_uses_text(m['before']), 120)} -> "
                   f"{one_line(_uses_text(m['after']), 120)}")
    for x in c["newly_untagged"]:
        s = x["site"]
        out.append(f"newly untagged: {one_line(_where(s), 100)}  {inline(s['provider'])} {inline(s['api'])}  "
                   f"{one_line(_mname(s), 60)}  ({one_line(_previously(x), 80)})")
    for r in c.get("rebound", ()):
        out.append(f"model binding changed model: {one_line(_where(r['binding']), 100)} "
                   f"{one_line(r['binding'].get('constructor') or 'model', 40)}: {one_line(_uses_text([r['before']]), 80)}"
                   f" -> {one_line(_uses_text([r['after']]), 80)}; {_served(r)}")
    return "\n".join(out) + "\n"


def _kind_word(s: dict) -> str:
    """" model binding" for a framework model constructor (a model choice, not a call), else ""."""
    return " model binding" if s.get("kind") == "binding" else ""


COMPARE_MARKER = "<!-- tokenlint-inventory-compare -->"


def _delta(a: int, b: int) -> str:
    d = b - a
    return f"{a} → {b} ({'+' if d > 0 else ''}{d})" if d else f"{b} (no change)"


def compare_markdown(c: dict) -> str:
    o, n = c["old"], c["new"]
    out = [COMPARE_MARKER, "### LLM call sites in this change", ""]
    if not _changed(c):
        out += [f"No change to the LLM call sites ({plural(n['call_sites'], 'call site')}, {n['untagged']} untagged)."]
        return "\n".join(out) + "\n"
    rebound = c.get("rebound") or []
    out += [f"**{len(c['added'])}** new · **{len(c['removed'])}** removed · **{len(c['moved'])}** "
            f"feature{'s' if len(c['moved']) != 1 else ''} moved · **{len(c['newly_untagged'])}** newly untagged"
            + (f" · **{len(rebound)}** model {plural(len(rebound), 'binding', bare=True)} changed model" if rebound
               else ""),
            "",
            "| | call sites |", "|---|---|",
            f"| total | {_delta(o['call_sites'], n['call_sites'])} |",
            f"| untagged | {_delta(o['untagged'], n['untagged'])} |",
            f"| features | {_delta(o['features'], n['features'])} |"]

    def site_rows(sites: list[dict]) -> list[str]:
        rows = ["| where | feature | provider | api | model |", "|---|---|---|---|---|"]
        for s in sites:
            feat = md_text(s["feature"]) if s["feature"] is not None else f"_({s['bucket']})_"
            if s.get("kind") == "binding":
                feat = "_(model binding)_"
            rows.append(f"| {md_text(_where(s))} | {feat} | {md_text(s['provider'])} | {md_text(s['api'])} | "
                        f"{md_text(_mname(s))} |")
        return rows

    if c["added"]:
        out += ["", "#### New call sites", ""] + site_rows(c["added"])
    if c["removed"]:
        out += ["", "#### Removed call sites", ""] + site_rows(c["removed"])
    if c["moved"]:
        out += ["", "#### Features that moved to another model or provider", "",
                "| feature | before | after |", "|---|---|---|"]
        out += [f"| {md_text(m['feature'])} | {md_text(_uses_text(m['before']))} | {md_text(_uses_text(m['after']))} |"
                for m in c["moved"]]
    if c["newly_untagged"]:
        out += ["", "#### Newly untagged calls", "",
                "| where | provider | api | model | |", "|---|---|---|---|---|"]
        for x in c["newly_untagged"]:
            s = x["site"]
            out.append(f"| {md_text(_where(s))} | {md_text(s['provider'])} | {md_text(s['api'])} | "
                       f"{md_text(_mname(s))} | {md_text(_previously(x))} |")
    if rebound:
        out += ["", "#### Model bindings that changed model", "", "| where | model object | before | after | serves |",
                "|---|---|---|---|---|"]
        out += [f"| {md_text(_where(r['binding']))} | {md_text(r['binding'].get('constructor') or 'model')} | "
                f"{md_text(_uses_text([r['before']]))} | {md_text(_uses_text([r['after']]))} | {md_text(_served(r))} |"
                for r in rebound]
    return "\n".join(out) + "\n"


COMPARE_RENDERERS = {"json": compare_json, "text": compare_text, "markdown": compare_markdown}


# ------------------------------------------------------------------ inventories: merge

_SUMMED = ("files_analysed", "files_with_call_sites", "files_with_errors")


def repository_name(data: dict) -> Optional[str]:
    """The last part of the inventory's root folder ("/home/runner/work/shop/shop" -> "shop")."""
    root = data.get("root")
    if not isinstance(root, str):
        return None
    parts = [p for p in re.split(r"[\\/]", root) if p and p != "."]
    return parts[-1] if parts else None


def merge(named: list[tuple[str, dict]]) -> dict:
    """One organisation-wide inventory from (repository name, inventory) pairs; names are unique.

    A merged inventory may itself be merged again: its call sites keep their repository.
    """
    repos: list[dict] = []
    sites: list[dict] = []
    for name, data in named:
        if isinstance(data.get("repositories"), list):
            for r in data["repositories"]:
                repos.append(r)
            sites.extend(data["call_sites"])
            continue
        repos.append({"name": name, "root": data.get("root"), "tokenlint_version": data.get("tokenlint_version"),
                      "summary": data["summary"]})
        sites.extend({**s, "repository": name} for s in data["call_sites"])
    groups: dict[tuple[str, Any], list[dict]] = defaultdict(list)
    for s in _calls(sites):
        groups[(s["bucket"], s["feature"])].append(s)
    order = {b: i for i, b in enumerate(BUCKETS)}
    feats = []
    for key in sorted(groups, key=lambda k: (order[k[0]], k[1] or "")):
        g = groups[key]
        feats.append({
            "feature": key[1], "bucket": key[0], "call_sites": len(g),
            "direct": sum(1 for s in g if s.get("kind") == "direct"),
            "wrapper": sum(1 for s in g if s.get("kind") == "wrapper"),
            **_framework_counts(g, ("request", "facade")),
            "providers": sorted({s["provider"] for s in g}),
            "models": sorted({_mname(s) for s in g}),
            "repositories": sorted({s["repository"] for s in g}),
            "files": sorted({f"{s['repository']}/{s['path']}" for s in g}),
        })
    summary: dict[str, Any] = {"repositories": len(repos)}
    for k in _SUMMED:
        summary[k] = sum(_num(r.get("summary", {}).get(k)) for r in repos)
    summary.update({
        "call_sites": len(sites),
        "direct": sum(1 for s in sites if s.get("kind") == "direct"),
        "wrapper": sum(1 for s in sites if s.get("kind") == "wrapper"),
        **_framework_counts(sites, ("request", "facade", "binding")),
        "inferred": sum(1 for s in sites if s.get("confidence") == "inferred"),
        "untagged": sum(1 for s in sites if _untagged(s)),
        "dynamic_tags": sum(1 for s in sites if s["bucket"] == "dynamic"),
        "forwarded_tags": sum(1 for s in sites if s["bucket"] == "forwarded"),
        "features": len({s["feature"] for s in _calls(sites) if s["feature"] is not None}),
        "by_provider": dict(sorted(Counter(s["provider"] for s in _calls(sites)).items())),
        "by_api": dict(sorted(Counter(s["api"] for s in _calls(sites)).items())),
        "by_model": dict(sorted(Counter(_mname(s) for s in _calls(sites)).items())),
        "by_repository": {r["name"]: sum(1 for s in _calls(sites) if s["repository"] == r["name"]) for r in repos},
    })
    out = {"tokenlint_version": __version__, "repositories": repos, "call_sites": sites, "features": feats,
           "summary": summary}
    if summary.get("bindings"):
        out["bindings"] = merged_bindings(sites)
    return out


def _bound_to(s: dict) -> list[str]:
    """The binding ids a request runs on (its fallbacks' too)."""
    return list(s.get("bindings") or ([s["binding"]] if s.get("binding") else []))


def merged_bindings(sites: list[dict]) -> list[dict]:
    """The model bindings of merged inventories, each with its requests (ids within its repository)
    and the features they are listed under, rebuilt from the sites' links."""
    on: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for s in sites:
        if s.get("kind") == "request":
            for bid in _bound_to(s):
                on[(s["repository"], bid)].append(s)
    out = []
    for b in _sort(s for s in sites if s.get("kind") == "binding"):
        reqs = on.get((b["repository"], b["id"]), [])
        out.append({"repository": b["repository"], "id": b["id"], "path": b["path"], "line": b["line"],
                    "constructor": b.get("constructor"), "provider": b["provider"], "model": _mname(b),
                    "requests": [s["id"] for s in reqs],
                    "features": sorted({s["feature"] for s in reqs if s["feature"] is not None}),
                    "untagged_requests": sum(1 for s in reqs if _untagged(s))})
    return out


def _num(x: Any) -> int:
    return x if isinstance(x, int) and not isinstance(x, bool) else 0


def _repo_rows(m: dict) -> list[dict]:
    rows = []
    for r in m["repositories"]:
        ss = _calls(s for s in m["call_sites"] if s["repository"] == r["name"])
        rows.append({"name": r["name"], "call_sites": len(ss), "untagged": sum(1 for s in ss if _untagged(s)),
                     "features": len({s["feature"] for s in ss if s["feature"] is not None}),
                     "files": _num(r.get("summary", {}).get("files_analysed")),
                     "providers": sorted({s["provider"] for s in ss})})
    return rows


def merge_json(m: dict) -> str:
    return json.dumps(m, indent=2, ensure_ascii=True) + "\n"


def _bindings_note(sm: dict, md: bool) -> str:
    n = sm.get("bindings", 0)
    return (f" · **{n}** {plural(n, 'model binding', bare=True)}" if md else f"; {plural(n, 'model binding')}") if n else ""


def merge_markdown(m: dict) -> str:
    sm = m["summary"]
    spending = sum(1 for s in _calls(m["call_sites"]) if s.get("spends", True) is not False)
    calls = sm["call_sites"] - sm.get("bindings", 0)
    out = ["# LLM call-site inventory across repositories", "",
           f"**{sm['repositories']}** {plural(sm['repositories'], 'repository', 'repositories', bare=True)} · "
           f"**{calls}** {plural(calls, 'call site', bare=True)} in "
           f"**{sm['files_with_call_sites']}** of {plural(sm['files_analysed'], 'file')} · "
           f"**{sm['features']}** {plural(sm['features'], 'feature', bare=True)} · "
           f"**{sm['untagged']}** untagged ({_pct(sm['untagged'], spending)})" + _bindings_note(sm, True), "",
           "## Repositories", "",
           "| repository | call sites | features | untagged | files analysed | providers |",
           "|---|---:|---:|---:|---:|---|"]
    for r in _repo_rows(m):
        out.append(f"| {md_text(r['name'])} | {r['call_sites']} | {r['features']} | {r['untagged']} | {r['files']} | "
                   f"{md_text(', '.join(r['providers']))} |")
    out += ["", "## Features", "", "| feature | repositories | call sites | providers | models |",
            "|---|---|---:|---|---|"]
    for f in m["features"]:
        name = md_text(f["feature"]) if f["feature"] is not None else f"_({f['bucket']})_"
        out.append(f"| {name} | {md_text(', '.join(f['repositories']))} | {f['call_sites']} | "
                   f"{md_text(', '.join(f['providers']))} | {md_text(', '.join(f['models']))} |")
    if m.get("bindings"):
        out += ["", "## Model bindings", "", "| repository | model object | where | model | requests | features |",
                "|---|---|---|---|---:|---|"]
        out += [f"| {md_text(b['repository'])} | {md_text(b.get('constructor') or 'model')} | "
                f"{md_text(b['path'] + ':' + str(b['line']))} | {md_text(b['provider'] + ' ' + b['model'])} | "
                f"{len(b['requests'])} | {md_text(', '.join(b['features']))} |" for b in m["bindings"]]
    if sm["by_provider"]:
        out += ["", "## Providers", "", "| provider | call sites |", "|---|---:|"]
        out += [f"| {md_text(k)} | {v} |" for k, v in _by_count(sm["by_provider"])]
    if sm["by_model"]:
        out += ["", "## Models", "", "| model | call sites |", "|---|---:|"]
        out += [f"| {md_text(k)} | {v} |" for k, v in _by_count(sm["by_model"])]
    return "\n".join(out) + "\n"


def merge_text(m: dict) -> str:
    sm = m["summary"]
    calls = sm["call_sites"] - sm.get("bindings", 0)
    out = [f"{plural(sm['repositories'], 'repository', 'repositories')}, {plural(calls, 'call site')} "
           f"in {sm['files_with_call_sites']} of {plural(sm['files_analysed'], 'file')}; "
           f"{plural(sm['features'], 'feature')}; {sm['untagged']} untagged" + _bindings_note(sm, False), ""]
    for r in _repo_rows(m):
        out.append(f"{one_line(r['name'], 60)}: {plural(r['call_sites'], 'call site')}, "
                   f"{plural(r['features'], 'feature')}, "
                   f"{r['untagged']} untagged; providers {inline(', '.join(r['providers'])) or '-'}")
    out.append("")
    for f in m["features"]:
        name = one_line(f["feature"], 60) if f["feature"] is not None else f"({f['bucket']})"
        n = f["call_sites"]
        out.append(f"{name}: {n} call site{'s' if n != 1 else ''} in {one_line(', '.join(f['repositories']), 120)}; "
                   f"models {one_line(', '.join(f['models']), 120)}")
    if m.get("bindings"):
        out += ["", "model bindings:"]
        out += [f"  {one_line(b['repository'], 60)}: {one_line(b.get('constructor') or 'model', 40)} at "
                f"{inline(b['path'])}:{b['line']} -- {plural(len(b['requests']), 'request')}"
                + (f" in {plural(len(b['features']), 'feature')}" if b["features"] else "")
                + f"; {inline(b['provider'])} {one_line(b['model'], 60)}" for b in m["bindings"]]
    return "\n".join(out).rstrip() + "\n"


MERGE_RENDERERS = {"json": merge_json, "text": merge_text, "markdown": merge_markdown}
