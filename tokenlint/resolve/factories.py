"""What a model factory's provider argument says when it may also hold the model (ragas'
`embedding_factory`): a legacy model name in the provider's place, a "provider/model" string, a provider
that runs its model in process unless told to call the hosted API, a provider object built for a server
(pydantic-ai's `provider=OllamaProvider(base_url=...)`)."""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING, Optional

from tokenlint.resolve.pieces import resolve

if TYPE_CHECKING:
    from tokenlint.catalog import Constructor
    from tokenlint.resolve.scope import Scope


def head_text(e: Optional[ast.expr], scope: "Scope") -> str:
    """The text a string expression is known to begin with: a literal, the literal head of an f-string or
    of a concatenation (`"anthropic:" + name`, `PREFIX + name`), either through a name assigned once (`MODEL =
    "llama-cpp-python/..."`); "" when none is known."""
    if isinstance(e, ast.Name):
        e, scope = resolve(e, scope)
    while isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add):
        e = e.left
    if isinstance(e, ast.Name):  # `PROVIDER + ":" + name`
        e = resolve(e, scope)[0]
    if isinstance(e, ast.Constant) and isinstance(e.value, str):
        return e.value
    if isinstance(e, ast.JoinedStr) and e.values and isinstance(e.values[0], ast.Constant):
        return str(e.values[0].value)
    return ""


def provider_expr(call: ast.Call, con: "Constructor") -> Optional[ast.expr]:
    """The expression `call` passes as the constructor's provider: its keyword, else its position, else (none
    declared) the first positional argument; None when there is none."""
    got = next((k.value for k in call.keywords if k.arg == con.provider_kwarg), None)
    pos = con.provider_position if con.provider_position is not None else 0
    if got is None and len(call.args) > pos and not isinstance(call.args[pos], ast.Starred):
        got = call.args[pos]
    return got


def model_first(call: ast.Call, scope: "Scope", con: "Constructor") -> bool:
    """Whether the positional argument in the provider's place names a model by the constructor's
    `model_markers` (ragas' legacy `embedding_factory("text-embedding-ada-002")`, `_looks_like_model_name`)."""
    pos = con.provider_position
    if not con.model_markers or pos is None or len(call.args) <= pos:
        return False
    text = head_text(call.args[pos], scope).lower()
    return any(m in text for m in con.model_markers)


def as_called(call: ast.Call, scope: "Scope", con: "Constructor") -> "Constructor":
    """`con` as `call` uses it: a model name in the provider's place is the model (the provider the
    constructor's own); the catalogued default model holds only when the call hands no `default_without`
    keyword (ragas' `client`: its modern providers choose their own defaults) and names no other provider."""
    if model_first(call, scope, con):
        return replace(con, model_position=con.provider_position, provider_position=None)
    if not con.default_without or not con.default_model:
        return con
    e = provider_expr(call, con)
    word = split_provider(head_text(e, scope), con) if e is not None else con.provider
    own = dict(con.provider_names).get(word, word) == con.provider
    if own and not any(k.arg == con.default_without for k in call.keywords):
        return con
    return replace(con, default_model=None)


def split_provider(text: str, con: "Constructor") -> str:
    """The provider word of a "provider/model" string, for a constructor taking that form (`provider_split`)."""
    return text.split("/", 1)[0] if con.provider_split else text


def runs_locally(call: ast.Call, scope: "Scope", con: "Constructor") -> bool:
    """Whether `call` names one of the constructor's `local_providers` as its provider (the word, or the
    word and a model: "huggingface/BAAI/bge-small-en") and does not hand `local_unless` a value other than
    False / None (ragas' `use_api=True` calls Hugging Face's hosted inference instead)."""
    text = head_text(provider_expr(call, con), scope)
    if not any(text == p or text.startswith(p + "/") for p in con.local_providers):
        return False
    told = next((k.value for k in call.keywords if con.local_unless and k.arg == con.local_unless), None)
    return told is None or isinstance(told, ast.Constant) and told.value in (False, None)


def provider_object_call(call: ast.Call, scope: "Scope", con: "Constructor") -> Optional[tuple[ast.Call, "Scope"]]:
    """The constructor call (and its scope) of the provider object `call` hands as its `provider_kwarg`, written
    there or assigned to the name it passes (`prov = OpenAIProvider(base_url=...)`; `provider=prov`), for a
    constructor taking `provider_objects`; None otherwise. Its base URL and API key tell a self-hosted server."""
    if not con.provider_objects or not con.provider_kwarg:
        return None
    e = next((k.value for k in call.keywords if k.arg == con.provider_kwarg), None)
    if e is None:
        return None
    e, where = resolve(e, scope)
    return (e, where) if isinstance(e, ast.Call) else None
