"""AWS Bedrock model invocation log records (JSON lines from S3, `.gz` read as is, or a CloudWatch
Logs export).

`timestamp`, `modelId` (a base id, a cross-Region profile such as `us.anthropic.claude-...`, or an
inference-profile ARN: normalised by the pricing step), `input.inputTokenCount`,
`input.cacheReadInputTokenCount`, `input.cacheWriteInputTokenCount` (exclusive of the input count,
as the Converse usage reports them), `output.outputTokenCount`, `requestMetadata` (the feature tag),
`identity.arn` (the account key for [tool.tokenlint.spend.accounts]). No cost: priced from the catalog.
"""

from __future__ import annotations

from typing import Iterator

from tokenlint.spend.read import Context, get
from tokenlint.spend.record import RowError, UsageRecord, count, day_of


def invocation(row: dict, ctx: Context) -> Iterator[UsageRecord]:
    if row.get("schemaType") not in (None, "ModelInvocationLog"):
        raise RowError("not an invocation record", str(row.get("schemaType"))[:40])
    meta = row.get("requestMetadata")
    feature, site = ctx.attribution(None, meta if isinstance(meta, dict) else None)
    yield UsageRecord(source=ctx.export.name, kind=ctx.export.kind, day=day_of(row.get("timestamp")),
                      provider="aws_bedrock", model_raw=str(row.get("modelId") or ""), feature=feature, site=site,
                      account=get(row, "identity.arn"), input=count(get(row, "input.inputTokenCount")),
                      cache_read=count(get(row, "input.cacheReadInputTokenCount")),
                      cache_write=count(get(row, "input.cacheWriteInputTokenCount")),
                      output=count(get(row, "output.outputTokenCount")), requests=1,
                      cache_known=get(row, "input.cacheReadInputTokenCount", "input.cacheWriteInputTokenCount") is not None)


READERS = {"bedrock": invocation}
