"""The join: usage records summed per ISO week, provider, feature, call site, model and batch flag,
and those sums tied to the inventory's call sites.

Records are streamed into the ledger and forgotten, so memory grows with the number of distinct
(week, feature, model, ...) keys, never with rows. The code side is the inventory's JSON contract
(`call_sites`) and findings as `Finding.as_dict()` gives them, so a saved inventory joins the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Optional

from tokenlint.spend.record import UsageRecord

ZERO = Decimal(0)
# accumulator slots
# CACHE_SEEN: records with a cache figure; KNOWN_INPUT: their uncached input (the hit rate's base);
# LINE_INPUT: input of bill line items whose cache figures are sibling lines (counted when CACHE_SEEN)
COST, INPUT, READ, WRITE, OUTPUT, REQUESTS, RECORDS, CACHE_SEEN, KNOWN_INPUT, LINE_INPUT = range(10)


def week_of(day: dt.date) -> str:
    y, w, _ = day.isocalendar()
    return f"{y}-W{w:02d}"


def week_start(week: str) -> dt.date:
    y, w = week.split("-W")
    return dt.date.fromisocalendar(int(y), int(w), 1)


def shift(week: str, weeks: int) -> str:
    return week_of(week_start(week) + dt.timedelta(weeks=weeks))


@dataclass
class Ledger:
    """Sums per key: (week, kind, source, provider, feature, site, model, batch, basis)."""

    sums: dict[tuple, list] = field(default_factory=dict)
    _weeks: dict[dt.date, str] = field(default_factory=dict)

    def add(self, records: Iterable[UsageRecord], since: Optional[dt.date] = None,
            until: Optional[dt.date] = None) -> None:
        sums, weeks = self.sums, self._weeks
        for r in records:
            day = r.day
            if (since is not None and day < since) or (until is not None and day > until):
                continue
            week = weeks.get(day)
            if week is None:
                week = weeks[day] = week_of(day)
            key = (week, r.kind, r.source, r.provider, r.feature, r.site, r.model, bool(r.batch), r.basis)
            acc = sums.get(key)
            if acc is None:
                acc = sums[key] = [ZERO, 0, 0, 0, 0, 0, 0, 0, 0, 0]
            if r.cost is not None:
                acc[COST] += r.cost
            acc[INPUT] += r.input
            acc[READ] += r.cache_read
            acc[WRITE] += r.cache_write
            acc[OUTPUT] += r.output
            acc[REQUESTS] += r.requests
            acc[RECORDS] += 1
            if r.cache_known:
                acc[CACHE_SEEN] += 1
                acc[KNOWN_INPUT] += r.input
            elif r.cache_line:
                acc[LINE_INPUT] += r.input

    def weeks(self) -> list[str]:
        return sorted({k[0] for k in self.sums})


@dataclass
class Code:
    """The code side of the join: call sites by id, by feature and by model, and their findings."""

    sites: dict[str, dict]
    findings: list[dict]
    by_feature: dict[str, list[dict]]
    findings_at: dict[str, list[dict]]  # site id -> findings at it (and at the call a wrapper reaches)

    @classmethod
    def build(cls, sites: list[dict], findings: list[dict]) -> "Code":
        by_id = {s["id"]: s for s in sites}
        by_feature: dict[str, list[dict]] = {}
        for s in sites:
            if s.get("feature"):
                by_feature.setdefault(s["feature"], []).append(s)
        direct: dict[str, list[dict]] = {}
        for f in findings:
            if f.get("site_id"):
                direct.setdefault(f["site_id"], []).append(f)
        at: dict[str, list[dict]] = {}
        for s in sites:
            seen, out, cur = set(), [], s
            while cur is not None and cur["id"] not in seen:  # a wrapper's findings sit at its target
                seen.add(cur["id"])
                out.extend(direct.get(cur["id"], []))
                cur = by_id.get(cur.get("target") or "")
            at[s["id"]] = out
        return cls(sites=by_id, findings=findings, by_feature=by_feature, findings_at=at)

    def sites_of(self, feature: Optional[str], site: Optional[str]) -> list[dict]:
        if site and site in self.sites:
            return [self.sites[site]]
        return list(self.by_feature.get(feature or "", []))


def known_input(acc: list) -> int:
    """The uncached input of an accumulator's records that say how much of their input was cached:
    rows with a cache figure, and bill line items when a cache line sits beside them."""
    return acc[KNOWN_INPUT] + (acc[LINE_INPUT] if acc[CACHE_SEEN] else 0)
