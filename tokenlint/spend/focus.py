"""FinOps FOCUS 1.x cost and usage rows (CSV; AWS Data Exports, Azure FocusCost, GCP, LiteLLM).

Cost: `BilledCost` (else `EffectiveCost`) in `BillingCurrency`, which must be USD. Period:
`ChargePeriodStart`. Only LLM rows count (`ServiceCategory` "AI and Machine Learning", a service
naming a model API, token units, or LiteLLM tags); the rest of a cloud bill is counted as skipped.
Tokens: `ConsumedQuantity` in `ConsumedUnit` ("Tokens", "1K Tokens", "1M Tokens"), their direction
from the draft `SkuPriceDetails` properties (`TokenDirection`, `TokenCacheAction` / `TokenType`,
unconfirmed names) or else from `SkuMeter` / `ChargeDescription` words; LiteLLM's FOCUS export
carries them as `litellm:*` tags. Attribution: the `Tags` object (feature key, `tokenlint_site`).
"""

from __future__ import annotations

from typing import Any, Iterator

from tokenlint.spend.formats import provider_name
from tokenlint.spend.read import Context, get
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
    if any(w in service for w in _AI_SERVICES):
        return True
    return isinstance(tags, dict) and any(str(k).startswith("litellm:") for k in tags)


def _direction(details: Any, text: str) -> str:
    if isinstance(details, dict):
        action = str(details.get("TokenCacheAction") or details.get("TokenType") or "").lower()
        direction = str(details.get("TokenDirection") or "").lower()
        if action in ("read", "cacheread"):
            return "read"
        if action in ("write", "cachewrite"):
            return "write"
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


def charge(row: dict, ctx: Context) -> Iterator[UsageRecord]:
    tags = ctx.json_cell(row.get("Tags"), "Tags")
    if not isinstance(tags, dict):
        tags = {}
    if not _is_llm(row, tags):
        raise RowError("not LLM spend (skipped)", str(row.get("ServiceName") or "")[:40])
    cost = money(get(row, "BilledCost", "EffectiveCost"))
    if cost is None:
        raise RowError("no cost", "BilledCost and EffectiveCost are empty")
    usd(get(row, "BillingCurrency"))
    details = ctx.json_cell(row.get("SkuPriceDetails"), "SkuPriceDetails")
    feature, site = ctx.attribution(None, tags)
    rec = UsageRecord(source=ctx.export.name, kind=ctx.export.kind, day=day_of(row.get("ChargePeriodStart")),
                      provider=provider_name(tags.get("litellm:provider") or row.get("ServiceName")
                                             or row.get("ProviderName")),
                      model_raw=str((details.get("ModelId") if isinstance(details, dict) else None)
                                    or tags.get("litellm:model") or row.get("x_ModelId") or row.get("ResourceName") or ""),
                      feature=feature, site=site, account=get(row, "SubAccountId"), cost=cost,
                      requests=count(tags.get("litellm:api_requests"), "requests"))
    text = f"{row.get('SkuMeter') or ''} {row.get('ChargeDescription') or ''}"
    if "batch" in text.lower():
        rec.batch = True
    if "litellm:prompt_tokens" in tags:
        read, write = count(tags.get("litellm:cache_read_tokens")), count(tags.get("litellm:cache_creation_tokens"))
        prompt = count(tags.get("litellm:prompt_tokens"))
        rec.input = prompt - read - write if prompt >= read + write else prompt
        rec.cache_read, rec.cache_write = read, write
        rec.output = count(tags.get("litellm:completion_tokens"))
    else:
        unit = str(row.get("ConsumedUnit") or "").strip().lower()
        qty = row.get("ConsumedQuantity")
        if qty not in (None, ""):
            scale = _UNITS.get(unit)
            if scale is None:
                ctx.note("unit not tokens (cost kept, tokens not counted)", unit[:30] or "no unit")
            else:
                n = count(money(qty, "ConsumedQuantity") * scale)
                bucket = _direction(details, text)
                if bucket == "read":
                    rec.cache_read = n
                elif bucket == "write":
                    rec.cache_write = n
                elif bucket == "output":
                    rec.output = n
                elif bucket == "input":
                    rec.input = n
                else:
                    ctx.note("token direction unknown (cost kept, tokens not counted)", text.strip()[:40])
    yield rec


READERS = {"focus": charge}
