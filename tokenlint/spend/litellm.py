"""LiteLLM proxy spend logs: `LiteLLM_SpendLogs` rows from `/spend/logs` (JSON), a table dump (CSV)
or JSON lines.

Per request: `startTime`, `model`, `custom_llm_provider`, `spend` (US dollars, LiteLLM's own price),
`prompt_tokens`, `completion_tokens`, `request_tags` (a list, or its JSON text), `metadata` (an object
or its JSON text: `spend_logs_metadata` may carry the feature; `usage_object` /
`additional_usage_values` carry the prompt-cache tokens). Whether `prompt_tokens` includes cache
tokens differs by provider and LiteLLM version, so they are subtracted only when the rest is not
negative. `cache_hit` is LiteLLM's response cache, not prompt caching, and is not read.
"""

from __future__ import annotations

from typing import Any, Iterator

from tokenlint.spend.formats import provider_name
from tokenlint.spend.read import Context, get
from tokenlint.spend.record import UsageRecord, count, day_of, money

_CACHE_WORDS = ("cache_read_input_tokens", "cached_tokens", "cache_creation_input_tokens")


def _cache(meta: Any) -> tuple[int, int]:
    """(cache read, cache write) tokens from LiteLLM's usage object."""
    if not isinstance(meta, dict):
        return 0, 0
    for key in ("usage_object", "additional_usage_values"):
        u = meta.get(key)
        if isinstance(u, dict):
            read = count(u.get("cache_read_input_tokens"))
            if not read:
                details = u.get("prompt_tokens_details")
                if isinstance(details, dict):
                    read = count(details.get("cached_tokens"))
            return read, count(u.get("cache_creation_input_tokens"))
    return 0, 0


def spend_log(row: dict, ctx: Context) -> Iterator[UsageRecord]:
    raw_meta = row.get("metadata")
    meta: Any = None
    if isinstance(raw_meta, dict):
        meta = raw_meta
    elif isinstance(raw_meta, str) and (ctx.site_key in raw_meta or any(k in raw_meta for k in ctx.feature_keys)
                                        or any(w in raw_meta for w in _CACHE_WORDS)):
        meta = ctx.json_cell(raw_meta, "metadata")
    tags = ctx.json_cell(row.get("request_tags"), "request_tags")
    if isinstance(tags, str):  # "a,b" from a hand-made dump
        tags = [t.strip() for t in tags.split(",") if t.strip()]
    extra = meta.get("spend_logs_metadata") if isinstance(meta, dict) else None
    feature, site = ctx.attribution(tags if isinstance(tags, list) else None, extra)
    read, write = _cache(meta)
    prompt = count(row.get("prompt_tokens"))
    uncached = prompt - read - write
    if uncached < 0:  # the provider reported cache tokens outside prompt_tokens
        uncached = prompt
    provider = provider_name(row.get("custom_llm_provider"))
    account = get(row, "api_key") or (meta.get("user_api_key_alias") if isinstance(meta, dict) else None)
    yield UsageRecord(source=ctx.export.name, kind=ctx.export.kind, day=day_of(get(row, "startTime", "start_time")),
                      provider=provider, model_raw=str(get(row, "model", "model_group") or ""), feature=feature,
                      site=site, account=str(account) if account else None, input=uncached, cache_read=read,
                      cache_write=write, output=count(row.get("completion_tokens")), requests=1,
                      cost=money(row.get("spend")))


READERS = {"litellm": spend_log}
