"""Where a prompt's text is kept in Python objects rather than written at the request: a module's
dict of prompts read by a constant key, and string prompt template objects filled with `.format`.

`dict_item` answers `PROMPTS["rag_response"]` (a dict literal, or an empty dict filled by
module-level `PROMPTS["rag_response"] = "..."` statements);
`template_text` answers `PromptTemplate.from_template(text)` / `PromptTemplate(template=text)` for
the classes the catalog lists under `[prompt_templates]`. resolve/pieces.py reads both.
"""

from __future__ import annotations

import ast
from typing import Optional

from tokenlint.resolve.imports import definition
from tokenlint.resolve.scope import item_assignments


def assigned(name: str, scope):  # type: ignore[no-untyped-def]
    """(kind, data, scope) of a name's binding; an annotated assignment gives its value."""
    b = definition(name, scope)
    if b is not None and b[0] == "annot":
        for kind, data in reversed(b[2].bindings.get(name, ())):
            if kind == "assign" and data is not None:
                return kind, data, b[2]
    return b


def key_of(d: ast.Dict, key: str) -> Optional[ast.expr]:
    for k, v in zip(d.keys, d.values):
        if isinstance(k, ast.Constant) and k.value == key:
            return v
    return None


def template_text(call: ast.Call, scope) -> Optional[ast.expr]:  # type: ignore[no-untyped-def]
    """The text expression of a string prompt template object (a catalog `[prompt_templates]` class:
    LangChain's `PromptTemplate.from_template(text)` / `PromptTemplate(template=text)`), whose
    `.format(name=...)` fills `{name}` fields as `str.format` does; None for any other call, and for
    a template of another `template_format` (jinja2, mustache: not read)."""
    f = call.func
    built = isinstance(f, ast.Attribute) and f.attr == "from_template"  # Class.from_template(text)
    qual = imported_qualname(f.value if built else f, scope)  # type: ignore[union-attr]
    catalog = getattr(getattr(scope.module, "resolver", None), "catalog", None)
    keyword = catalog.text_templates.get(catalog.canonical(qual)) if qual and catalog is not None else None
    if keyword is None:
        return None
    fmt = next((k.value for k in call.keywords if k.arg == "template_format"), None)
    if fmt is not None and not (isinstance(fmt, ast.Constant) and fmt.value == "f-string"):
        return None
    if call.args:
        return call.args[0]  # from_template(text); LlamaIndex's PromptTemplate(text)
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def dict_item(e: ast.Subscript, scope):  # type: ignore[no-untyped-def]
    """(value, scope) of `NAME["key"]` when NAME is a module's dict of prompts: a dict literal
    assigned once at module level (`PROMPTS = {"system": "..."}`), or an empty one filled by
    module-level `PROMPTS["system"] = "..."` statements (the last one written wins, `item_assignments`);
    None when the key is not a constant, the dict is not such a module constant, or the key is not
    written there."""
    key = e.slice
    if not (isinstance(e.value, ast.Name) and isinstance(key, ast.Constant) and isinstance(key.value, str)):
        return None
    b = assigned(e.value.id, scope)
    if b is None or b[0] != "assign" or not isinstance(b[1], ast.Dict) or getattr(b[2], "kind", "") != "module":
        return None
    if len(b[2].bindings.get(e.value.id, ())) != 1:
        return None  # rebound in the module: which dict is read depends on the order of execution
    value = item_assignments(b[2].node).get(e.value.id, {}).get(key.value)
    if value is None:
        value = key_of(b[1], key.value)
    return (value, b[2]) if value is not None else None


def imported_qualname(e: ast.expr, scope) -> Optional[str]:  # type: ignore[no-untyped-def]
    """The dotted name an expression stands for through its imports: `datetime.now` ->
    "datetime.datetime.now" after `from datetime import datetime`; `p.PromptTemplate` ->
    "langchain_core.prompts.PromptTemplate" after `import langchain_core.prompts as p`. A relative
    import gives the bare imported name; None for a name that is not imported."""
    attrs: list[str] = []
    while isinstance(e, ast.Attribute):
        attrs.append(e.attr)
        e = e.value  # type: ignore[assignment]
    if not isinstance(e, ast.Name):
        return None
    b = assigned(e.id, scope)
    if b is None:
        return None
    if b[0] == "import":
        head = str(b[1])
    elif b[0] == "from":
        level, mod, attr = b[1]
        head = f"{mod}.{attr}" if mod and not level else attr
    else:
        return None
    return ".".join([head, *reversed(attrs)])
