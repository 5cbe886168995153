"""Which per-request values (the time, a fresh id, a request id) a call writes into the head of its
cached prefix: its system prompt and its tool definitions.

`volatile_values(site)` gives each such value where it enters the prompt, followed through
variables and `system += ...` additions; values a module computes once at import are not
per-request. A framework request's prompt template (LangChain / LlamaIndex `PromptTemplate`,
`ChatPromptTemplate`) counts its `{name}` fields, filled at `chain.invoke({...})`,
`prompt.format(...)`, `.partial(...)` (a callable partial is called on every request) or
`partial_variables`, when the field sits before at least the model's cache minimum of static
text. Computed once per site; TKL302 reads it.

A value matters only where the prefix behind it would otherwise be reused from one call to the next:
a value written into the prompt before the loop the request runs in (in the same function:
`shots = random.sample(...)`, then `for step in ...: completion(messages=messages)`) is the same on
every request of that loop (an episode, a session), so it costs one cache write per loop, not one per
request; and in a first message the static text that counts is what follows the value up to the next
dynamic part named as the call's own text (`f"[{uuid4()}] Task: {task} ..."`: the per-call task breaks
the prefix there anyway; `{workspace}` is the same on every call for one workspace).
"""

from __future__ import annotations

import ast
from typing import Iterator, Optional

from tokenlint.resolve.chains import template_inputs
from tokenlint.resolve.fresh import day_format, fresh_call, fresh_name, to_the_day
from tokenlint.resolve.loops import walk_local
from tokenlint.resolve.pieces import DYNAMIC, HOPS, STATIC, assigned, augmented, key_of, operands
from tokenlint.resolve.prompts import cache_minimum, cache_prefix, caller_prefix
from tokenlint.resolve.reaching import statement_blocks
from tokenlint.resolve.tokens import estimate_tokens
from tokenlint.resolve.scope import enclosing_function, return_values

# Calls that keep their argument's (or receiver's) value: str(now), now.isoformat(), f"{now:%Y}".
PASS_CALLS = {"str", "repr", "int", "float", "round", "format", "isoformat", "strftime", "hex", "date",
              "replace", "astimezone", "timestamp", "ctime"}
TOOLS_KWARGS = ("tools", "functions", "toolConfig")
# words of names of a call's own text: the task, question or document a request is about
# (per call by nature: not `prompt`, `text`, `content`, `context`, which name fixed text as often as not)
_CALL_TEXT_WORDS = frozenset({"task", "question", "query", "summary", "document", "documents", "docs", "history",
                              "transcript", "article", "passage", "chunk", "chunks"})


def volatile_values(site, models=None) -> list[tuple]:  # type: ignore[no-untyped-def]
    """(node, value as written, module source, "system prompt" | "tools" | "prompt template field
    `{name}`" | "first message") of each per-request value in the site's system prompt, tools,
    template fields and, with no system prompt, first message (`models`: the catalog whose cache
    minimums decide which template fields and first-message values count)."""
    if "_volatile" in site.__dict__:
        return site.__dict__["_volatile"]
    found: list[tuple] = []
    if site.scope is not None:
        finder = _Finder(site.scope)
        if site.system is not None and site.system.node is not None and site.system.scope is not None:
            found += [(*f, "system prompt") for f in finder.scan([site.system.node], site.system.scope)]
        for tools in _tools(site):
            found += [(*f, "tools") for f in finder.scan([tools], site.scope)]
        found += _template_fields(site, finder, models)
        if not any(f[3] == "system prompt" for f in found):
            found += _prefix_values(site, models)
        found = [f for f in found if not before_loop(f[0], f[2], site)]
    site.__dict__["_volatile"] = found
    return found


def caller_values(site, models=None) -> list[tuple]:  # type: ignore[no-untyped-def]
    """`volatile_values` of a wrapper site read through what its caller passes for the wrapped
    request's prompt (`complete(system=f"Now: {datetime.now()}\\n{RULES}")`): the per-request
    values that the caller's argument brings, at the caller; the wrapper's own are reported at
    its request. Computed once per site."""
    if "_caller_volatile" in site.__dict__:
        return site.__dict__["_caller_volatile"]
    out: list[tuple] = []
    found = caller_prefix(site) if site.arguments else None
    if found is not None and any(p.volatile for p in found.pieces):
        own = cache_prefix(site)
        mine = {id(p.node) for p in own.pieces if p.volatile} if own is not None else set()
        out = [v for v in _volatile_pieces(site, found, models) if id(v[0]) not in mine]
    site.__dict__["_caller_volatile"] = out
    return out


