"""What a call's system prompt and messages are, and how much of them is static.

The resolver records each call's system prompt and messages (`PromptMixin`), passed by keyword or in
a `**params` dict built for the request; the prompt-cache rules (TKL301-TKL305) ask the facts below
and derive nothing themselves: `cache_prefix(site)` is the prompt that opens the cached prefix split
into pieces (resolve/pieces.py), `caller_prefix(site)` the same read through a wrapper's caller's
arguments, `late_static` how much static text follows the first dynamic part, `cache_minimum` the
model's prompt-cache minimum (catalog data); resolve/tokens.py holds the one token estimate every
rule uses. Framework request sites
(`llm.invoke([SystemMessage(...), ...])`, `(prompt | llm).invoke(...)` with a
`ChatPromptTemplate`) are read through resolve/chains.py.
Each fact is computed on first ask and kept on the site.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Optional

from tokenlint.catalog import Method
from tokenlint.resolve.chains import (first_message, message_content, message_list, message_role,
                                      request_messages, request_prefix)
from tokenlint.resolve.pieces import (CONSTANT, DYNAMIC, STATIC, UNKNOWN, Piece, Pieces, assigned, key_of, resolve,
                                      static_length)
from tokenlint.resolve.scope import Scope, binding_of
from tokenlint.resolve.site import CallSite, Prompt
from tokenlint.resolve.tokens import estimate_tokens
from tokenlint.resolve.values import Client, Str


class PromptMixin:
    """The `Resolver`'s prompt reader (a mixin: imported constants are evaluated with `_binding_value`)."""

    def _prompts(self, site: CallSite, call: ast.Call, scope: Scope, m: Method, client: Client) -> None:
        spread = self._spread_prompts(call, scope, m)
        kw = {k.arg: k.value for k in call.keywords if k.arg}
        for name in m.system:
            if name.startswith("config."):
                cfg = kw.get("config")
                field_name = name.split(".", 1)[1]
                expr = _field_of(cfg, field_name, scope) if cfg is not None else None
                if expr is not None:
                    site.system = self.prompt(expr, scope, name)
                    break
            elif name in kw:
                site.system = self.prompt(kw[name], scope, name)
                break
            elif name in spread:
                site.system = self.prompt(*spread[name], name)
                break
        if site.system is None and client.ctype.client_system:
            for c, s in client.calls:
                if c is None:
                    continue
                ckw = {k.arg: k.value for k in c.keywords if k.arg}
                for name in client.ctype.client_system:
                    if name in ckw:
                        site.system = self.prompt(ckw[name], s, name)
                        break
        found = ((kw[m.messages], scope) if m.messages in kw else spread.get(m.messages)) if m.messages else None
        if found is not None:
            site.messages = self.prompt(found[0], found[1], m.messages)
            if site.system is None and m.system_in_messages:
                sm = _system_message(found[0], found[1])
                if sm is not None:
                    site.system = self.prompt(sm[0], sm[1], f"{m.messages}[role=system]")

    def _spread_prompts(self, call: ast.Call, scope: Scope, m: Method) -> dict[str, tuple[ast.expr, Scope]]:
        """The system prompt and messages a request takes from a `**params` dict built for it, each
        with the scope it is written in: a dict literal or `dict(...)` (also what a project function
        builds and returns, `**self._build_request(...)`), with `params["system"] = ...` added in
        this function (`_dict_entries`, as a raw HTTP body is read). Only requests that spread a dict
        are looked at; a key also passed by name is the named one."""
        if all(k.arg is not None for k in call.keywords):
            return {}
        wanted = {*m.system, m.messages}
        out: dict[str, tuple[ast.expr, Scope]] = {}
        for k in call.keywords:
            if k.arg is not None:
                continue
            if isinstance(k.value, ast.Name):  # params["system"] = ...: written here, read in this scope
                for key, v in self._item_assignments(k.value.id, scope).items():  # type: ignore[attr-defined]
                    if key in wanted:
                        out.setdefault(key, (v, scope))
            found = self._dict_entries(k.value, scope, 0)  # type: ignore[attr-defined]
            if found is not None:
                for key, v in found[0].items():
                    if key in wanted:
                        out.setdefault(key, (v, found[1]))
        return out

    def prompt(self, e: ast.expr, scope: Scope, where: str) -> Prompt:
        text = scope.module.source.segment(e)
        kind, static = self._prompt_kind(e, scope, 0)
        return Prompt(text=text, kind=kind, static=static, node=e, scope=scope, where=where)

    def _prompt_kind(self, e: ast.expr, scope: Scope, depth: int) -> tuple[str, bool]:
        if isinstance(e, ast.Constant):
            return "literal", True
        if isinstance(e, ast.JoinedStr):
            dyn = any(isinstance(v, ast.FormattedValue) for v in e.values)
            return ("fstring", False) if dyn else ("literal", True)
        if isinstance(e, ast.BinOp):
            if isinstance(e.op, ast.Mod):
                return "percent", False
            if isinstance(e.op, ast.Add):
                l_kind, l_static = self._prompt_kind(e.left, scope, depth + 1)
                r_kind, r_static = self._prompt_kind(e.right, scope, depth + 1)
                return "concat", l_static and r_static
        if isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr == "format":
            return "format", False
        if isinstance(e, ast.Name) and depth < 6:
            b = binding_of(e.id, scope)
            if b is not None:
                if b[0] == "param":
                    return "parameter", False
                if b[0] == "assign":
                    kind, static = self._prompt_kind(b[1], b[2], depth + 1)
                    return ("constant" if kind == "literal" else kind), static
                if b[0] in ("import", "from"):
                    v = self._binding_value(e.id, b[0], b[1], b[2])
                    if isinstance(v, Str):
                        return "constant", True
        if isinstance(e, (ast.List, ast.Tuple)):
            return "list", all(self._prompt_kind(x, scope, depth + 1)[1] for x in e.elts)
        if isinstance(e, ast.Dict):
            return "dict", all(v is not None and self._prompt_kind(v, scope, depth + 1)[1] for v in e.values)
        return "dynamic", False


