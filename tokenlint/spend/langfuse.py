"""Langfuse observations (blob-storage export `observations_v2/`, UI export, or API v2) as JSON lines
or CSV.

`usage_details` holds mutually exclusive buckets (`input` excludes every `input_*` key): keys are
classified by name (cache read: `cache_read` / `cached`; cache write: `cache_creation` /
`cache_write`; other `input*` keys: input; `output*`: output; `total` is ignored). `total_cost` is in
US dollars. Attribution: trace `tags` and `metadata`. Observations without usage or cost (spans,
events) are skipped.
"""

from __future__ import annotations

from typing import Iterator

from tokenlint.spend.read import Context, get
from tokenlint.spend.record import UsageRecord, count, day_of, money


def _buckets(usage: dict) -> tuple[int, int, int, int, bool]:
    """(input, cache read, cache write, output, whether any key is a cache bucket: without one the row
    says nothing about caching)."""
    inp = read = write = out = 0
    known = False
    for key, value in usage.items():
        k = str(key).lower()
        n = count(value)
        if k == "total" or k.endswith("_total") or k == "total_tokens":
            continue
        if "cache_read" in k or "cached" in k:
            read += n
            known = True
        elif "cache_creation" in k or "cache_write" in k:
            write += n
            known = True
        elif k.startswith(("output", "completion")):
            out += n
        elif k.startswith(("input", "prompt")):
            inp += n
    return inp, read, write, out, known


def observation(row: dict, ctx: Context) -> Iterator[UsageRecord]:
    usage = ctx.json_cell(get(row, "usage_details", "usageDetails"), "usage_details")
    cost = money(get(row, "total_cost", "totalCost", "calculatedTotalCost"))
    if not isinstance(usage, dict):
        usage = {}
    if not usage and cost is None:
        return
    inp, read, write, out, known = _buckets(usage)
    tags = ctx.json_cell(row.get("tags"), "tags")
    meta = ctx.json_cell(row.get("metadata"), "metadata")
    feature, site = ctx.attribution(tags if isinstance(tags, list) else None, meta if isinstance(meta, dict) else None)
    yield UsageRecord(source=ctx.export.name, kind=ctx.export.kind, day=day_of(get(row, "start_time", "startTime")),
                      provider="", model_raw=str(get(row, "provided_model_name", "providedModelName", "model") or ""),
                      feature=feature, site=site, account=get(row, "project_id", "projectId"), input=inp,
                      cache_read=read, cache_write=write, output=out, requests=1, cost=cost, cache_known=known)


READERS = {"langfuse": observation}
