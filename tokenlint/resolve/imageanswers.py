"""Whether a function reads a request's answer as an image: through its image data (`part.inline_data`,
`part.as_image()`) and never through its text (`response.text`), so the request generates an image, not
text a token cap would bound."""

from __future__ import annotations

import ast
from typing import Optional

from tokenlint.resolve.loops import walk_local
from tokenlint.resolve.scoring import answer_binding, chain_attrs


def reads_image_only(call: ast.Call, fn: Optional[ast.AST], image: tuple[str, ...], text: tuple[str, ...]) -> bool:
    """Whether function `fn` binds the result of `call` (awaited or not) to one name, once, and reads it,
    or the parts a `for` loop takes from it (`for part in response.parts:`), only through attribute and
    item chains, at least one reaching an attribute of `image` and none one of `text`; never the answer
    handed on or returned whole (its reader may take the text)."""
    if not image:
        return False
    bound = answer_binding(call, fn)
    if bound is None:
        return False
    body, name, parents = bound
    names = {name}
    for n in walk_local(body):  # `for part in response.candidates[0].content.parts:` reads the answer too
        if isinstance(n, (ast.For, ast.AsyncFor, ast.comprehension)) and isinstance(n.target, ast.Name) \
                and _root(n.iter) == name:
            names.add(n.target.id)
    stores = 0
    shown = False
    for n in walk_local(body):
        if not (isinstance(n, ast.Name) and n.id in names):
            continue
        if isinstance(n.ctx, ast.Store):
            stores += n.id == name
            continue
        attrs = chain_attrs(n, parents)
        if not attrs or any(a in text for a in attrs):
            return False  # the answer whole (returned, handed on) or its text
        shown = shown or any(a in image for a in attrs)
    return stores == 1 and shown


def _root(e: ast.expr) -> Optional[str]:
    """The name an attribute / item chain starts from (`response` of `response.candidates[0].parts`)."""
    while isinstance(e, (ast.Attribute, ast.Subscript)):
        e = e.value
    return e.id if isinstance(e, ast.Name) else None
