"""Where a request asks the provider to cache: Anthropic `cache_control` (on tools, system and message
blocks, or top-level) and Bedrock `cachePoint` blocks, each with its TTL and the static text before it.

`breakpoints(site)` walks the request in cache order (tools, system, messages) and is computed once
per site; the prompt-cache rules (TKL304, TKL305) read it. A framework request (`ChatAnthropic`,
`ChatBedrockConverse`) is walked through the messages it sends as written -- the list passed to
`invoke`, or the `ChatPromptTemplate` its chain starts with, whose `{name}` fields are dynamic --
and langchain-anthropic's `cache_control=` keyword on the request or bound to its model.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterator, Optional

from tokenlint.resolve.pieces import STATIC, Pieces, key_of, resolve
from tokenlint.resolve.chains import bound_keywords, message_content, request_messages
from tokenlint.resolve.tokens import text_length

MAX_BREAKPOINTS = 4  # Anthropic and Bedrock: at most 4 cache breakpoints per request
DEFAULT_TTL = "5m"


@dataclass
class Breakpoint:
    node: ast.expr  # the cache_control value or the {"cachePoint": ...} block
    source: object  # the ModuleSource it is written in
    ttl: Optional[str]  # "5m" / "1h"; None when not a literal
    prefix_chars: Optional[int]  # static characters up to and including its block; None: unknown
    checkpoint: bool = False  # a Bedrock cachePoint: the minimum applies per checkpoint


def breakpoints(site) -> list[Breakpoint]:  # type: ignore[no-untyped-def]
    """The cache breakpoints a direct request writes, in cache order (computed once per site)."""
    if "_breakpoints" not in site.__dict__:
        site.__dict__["_breakpoints"] = list(_breakpoints(site)) if site.node is not None and site.scope else []
    return site.__dict__["_breakpoints"]


class _Prefix:
    """Walks a request in cache order (tools, system, messages), summing static text."""

    def __init__(self, site) -> None:  # type: ignore[no-untyped-def]
        self.pieces = Pieces(site.scope)
        self.chars: Optional[int] = 0

    def add(self, e: Optional[ast.expr], scope, template: bool = False) -> None:  # type: ignore[no-untyped-def]
        if self.chars is None or e is None:
            return
        pieces = self.pieces.template(e, scope) if template else self.pieces.of(e, scope)
        if any(p.kind != STATIC for p in pieces):
            self.chars = None
        else:
            self.chars += sum(p.chars for p in pieces)

    def add_literal(self, e: ast.expr, scope) -> None:  # type: ignore[no-untyped-def]
        """A tool definition: its source text when it is made of literals only."""
        if self.chars is None:
            return
        if all(isinstance(n, (ast.Constant, ast.Dict, ast.List, ast.Tuple, ast.Load)) for n in ast.walk(e)):
            self.chars += text_length(scope.module.source.segment(e))
        else:
            self.chars = None

    def unknown(self) -> None:
        self.chars = None


def _breakpoints(site) -> Iterator[Breakpoint]:  # type: ignore[no-untyped-def]
    kw = {k.arg: k.value for k in site.node.keywords if k.arg}
    if any(k.arg is None for k in site.node.keywords):
        return  # **kwargs: the request has more than what is written here
    if site.kind == "request":
        yield from _request_breakpoints(site, kw)
        return
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


def _request_breakpoints(site, kw: dict) -> Iterator[Breakpoint]:  # type: ignore[no-untyped-def]
    """A framework request's breakpoints: in the content blocks of the messages it sends, then the
    request's own `cache_control=` (langchain-anthropic puts it on the last eligible block)."""
    prefix = _Prefix(site)
    found = request_messages(site)
    if found is None:
        prefix.unknown()
    else:
        lst, scope, template = found
        for msg in lst.elts:
            msg, mscope = resolve(msg, scope)
            content = message_content(msg)
            if content is None:
                prefix.unknown()
                continue
            yield from _blocks(content, mscope, prefix, template=template)
    top, tscope = kw.get("cache_control"), site.scope
    if top is None and "cache_control" in bound_keywords(site):
        top, tscope = bound_keywords(site)["cache_control"]  # llm.bind(cache_control=...)
    if top is not None:
        yield Breakpoint(top, tscope.module.source, _ttl(top, tscope), prefix.chars)


def _blocks(e: ast.expr, scope, prefix: _Prefix, tool: bool = False,  # type: ignore[no-untyped-def]
            template: bool = False) -> Iterator[Breakpoint]:
    """Breakpoints in a string, or a list of blocks / tools, adding their text to the prefix
    (`template`: a framework template's text, whose `{name}` fields are dynamic)."""
    e, scope = resolve(e, scope)
    if not isinstance(e, (ast.List, ast.Tuple)):
        prefix.add(e, scope, template)
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
            prefix.add(key_of(block, "text"), bscope, template)
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
