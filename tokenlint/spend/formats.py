"""Which export a usage file is: the formats of catalog/spend.toml, matched on a file's first keys."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tokenlint.catalog import HERE, load_toml


@dataclass(frozen=True)
class Export:
    name: str
    module: str
    title: str
    kind: str  # billing | attribution
    sniff: tuple[frozenset[str], ...]
    obtain: str
    cost_unit: str
    source: str
    checked: str
    unconfirmed: str = ""


@dataclass(frozen=True)
class SpendCatalog:
    exports: dict[str, Export]
    cache: dict[str, dict[str, Any]]  # provider -> {read, write, write_1h, source, checked}
    providers: dict[str, str]  # export provider name (lowercase) -> catalog provider
    checked: str


@lru_cache(maxsize=1)
def spend_catalog() -> SpendCatalog:
    data = load_toml(HERE / "spend.toml")
    exports = {}
    for e in data.get("export", []):
        exports[e["name"]] = Export(
            name=e["name"], module=e["module"], title=e["title"], kind=e["kind"],
            sniff=tuple(frozenset(s) for s in e.get("sniff", [])), obtain=e.get("obtain", ""),
            cost_unit=e.get("cost_unit", "usd"), source=e.get("source", ""), checked=e.get("checked", ""),
            unconfirmed=e.get("unconfirmed", ""))
    return SpendCatalog(exports=exports, cache=dict(data.get("cache", {})),
                        providers={k.lower(): v for k, v in data.get("providers", {}).items()},
                        checked=data.get("meta", {}).get("checked", ""))


def provider_name(raw: Any) -> str:
    """A catalog provider name for an export's provider string ("bedrock" -> "aws_bedrock")."""
    if not raw:
        return ""
    hit = _PROVIDERS.get(raw) if type(raw) is str else None
    if hit is None:
        s = str(raw).strip().lower()
        hit = spend_catalog().providers.get(s, s)
        if type(raw) is str and len(_PROVIDERS) < 1000:
            _PROVIDERS[raw] = hit
    return hit


_PROVIDERS: dict[str, str] = {}


_KEY = re.compile(r'"((?:[^"\\]|\\.){1,80})"\s*:')
_VALUE = re.compile(r':\s*"([a-z_.]{3,60})"')


def json_keys(text: str) -> set[str]:
    """Every key (and short dotted string value, such as an `object` type) in the first bytes of JSON.

    The head may end mid-record, so it is scanned as text, never parsed or evaluated."""
    keys = set(_KEY.findall(text)) | set(_VALUE.findall(text))
    # JSON-in-a-string cells (LiteLLM metadata) have escaped quotes: look inside them too
    if '\\"' in text:
        inner = text.replace('\\"', '"')
        keys |= set(_KEY.findall(inner))
    return keys


def sniff(keys: set[str]) -> str | None:
    """The first export (in catalog order) whose key set is all present, or None."""
    for e in spend_catalog().exports.values():
        for need in e.sniff:
            if need <= keys:
                return e.name
    return None