def _prefix_values(site, models) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Per-request values among the pieces of the site's cache prefix (resolve/pieces.py: also
    through project functions that build the prompt, `.format` fields, prompt modules): every one
    in a system prompt, and in the first message of a request with no system prompt -- the head of
    its cached prefix -- those before at least the model's cache minimum of static text (a date
    after the instructions, at the end of the message, costs nothing cached)."""
    prefix = cache_prefix(site)
    if prefix is None or prefix.template or not any(p.volatile for p in prefix.pieces):
        return []
    return _volatile_pieces(site, prefix, models)


def _volatile_pieces(site, prefix, models) -> list[tuple]:  # type: ignore[no-untyped-def]
    system = prefix.system
    minimum, _ = cache_minimum(site, models)
    out: list[tuple] = []
    seen: set[int] = set()
    for i, p in enumerate(prefix.pieces):
        if not p.volatile or p.node is None or p.source is None or id(p.node) in seen:
            continue
        seen.add(id(p.node))
        after = estimate_tokens(sum(q.chars for q in _static_run(prefix.pieces[i + 1:], system)))
        if not system and after < minimum:
            continue
        where = "system prompt" if system else f"first message (before ~{after:,} tokens of static text)"
        text = _squash(p.source.segment(p.node))  # where it enters the prompt, and what it is
        named = isinstance(p.node, ast.Name) and p.origin not in (text, "")  # now = datetime.now(): f"{now}"
        out.append((p.node, f"{text} (from {p.origin})" if named else text, p.source, where))
    return out


def _static_run(pieces: list, system: bool) -> list:
    """The static pieces behind a volatile value that its change takes out of the cache: in a system
    prompt all of them (the conversation follows it), in a first message those up to the next part
    that changes from call to call anyway: another volatile value, or a dynamic part named as the
    call's own text (`{task}`, `{summary}`, `{question}`: it ends the reused prefix there). Other
    dynamic parts (`{workspace}`, `{user_name}`, a setting) are the same from call to call of one
    user or workspace and are passed over."""
    out = []
    for q in pieces:
        if not system and q.kind == DYNAMIC and (q.volatile or _per_call_text(q.origin)):
            break
        if q.kind == STATIC:
            out.append(q)
    return out


def _per_call_text(origin: str) -> bool:
    """A dynamic part written as a name one of whose words names the call's own text
    (`task_description_detail`, `self.summary`, `{user_question}`)."""
    name = origin.strip("{} ").rpartition(".")[2]
    return name.isidentifier() and any(w in _CALL_TEXT_WORDS for w in name.lower().split("_"))


def before_loop(node: ast.AST, source, site) -> bool:  # type: ignore[no-untyped-def]
    """Whether `node` (a per-request value where it enters the prompt, in module `source`), or the one
    assignment a name there reads, runs in the site's own function before the innermost loop holding
    the request, not inside it: every request of that loop sends the same value."""
    fn = enclosing_function(site.scope) if site.scope is not None and site.node is not None else None
    if fn is None or source is not site.scope.module.source:
        return False
    loop = _loop_of(fn.node, site.node)
    if loop is None or _hands_back(loop, site.node):
        return False
    outside = {id(n) for n in walk_local(fn.node.body) if not _within(n, loop)}
    if isinstance(node, ast.Name) and len(fn.bindings.get(node.id, ())) == 1:
        b = assigned(node.id, site.scope)  # `now = datetime.now()` before the loop, `f"{now}"` in it
        if b is not None and b[0] == "assign" and b[1] is not None and b[2] is fn:
            return id(b[1]) in outside and b[1].lineno < loop.lineno
    return id(node) in outside and getattr(node, "lineno", loop.lineno) < loop.lineno


def _hands_back(loop: ast.AST, call: ast.AST) -> bool:
    """A retry loop: the request's statement returns its result, or is followed in its block by a
    `break` / `return` (`r = create(...)` then `break`): one request per call of the function, each with
    the value it computed afresh."""
    holding = [(block, i) for block in _blocks(loop) for i, stmt in enumerate(block) if _within(call, stmt)]
    if not holding:
        return False
    block, i = holding[-1]  # the innermost statement holding the request
    return isinstance(block[i], ast.Return) or any(isinstance(nxt, (ast.Break, ast.Return)) for nxt in block[i + 1:])


def _blocks(loop: ast.AST):  # type: ignore[no-untyped-def]
    """The statement lists of `loop`'s body, each after the one holding it (`try` bodies, `if` branches,
    `with`)."""
    stack = [loop.body]  # type: ignore[attr-defined]
    while stack:
        block = stack.pop(0)
        yield block
        for stmt in block:
            if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While, ast.FunctionDef, ast.AsyncFunctionDef,
                                 ast.ClassDef)):
                continue  # another loop or scope: not this loop's own turn
            stack.extend(statement_blocks(stmt))


def _loop_of(fn: ast.AST, call: ast.AST):  # type: ignore[no-untyped-def]
    """The innermost `for` / `while` of function `fn` (not of a function nested in it) holding `call`."""
    found = None
    for n in walk_local(getattr(fn, "body", [])):
        if isinstance(n, (ast.For, ast.AsyncFor, ast.While)) and _within(call, n) and \
                (found is None or _within(n, found)):
            found = n
    return found


def _within(n: ast.AST, outer: ast.AST) -> bool:
    """By position: `n` lies inside `outer`."""
    start, end = getattr(n, "lineno", None), getattr(n, "end_lineno", None)
    if start is None or end is None:
        return False
    return (outer.lineno, outer.col_offset) <= (start, n.col_offset) and \
        (end, n.end_col_offset or 0) <= (outer.end_lineno or outer.lineno, outer.end_col_offset or 0)


def _template_fields(site, finder: "_Finder", models) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Volatile values a framework request fills into a template field that comes before at least
    the model's cache minimum of static text."""
    inputs = template_inputs(site)
    prefix = cache_prefix(site) if inputs else None
    if prefix is None or not prefix.template:
        return []
    minimum, _ = cache_minimum(site, models)
    out: list[tuple] = []
    for i, p in enumerate(prefix.pieces):
        name = p.origin[1:-1].split(".", 1)[0].split("[", 1)[0] if p.kind == DYNAMIC else ""
        if name not in inputs:
            continue
        if estimate_tokens(sum(q.chars for q in prefix.pieces[i + 1:] if q.kind == STATIC)) < minimum:
            continue
        value, vscope = inputs[name]
        where = f"prompt template field `{{{name}}}`"
        called = _called_per_request(value, vscope)
        if called is not None:  # .partial(date=lambda: datetime.now().isoformat()): called on every format
            origin = finder.origin(called[0], called[1], 0)
            if origin is not None:
                out.append((value, origin, vscope.module.source, where))
            continue
        out += [(*f, where) for f in finder.scan([value], vscope)]
    return out


