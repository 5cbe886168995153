"""TKL301 dynamic-before-static-prompt."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterable, Optional

from tokenlint.fixes import make_fix, span_edit
from tokenlint.resolve.pieces import DYNAMIC, STATIC, Piece, Pieces, assigned, augmented, resolve
from tokenlint.resolve.prompts import (LateStatic, cache_minimum, cache_prefix, caller_argument, caller_prefix,
                                       first_user_prefix, is_chat, late_static)
from tokenlint.resolve.tokens import estimate_tokens
from tokenlint.rules.base import Rule, RuleContext

HOPS = 3  # name -> assignment hops followed by the fix (local variable -> module constant -> ...)


class DynamicBeforeStaticPrompt(Rule):
    """## What it does
    Looks at the start of what a request sends (the system prompt, or the first message when there
    is no system prompt) and reports dynamic content (an f-string placeholder, a `.format` / `%`
    field, a concatenated variable, a `{name}` field of a LangChain prompt template) placed before
    static text that could be cached: at least the model's prompt-cache minimum in tokens
    (`cache_min_tokens` in the model catalog; for a model the catalog does not know, the usual minimum
    of the provider that serves it: the model's own provider, else the endpoint's -- a Gemini model
    through the OpenAI SDK at Gemini's base URL caches as Gemini does --, else the SDK's), estimated
    at 4 characters a token (a CJK, kana or Hangul character: one token), and more static text than
    precedes the dynamic part. The static text counted is one contiguous run after the first dynamic
    part (the longest, up to the next dynamic part): dynamic parts interleaved all through the prompt
    (a language name in every paragraph) leave runs no single move joins, and they are not summed. Static text of unknown length -- a constant tokenlint cannot read, such as
    `settings.SYSTEM_PROMPT` or a library's `PROMPT` -- after the dynamic part is reported too,
    saying so. A constant inside an f-string placeholder (`f"{now}. {POLICY}"`) is static text.
    A first dynamic part that is a new value on every call (`datetime.now()`, `uuid.uuid4()`, a
    `request_id`) is TKL302's finding (volatile-prompt-prefix), not reported twice.

    The prompt is the resolver's record of the call site (one analysis for every prompt-cache
    rule), also when the request takes it from a `**params` dict built for it (a dict literal or
    `dict(...)` in the function, `params["system"] = ...` added there, or the dict a project
    function builds and returns: `create(**self._build_request(...))`): followed through local assignments, `prompt += ...` (an addition on a branch is unknown
    text), `"".join([...])`, module constants (also reached as `prompts.SYSTEM`, stripped with
    `.strip()`, filled with `.format(...)` or `.replace("{query}", query)`), string prompt template
    objects filled with `.format(...)` (LangChain's `PromptTemplate.from_template(text)` /
    `PromptTemplate(template=text)`, LlamaIndex's `PromptTemplate(text)`: the catalog's
    `[prompt_templates]`; another `template_format` is not read), a module's dict of prompts read
    by a constant key (`PROMPTS["rag_response"]`, the dict a literal or filled by module-level
    `PROMPTS["rag_response"] = "..."` statements), a text chosen by a condition (`BRIEF if short else
    FULL`, also a template so chosen and filled: `(BRIEF if short else FULL).format(user=user)`: what every
    choice starts with is read, then the static text every choice continues with, as long as the
    shortest choice's; choices that open differently are one dynamic part), attributes set in
    `__init__` from the one constructor call's argument, project functions (and `@property` getters)
    with one `return` that build the prompt (their parameters read from the call's arguments), and LangChain /
    LlamaIndex request sites (`llm.invoke([SystemMessage(...), ...])`,
    `(ChatPromptTemplate.from_messages([("system", ...), ...]) | llm).invoke(...)`). A message list
    starts with the first message of the list it is built from: a concatenation's left-most list
    (`[{"role": "system", ...}] + history`) or the list a project function with one `return`
    builds (`self.build_messages(q)`), or a list written empty and built in steps (`messages = []`,
    then `messages.append(...)`: the messages appended before any other change to the list, such as
    `messages.extend(history)`; a system message appended under a test of its own text, `if
    system_prompt: messages.append({"role": "system", "content": system_prompt})`, comes first when
    there is one). A request on an agent (`create_agent(model, tools,
    system_prompt=...)`, langgraph's `create_react_agent(..., prompt=...)`, also handed through a
    `**kwargs` dict) starts with the system prompt its builder was handed, or its constructor
    (openai-agents' `Agent(name, instructions=...)` run by `Runner.run`, autogen-agentchat's
    `AssistantAgent(name, model_client, system_message=...)`, Strands' `Agent(model,
    system_prompt=...)`); a callable prompt is not text and is not judged.

    The cached prefix does not end with the system prompt: it runs on into the messages. When the
    system prompt is wholly static (literals, constants, templates read from files) and the first
    user message after it starts with dynamic text (retrieved documents, the user's question, a
    timestamp) followed by static instructions at least as long as the same threshold, the finding
    is at that message: its instructions could have been cached in the system prompt or before the
    dynamic part. Only a request that writes its message list (a list literal, `[system] + history`,
    or what one project function returns) with the system message, if any, first and the user
    message next as a string content is judged; a system prompt with dynamic or unknown text is the
    case above, and content blocks are not read (they may carry their own breakpoint). Here a
    per-call value first (the time) is this rule's finding: TKL302 judges the system prompt only.

    A prompt that is a wrapper function's parameter (`def complete(system, question): ...
    client.messages.create(system=system, ...)`) is read from what each caller passes, through
    every wrapper in between: the finding sits at the caller's argument and names the wrapper and
    where its request is made. When the wrapper's own text is dynamic-first, the finding is at the
    wrapper, once.

    A prompt kept in a file of the project is read as data (never rendered or imported), once per
    run and only when a prompt reaches it: `Path(...).read_text()` and `open(...).read()` text (its
    `.format` fields are the dynamic parts), Jinja2 templates from `Environment(loader=
    FileSystemLoader(...)).get_template(...)` or `Template(...)` (`{{ ... }}` is dynamic, `{% ... %}`
    unknown) and strings of a JSON or YAML file loaded with `json.load` / `json.loads` /
    `yaml.safe_load` (any `yaml.load` is parsed with the safe loader only) and indexed by constant
    keys. A missing, binary, huge (over 512 KiB) or broken template is unknown text: no finding; so
    is a YAML file of several documents or of more than 100,000 nodes once its aliases are expanded.

    When the prompt is built away from the request (a builder function, a property, a template
    constant), the finding is at the request's use of it and the message names where it is built.

    ## Why is this bad?
    Provider prompt caches (OpenAI, Anthropic, Bedrock, Gemini) match on an exact prefix of the
    request: tools, then the system prompt, then the messages. Everything after the first byte that
    changes between requests is a cache miss. A user name or a retrieved document at the top of the
    prompt makes the long, unchanging instructions behind it full-price input on every call. Below
    the model's cache minimum nothing is cached either way, so shorter static text is not reported.

    ## Example
    ```python
    system = f"You are helping {user.name}.\\n\\n{SUPPORT_GUIDELINES}"
    ```

    ## Use instead
    ```python
    system = f"{SUPPORT_GUIDELINES}\\n\\nYou are helping {user.name}."
    ```

    ## Fix safety
    Unsafe: the fix reorders the prompt text (static text first, the dynamic sentence after it, the
    separating whitespace kept), which changes what the model reads. It is offered for f-strings
    (also implicitly concatenated ones, with one prefix and quote style) and for two-operand
    concatenations, where the file defines the prompt; not for `.format` / `%` templates, framework
    templates, nor for a prompt extended with `+=` (its text is spread over several statements).

    ## Configuration
    `model-catalog`: the catalog whose `cache_min_tokens` (per model) and `[[cache_default]]` (per
    provider) give the threshold. `min-static-chars` (default 0: unset): a fixed threshold in
    characters instead, for every model.
    """

    code = "TKL301"
    name = "dynamic-before-static-prompt"
    message = ("Dynamic content {after} comes before {amount} of static prompt text ({minimum}): "
               "it defeats prompt caching{via}")
    fix_title = "Put the static text first"
    fix_safety = "unsafe"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        for s in sites:
            if s.kind == "wrapper" and s.arguments and is_chat(s, wrappers=True):
                yield from self._through_wrapper(s, ctx)
                continue
            if not is_chat(s):
                continue
            prefix = cache_prefix(s)
            if prefix is None:
                continue
            minimum, why = _threshold(s, ctx)
            late = late_static(prefix.pieces, minimum)
            if late is None:
                yield from self._first_user_message(s, minimum, why)
                continue
            ms = prefix.scope.module.source  # a client's system prompt may be written in another module
            fix = None if prefix.template else _fix(prefix.node, prefix.scope, ms, s.scope, minimum)
            yield self.finding_at(ms, prefix.node, s, fix, via=_built_at(late, ms, prefix.node), **_fields(late, why))

    def _first_user_message(self, s, minimum: int, why: str) -> Iterable:  # type: ignore[no-untyped-def]
        """A wholly static system prompt followed by a first user message that opens with dynamic text
        and then static instructions long enough to cache: the cached prefix stops at the dynamic part."""
        user = first_user_prefix(s)
        late = late_static(user.pieces, minimum, volatile=True) if user is not None else None
        if late is None:
            return
        where = (" (in the first user message, after a static system prompt: move the static text into "
                 "the system prompt, or before the dynamic part)")
        yield self.finding_at(user.scope.module.source, user.node, s, None, via=where, **_fields(late, why))

    def _through_wrapper(self, s, ctx: RuleContext) -> Iterable:  # type: ignore[no-untyped-def]
        """A wrapper's caller whose argument makes the wrapped request's prompt dynamic-first: found
        only when the wrapper's own text is not the finding (the inner call reports that)."""
        own, found = cache_prefix(s), caller_prefix(s)
        if own is None or found is None or s.scope is None:
            return
        minimum, why = _threshold(s, ctx)
        if late_static(own.pieces, minimum):
            return  # reported at the wrapped call itself
        late = late_static(found.pieces, minimum)
        if late is None:
            return
        node, scope = found.node, found.scope
        try:
            arg = caller_argument(node, scope, s.arguments) or ((node, scope) if node is not own.node else None)
        except RecursionError:
            return
        if arg is not None and arg[1] is not s.scope:
            return  # written in a wrapper between this caller and the request: reported there
        ms = s.scope.module.source
        fix = None
        if arg is not None and arg[1].module.source is ms:
            fix = _fix(arg[0], arg[1], ms, s.scope, minimum)
        written = f"{own.scope.module.source.relpath}:{own.node.lineno}"
        where = f" (the request is made through {s.wrapper}(), prompt at {written})"
        if arg is not None and arg[1].module.source is ms:
            yield self.finding_at(ms, arg[0], s, fix, via=where, **_fields(late, why))
        else:
            yield self.finding(s, None, via=where, **_fields(late, why))


def _threshold(site, ctx: RuleContext) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """The static tokens that make the finding, and the sentence saying where the figure comes from."""
    if ctx.min_static_chars:
        tokens = estimate_tokens(ctx.min_static_chars)
        return tokens, f"the configured threshold is {ctx.min_static_chars:,} characters"
    tokens, whom = cache_minimum(site, ctx.models)
    return tokens, f"the cache minimum for {whom} is {tokens:,} tokens"


def _built_at(late: LateStatic, source, node: ast.AST) -> str:  # type: ignore[no-untyped-def]
    """Where the text that puts the dynamic part first is built, when that is not inside the reported
    expression (a builder function, a property, a template constant: away from the request), else ""."""
    at, where = late.node, late.source
    if at is None or where is None or not hasattr(at, "lineno"):
        return ""
    if where is source and node.lineno <= at.lineno <= (node.end_lineno or node.lineno):  # type: ignore[attr-defined]
        return ""
    return f" (the prompt is built at {where.relpath}:{at.lineno})"


def _fields(late: LateStatic, why: str) -> dict[str, str]:
    amount = (f"~{late.tokens:,} tokens" if not late.unknown_length
              else f"~{late.tokens:,} tokens and a constant of unknown length" if late.tokens
              else "a constant of unknown length")
    return {"after": f"`{late.after}`" if late.after else "", "amount": amount, "minimum": why}


# ------------------------------------------------------------------ the fix


def _extended(e: ast.expr, scope) -> bool:  # type: ignore[no-untyped-def]
    """Is a name on the way from `e` to its text extended by `+=` (the text is not in one place)?"""
    cache: dict = {}
    hops = HOPS
    while isinstance(e, ast.Name) and hops > 0:
        b = assigned(e.id, scope)
        if b is None or b[0] != "assign" or b[1] is None:
            return False
        if augmented(e.id, b[1], b[2], cache):
            return True
        e, scope, hops = b[1], b[2], hops - 1
    return False


def _fix(node: ast.expr, scope, source, site_scope, minimum: int):  # type: ignore[no-untyped-def]
    if _extended(node, scope):
        return None
    target, tscope = resolve(node, scope)
    if tscope is None or tscope.module.source is not source:
        return None  # the prompt is written in another module
    if (isinstance(target, ast.Call) and len(target.args) == 1 and isinstance(target.args[0], ast.JoinedStr)
            and isinstance(target.func, (ast.Name, ast.Attribute))
            and (getattr(target.func, "id", None) or getattr(target.func, "attr", None)) in ("dedent", "cleandoc")):
        target = target.args[0]  # textwrap.dedent(f"""..."""): reorder the lines inside
    pieces = Pieces(site_scope)
    if isinstance(target, ast.JoinedStr):
        text = _reorder_fstring(target, tscope, source, pieces, minimum)
    elif isinstance(target, ast.BinOp) and isinstance(target.op, ast.Add):
        text = _swap_concat(target, tscope, source, pieces, minimum)
    else:
        return None
    if text is None:
        return None
    return make_fix("unsafe", "Move the static prompt text before the dynamic part", span_edit(source, target, text))


def _swap_concat(e: ast.BinOp, scope, source, pieces: Pieces, minimum: int) -> Optional[str]:  # type: ignore
    atoms = (ast.Name, ast.Attribute, ast.Constant, ast.JoinedStr, ast.Call, ast.Subscript)
    if not isinstance(e.left, atoms) or not isinstance(e.right, atoms):
        return None
    if late_static(pieces.of(e.right, scope) + pieces.of(e.left, scope), minimum):
        return None
    whole = source.segment(e)
    left, right = source.segment(e.left), source.segment(e.right)
    if not whole.startswith(left) or not whole.endswith(right):
        return None
    op = whole[len(left): len(whole) - len(right)]
    # the whitespace that separated the two parts stays between them
    left = _move_edge_space(left, e.left, to_front=True)
    right = _move_edge_space(right, e.right, to_front=False)
    return right + op + left


def _move_edge_space(text: str, node: ast.expr, to_front: bool) -> str:
    """A one-token string literal with its trailing whitespace moved to the front (or its leading
    whitespace to the end); anything else unchanged."""
    if not isinstance(node, (ast.Constant, ast.JoinedStr)):
        return text
    toks = _scan(text)
    if toks is None or len(toks) != 1:
        return text
    tok = toks[0]
    units = tok.units
    if to_front:
        n = len(units)
        while n and units[n - 1][0] == "ws":
            n -= 1
        units = units[n:] + units[:n]
    else:
        n = 0
        while n < len(units) and units[n][0] == "ws":
            n += 1
        units = units[n:] + units[:n]
    return tok.render(units) or text


@dataclass
class _Tok:
    prefix: str
    quote: str
    units: list  # (kind, raw): kind "ws" / "lit" (one character or escape) / "field"
    start: int
    end: int

    def render(self, units: list) -> Optional[str]:
        body = "".join(raw for _k, raw in units)
        if len(self.quote) == 3 and body.endswith(self.quote[0]):
            return None
        return f"{self.prefix}{self.quote}{body}{self.quote}"


def _reorder_fstring(e: ast.JoinedStr, scope, source, pieces: Pieces, minimum: int) -> Optional[str]:  # type: ignore
    text = source.segment(e)
    toks = _scan(text)
    fields = [v for v in e.values if isinstance(v, ast.FormattedValue)]
    if not toks or len({(t.prefix.lower().replace("f", ""), t.quote) for t in toks}) != 1:
        return None
    units = [(i, k, raw) for i, t in enumerate(toks) for k, raw in t.units]
    spots = [n for n, u in enumerate(units) if u[1] == "field"]
    if len(spots) != len(fields):
        return None  # `{x=}` and other forms the scan does not pair with the tree
    dyn = [i for i, f in enumerate(fields) if any(p.kind == DYNAMIC for p in pieces.of(f.value, scope))]
    if not dyn:
        return None
    cut = _split_point(units, spots[dyn[-1]] + 1)
    ws_end = cut
    while ws_end < len(units) and units[ws_end][1] == "ws":
        ws_end += 1
    tail_end = len(units)
    while tail_end > ws_end and units[tail_end - 1][1] == "ws":
        tail_end -= 1
    if tail_end == ws_end:
        return None
    lead = 0
    while units[lead][1] == "ws":
        lead += 1  # whitespace opening the string (a triple-quoted prompt's first newline) stays first
    order = [*range(lead), *range(ws_end, tail_end), *range(cut, ws_end), *range(lead, cut),
             *range(tail_end, len(units))]
    # would the reordered prompt still be reported?
    of_field = {spot: pieces.of(f.value, scope) for spot, f in zip(spots, fields)}
    moved = [p for n in order for p in (of_field[n] if n in of_field else [Piece(STATIC, 1)])]
    if late_static(moved, minimum):
        return None
    new = [units[n] for n in order]
    out: list[str] = []
    group: list = []
    for n, u in enumerate(new):
        group.append((u[1], u[2]))
        if n + 1 == len(new) or new[n + 1][0] != u[0]:
            rendered = toks[u[0]].render(group)
            if rendered is None:
                return None
            out.append(rendered)
            group = []
    # the text between tokens (line breaks, comments) stays in place; an extra gap gets a line break
    seps = [text[a.end:b.start] for a, b in zip(toks, toks[1:])]
    if any("#" in sep for sep in seps[len(out) - 1:]):
        return None
    plain = seps[-1][seps[-1].rfind("\n"):] if seps and "\n" in seps[-1] else " "
    seps += [plain] * (len(out) - 1 - len(seps))
    return out[0] + "".join(sep + tok for sep, tok in zip(seps, out[1:]))


_WS_ESCAPES = ("\\n", "\\t", "\\r")
LINE = 80  # how far after the dynamic part a line break is looked for


def _split_point(units: list, start: int) -> int:
    """Where the static text after the last dynamic field begins: at the first line break when it
    comes soon ("Article: {x}\\n..."), else at the first space ("User: {name}. Answer..."); the
    characters glued to the field ("{name}'s", "{plan}).") stay with it."""
    first_ws = None
    n = start
    while n < len(units) and units[n][1] != "field" and n - start <= LINE:
        if units[n][1] != "ws":
            n += 1
            continue
        end = n
        while end < len(units) and units[end][1] == "ws":
            end += 1
        if any(u[2] in ("\n", "\\n") for u in units[n:end]):
            return n
        first_ws = n if first_ws is None else first_ws
        n = end
    if first_ws is not None:
        return first_ws
    while start < len(units) and units[start][1] == "lit":
        start += 1
    return start


def _scan(text: str) -> Optional[list[_Tok]]:
    """The string tokens of an (implicitly concatenated) string literal's source, split into units;
    None when the text is not just string tokens and the whitespace or comments between them."""
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n\f":
            i += 1
            continue
        if ch == "#":
            while i < n and text[i] != "\n":
                i += 1
            continue
        if ch == "\\" and text[i + 1:i + 2] in ("\n", "\r"):
            i += 2
            continue
        start = i
        while i < n and text[i].lower() in "rbuf" and i - start < 3:
            i += 1
        prefix = text[start:i]
        if "b" in prefix.lower() or i >= n or text[i] not in "'\"":
            return None
        quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else text[i]
        i += len(quote)
        units, i = _body(text, i, quote, "r" in prefix.lower(), "f" in prefix.lower())
        if units is None:
            return None
        toks.append(_Tok(prefix, quote, units, start, i))
    return toks


def _body(text: str, i: int, quote: str, raw: bool, fmt: bool):  # type: ignore[no-untyped-def]
    units: list[tuple[str, str]] = []
    n = len(text)
    while i < n:
        if text.startswith(quote, i):
            return units, i + len(quote)
        ch = text[i]
        if ch == "\\":
            j = i + 2
            if not raw and text[i + 1:i + 3] == "N{":
                j = text.find("}", i) + 1
                if j == 0:
                    return None, i
            esc = text[i:j]
            units.append(("ws" if not raw and esc in _WS_ESCAPES else "lit", esc))
            i = j
        elif fmt and text.startswith(("{{", "}}"), i):
            units.append(("lit", text[i:i + 2]))
            i += 2
        elif fmt and ch == "{":
            j = _field_end(text, i)
            if j is None:
                return None, i
            units.append(("field", text[i:j]))
            i = j
        else:
            units.append(("ws" if ch in " \t\n" else "lit", ch))
            i += 1
    return None, i


def _field_end(text: str, i: int) -> Optional[int]:
    """The end of the replacement field starting at text[i] == "{"."""
    depth = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in "{[(":
            depth += 1
        elif ch in "}])":
            depth -= 1
            if depth == 0:
                return i + 1
        elif ch in "'\"":
            q = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else ch
            end = text.find(q, i + len(q))
            if end < 0:
                return None
            i = end + len(q) - 1
        i += 1
    return None
