"""`tokenlint spend`: usage exports joined to the code's call sites, as a weekly report.

Exit codes: 0 written, 1 a --fail-on condition holds, 2 usage error, unwritable output, or no usage
file could be read (each bad file is a one-line error naming it and the reason).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

import click

from tokenlint.spend.formats import spend_catalog

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
_FAIL = re.compile(r"^(spike|untagged-share|cache-hit)(?:\s*([<>]=?)\s*([0-9]*\.?[0-9]+))?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_fail_on(items: tuple[str, ...]) -> list[tuple[str, str, Decimal]]:
    """`spike,untagged-share>0.3,cache-hit<0.2` -> conditions; click.BadParameter on a bad one."""
    out = []
    for item in (x.strip() for group in items for x in group.split(",")):
        if not item:
            continue
        m = _FAIL.match(item)
        if not m or (m.group(1) == "spike") != (m.group(2) is None):
            raise click.BadParameter(f"'{item}': expected spike, untagged-share>RATIO or cache-hit<RATIO",
                                     param_hint="--fail-on")
        out.append((m.group(1), m.group(2) or "", Decimal(m.group(3) or 0)))
    return out


def failed(report: dict[str, Any], conditions: list[tuple[str, str, Decimal]]) -> list[str]:
    """The conditions that hold, each as a sentence."""
    import operator

    ops = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}
    if report.get("week") is None:
        return []
    sm, out = report["summary"], []
    for name, op, limit in conditions:
        if name == "spike" and sm["spikes"]:
            out.append(f"spike: {', '.join(sm['spikes'])}")
        elif name == "untagged-share" and sm["untagged_share"] is not None and ops[op](sm["untagged_share"], limit):
            out.append(f"untagged share {sm['untagged_share']:.2f} {op} {limit}")
        elif name == "cache-hit":
            low = [f"{r['label']} {r['cache_hit']:.2f}" for r in report["features"]
                   if r["cache_hit"] is not None and ops[op](r["cache_hit"], limit)]
            if low:
                out.append(f"cache hit {op} {limit}: {', '.join(low)}")
    return out


def _week(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    m = _WEEK.match(value)
    try:
        if m is None:
            raise ValueError
        dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        from tokenlint.cli import _fail

        _fail(f"--week: '{value}' is not an ISO week (YYYY-Www, such as 2026-W49)")
    return value


def spend_input(cfg: Any, usage: tuple[str, ...], usage_format: Optional[str], sites: list[dict],
                findings: list[dict], today: Optional[dt.date], week: Optional[str] = None,
                since: Optional[dt.date] = None, until: Optional[dt.date] = None,
                jobs: int = 0):  # type: ignore[no-untyped-def]
    import os

    from tokenlint.catalog import load_model_catalog
    from tokenlint.engine import sdk_catalog
    from tokenlint.spend import SpendInput

    return SpendInput(usage=[Path(u) for u in usage], forced_format=usage_format, config=cfg.spend,
                      feature_key=cfg.feature_key, sites=sites, findings=findings,
                      catalog=load_model_catalog(cfg.model_catalog), batch=sdk_catalog(cfg).batch,
                      tiers={name: spec.tiers for name, spec in cfg.features}, week=week, since=since, until=until,
                      today=today, warning_days=cfg.retirement_warning_days, jobs=jobs or os.cpu_count() or 1)


def priced_findings(result: Any, cfg: Any, usage: tuple[str, ...], usage_format: Optional[str],
                    today: Optional[dt.date]) -> tuple[dict[tuple, Decimal], dict[tuple, Decimal]]:
    """(path, line, code) -> the latest week's dollars at stake, and for rules without a dollar model
    the weekly spend of the feature the finding's call serves, for `check` and `audit --usage`."""
    from tokenlint.report import inventory as inv
    from tokenlint.spend import collect
    from tokenlint.spend.weekly import finding_dollars

    sites = inv.build(result.sites, result.root, len(result.files))["call_sites"]
    report, code = collect(spend_input(cfg, usage, usage_format, sites, [f.as_dict() for f in result.findings], today))
    _warn_files(report)
    return finding_dollars(report, code)


def _warn_files(report: dict[str, Any]) -> int:
    """One stderr line per unreadable file and per file with problems; the number of unreadable files."""
    from tokenlint.report.safe import clean

    bad = 0
    for f in report["files"]:
        if f["error"]:
            line = f":{f['error_line']}" if f.get("error_line") else ""
            click.echo(f"tokenlint: {clean(f['path'])}{line}: {clean(f['error'])}", err=True)
            bad += 1 if not f["records"] else 0
        for p in f["problems"]:  # `file:line: what (why)`, as linters name a place; a JSON document's rows are items
            where = (f"{clean(f['path'])}: item {p['first_row']}" if f.get("rows_are") == "item"
                     else f"{clean(f['path'])}:{p['first_row']}")
            detail = f" ({clean(p['detail'])})" if p["detail"] else ""
            more = p["count"] - 1
            tail = f"; {more} more row{'s' if more != 1 else ''} like it" if more else ""
            click.echo(f"tokenlint: {where}: {clean(p['kind'])}{detail}{tail}", err=True)
    return bad