def _called_per_request(value: ast.expr, scope):  # type: ignore[no-untyped-def]
    """(body, scope) of a callable partial value: a lambda, or a function with one `return`."""
    if isinstance(value, ast.Lambda):
        return value.body, scope
    if isinstance(value, ast.Name):
        b = assigned(value.id, scope)
        if b is not None and b[0] == "def" and isinstance(b[1], (ast.FunctionDef, ast.AsyncFunctionDef)):
            returns = list(return_values(b[1]))
            return (returns[0], b[2]) if len(returns) == 1 else None
    return None


def _tools(site) -> Iterator[ast.expr]:  # type: ignore[no-untyped-def]
    call = site.node
    if call is None or site.kind != "direct":
        return
    for k in call.keywords:
        if k.arg in TOOLS_KWARGS:
            yield k.value
        elif k.arg == "config" and isinstance(k.value, ast.Call):
            yield from (kw.value for kw in k.value.keywords if kw.arg == "tools")
        elif k.arg == "config" and isinstance(k.value, ast.Dict):
            v = key_of(k.value, "tools")
            if v is not None:
                yield v


class _Finder:
    def __init__(self, site_scope) -> None:  # type: ignore[no-untyped-def]
        self.site_scope = site_scope
        self.blocks: dict = {}  # augmented() index per function / module

    def _per_call(self, scope) -> bool:  # type: ignore[no-untyped-def]
        return scope.kind == "function" or scope is self.site_scope

    def structure(self, e: ast.expr, scope, depth: int = 0) -> Iterator[tuple]:  # type: ignore
        """(node, description, module source) of each volatile value interpolated into `e`."""
        if depth > HOPS:
            return
        parts: list[ast.expr] = []
        if isinstance(e, ast.JoinedStr):  # a value formatted to the day (f"{now:%Y-%m-%d}") is none
            parts = [v.value for v in e.values
                     if isinstance(v, ast.FormattedValue) and not day_format(v.format_spec)]
        elif isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add):
            parts = operands(e)
        elif isinstance(e, ast.BinOp) and isinstance(e.op, ast.Mod):
            parts = [e.left, *(e.right.elts if isinstance(e.right, ast.Tuple) else [e.right])]
        elif isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr in ("format", "join"):
            parts = [e.func.value, *e.args, *(k.value for k in e.keywords)]
        elif isinstance(e, (ast.List, ast.Tuple, ast.Set)):
            parts = [x.value if isinstance(x, ast.Starred) else x for x in e.elts]
        elif isinstance(e, ast.Dict):
            parts = [v for v in e.values if v is not None]
        elif isinstance(e, ast.Call) and _constructor(e.func):
            parts = [*e.args, *(k.value for k in e.keywords)]  # Tool(description=f"..."), dict(...)
        elif isinstance(e, ast.Name):
            b = assigned(e.id, scope)
            if b is not None and b[0] == "assign" and b[1] is not None:
                if not self._per_call(b[2]):
                    return  # computed once, at import
                if self.origin(b[1], b[2], depth + 1) is None:
                    yield from self.structure(b[1], b[2], depth + 1)
                more = [value for value, _conditional in augmented(e.id, b[1], b[2], self.blocks)]
                yield from self.scan(more, b[2], depth + 1)  # system += f"Today is {date.today()}"
                return
        yield from self.scan(parts, scope, depth)

    def scan(self, parts: list[ast.expr], scope, depth: int = 0) -> Iterator[tuple]:  # type: ignore
        """(node, description, module source) of each part that is a volatile value, else of the
        volatile values interpolated into it."""
        for part in parts:
            origin = self.origin(part, scope, depth) if self._per_call(scope) else None
            if origin is None:
                yield from self.structure(part, scope, depth)
                continue
            text = _squash(scope.module.source.segment(part))
            yield part, text if origin == text else f"{text} (from {origin})", scope.module.source

    def origin(self, e: ast.expr, scope, depth: int) -> Optional[str]:  # type: ignore[no-untyped-def]
        """The per-request value `e` carries ("datetime.now()", "request_id"), or None; a clock value
        read to the day (`date.today()`, `now.strftime("%Y-%m-%d")`) changes once a day: None."""
        if to_the_day(e, scope):
            return None
        if isinstance(e, ast.Call):
            if fresh_call(e, scope):
                return _squash(scope.module.source.segment(e))
            f = e.func
            if isinstance(f, ast.Attribute) and f.attr in PASS_CALLS:
                return self.origin(f.value, scope, depth)
            if isinstance(f, ast.Name) and f.id in PASS_CALLS and e.args:
                return self.origin(e.args[0], scope, depth)
            return None
        if isinstance(e, ast.BinOp) and not isinstance(e.op, (ast.Add, ast.Mod)):  # time.time() * 1000
            return self.origin(e.left, scope, depth) or self.origin(e.right, scope, depth)
        if isinstance(e, ast.Attribute):
            if fresh_name(e.attr):
                return _squash(scope.module.source.segment(e))
            return self.origin(e.value, scope, depth) if e.attr in PASS_CALLS else None
        if isinstance(e, ast.Name):
            b = assigned(e.id, scope)
            if b is not None and not self._per_call(b[2]):
                return None  # a module constant: computed once
            if fresh_name(e.id):
                return e.id
            if b is not None and b[0] == "assign" and b[1] is not None and depth < HOPS:
                return self.origin(b[1], b[2], depth + 1)
        return None


def _squash(text: str) -> str:
    return " ".join(text.split())


def _constructor(f: ast.expr) -> bool:
    name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
    return name == "dict" or name[:1].isupper()