def _field_of(cfg: ast.expr, name: str, scope: Scope) -> ast.expr | None:
    if isinstance(cfg, ast.Call):
        for k in cfg.keywords:
            if k.arg == name:
                return k.value
    if isinstance(cfg, ast.Dict):
        for k, v in zip(cfg.keys, cfg.values):
            if isinstance(k, ast.Constant) and k.value == name:
                return v
    if isinstance(cfg, ast.Name):
        b = binding_of(cfg.id, scope)
        if b is not None and b[0] == "assign":
            return _field_of(b[1], name, b[2])
    return None


def _system_message(msgs: ast.expr, scope: Scope) -> tuple[ast.expr, Scope] | None:
    """(content, scope) of the system message of a message list, as `message_list` finds its head."""
    head = message_list(msgs, scope)
    if head is None:
        return None
    msgs, scope = head
    for m in msgs.elts:
        if isinstance(m, ast.Dict):
            role = content = None
            for k, v in zip(m.keys, m.values):
                if isinstance(k, ast.Constant) and k.value == "role":
                    role = v.value if isinstance(v, ast.Constant) else None
                if isinstance(k, ast.Constant) and k.value == "content":
                    content = v
            if role in ("system", "developer") and content is not None:
                return content, scope
        elif isinstance(m, ast.Call):
            name = m.func.id if isinstance(m.func, ast.Name) else getattr(m.func, "attr", "")
            if name == "SystemMessage":
                if m.args:
                    return m.args[0], scope
                for k in m.keywords:
                    if k.arg == "content":
                        return k.value, scope
    return None


# ------------------------------------------------------------------ facts the prompt-cache rules read

# api names (parts of them) of the paid hosted AI services that are not LLM generation: speech,
# transcription, translation, image, video, OCR and document or text analysis, moderation
# (catalog/sdks.toml names their apis so)
HOSTED_AI = ("moderation", "image", "audio", "speech", "transcri", "video", "ocr", "translation", "document_analysis",
             "text_analysis")
