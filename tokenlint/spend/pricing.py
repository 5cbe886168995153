"""Model ids of usage rows made comparable with the code's, and tokens priced from the catalog.

Normalising strips what routes a request without changing the model (ARNs, "provider/" prefixes,
Bedrock region and profile prefixes) and keeps the dated snapshot. Prices are models.toml's (USD per
1M tokens, dated), with spend.toml's cache rates and sdks.toml's batch discounts; a model without a
price is priced "unknown", never zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from tokenlint.catalog import ModelCatalog, ModelInfo
from tokenlint.spend.formats import spend_catalog
from tokenlint.spend.record import COMPUTED, REPORTED, UNKNOWN, UsageRecord

MILLION = Decimal(1_000_000)
_REGIONS = ("us.", "eu.", "apac.", "jp.", "au.", "us-gov.", "global.", "ca.", "uk.")
_VENDORS = ("anthropic.", "amazon.", "meta.", "mistral.", "cohere.", "ai21.", "openai.", "deepseek.", "qwen.")


@dataclass(frozen=True)
class Price:
    info: ModelInfo  # the entry carrying the price
    input: Decimal
    cache_read: Decimal
    cache_write: Decimal
    cache_write_1h: Decimal
    output: Optional[Decimal]  # None: the model prices no output (embeddings)
    batch_discount: Optional[Decimal]
    source: str


class Pricer:
    """Normalises model ids and prices records; memoised per distinct id (exports repeat them)."""

    def __init__(self, catalog: ModelCatalog, batch: dict) -> None:
        self.catalog = catalog
        self.batch = batch  # sdks.toml [batch.<provider>]
        self._ids: dict[str, tuple[str, Optional[ModelInfo]]] = {}
        self._prices: dict[tuple[str, str], Optional[Price]] = {}

    def model(self, raw: str) -> tuple[str, Optional[ModelInfo]]:
        hit = self._ids.get(raw)
        if hit is None:
            hit = self._ids[raw] = self._normalise(raw)
        return hit

    def forms(self, raw: str) -> list[str]:
        """The id and what it becomes as routing parts are stripped, most specific first."""
        low = raw.strip().lower()
        out = [low]

        def step(s: str) -> None:
            if s and s != out[-1]:
                out.append(s)

        if low.startswith("arn:"):  # arn:aws:bedrock:REGION:ACCOUNT:inference-profile/us.anthropic.claude-...
            step(low.rsplit("/", 1)[-1])
        step(out[-1].rsplit("/", 1)[-1])  # openai/gpt-4o, bedrock/us.anthropic..., vertex_ai/gemini-...
        step(next((out[-1][len(p):] for p in _REGIONS if out[-1].startswith(p)), out[-1]))
        step(next((out[-1][len(v):] for v in _VENDORS if out[-1].startswith(v)), out[-1]))
        step(next((out[-1][: -len(x)] for x in ("-v1:0", "-v2:0", ":0", "-v1") if out[-1].endswith(x)), out[-1]))
        return out

    def _normalise(self, raw: str) -> tuple[str, Optional[ModelInfo]]:
        forms = self.forms(raw)
        for c in forms:
            info = self.catalog.models.get(c)
            if info is not None:
                return info.id, info
        return forms[-1] if forms[0].startswith("arn:") else forms[min(1, len(forms) - 1)], None

    def price(self, model: str, provider: str) -> Optional[Price]:
        key = (model, provider)
        if key not in self._prices:
            self._prices[key] = self._price(model, provider)
        return self._prices[key]

    def _price(self, model: str, provider: str) -> Optional[Price]:
        _, info = self.model(model)
        if info is None:
            return None
        priced = None
        for form in self.forms(model):  # a Bedrock profile id without a price of its own: the base model's
            priced = self.catalog.priced(form) if form in self.catalog.models else None
            if priced is not None and priced.price_input is not None:
                break
            priced = None
        if priced is None:
            return None
        prov = provider if provider and provider != "unknown" else info.provider
        rates = spend_catalog().cache.get(prov) or spend_catalog().cache.get(info.provider) or {}
        base = Decimal(str(priced.price_input))
        read = (Decimal(str(priced.price_cached_input)) if priced.price_cached_input is not None
                else base * Decimal(str(rates.get("read", 1))))
        write = base * Decimal(str(rates.get("write", 1)))
        write_1h = base * Decimal(str(rates.get("write_1h", rates.get("write", 1))))
        offer = self.batch.get(prov) or self.batch.get(info.provider) or {}
        disc = offer.get("discount", info.batch_discount)
        return Price(info=priced, input=base, cache_read=read, cache_write=write, cache_write_1h=write_1h,
                     output=Decimal(str(priced.price_output)) if priced.price_output is not None else None,
                     batch_discount=Decimal(str(disc)) if disc is not None else None,
                     source=f"models.toml {priced.id} (checked {priced.checked}); spend.toml cache rates")

    def cost(self, r: UsageRecord) -> Optional[Decimal]:
        """The list-price cost of a record's tokens, or None when the model has no price."""
        p = self.price(r.model, r.provider)
        if p is None or (r.output and p.output is None):
            return None  # an output price the catalog lacks is unknown, never zero
        five_min = r.cache_write - r.cache_write_1h
        total = (r.input * p.input + r.cache_read * p.cache_read + five_min * p.cache_write
                 + r.cache_write_1h * p.cache_write_1h + r.output * (p.output or 0)) / MILLION
        if r.batch and p.batch_discount is not None:
            total *= 1 - p.batch_discount
        return total

    def fill(self, r: UsageRecord) -> None:
        """Normalise the model, fill the provider, and price the record when no cost was reported."""
        r.model, info = self.model(r.model_raw) if r.model_raw else ("", None)
        if not r.provider or r.provider == "unknown":
            r.provider = info.provider if info is not None else "unknown"
        if r.cost is not None:
            r.basis = REPORTED
            return
        c = self.cost(r) if r.model else None
        if c is None:
            r.basis = UNKNOWN
        else:
            r.cost, r.basis = c, COMPUTED
