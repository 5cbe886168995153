"""TKL305 missing-cache-breakpoint."""

from __future__ import annotations

import ast
from typing import Iterable, Optional

from tokenlint.findings import Fix
from tokenlint.fixes import make_fix, span_edit
from tokenlint.resolve.breakpoints import breakpoints
from tokenlint.resolve.pieces import STATIC, resolve
from tokenlint.resolve.prompts import (CACHED_APIS, breakpoint_minimum, caller_argument, caller_prefix,
                                       request_system, routes_to_claude, spreads_arguments, static_system_chars)
from tokenlint.resolve.tokens import estimate_tokens
from tokenlint.rules.base import Rule, RuleContext

# framework models whose requests send Anthropic cache_control / Bedrock cachePoint blocks as written
CACHED_MODELS = {"anthropic": ("ChatAnthropic", "ChatAnthropicMessages"), "aws_bedrock": ("ChatBedrockConverse",)}


def _caches(site) -> bool:  # type: ignore[no-untyped-def]
    """Is a framework request made on a model whose messages carry cache breakpoints as written?"""
    names = CACHED_MODELS.get(site.provider, ())
    calls = site.binding_calls
    return bool(calls) and all(
        (c.func.attr if isinstance(c.func, ast.Attribute) else getattr(c.func, "id", "")) in names
        and not any(k.arg in (None, "model_kwargs") for k in c.keywords) for c in calls)  # unknown extras


class MissingCacheBreakpoint(Rule):
    """## What it does
    Finds Anthropic Messages and Bedrock Converse requests whose static system prompt is long enough
    to be cached (at least the model's minimum cacheable length, `cache_min_tokens` in the model
    catalog, estimated at 4 characters a token as TKL304 does) while the request carries no cache
    breakpoint at all: no `cache_control` on a block or at the top level, no `cachePoint` block.
    Only text that is entirely static counts (literals, constants, templates read from files, a choice
    between static texts -- `DETAILED if detailed else SHORT`, counted as long as the shorter); a
    prompt with dynamic parts is TKL301's business. LangChain requests on `ChatAnthropic` and
    `ChatBedrockConverse` are read the same way: a `SystemMessage` (or `("system", ...)` in the
    `ChatPromptTemplate` the chain starts with) that opens the messages, with no `cache_control` /
    `cachePoint` content block and no `cache_control=` on the request or bound to its model
    (`llm.bind(cache_control=...)`); a model built with `model_kwargs` or `**kwargs` is not judged.

    A system prompt that is a wrapper function's parameter (`def ask(system, question): ...
    client.messages.create(system=system, ...)`) is read from what each caller passes, through
    every wrapper in between, as TKL301 reads it: a caller that passes a long static prompt
    (`ask(REVIEWER_PROMPT, paper)`) is reported at its argument, naming the wrapper and where its
    request is made; the model is the one that call reaches (the caller's argument or the
    wrapper's default).

    LiteLLM's `completion` / `acompletion` on a Claude model -- a model id the catalog knows, bare or
    behind the `anthropic/` or `bedrock/` prefix (`"anthropic/claude-sonnet-4-5"`,
    `"bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0"`) -- is read the same way: LiteLLM sends
    the system message's content blocks, with their `cache_control`, to Anthropic as `system=`
    blocks and to Bedrock Converse as a `cachePoint` (the catalog's `cache_control_routes`, checked
    in litellm's source). A long static system message with no `cache_control` on any message block
    is reported; a model behind another prefix (`openrouter/`, `vertex_ai/`) or not a literal is not.

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
    the TTL to pay off depends on your traffic. On a LiteLLM request the system message's `content`
    becomes the same one-block list, the form LiteLLM accepts for every provider it routes to. No
    fix for Bedrock, for system block lists, or for LangChain requests (reported only).

    ## Configuration
    `model-catalog`: the catalog whose `cache_min_tokens` decide the threshold. An Anthropic request
    on a model tokenlint cannot tell (configured, passed in) is judged against the largest minimum
    of Anthropic's models that are not retired (every Claude model caches: a prompt that long is
    cacheable whichever runs; the message says so); a Bedrock model whose minimum the catalog does
    not know is not reported (it may not cache at all).
    """

    code = "TKL305"
    name = "missing-cache-breakpoint"
    message = ("The static system prompt is about {tokens} tokens, above the {minimum}-token cache minimum "
               "for {model}, and the request sets no cache breakpoint{via}")
    fix_title = "Mark the system prompt with cache_control"
    fix_safety = "unsafe"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        for s in sites:
            if s.node is None or s.scope is None:
                continue
            if s.kind == "wrapper":
                yield from self._through_wrapper(s, ctx)
                continue
            if s.kind == "request":
                system = request_system(s) if _caches(s) else None
            elif s.kind == "direct" and s.system is not None and (
                    (s.provider, s.api) in CACHED_APIS or routes_to_claude(s, ctx.models)):
                system = (s.system.node, s.system.scope) if s.system.node is not None else None
            else:
                continue
            if system is None or system[1] is None:
                continue
            minimum, model = breakpoint_minimum(s, ctx.models)
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
            node, scope = system
            via = " (LiteLLM passes a message block's cache_control to Claude)" if s.provider == "litellm" else ""
            yield self.finding_at(scope.module.source, node, s, None if s.kind == "request" else self._fix(s),
                                  tokens=f"{estimate_tokens(chars):,}", minimum=f"{minimum:,}", model=model, via=via)

    def _through_wrapper(self, s, ctx: RuleContext) -> Iterable:  # type: ignore[no-untyped-def]
        """A wrapper's caller that hands the wrapped Anthropic / Bedrock request a long static system
        prompt, while the request sets no breakpoint; a prompt written in the wrapper itself is the
        request's own finding (reported there), not its callers'."""
        inner = s.request
        if (inner is None or (inner.provider, inner.api) not in CACHED_APIS or inner.system is None
                or inner.scope is None or spreads_arguments(inner) or not s.arguments):
            return
        minimum, model = breakpoint_minimum(s, ctx.models)
        if not minimum:
            return
        try:
            if breakpoints(inner) or static_system_chars(inner) is not None:
                return  # a breakpoint, or a prompt the request writes itself (judged at the request)
            found = caller_prefix(s)
            if found is None or not found.system or not found.pieces:
                return
            if any(p.kind != STATIC for p in found.pieces):
                return  # dynamic or unknown text: TKL301's business, or nothing to say
            arg = caller_argument(found.node, found.scope, s.arguments)
        except RecursionError:
            return
        chars = sum(p.chars for p in found.pieces)
        if estimate_tokens(chars) < minimum or arg is None or arg[1] is not s.scope:
            return  # short, or written in a wrapper between this caller and the request: reported there
        written = f"{inner.scope.module.source.relpath}:{inner.node.lineno}"
        yield self.finding_at(s.scope.module.source, arg[0], s, None, tokens=f"{estimate_tokens(chars):,}",
                              minimum=f"{minimum:,}", model=model,
                              via=f" (the request is made through {s.wrapper}(), at {written})")

    def _fix(self, s) -> Optional[Fix]:  # type: ignore[no-untyped-def]
        node, scope = s.system.node, s.system.scope
        # Anthropic's `system=` string, or the system message's content of a LiteLLM request (the
        # block form LiteLLM accepts for every message: a list of content blocks)
        anthropic = s.provider == "anthropic" and s.system.where == "system"
        litellm = s.provider == "litellm" and s.system.where.endswith("[role=system]")
        if not (anthropic or litellm) or scope is not s.scope:
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
