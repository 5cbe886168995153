"""Anthropic Admin API `usage_report/messages` and `cost_report` pages.

Usage buckets (`starting_at`, `results`) have exclusive token buckets already:
`uncached_input_tokens`, `cache_read_input_tokens`, `cache_creation.ephemeral_5m_input_tokens` and
`ephemeral_1h_input_tokens`, `output_tokens`; `service_tier == "batch"` marks batch; attribution by
`workspace_id` / `api_key_id` only. Cost results carry `amount` as a decimal string in cents
("123.45" USD is $1.23): divided by 100 here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator, Optional

from tokenlint.spend.read import Context, get
from tokenlint.spend.record import UsageRecord, count, day_of, money, usd

HUNDRED = Decimal(100)


def _results(row: dict) -> Iterator[tuple[object, dict]]:
    if isinstance(row.get("data"), list):
        for bucket in row["data"]:
            if isinstance(bucket, dict):
                yield from _results(bucket)
        return
    if isinstance(row.get("results"), list):
        for r in row["results"]:
            if isinstance(r, dict):
                yield row.get("starting_at"), r
        return
    yield row.get("starting_at"), row


def usage(row: dict, ctx: Context) -> Iterator[UsageRecord]:
    return ctx.each(_results(row), lambda start, r: _usage(start, r, ctx))


def _usage(start: object, r: dict, ctx: Context) -> UsageRecord:
    creation = r.get("cache_creation") if isinstance(r.get("cache_creation"), dict) else {}
    w5 = count(creation.get("ephemeral_5m_input_tokens", r.get("cache_creation.ephemeral_5m_input_tokens")))
    w1 = count(creation.get("ephemeral_1h_input_tokens", r.get("cache_creation.ephemeral_1h_input_tokens")))
    tier = str(r.get("service_tier") or "")
    known = any(v not in (None, "") for v in (r.get("cache_read_input_tokens"), creation.get("ephemeral_5m_input_tokens"),
                                              creation.get("ephemeral_1h_input_tokens"),
                                              r.get("cache_creation.ephemeral_5m_input_tokens"),
                                              r.get("cache_creation.ephemeral_1h_input_tokens")))
    return UsageRecord(source=ctx.export.name, kind=ctx.export.kind, day=day_of(start), provider="anthropic",
                       model_raw=str(r.get("model") or ""), account=r.get("workspace_id") or r.get("api_key_id"),
                       input=count(r.get("uncached_input_tokens")), cache_read=count(r.get("cache_read_input_tokens")),
                       cache_write=w5 + w1, cache_write_1h=w1, output=count(r.get("output_tokens")),
                       batch=(tier == "batch") if tier else None, cache_known=known)


def cost(row: dict, ctx: Context) -> Iterator[UsageRecord]:
    return ctx.each(_results(row), lambda start, r: _cost(start, r, ctx))


def _cost(start: object, r: dict, ctx: Context) -> Optional[UsageRecord]:
    cents = money(get(r, "amount.value", "amount") if isinstance(r.get("amount"), dict) else r.get("amount"))
    if cents is None:
        return None
    usd(get(r, "currency", "amount.currency"))
    tier = str(r.get("service_tier") or "")
    return UsageRecord(source=ctx.export.name, kind=ctx.export.kind, day=day_of(start), provider="anthropic",
                       model_raw=str(r.get("model") or ""), account=r.get("workspace_id"), cost=cents / HUNDRED,
                       batch=(tier == "batch") if tier else None, cache_known=False)  # dollars, no tokens


READERS = {"anthropic-usage": usage, "anthropic-cost": cost}