# ... and of every request that sends no prompt to a generating model: those, embeddings, rerank, tuning
NOT_CHAT = ("embed", "rerank", "fine_tuning") + HOSTED_AI


def hosted_ai(api: str) -> bool:
    """Whether a request of this api runs a hosted AI service that is not an LLM (a translation, a
    speech synthesis, an OCR page): the advice written for LLM requests does not apply to it."""
    return any(w in api for w in HOSTED_AI)


# what a message calls a request, by a fragment of its api (the first that matches; else an "AI service
# call" for a hosted service that is not an LLM, an "LLM call" for the rest). The one place these words live.
REQUEST_NOUNS = (("embed", "Embedding call"), ("rerank", "Rerank call"), ("fine_tuning", "Fine-tuning job"),
                 ("images", "Image generation call"), ("transcri", "Transcription call"),
                 ("speech_to_text", "Transcription call"), ("audio.translations", "Transcription call"),
                 ("audio.speech", "Speech call"), ("text_to_speech", "Speech call"))


def request_noun(site) -> str:  # type: ignore[no-untyped-def]
    """What a message calls the request, by its api (`REQUEST_NOUNS`): "Embedding call", "Image
    generation call", "Fine-tuning job", ..., "AI service call" (another hosted service that is not an
    LLM: translation, OCR), "LLM call"; for a paid inference endpoint whose payload and name show no LLM,
    "Model call" ("Embedding call" when its endpoint is named for one)."""
    api = site.api
    if not site.llm_shown:
        name = (site.model.value or site.model.env or site.model.text or "").lower()
        return "Embedding call" if "embed" in name else "Model call"
    noun = next((n for frag, n in REQUEST_NOUNS if frag in api), None)
    if noun is not None:
        return noun
    return "AI service call" if hosted_ai(api) else "LLM call"


def is_chat(site, wrappers: bool = False) -> bool:  # type: ignore[no-untyped-def]
    """A direct call or framework request that sends a prompt (or, with `wrappers`, a wrapper's
    caller). A wrapper site carries its inner call's prompts, which are reported at the inner call
    unless a caller's argument is what makes them dynamic-first."""
    return ((site.kind in ("direct", "request") or wrappers) and bool(site.spends)
            and not any(w in site.api for w in NOT_CHAT))


@dataclass
class CachePrefix:
    """The prompt that opens a request's cached prefix (the system prompt, else the first message):
    its expression, the scope it is written in, and its pieces in order. `template`: it is a
    framework template's text (its `{name}` fields are filled per request). `system`: it is a system
    prompt (the request's system argument, or a system / developer message first in the list its
    messages are built from: `[{"role": "system", ...}] + history`, `[SystemMessage(...), ...]`)."""

    node: ast.expr
    scope: Scope
    pieces: list[Piece]
    template: bool = False
    system: bool = False


@dataclass(frozen=True)
class LateStatic:
    """Static text after the first dynamic part of a prompt: its estimated tokens, whether part of
    it is a constant of unknown length, and the dynamic part as written (`after`), and the text-building
    expression that first puts it before static text (`node` in module `source`, when known: a
    builder function, a property or a template constant may be far from the request)."""

    tokens: int
    chars: int
    unknown_length: bool
    after: str
    node: Optional[ast.AST] = field(default=None, compare=False)
    source: Any = field(default=None, compare=False)


