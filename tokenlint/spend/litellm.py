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

import re
from typing import Any

from tokenlint.spend.formats import provider_name
from tokenlint.spend.read import Context
from tokenlint.spend.record import UsageRecord, count, day_of, money

# Prompt-cache counts inside the metadata text: read with a pattern, so the large metadata object
# (a million rows of it in a busy proxy) is not parsed as JSON for three numbers. Only the first
# occurrence counts: `usage_object` comes before `additional_usage_values` in LiteLLM's payload.
_READ = re.compile(r'"cache_read_input_tokens"\s*:\s*(\d+)')
_CACHED = re.compile(r'"cached_tokens"\s*:\s*(\d+)')
_WRITE = re.compile(r'"cache_creation_input_tokens"\s*:\s*(\d+)')


def _cache_text(text: str) -> tuple[int, int, bool]:
    """(cache read, cache write, whether the text names a cache figure at all) from metadata text."""
    m = _READ.search(text)
    known = m is not None
    read = int(m.group(1)) if m else 0
    if not read:
        m = _CACHED.search(text)
        known = known or m is not None
        read = int(m.group(1)) if m else 0
    m = _WRITE.search(text)
    return read, int(m.group(1)) if m else 0, known or m is not None


_CACHE_KEYS = ("cache_read_input_tokens", "cache_creation_input_tokens")


def _cache(meta: Any) -> tuple[int, int, bool]:
    """(cache read, cache write) tokens from LiteLLM's usage object, and whether it carries a cache figure
    at all: a row without one says nothing about caching (unknown), which is not a 0% hit rate."""
    if not isinstance(meta, dict):
        return 0, 0, False
    for key in ("usage_object", "additional_usage_values"):
        u = meta.get(key)
        if isinstance(u, dict):
            details = u.get("prompt_tokens_details")
            known = any(u.get(k) is not None for k in _CACHE_KEYS) \
                or (isinstance(details, dict) and details.get("cached_tokens") is not None)
            read = count(u.get("cache_read_input_tokens"))
            if not read and isinstance(details, dict):
                read = count(details.get("cached_tokens"))
            return read, count(u.get("cache_creation_input_tokens")), known
    return 0, 0, False


COLUMNS = frozenset({"metadata", "request_tags", "prompt_tokens", "completion_tokens", "api_key", "startTime",
                     "start_time", "custom_llm_provider", "model", "model_group", "spend"})


def spend_log(row: dict, ctx: Context) -> UsageRecord:
    raw_meta = row.get("metadata")
    extra: Any = None
    alias = None
    if isinstance(raw_meta, dict):
        read, write, known = _cache(raw_meta)
        extra, alias = raw_meta.get("spend_logs_metadata"), raw_meta.get("user_api_key_alias")
    elif isinstance(raw_meta, str) and raw_meta:
        read, write, known = _cache_text(raw_meta) if "cache" in raw_meta else (0, 0, False)
        if "spend_logs_metadata" in raw_meta:
            meta = ctx.json_cell(raw_meta, "metadata")
            if isinstance(meta, dict):
                extra = meta.get("spend_logs_metadata")
    else:
        read = write = 0
        known = False
    raw_tags = row.get("request_tags")
    hit = ctx.memo.get(raw_tags) if extra is None and type(raw_tags) is str else None
    if hit is not None:  # the same tag list on many rows: decided once
        feature, site = hit
    else:
        tags = ctx.json_cell(raw_tags, "request_tags") if isinstance(raw_tags, str) else raw_tags
        if isinstance(tags, str):  # "a,b" from a hand-made dump
            tags = [t.strip() for t in tags.split(",") if t.strip()]
        feature, site = ctx.attribution(tags if isinstance(tags, list) else None, extra)
        if extra is None and type(raw_tags) is str and len(raw_tags) < 512 and len(ctx.memo) < 20000:
            ctx.memo[raw_tags] = (feature, site)
    prompt = count(row.get("prompt_tokens"))
    uncached = prompt - read - write
    if uncached < 0:  # the provider reported cache tokens outside prompt_tokens
        uncached = prompt
    account = row.get("api_key") or alias
    return UsageRecord(source=ctx.export.name, kind=ctx.export.kind, day=day_of(row.get("startTime") or row.get("start_time")),
                       provider=provider_name(row.get("custom_llm_provider")),
                       model_raw=str(row.get("model") or row.get("model_group") or ""), feature=feature,
                       site=site, account=str(account) if account else None, input=uncached, cache_read=read,
                       cache_write=write, output=count(row.get("completion_tokens")), requests=1,
                       cost=money(row.get("spend")), cache_known=known)


READERS = {"litellm": spend_log}
