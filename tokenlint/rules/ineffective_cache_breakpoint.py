"""TKL304 ineffective-cache-breakpoint."""

from __future__ import annotations

from typing import Iterable, Optional

from tokenlint.rules.base import Rule, RuleContext
from tokenlint.resolve.breakpoints import DEFAULT_TTL, MAX_BREAKPOINTS, breakpoints
from tokenlint.resolve.prompts import model_cache_minimum
from tokenlint.resolve.tokens import estimate_tokens


class IneffectiveCacheBreakpoint(Rule):
    """## What it does
    Checks explicit prompt-cache breakpoints: Anthropic `cache_control` on tools, `system` text
    blocks and message content blocks, the top-level `cache_control=` argument, and Bedrock
    `{"cachePoint": ...}` blocks, also in the messages a LangChain request sends (the list passed
    to `invoke`, the `ChatPromptTemplate` its chain starts with, `cache_control=` on the request).
    It reports a breakpoint that cannot work:

    - a fifth (or later) breakpoint in one request: the API allows 4;
    - a breakpoint whose prefix (tools, system, messages up to it) is literal text shorter than the
      model's minimum cacheable length, from the model catalog, estimated at 4 characters a token
      (a CJK, kana or Hangul character: one token; Bedrock applies the minimum per cache point: the
      text since the previous one counts);
    - a `"1h"` TTL breakpoint after a `"5m"` one: longer-lived entries must come first.

    ## Why is this bad?
    Below the minimum length the request is silently not cached: a breakpoint that was meant to
    cut the bill does nothing (and 1-hour cache writes are billed at a premium). A request with
    more than four breakpoints is an error, and 1-hour entries must appear before 5-minute ones
    (Anthropic's rule for mixed TTLs): the order as written does not do what it
    says.

    ## Example
    ```python
    client.messages.create(
        model="claude-sonnet-5",
        max_tokens=512,
        system=[{"type": "text", "text": "You are terse.", "cache_control": {"type": "ephemeral"}}],
        messages=messages,
    )
    ```

    ## Use instead
    ```python
    client.messages.create(
        model="claude-sonnet-5",
        max_tokens=512,
        system="You are terse.",
        messages=messages,
    )
    ```

    ## Fix safety
    No fix: whether to drop the breakpoint, move it later or grow the cached prefix is a choice.

    ## Configuration
    Minimum cacheable lengths come from the model catalog (`cache_min_tokens`). The rule stays
    silent on the length when the model or any text before the breakpoint is not a literal.
    """

    code = "TKL304"
    name = "ineffective-cache-breakpoint"
    message = "Cache breakpoint cannot work: {reason}"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        for s in sites:
            if s.kind not in ("direct", "request") or s.node is None or s.scope is None or not s.spends:
                continue
            # too deep to follow: RecursionError reaches the file's analysis (TKL000), never a finding lost
            points = breakpoints(s)
            if not points:
                continue
            minimum, model = model_cache_minimum(s, ctx.models)
            five_minutes = False
            previous: Optional[int] = 0  # characters before the segment of a Bedrock checkpoint
            checkpoints = 0
            for n, bp in enumerate(points, 1):
                reason = None
                chars = bp.prefix_chars
                if bp.checkpoint:  # Bedrock: "1,024 tokens per checkpoint": the 2nd needs 2,048
                    chars = None if chars is None or previous is None else chars - previous
                    previous = bp.prefix_chars
                    checkpoints += 1
                if n > MAX_BREAKPOINTS:
                    reason = f"breakpoint {n} of {len(points)}, the API allows at most {MAX_BREAKPOINTS}"
                elif bp.ttl == "1h" and five_minutes:
                    reason = "a 1h TTL breakpoint after a 5m one (longer TTLs must come first)"
                elif minimum and chars is not None and estimate_tokens(chars) < minimum:
                    part = ("the text since the previous cache point" if bp.checkpoint and checkpoints > 1
                            else "the prefix up to it")
                    reason = (f"{part} is about {estimate_tokens(chars)} tokens (estimated), "
                              f"below the {minimum} tokens {model} needs before it caches anything")
                five_minutes = five_minutes or bp.ttl == DEFAULT_TTL
                if reason:
                    yield self.finding_at(bp.source, bp.node, s, None, reason=reason)
