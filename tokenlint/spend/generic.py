"""Any CSV or JSON-lines usage file, read through the column names given in
[tool.tokenlint.spend.generic]:

    [tool.tokenlint.spend.generic]
    time = "ts"              # required: a timestamp or date column
    model = "model"
    provider = "vendor"      # else the model catalog's provider
    feature = "feature"      # or tags = "labels" (a list, or "a,b" text, of "feature:x" tags)
    site = "site_id"
    account = "project"
    input = "prompt_tokens"
    cache-read = "cached_tokens"
    cache-write = "cache_write_tokens"
    output = "completion_tokens"
    requests = "calls"       # else one request per row
    cost = "usd"
    currency = "currency"
    batch = "is_batch"
    cost-unit = "usd"        # or "cents"
    input-includes-cache = false   # true: cache tokens are subtracted from input
    kind = "attribution"     # or "billing"
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from tokenlint.spend.formats import provider_name
from tokenlint.spend.read import Context, get
from tokenlint.spend.record import RowError, UsageRecord, count, day_of, money, truthy, usd

COLUMNS = ("time", "model", "provider", "feature", "site", "account", "tags", "input", "cache-read",
           "cache-write", "output", "requests", "cost", "currency", "batch")
OPTIONS = {"cost-unit": ("usd", "cents"), "input-includes-cache": (True, False), "kind": ("attribution", "billing")}


def row_record(row: dict, ctx: Context) -> Iterator[UsageRecord]:
    m = ctx.generic

    def col(name: str):  # type: ignore[no-untyped-def]
        c = m.get(name)
        return get(row, c) if c else None

    tags = ctx.json_cell(col("tags"), "tags")
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",") if t.strip()]
    feature, site = ctx.attribution(tags if isinstance(tags, list) else None)
    feature = str(col("feature") or "") or feature
    site = str(col("site") or "") or site
    read, write = count(col("cache-read")), count(col("cache-write"))
    inp = count(col("input"))
    if m.get("input-includes-cache"):
        inp -= read + write
        if inp < 0:
            raise RowError("cached tokens exceed input", "")
    cost = money(col("cost"))
    if cost is not None and m.get("cost-unit") == "cents":
        cost /= Decimal(100)
    usd(col("currency"))
    requests = col("requests")
    yield UsageRecord(source="generic", kind=m.get("kind", "attribution"), day=day_of(col("time")),
                      provider=provider_name(col("provider")), model_raw=str(col("model") or ""),
                      feature=feature or None, site=site or None,
                      account=str(col("account")) if col("account") else None, input=inp, cache_read=read,
                      cache_write=write, output=count(col("output")),
                      requests=1 if requests is None else count(requests, "requests"), cost=cost,
                      batch=truthy(col("batch")),
                      cache_known=bool(m.get("cache-read") or m.get("cache-write")))  # no cache column: unknown


READERS = {"generic": row_record}