def late_static(pieces: list[Piece], minimum_tokens: int, volatile: bool = False) -> Optional[LateStatic]:
    """The static text after the first dynamic piece, when it could be cached if it came first: at
    least `minimum_tokens` (or of unknown length: a constant tokenlint cannot read) and more than
    the static text before it; else None. Unknown text before the dynamic part says nothing, and
    a first dynamic part that is a new value on every call (the time, a fresh id) is TKL302's
    finding (`volatile_values`), not this one -- unless `volatile` says TKL302 does not judge this text
    (a user message after the system prompt)."""
    first = next((i for i, p in enumerate(pieces) if p.kind == DYNAMIC), None)
    if (first is None or (pieces[first].volatile and not volatile)
            or any(p.kind in (UNKNOWN, CONSTANT) for p in pieces[:first])):
        return None
    before = sum(p.chars for p in pieces[:first])
    # the static text that could be cached once the dynamic parts before it move after it: one
    # contiguous run of static text after the first dynamic part (its longest), up to the next part that
    # is not static text; dynamic parts interleaved all through the prompt (a language name written in
    # every paragraph) split it into runs that no single move joins, so the runs are never summed
    run = max(_static_runs(pieces[first + 1:]), key=lambda r: sum(p.chars for p in r if p.kind == STATIC),
              default=[])
    after = sum(p.chars for p in run if p.kind == STATIC)
    constant = any(p.kind == CONSTANT for p in pieces[first:])
    if after <= before and not constant:
        return None
    tokens = estimate_tokens(after)
    if tokens >= minimum_tokens or constant:
        at = pieces[first].built or (pieces[first].node, pieces[first].source)  # where the prompt is built
        return LateStatic(tokens, after, tokens < minimum_tokens, pieces[first].origin, *at)
    return None


def _static_runs(pieces: list[Piece]) -> list[list[Piece]]:
    """The runs of consecutive static pieces (text, or a constant of unknown length) in `pieces`."""
    runs: list[list[Piece]] = [[]]
    for p in pieces:
        if p.kind in (STATIC, CONSTANT):
            runs[-1].append(p)
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if r]


def cache_minimum(site, models) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """(tokens, for whom) of the prompt-cache minimum that applies to a site: the model's
    `cache_min_tokens` when its literal model is in the catalog, else the documented minimum
    (`[[cache_default]]`) of the provider that serves the model -- the model's own provider when the
    catalog knows it, else the endpoint's (a Gemini model through the OpenAI SDK at Gemini's base URL
    caches as Gemini does), else the SDK's --, else the catalog's default."""
    m = site.model
    owner = None
    if models is not None and m.value and m.kind in ("literal", "constant"):
        info = models.lookup(m.value)
        owner = info.provider if info is not None else None
        if info is not None and info.cache_min_tokens is None and info.points_to:
            info = models.lookup(info.points_to)
        if info is not None and info.cache_min_tokens:
            return info.cache_min_tokens, m.value
    defaults = getattr(models, "cache_defaults", None) or {}
    for provider in (owner, getattr(site, "serving", None), site.provider):
        if provider in defaults:
            return defaults[provider], f"{provider} models"
    return defaults.get("default", 1024), "most models"


# requests whose prompt prefix is cached only where a breakpoint asks for it (cache_control blocks,
# Bedrock cachePoint): TKL305
CACHED_APIS = {("anthropic", "messages"), ("aws_bedrock", "converse")}


def routes_to_claude(site, models) -> bool:  # type: ignore[no-untyped-def]
    """Is a router's request (LiteLLM's `completion`) sent to a Claude model under a model prefix whose
    requests carry Anthropic's `cache_control` blocks as written (the method's `cache_control_routes`,
    catalog data)? The model is a literal the catalog knows, read as the catalog reads LiteLLM ids
    ("anthropic/claude-...", "bedrock/anthropic.claude-..."), of a provider whose API caches at
    breakpoints (`CACHED_APIS`)."""
    routes = site.method.cache_control_routes if site.method is not None else ()
    m = site.model
    if not routes or models is None or not m.value or m.kind not in ("literal", "constant"):
        return False
    info = models.lookup(m.value)
    return m.value.rpartition("/")[0] in routes and info is not None and \
        any(info.provider == provider for provider, _api in CACHED_APIS)


def model_cache_minimum(site, models) -> tuple[Optional[int], str]:  # type: ignore[no-untyped-def]
    """The model's own minimum cacheable tokens from the catalog; (None, "") when the model is not
    a literal the catalog knows (TKL304 and TKL305 judge only known models)."""
    m = site.model
    if models is None or not m.value or m.kind not in ("literal", "constant"):
        return None, ""
    info = models.lookup(m.value)
    if info is not None and info.cache_min_tokens is None and info.points_to:
        info = models.lookup(info.points_to)
    return (info.cache_min_tokens if info is not None else None), m.value


