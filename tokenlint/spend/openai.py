"""OpenAI Usage API (`organization/usage/*`) and Costs API (`organization/costs`) pages.

A row is a page (`{"object": "page", "data": [...]}`), a bucket (`start_time`, `results`) or one
flat result (the dashboard CSV carries the API's names). Usage: `input_tokens` includes cached (and
cache-write) tokens, so uncached = `input_uncached_tokens`, else `input_tokens - input_cached_tokens
- input_cache_write_tokens`; `num_model_requests`; `batch` when grouped by it; attribution only by
`project_id` / `api_key_id` (map them in [tool.tokenlint.spend.accounts]). Costs: `amount.value` in
US dollars; the model is the part of `line_item` before the comma ("gpt-4o-2024-08-06, input").
"""

from __future__ import annotations

import re
from typing import Iterator, Optional

from tokenlint.spend.read import Context, get
from tokenlint.spend.record import RowError, UsageRecord, count, day_of, money, truthy, usd


def _results(row: dict) -> Iterator[tuple[object, dict]]:
    """(bucket start, result) pairs of a page, a bucket or a flat row."""
    if isinstance(row.get("data"), list):  # a whole page on one line
        for bucket in row["data"]:
            if isinstance(bucket, dict):
                yield from _results(bucket)
        return
    if isinstance(row.get("results"), list):
        start = get(row, "start_time", "start_time_iso")
        for r in row["results"]:
            if isinstance(r, dict):
                yield start, r
        return
    yield get(row, "start_time", "start_time_iso"), row


def usage(row: dict, ctx: Context) -> Iterator[UsageRecord]:
    return ctx.each(_results(row), lambda start, r: _usage(start, r, ctx))


def _usage(start: object, r: dict, ctx: Context) -> Optional[UsageRecord]:
    if get(r, "input_tokens", "output_tokens", "num_model_requests") is None:
        return None  # an empty bucket (the CSV writes them as empty rows)
    day = day_of(start)
    total_in = count(r.get("input_tokens"))
    cached = count(r.get("input_cached_tokens"))
    write = count(r.get("input_cache_write_tokens"))
    if r.get("input_uncached_tokens") not in (None, ""):
        uncached = count(r.get("input_uncached_tokens"))
    else:
        uncached = total_in - cached - write
        if uncached < 0:
            raise RowError("cached tokens exceed input", f"{cached} cached of {total_in} input")
    return UsageRecord(source=ctx.export.name, kind=ctx.export.kind, day=day, provider="openai",
                       model_raw=str(r.get("model") or ""), account=r.get("project_id") or r.get("api_key_id"),
                       input=uncached, cache_read=cached, cache_write=write, output=count(r.get("output_tokens")),
                       requests=count(r.get("num_model_requests"), "requests"), batch=truthy(r.get("batch")),
                       cache_known=any(r.get(k) not in (None, "") for k in _CACHE_FIELDS))


# a result (or a dashboard CSV) without these says nothing about caching (embeddings, an older CSV)
_CACHE_FIELDS = ("input_cached_tokens", "input_uncached_tokens", "input_cache_write_tokens")

_LINE_ITEM = re.compile(r"^(?:\s*[\w-]+\s*\|\s*)?(.+?)\s*,\s*(.+)$")


def costs(row: dict, ctx: Context) -> Iterator[UsageRecord]:
    return ctx.each(_results(row), lambda start, r: _cost(start, r, ctx))


def _cost(start: object, r: dict, ctx: Context) -> Optional[UsageRecord]:
    amount = r.get("amount")
    if isinstance(amount, dict):
        value, currency = amount.get("value"), amount.get("currency")
    else:
        value, currency = r.get("amount_value"), r.get("amount_currency")
    cost = money(value)
    if cost is None:
        return None
    usd(currency)
    item = str(r.get("line_item") or "")
    m = _LINE_ITEM.match(item)
    model = m.group(1) if m else ""
    if model.endswith((" audio", " image", " text")):
        model = model.rsplit(" ", 1)[0]
    return UsageRecord(source=ctx.export.name, kind=ctx.export.kind, day=day_of(start), provider="openai",
                       model_raw=model, account=r.get("project_id"), cost=cost,
                       batch=True if "batch" in item.lower() else None, cache_known=False)  # dollars, no tokens


READERS = {"openai-usage": usage, "openai-costs": costs}
