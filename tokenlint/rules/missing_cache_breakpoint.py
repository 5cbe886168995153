"""TKL305 missing-cache-breakpoint."""

from __future__ import annotations

import ast
from typing import Iterable, Optional

from tokenlint.findings import Fix
from tokenlint.fixes import make_fix, span_edit
from tokenlint.resolve.breakpoints import breakpoints
from tokenlint.resolve.pieces import resolve
from tokenlint.resolve.prompts import estimate_tokens, model_cache_minimum, spreads_arguments, static_system_chars
from tokenlint.rules.base import Rule, RuleContext

CACHED_APIS = {("anthropic", "messages"), ("aws_bedrock", "converse")}


class MissingCacheBreakpoint(Rule):
    """## What it does
    Finds Anthropic Messages and Bedrock Converse requests whose static system prompt is long enough
    to be cached (at least the model's minimum cacheable length, `cache_min_tokens` in the model
    catalog, estimated at 4 characters a token as TKL304 does) while the request carries no cache
    breakpoint at all: no `cache_control` on a block or at the top level, no `cachePoint` block.
    Only text that is entirely static counts (literals, constants, templates read from files); a
    prompt with dynamic parts is TKL301's business.

    ## Why is this bad?
    Anthropic and Bedrock cache a prompt prefix only where the request asks for it. Without a
    breakpoint every call pays full input price for the same long instructions; with one, repeated
    reads cost a tenth of that after the first write.

    ## Example
    ```python
    client.messages.create(model="claude-sonnet-5", max_tokens=512, system=LONG_POLICY, messages=messages)
    ```

    ## Use instead
    ```python
    client.messages.create(
        model="claude-sonnet-5",
        max_tokens=512,
        system=[{"type": "text", "text": LONG_POLICY, "cache_control": {"type": "ephemeral"}}],
        messages=messages,
    )
    ```

    ## Fix safety
    Unsafe: the fix turns an Anthropic `system=` string into one text block marked
    `cache_control: {"type": "ephemeral"}`. The first call then pays the cache-write premium (1.25x
    for 5 minutes) and the answer is unchanged, but whether the prefix is reused often enough within
    the TTL to pay off depends on your traffic. No fix for Bedrock or for system block lists.

    ## Configuration
    `model-catalog`: the catalog whose `cache_min_tokens` decide the threshold. A model whose
    minimum the catalog does not know is not reported.
    """

    code = "TKL305"
    name = "missing-cache-breakpoint"
    message = ("The static system prompt is about {tokens} tokens, above the {minimum}-token cache minimum "
               "for {model}, and the request sets no cache breakpoint")
    fix_title = "Mark the system prompt with cache_control"
    fix_safety = "unsafe"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        for s in sites:
            if (s.provider, s.api) not in CACHED_APIS or s.kind != "direct" or s.node is None or s.scope is None:
                continue
            if s.system is None or s.system.node is None or s.system.scope is None:
                continue
            minimum, model = model_cache_minimum(s, ctx.models)
            if not minimum or spreads_arguments(s):
                continue
            try:
                if breakpoints(s):
                    continue
            except RecursionError:
                continue
            chars = static_system_chars(s)
            if chars is None or estimate_tokens(chars) < minimum:
                continue
            yield self.finding_at(s.system.scope.module.source, s.system.node, s, self._fix(s),
                                  tokens=f"{estimate_tokens(chars):,}", minimum=f"{minimum:,}", model=model)

    def _fix(self, s) -> Optional[Fix]:  # type: ignore[no-untyped-def]
        node, scope = s.system.node, s.system.scope
        if s.provider != "anthropic" or s.system.where != "system" or scope is not s.scope:
            return None
        target, _ = resolve(node, scope)
        if isinstance(target, (ast.List, ast.Tuple)):
            return None  # already blocks: a human picks the last static one
        ms = scope.module.source
        text = ms.segment(node)
        if "\n" in text and not isinstance(node, (ast.Name, ast.Attribute)):
            return None  # a multi-line literal: moving it into a block is left to a human
        block = f'[{{"type": "text", "text": {text}, "cache_control": {{"type": "ephemeral"}}}}]'
        return make_fix("unsafe", "Send the system prompt as a cached text block", span_edit(ms, node, block))