def breakpoint_minimum(site, models) -> tuple[Optional[int], str]:  # type: ignore[no-untyped-def]
    """(tokens, for whom) above which a static prompt should carry a cache breakpoint (TKL305): the
    model's own minimum when the catalog knows the model; for an Anthropic request on a model
    tokenlint cannot tell (configured, passed in), the largest minimum of Anthropic's current
    models, since every Claude model caches and a prompt that long is cacheable whichever runs.
    Other providers' unknown models are not judged (a Bedrock model may not cache at all)."""
    tokens, whom = model_cache_minimum(site, models)
    if tokens or site.provider != "anthropic" or models is None:
        return tokens, whom
    largest = models.largest_cache_minimum("anthropic")
    return (largest, "every current anthropic model") if largest else (None, "")


def cache_prefix(site) -> Optional[CachePrefix]:  # type: ignore[no-untyped-def]
    """The site's own cache prefix (None when it has no prompt to read); computed once per site."""
    if "_cache_prefix" not in site.__dict__:
        site.__dict__["_cache_prefix"] = _prefix(site, None)
    return site.__dict__["_cache_prefix"]


def static_system_chars(site) -> Optional[int]:  # type: ignore[no-untyped-def]
    """Characters of the site's system prompt when it is entirely static text (literals, constants,
    templates read from files), else None; computed once per site."""
    if "_static_system" not in site.__dict__:
        sp = site.system
        chars = None
        if site.kind == "request":
            prefix = cache_prefix(site) if request_system(site) is not None else None
            if prefix is not None and all(p.kind == STATIC for p in prefix.pieces):
                chars = sum(p.chars for p in prefix.pieces)
        elif sp is not None and sp.node is not None and sp.scope is not None and site.scope is not None:
            try:
                chars = static_length(sp.node, sp.scope, site.scope)
            except RecursionError:
                chars = None
        site.__dict__["_static_system"] = chars
    return site.__dict__["_static_system"]


def request_system(site):  # type: ignore[no-untyped-def]
    """(content, scope) of a framework request's system message when it opens the messages
    (`SystemMessage(...)`, `("system", ...)` in the template its chain starts with), else None."""
    found = system_message_position(site) if site.kind == "request" else None
    if found is None or found[2] != 0:
        return None
    content = message_content(found[0])
    return (content, found[4]) if content is not None else None


def first_user_prefix(site) -> Optional[CachePrefix]:  # type: ignore[no-untyped-def]
    """The first user message's content as the continuation of the cached prefix, when all the
    request sends before it is a wholly static system prompt (Anthropic's `system=`, or one system /
    developer message opening the list): the prefix a provider caches runs on into that message, so
    static text there after a dynamic part could have been cached too. None when the system prompt
    has any dynamic or unknown text (its own prefix is judged), when another message comes first, or
    when the message is not written as a string content; computed once per site."""
    if "_user_prefix" not in site.__dict__:
        try:
            site.__dict__["_user_prefix"] = _user_prefix(site)
        except RecursionError:
            site.__dict__["_user_prefix"] = None
    return site.__dict__["_user_prefix"]


def _user_prefix(site) -> Optional[CachePrefix]:  # type: ignore[no-untyped-def]
    own = cache_prefix(site)
    m = site.messages
    if (own is None or not own.system or own.template or not own.pieces
            or any(p.kind != STATIC for p in own.pieces)):
        return None
    if site.kind == "request" or m is None or m.node is None or m.scope is None or site.scope is None:
        return None
    head = message_list(m.node, m.scope)
    if head is None:
        return None
    lst, scope = head
    for elt in lst.elts:
        if message_role(elt) is not None:
            if message_content(elt) is not own.node:
                return None  # a second system message: not the prompt judged above
            continue
        content = message_content(elt) if _is_user(elt) else None
        if content is None or isinstance(resolve(content, scope)[0], (ast.List, ast.Tuple, ast.Dict)):
            return None  # an assistant turn first, or content blocks (which may carry their own breakpoint)
        return CachePrefix(content, scope, Pieces(site.scope).prefix(content, scope))
    return None


USER_ROLES = ("user", "human")
USER_CLASSES = ("HumanMessage",)