EPILOG = """\b
Exit codes: 0 written, 1 a --fail-on condition holds, 2 usage error or no usage file could be read.
A bad row or file never stops the report: each kind of problem is one stderr line naming the file,
its first line (`usage.jsonl:2: not valid JSON (...)`) and how many more rows share it; a damaged
JSON line or a CSV row with an unterminated quote is skipped and the rest of the file is read."""


@click.command(context_settings=CONTEXT, short_help="Weekly LLM spend per feature, joined to the code.",
               epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--usage", "-u", multiple=True, required=True, type=click.Path(),
              help="A usage or cost export (repeatable): OpenAI, Anthropic, LiteLLM, Langfuse, Helicone, Bedrock "
                   "logs, FOCUS, or a CSV / JSONL mapped in [tool.tokenlint.spend.generic].")
@click.option("--usage-format", type=click.Choice(list(spend_catalog().exports)), help="The export's format (default: sniffed per file).")
@click.option("--inventory", "inventory_file", type=click.Path(),
              help="Join to a saved `tokenlint inventory --format json` instead of analysing PATHS (no findings).")
@click.option("--week", metavar="YYYY-Www", help="The ISO week to report (default: the latest week with spend).")
@click.option("--since", metavar="DATE", help="Read usage from this day (YYYY-MM-DD, UTC).")
@click.option("--until", metavar="DATE", help="Read usage up to this day, included.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html", "json"]), default="text",
              show_default=True)
@click.option("--output", "-o", type=click.Path(), help="A file, or a folder to write spend.<ext> into.")
@click.option("--fail-on", multiple=True, metavar="CONDITIONS",
              help="Exit 1 when one holds: spike, untagged-share>RATIO, cache-hit<RATIO (comma-separated).")
@click.option("--today", metavar="DATE", help="Date for retirement checks (YYYY-MM-DD).")
@click.option("--config", "config_file", type=click.Path(), help="Read [tool.tokenlint] from this file.")
@click.option("--feature-key", metavar="KEY", help="The attribution key looked for in tags (default: feature).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0,
              help="Processes reading a large CSV / JSON-lines file (default: the CPU count; 1: one).")
def spend(paths, usage, usage_format, inventory_file, week, since, until, fmt, output, fail_on, today,
          config_file, feature_key, jobs) -> None:
    """Join usage exports to the code's call sites and report one ISO week per feature: spend and
    change (spikes), model mix, cache hit rate, batch-eligible spend, floating and retired models,
    untagged spend, orphan tags, features with no spend, with every row linked to path:line."""
    from tokenlint.cli import _fail, _load, _parse_today, _write
    from tokenlint.report import spend as rs
    from tokenlint.spend import collect

    try:
        conditions = parse_fail_on(tuple(fail_on))
    except click.BadParameter as exc:
        _fail(f"--fail-on: {exc.message}")
    cfg, _, tree = _load(paths, config_file)
    cfg = cfg.with_overrides(feature_key=feature_key)
    if not fail_on:
        try:
            conditions = parse_fail_on(cfg.spend.fail_on)
        except click.BadParameter as exc:
            _fail(f"{cfg.source}: 'spend.fail-on' in [tool.tokenlint]: {exc.message}")
    day = _parse_today(today)
    start = _parse_day("--since", since)
    end = _parse_day("--until", until)
    week = _week(week)
    if inventory_file:
        from tokenlint.report.audit import InventoryError, read_inventory

        try:
            data = read_inventory(Path(inventory_file))
        except InventoryError as exc:
            _fail(f"{inventory_file}: {exc}")
        sites, findings, root = data["call_sites"], [], Path(data.get("root") or ".")
    else:
        from tokenlint.discovery import PathError
        from tokenlint.engine import analyse
        from tokenlint.report import inventory as inv
        from tokenlint.rules import RULES

        try:
            result = analyse([Path(p) for p in paths], cfg, rules=list(RULES), today=day, tree=tree)
        except PathError as exc:
            _fail(str(exc))
        sites = inv.build(result.sites, result.root, len(result.files))["call_sites"]
        findings, root = [f.as_dict() for f in result.findings], Path(result.root)
    report, _code = collect(spend_input(cfg, usage, usage_format, sites, findings, day, week, start, end, jobs))
    bad = _warn_files(report)
    target = Path(output) if output else None
    if target is not None and (target.is_dir() or output.endswith(("/", "\\"))):
        target = target / ("spend." + {"markdown": "md", "text": "txt"}.get(fmt, fmt))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _fail(f"{output}: cannot write: {exc.strerror or exc}")
    out_dir = (target.parent if target is not None else Path.cwd()).absolute()
    _write(rs.render(report, fmt, root, out_dir), str(target) if target is not None else None)
    if target is not None:
        click.echo(f"Wrote {target}.", err=True)
    if bad == len(report["files"]):
        _fail("no usage file could be read")
    held = failed(report, conditions)
    for h in held:
        click.echo(f"tokenlint: --fail-on {h}", err=True)
    sys.exit(1 if held else 0)


def _parse_day(option: str, value: Optional[str]) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        from tokenlint.cli import _fail

        _fail(f"{option}: '{value}' is not a date (YYYY-MM-DD)")
    return None
