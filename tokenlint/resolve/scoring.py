"""Whether a request only scores what it is sent: its answer is read from the log-probabilities alone
(a reward model's scores, `{t.token: t.logprob for t in response.choices[0].logprobs.content}`), so
its output is the server's fixed set of scores, not text generated to a length a cap would bound."""

from __future__ import annotations

import ast
from typing import Optional

from tokenlint.resolve.loops import walk_local


def reads_logprobs_only(call: ast.Call, fn: Optional[ast.AST]) -> bool:
    """Whether function `fn` binds the result of `call` (awaited or not) to one name, once, and reads
    that name only through its `logprobs` (`response.choices[0].logprobs`), at least once: never its
    text (`.message.content`, `.text`), never the response handed on or returned whole; and `call`
    asks for no log-probabilities itself (no `logprobs=` / `top_logprobs=`, no `**kwargs` that may
    carry them): a reward server returns its scores unasked, while a chat request asked for its
    log-probabilities generates text to whatever length until capped (`max_tokens=1`)."""
    if any(kw.arg in (None, "logprobs", "top_logprobs") for kw in call.keywords):
        return False
    bound = answer_binding(call, fn)
    if bound is None:
        return False
    body, name, parents = bound
    stores = reads = 0
    for n in walk_local(body):
        if not (isinstance(n, ast.Name) and n.id == name):
            continue
        if isinstance(n.ctx, ast.Store):
            stores += 1
            continue
        if "logprobs" not in chain_attrs(n, parents):
            return False
        reads += 1
    return stores == 1 and reads > 0


def answer_binding(call: ast.Call, fn: Optional[ast.AST]) -> Optional[tuple[list, str, dict[int, ast.AST]]]:
    """The body of function `fn`, the name it binds the result of `call` to (`response = await call`),
    and the parent of each of the body's nodes (nested functions aside); None for a lambda or when the
    result is bound to no name."""
    body = getattr(fn, "body", None)
    if not body or isinstance(fn, ast.Lambda):
        return None
    name = None
    for n in walk_local(body):
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
            value = n.value.value if isinstance(n.value, ast.Await) else n.value
            if value is call:
                name = n.targets[0].id
    if name is None:
        return None
    parents: dict[int, ast.AST] = {}
    for n in walk_local(body):
        for child in ast.iter_child_nodes(n):
            parents[id(child)] = n
    return body, name, parents


def chain_attrs(n: ast.AST, parents: dict[int, ast.AST]) -> list[str]:
    """The attributes of the attribute / item chain rooted at `n` (`choices`, `logprobs` of
    `n.choices[0].logprobs`); [] when `n` is read bare (returned, handed on)."""
    out: list[str] = []
    p = parents.get(id(n))
    while isinstance(p, (ast.Attribute, ast.Subscript)) and getattr(p, "value", None) is n:
        if isinstance(p, ast.Attribute):
            out.append(p.attr)
        n, p = p, parents.get(id(p))
    return out
