"""FinOps FOCUS 1.x cost and usage rows (CSV; AWS Data Exports, Azure FocusCost, GCP, LiteLLM).

Cost: `BilledCost` (else `EffectiveCost`) in `BillingCurrency`, which must be USD. Period:
`ChargePeriodStart`. Only LLM rows count (`ServiceCategory` "AI and Machine Learning", a service
naming a model API, token units, or LiteLLM tags); the rest of a cloud bill is counted as skipped.
Tokens: `ConsumedQuantity` in `ConsumedUnit` ("Tokens", "1K Tokens", "1M Tokens"), their direction
from the draft `SkuPriceDetails` properties (`TokenDirection`, `TokenCacheAction` / `TokenType`,
unconfirmed names) or else from `SkuMeter` / `ChargeDescription` words; LiteLLM's FOCUS export
carries them as `litellm:*` tags. Attribution: the `Tags` object (feature key, `tokenlint_site`).
A bill carries cache tokens on lines of their own: an input line says nothing about caching unless its
details say `Uncached`, and counts toward the hit rate only beside a cache line of the same model,
feature and week (`UsageRecord.cache_line`).
"""

from __future__ import annotations

from typing import Any

from tokenlint.spend.formats import provider_name
from tokenlint.spend.read import Context
from tokenlint.spend.record import RowError, UsageRecord, count, day_of, money, usd

_AI_SERVICES = ("bedrock", "openai", "vertex", "gemini", "anthropic", "claude", "generative", "foundry",
                "mistral", "llm", "language model")
_UNITS = {"tokens": 1, "token": 1, "1k tokens": 1000, "1000 tokens": 1000, "1m tokens": 1_000_000,
          "1000000 tokens": 1_000_000}


def _is_llm(row: dict, tags: Any) -> bool:
    if str(row.get("ServiceCategory") or "").lower() == "ai and machine learning":
        return True
    if "token" in str(row.get("ConsumedUnit") or "").lower():
        return True
    service = f"{row.get('ServiceName') or ''} {row.get('ServiceSubcategory') or ''}".lower()
    return any(w in service for w in _AI_SERVICES)


def _direction(details: Any, text: str) -> str:
    if isinstance(details, dict):
        action = str(details.get("TokenCacheAction") or details.get("TokenType") or "").lower()
        direction = str(details.get("TokenDirection") or "").lower()
        if action in ("read", "cacheread"):
            return "read"
        if action in ("write", "cachewrite"):
            return "write"
        if action == "uncached":
            return "uncached"
        if direction in ("input", "output"):
            return direction
    t = text.lower().replace("-", " ").replace("_", " ")
    if "cache read" in t or "cached" in t:
        return "read"
    if "cache write" in t or "cache creation" in t:
        return "write"
    if "output" in t:
        return "output"
    if "input" in t:
        return "input"
    return ""


COLUMNS = frozenset({"BilledCost", "EffectiveCost", "BillingCurrency", "ChargePeriodStart", "ConsumedQuantity",
                     "ConsumedUnit", "ServiceCategory", "ServiceName", "ServiceSubcategory", "ProviderName", "SkuMeter",
                     "ChargeDescription", "SkuPriceDetails", "Tags", "SubAccountId", "x_ModelId", "ResourceName"})


class _Memo:
    """What repeats across a bill's rows, decided once per distinct value (billing rows repeat their
    services, meters and tags millions of times)."""

    def __init__(self) -> None:
        self.llm: dict[tuple, bool] = {}
        self.sku: dict[tuple, tuple[str, bool, str]] = {}
        self.tags: dict[str, tuple] = {}


def _memo(ctx: Context) -> _Memo:
    m = getattr(ctx, "_focus", None)
    if m is None:
        m = _Memo()
        setattr(ctx, "_focus", m)
    return m


def _tags(raw: Any, ctx: Context, memo: _Memo) -> tuple:
    """(tags object, feature, site) of a Tags cell."""
    if isinstance(raw, dict):
        return (raw, *ctx.attribution(None, raw))
    key = raw or ""
    hit = memo.tags.get(key)
    if hit is None:
        tags = ctx.json_cell(raw, "Tags")
        if not isinstance(tags, dict):
            tags = {}
        hit = (tags, *ctx.attribution(None, tags))
        if len(memo.tags) < 50_000:
            memo.tags[key] = hit
    return hit


