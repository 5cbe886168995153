"""TKL304 ineffective-cache-breakpoint."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

from tokenlint.rules.base import Rule, RuleContext
from tokenlint.rules.dynamic_before_static_prompt import Pieces, STATIC, key_of, resolve

MAX_BREAKPOINTS = 4  # Anthropic and Bedrock: at most 4 cache breakpoints per request
CHARS_PER_TOKEN = 4  # the usual estimate for English text
DEFAULT_TTL = "5m"


@dataclass
class Breakpoint:
    node: ast.expr  # the cache_control value or the {"cachePoint": ...} block
    source: object  # the ModuleSource it is written in
    ttl: Optional[str]  # "5m" / "1h"; None when not a literal
    prefix_chars: Optional[int]  # static characters up to and including its block; None: unknown
    checkpoint: bool = False  # a Bedrock cachePoint: the minimum applies per checkpoint


class IneffectiveCacheBreakpoint(Rule):
    """## What it does
    Checks explicit prompt-cache breakpoints: Anthropic `cache_control` on tools, `system` text
    blocks and message content blocks, the top-level `cache_control=` argument, and Bedrock
    `{"cachePoint": ...}` blocks. It reports a breakpoint that cannot work:

    - a fifth (or later) breakpoint in one request: the API allows 4;
    - a breakpoint whose prefix (tools, system, messages up to it) is literal text shorter than the
      model's minimum cacheable length, from the model catalog, estimated at 4 characters a token
      (Bedrock applies the minimum per cache point: the text since the previous one counts);
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
            if s.kind != "direct" or s.node is None or s.scope is None or not s.spends:
                continue
            # too deep to follow: RecursionError reaches the file's analysis (TKL000), never a finding lost
            points = list(_breakpoints(s))
            if not points:
                continue
            minimum, model = _minimum(s, ctx)
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
                elif minimum and chars is not None and chars // CHARS_PER_TOKEN < minimum:
                    part = ("the text since the previous cache point" if bp.checkpoint and checkpoints > 1
                            else "the prefix up to it")
                    reason = (f"{part} is about {chars // CHARS_PER_TOKEN} tokens ({chars} characters), "
                              f"below the {minimum} tokens {model} needs before it caches anything")
                five_minutes = five_minutes or bp.ttl == DEFAULT_TTL
                if reason:
                    yield self.finding_at(bp.source, bp.node, s, None, reason=reason)


def _minimum(site, ctx: RuleContext) -> tuple[Optional[int], str]:  # type: ignore[no-untyped-def]
    """The model's minimum cacheable tokens, from the catalog; None when unknown."""
    m = site.model
    if ctx.models is None or not m.value or m.kind not in ("literal", "constant"):
        return None, ""
    info = ctx.models.lookup(m.value)
    if info is not None and info.cache_min_tokens is None and info.points_to:
        info = ctx.models.lookup(info.points_to)
    return (info.cache_min_tokens if info is not None else None), m.value


class _Prefix:
    """Walks a request in cache order (tools, system, messages), summing static text."""

    def __init__(self, site) -> None:  # type: ignore[no-untyped-def]
        self.pieces = Pieces(site.scope)
        self.chars: Optional[int] = 0

    def add(self, e: Optional[ast.expr], scope) -> None:  # type: ignore[no-untyped-def]
        if self.chars is None or e is None:
            return
        pieces = self.pieces.of(e, scope)
        if any(p.kind != STATIC for p in pieces):
            self.chars = None
        else:
            self.chars += sum(p.chars for p in pieces)

    def add_literal(self, e: ast.expr, scope) -> None:  # type: ignore[no-untyped-def]
        """A tool definition: its source text when it is made of literals only."""
        if self.chars is None:
            return
        if all(isinstance(n, (ast.Constant, ast.Dict, ast.List, ast.Tuple, ast.Load)) for n in ast.walk(e)):
            self.chars += len(scope.module.source.segment(e))
        else:
            self.chars = None

    def unknown(self) -> None:
        self.chars = None


def _breakpoints(site) -> Iterator[Breakpoint]:  # type: ignore[no-untyped-def]
    kw = {k.arg: k.value for k in site.node.keywords if k.arg}
    if any(k.arg is None for k in site.node.keywords):
        return  # **kwargs: the request has more than what is written here
    prefix = _Prefix(site)
    scope = site.scope
    tools = kw.get("tools")
    if tools is None and isinstance(kw.get("toolConfig"), ast.Dict):
        tools = key_of(kw["toolConfig"], "tools")  # type: ignore[arg-type]
    if tools is not None:
        yield from _blocks(tools, scope, prefix, tool=True)
    system = kw.get("system")
    if system is not None:
        yield from _blocks(system, scope, prefix)
    messages = kw.get("messages")
    if messages is not None:
        lst, mscope = resolve(messages, scope)
        if isinstance(lst, (ast.List, ast.Tuple)):
            for msg in lst.elts:
                msg, s2 = resolve(msg, mscope)
                content = key_of(msg, "content") if isinstance(msg, ast.Dict) else None
                if content is None:
                    prefix.unknown()
                    continue
                yield from _blocks(content, s2, prefix)
        else:
            prefix.unknown()
    top = kw.get("cache_control")
    if top is not None:
        yield Breakpoint(top, scope.module.source, _ttl(top, scope), prefix.chars)


def _blocks(e: ast.expr, scope, prefix: _Prefix, tool: bool = False) -> Iterator[Breakpoint]:  # type: ignore
    """Breakpoints in a string, or a list of blocks / tools, adding their text to the prefix."""
    e, scope = resolve(e, scope)
    if not isinstance(e, (ast.List, ast.Tuple)):
        prefix.add(e, scope)
        return
    for block in e.elts:
        block, bscope = resolve(block, scope)
        if not isinstance(block, ast.Dict):
            prefix.unknown()
            continue
        point = key_of(block, "cachePoint")
        if point is not None:
            yield Breakpoint(block, bscope.module.source, _ttl(point, bscope), prefix.chars, checkpoint=True)
            continue
        if tool:
            prefix.add_literal(block, bscope)
        elif key_of(block, "text") is not None:
            prefix.add(key_of(block, "text"), bscope)
        else:
            prefix.unknown()  # images, documents, tool results: size unknown here
        cc = key_of(block, "cache_control")
        if cc is not None:
            yield Breakpoint(cc, bscope.module.source, _ttl(cc, bscope), prefix.chars)


def _ttl(e: ast.expr, scope) -> Optional[str]:  # type: ignore[no-untyped-def]
    e, scope = resolve(e, scope)
    if not isinstance(e, ast.Dict):
        return None
    ttl = key_of(e, "ttl")
    if ttl is None:
        return DEFAULT_TTL
    return ttl.value if isinstance(ttl, ast.Constant) and isinstance(ttl.value, str) else None
