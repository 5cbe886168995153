"""Which model and server a config dict handed to a model constructor names (Qwen-Agent's
`get_chat_model({"model": "gpt-4o", "model_server": "https://api.openai.com/v1"})`): the model entry, and the
provider the server's URL names (catalog `[http.hosts]`), read only from a dict tokenlint can see."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from tokenlint.resolve.selfhosted import local_url
from tokenlint.resolve.site import Arg

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import Constructor
    from tokenlint.resolve.scope import Scope

STRING_KINDS = ("literal", "constant", "env", "config")  # a model name handed instead of a dict


def config_served(r: Any, call: ast.Call, scope: "Scope", con: "Constructor",
                  model: Arg) -> tuple[Arg, str, bool] | None:
    """(model, provider, self-hosted) of the config dict `call` hands a constructor with `config_models`; None
    when it hands a model name or nothing (the constructor's own provider and default stand). A dict (or a
    value) not read: the model as read, the provider unknown. `r` is the resolver (dicts and strings read)."""
    expr = r._model_expr(call, con)
    if expr is None:
        return None
    got = r._dict_entries(expr, scope, 0)
    if got is None:
        return None if model.kind in STRING_KINDS else (model, "unknown", False)
    entries, dscope = got
    key = next((k for k in con.config_models if k in entries), None)
    server = next((entries[k] for k in con.config_servers if k in entries), None)
    provider, default, local = con.provider, con.default_model, False
    if server is not None:
        text = (r._classify(server, dscope).value or "").strip()
        if text.startswith("http"):  # an OpenAI-compatible server: the provider its host names
            provider = r.catalog.http.host_provider(text) or "unknown"
            default, local = con.server_default_model or default, local_url(server, dscope)
        elif not text:  # a server not read
            provider = "unknown"
    picked = r._classify(entries[key], dscope) if key is not None else Arg(None, "missing", default)
    return picked, provider, local
