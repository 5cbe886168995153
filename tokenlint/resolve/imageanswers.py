"""Whether a function reads a request's answer as an image: through its image data (`part.inline_data`,
`part.as_image()`) and never through its text (`response.text`), so the request generates an image, not
text a token cap would bound."""

from __future__ import annotations

import ast
from typing import Optional

from tokenlint.resolve.loops import walk_local


def reads_image_only(call: ast.Call, fn: Optional[ast.AST], image: tuple[str, ...], text: tuple[str, ...]) -> bool:
    """Whether function `fn` binds the result of `call` (awaited or not) to one name, once, and reads it,
    or the parts a `for` loop takes from it (`for part in response.parts:`), only through attribute and
    item chains, at least one reaching an attribute of `image` and none one of `text`; never the answer
    handed on or returned whole (its reader may take the text)."""
    body = getattr(fn, "body", None)
    if not image or not body or isinstance(fn, ast.Lambda):
        return False
    name = None
    stores = 0
    for n in walk_local(body):
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
            value = n.value.value if isinstance(n.value, ast.Await) else n.value
            if value is call:
                name = n.targets[0].id
    if name is None:
        return False
    parents: dict[int, ast.AST] = {}
    for n in walk_local(body):
        for child in ast.iter_child_nodes(n):
            parents[id(child)] = n
    names = {name}
    for n in walk_local(body):  # `for part in response.candidates[0].content.parts:` reads the answer too
        if isinstance(n, (ast.For, ast.AsyncFor, ast.comprehension)) and isinstance(n.target, ast.Name) \
                and _root(n.iter) == name:
            names.add(n.target.id)
    shown = False
    for n in walk_local(body):
        if not (isinstance(n, ast.Name) and n.id in names):
            continue
        if isinstance(n.ctx, ast.Store):
            stores += n.id == name
            continue
        attrs = _chain(n, parents)
        if not attrs or any(a in text for a in attrs):
            return False  # the answer whole (returned, handed on) or its text
        shown = shown or any(a in image for a in attrs)
    return stores == 1 and shown


def _root(e: ast.expr) -> Optional[str]:
    """The name an attribute / item chain starts from (`response` of `response.candidates[0].parts`)."""
    while isinstance(e, (ast.Attribute, ast.Subscript)):
        e = e.value
    return e.id if isinstance(e, ast.Name) else None


def _chain(n: ast.AST, parents: dict[int, ast.AST]) -> list[str]:
    """The attributes of the attribute / item chain rooted at `n` (`parts`, `inline_data` of
    `n.parts[0].inline_data`); [] when `n` is read bare."""
    out: list[str] = []
    p = parents.get(id(n))
    while isinstance(p, (ast.Attribute, ast.Subscript)) and getattr(p, "value", None) is n:
        if isinstance(p, ast.Attribute):
            out.append(p.attr)
        n, p = p, parents.get(id(p))
    return out
