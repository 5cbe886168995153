"""Helicone request export (`npx @helicone/export`, JSON lines, JSON or CSV; the CSV has no cache
columns).

`request_created_at`, the model (`model`, `response_model`, `request_model`), `provider`,
`prompt_tokens`, `completion_tokens`, `prompt_cache_read_tokens`, `prompt_cache_write_tokens`, cost in
US dollars (`cost`, `costUSD`, `cost_usd`), and the custom properties set by `Helicone-Property-*`
headers (`properties` / `request_properties`, keys matched case-insensitively). Cache tokens are
subtracted from `prompt_tokens` only when the rest is not negative.
"""

from __future__ import annotations

from typing import Iterator

from tokenlint.spend.formats import provider_name
from tokenlint.spend.read import Context, get
from tokenlint.spend.record import UsageRecord, count, day_of, money


def request(row: dict, ctx: Context) -> Iterator[UsageRecord]:
    props = ctx.json_cell(get(row, "properties", "request_properties"), "properties")
    feature, site = ctx.attribution(None, props if isinstance(props, dict) else None)
    raw_read, raw_write = row.get("prompt_cache_read_tokens"), row.get("prompt_cache_write_tokens")
    read, write = count(raw_read), count(raw_write)
    prompt = count(row.get("prompt_tokens"))
    uncached = prompt - read - write
    if uncached < 0:
        uncached = prompt
    yield UsageRecord(source=ctx.export.name, kind=ctx.export.kind,
                      day=day_of(get(row, "request_created_at", "response_created_at", "created_at")),
                      provider=provider_name(row.get("provider")),
                      model_raw=str(get(row, "model", "response_model", "request_model", "model_override") or ""),
                      feature=feature, site=site, account=get(row, "request_user_id"), input=uncached,
                      cache_read=read, cache_write=write, output=count(row.get("completion_tokens")), requests=1,
                      cost=money(get(row, "cost", "costUSD", "cost_usd")),
                      cache_known=raw_read not in (None, "") or raw_write not in (None, ""))  # the CSV has neither


READERS = {"helicone": request}
