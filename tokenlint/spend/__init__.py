"""Spend: usage exports read into common records, joined to the code's call sites, and summed into
the weekly report's content.

usage files -> `read` (sniff, stream rows, one reader module per format, price) -> `join.Ledger`
(sums per week, provider, feature, site, model) -> `weekly.build` (the report as data). The
renderers live in `report/spend.py`; nothing here parses code or prints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

from tokenlint.catalog import ModelCatalog
from tokenlint.config import SpendConfig
from tokenlint.spend.join import Code, Ledger
from tokenlint.spend.parallel import read_split
from tokenlint.spend.pricing import Pricer
from tokenlint.spend.read import Context, read_file
from tokenlint.spend.weekly import Settings, build


@dataclass
class SpendInput:
    usage: list[Path]
    forced_format: Optional[str]
    config: SpendConfig
    feature_key: str
    sites: list[dict]  # inventory JSON call sites
    findings: list[dict]  # Finding.as_dict()
    catalog: ModelCatalog
    batch: dict  # sdks.toml [batch.<provider>]
    tiers: dict[str, tuple[str, ...]]  # feature -> allowed tiers
    week: Optional[str] = None
    since: Optional[dt.date] = None
    until: Optional[dt.date] = None
    today: Optional[dt.date] = None
    warning_days: int = 90
    jobs: int = 1  # processes for a large CSV / JSON-lines file


def collect(a: SpendInput) -> tuple[dict[str, Any], Code]:
    """The weekly report's content and the code side of the join."""
    code = Code.build(a.sites, a.findings)
    pricer = Pricer(a.catalog, a.batch)
    keys = tuple(dict.fromkeys(k.lower() for k in (a.feature_key, *a.config.feature_keys)))
    known = frozenset(code.by_feature) | frozenset(a.tiers)
    accounts = dict(a.config.accounts)
    ledger = Ledger()
    files = []
    for path in a.usage:
        ctx_kwargs = {"export": None, "feature_keys": keys, "site_key": a.config.site_key.lower(),
                      "known_features": known, "generic": dict(a.config.generic)}
        report = read_split(path, a.forced_format, ctx_kwargs, a.catalog, a.batch, accounts, a.since, a.until,
                            a.jobs, ledger) if a.jobs > 1 else None
        if report is None:
            report, records = read_file(path, a.forced_format, Context(**ctx_kwargs), pricer, accounts)
            ledger.add(records, a.since, a.until)
        files.append(report.as_dict())
    c = a.config
    settings = Settings(week=a.week, spike_ratio=Decimal(str(c.spike_ratio)), spike_min=Decimal(str(c.spike_min_dollars)),
                        cache_min=Decimal(str(c.cache_hit_min)), today=a.today or dt.date.today(),
                        warning_days=a.warning_days)
    return build(ledger, code, a.catalog, pricer, a.batch, a.tiers, settings, files), code