def charge(row: dict, ctx: Context) -> UsageRecord:
    memo = _memo(ctx)
    tags, feature, site = _tags(row.get("Tags"), ctx, memo)
    key = (row.get("ServiceCategory"), row.get("ConsumedUnit"), row.get("ServiceName"), row.get("ServiceSubcategory"))
    llm = memo.llm.get(key)
    if llm is None:
        llm = memo.llm[key] = _is_llm(row, tags)
    if not llm and not (tags and any(str(k).startswith("litellm:") for k in tags)):
        raise RowError("not LLM spend (skipped)", str(row.get("ServiceName") or "")[:40])
    cost = money(row.get("BilledCost") or row.get("EffectiveCost"))
    if cost is None:
        raise RowError("no cost", "BilledCost and EffectiveCost are empty")
    currency = row.get("BillingCurrency")
    if currency and currency != "USD":
        usd(currency)
    sku_key = (row.get("SkuPriceDetails"), row.get("SkuMeter"), row.get("ChargeDescription"))
    sku = memo.sku.get(sku_key)
    if sku is None:
        details = ctx.json_cell(sku_key[0], "SkuPriceDetails")
        text = f"{sku_key[1] or ''} {sku_key[2] or ''}"
        model = details.get("ModelId") if isinstance(details, dict) else None
        sku = (_direction(details, text), "batch" in text.lower(), str(model or ""))
        if len(memo.sku) < 50_000:
            memo.sku[sku_key] = sku
    direction, batch, model = sku
    rec = UsageRecord(source=ctx.export.name, kind=ctx.export.kind, day=day_of(row.get("ChargePeriodStart")),
                      provider=provider_name(tags.get("litellm:provider") or row.get("ServiceName")
                                             or row.get("ProviderName")),
                      model_raw=model or str(tags.get("litellm:model") or row.get("x_ModelId")
                                             or row.get("ResourceName") or ""),
                      feature=feature, site=site, account=row.get("SubAccountId") or None, cost=cost,
                      requests=count(tags.get("litellm:api_requests"), "requests") if tags else 0,
                      batch=True if batch else None, cache_known=False)
    if tags and "litellm:prompt_tokens" in tags:
        read, write = count(tags.get("litellm:cache_read_tokens")), count(tags.get("litellm:cache_creation_tokens"))
        prompt = count(tags.get("litellm:prompt_tokens"))
        rec.input = prompt - read - write if prompt >= read + write else prompt
        rec.cache_read, rec.cache_write = read, write
        rec.cache_known = "litellm:cache_read_tokens" in tags or "litellm:cache_creation_tokens" in tags
        rec.output = count(tags.get("litellm:completion_tokens"))
        return rec
    qty = row.get("ConsumedQuantity")
    if qty in (None, ""):
        return rec
    unit = str(row.get("ConsumedUnit") or "").strip().lower()
    scale = _UNITS.get(unit)
    if scale is None:
        ctx.note("unit not tokens (cost kept, tokens not counted)", unit[:30] or "no unit")
        return rec
    n = count(qty) * scale if qty.isdigit() else count(money(qty, "ConsumedQuantity") * scale)
    if direction == "read":  # a charge line for cache reads or writes: the export carries cache data
        rec.cache_read, rec.cache_known = n, True
    elif direction == "write":
        rec.cache_write, rec.cache_known = n, True
    elif direction == "output":
        rec.output = n
    elif direction == "uncached":  # the line says its input was not cached: a cache figure
        rec.input, rec.cache_known = n, True
    elif direction == "input":  # cache-carrying only when the bill has cache lines beside it (join.known_input)
        rec.input, rec.cache_line = n, True
    else:
        ctx.note("token direction unknown (cost kept, tokens not counted)", (sku_key[1] or "")[:40])
    return rec


READERS = {"focus": charge}