def _is_user(e: ast.expr) -> bool:
    """Is `e` a user message written as one: `{"role": "user", ...}`, `HumanMessage(...)`,
    `("user", ...)` / `("human", ...)`?"""
    return message_role(e, USER_ROLES, USER_CLASSES) is not None


def spreads_arguments(site) -> bool:  # type: ignore[no-untyped-def]
    """Does the request pass `**kwargs` (it sends more than what is written at the call)?"""
    return site.node is not None and any(k.arg is None for k in site.node.keywords)


def caller_prefix(site) -> Optional[CachePrefix]:  # type: ignore[no-untyped-def]
    """A wrapper site's cache prefix read through what its caller passes for the wrapped functions'
    parameters (None when the caller passes nothing the prompt depends on)."""
    if "_caller_prefix" not in site.__dict__:
        site.__dict__["_caller_prefix"] = _prefix(site, site.arguments) if site.arguments else None
    return site.__dict__["_caller_prefix"]


def _prefix(site, arguments: Optional[dict]) -> Optional[CachePrefix]:  # type: ignore[no-untyped-def]
    if site.scope is None:
        return None
    found = prefix_of(site, arguments)
    if found is None or found[1] is None:
        return None
    node, scope, template, system = found
    pieces = Pieces(site.scope, arguments)
    try:
        parts = pieces.template(node, scope) if template else pieces.prefix(node, scope)
    except RecursionError:
        return None
    return CachePrefix(node, scope, parts, template, system)


def prefix_of(site, arguments: Optional[dict] = None):  # type: ignore[no-untyped-def]
    """(node, scope, template, system) of the prompt that starts the cached prefix: the system prompt,
    else the first message's content (a string prompt is the content itself); `system` as in
    `CachePrefix`. With a wrapper site's `arguments`, a message list that is a wrapper's parameter is
    read from the caller's argument."""
    if site.kind == "request" and site.system is None:
        return request_prefix(site)
    system = site.system is not None
    if system and site.system.node is not None:  # a request's: its agent's system prompt
        return site.system.node, site.system.scope, False, True
    m = site.messages
    if m is None or m.node is None or m.scope is None:
        return None
    e, scope = resolve(m.node, m.scope)
    passed = caller_argument(e, scope, arguments) if arguments else None
    if passed is not None:
        e, scope = resolve(*passed)
    head = message_list(e, scope)  # a list, [system] + history, or what a message builder returns
    if head is not None:
        first = first_message(head[0])
        if first is None:
            return None
        # the roles in a list the wrapper's caller passes are not read: its first message is
        # reported as a first message, as TKL302 always has (a question for a later issue)
        system = system or (passed is None and message_role(head[0].elts[0]) is not None)
        return first, head[1], False, system
    return m.node, m.scope, False, system


def caller_argument(node: ast.expr, scope, arguments: dict):  # type: ignore[no-untyped-def]
    """The caller's (expression, scope) that `node` -- a wrapper's prompt -- is, through the
    parameters of the wrappers in between; None when the prompt is not one caller's argument."""
    hops = 0
    for _ in range(8):
        e, escope = resolve(node, scope)
        if not isinstance(e, ast.Name):
            return (node, scope) if hops else None
        b = assigned(e.id, escope)
        if b is None or b[0] != "param" or (b[1][1], e.id) not in arguments:
            return None
        node, scope = arguments[(b[1][1], e.id)]
        hops += 1
    return None


def system_message_position(site):  # type: ignore[no-untyped-def]
    """(element, role, index, list, scope) of the first system / developer message of a site's
    literal message list, or None when the list has none or is not written as a list."""
    m = site.messages
    if site.kind == "request":
        found = request_messages(site)
        if found is None:
            return None
        lst, scope, _template = found
    elif m is None or m.node is None or m.scope is None:
        return None
    else:
        lst, scope = resolve(m.node, m.scope)
    if not isinstance(lst, (ast.List, ast.Tuple)):
        return None
    for i, elt in enumerate(lst.elts):
        role = message_role(elt)
        if role is not None:
            return elt, role, i, lst, scope
    return None
