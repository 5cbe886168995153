"""TKL301 dynamic-before-static-prompt.

Also home of the prompt-text helpers the other prompt-cache rules share: `Pieces` splits a prompt
expression into static text and dynamic parts (through local assignments and module constants),
`prefix_of` finds the part of a call's prompt that starts the cached prefix.
"""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass
from typing import Iterable, Optional

from tokenlint.fixes import make_fix, span_edit
from tokenlint.resolve.imports import attribute_definition, definition
from tokenlint.resolve.templates import file_text, jinja_parts, jinja_template
from tokenlint.rules.base import Rule, RuleContext

STATIC, DYNAMIC, UNKNOWN = "static", "dynamic", "unknown"
HOPS = 3  # name -> assignment hops followed (local variable -> module constant -> ...)
NOT_CHAT = ("embed", "moderation", "rerank", "image", "audio", "speech", "transcri", "fine_tuning")
TEXT_CALLS = {"dedent", "cleandoc", "strip", "lstrip", "rstrip"}


@dataclass(frozen=True)
class Piece:
    kind: str  # static | dynamic | unknown (evaluated once per process, or not resolvable here)
    chars: int = 0


class DynamicBeforeStaticPrompt(Rule):
    """## What it does
    Looks at the start of what a call sends (the system prompt, or the first message when there is
    no system prompt) and reports dynamic content (an f-string placeholder, a `.format` / `%`
    field, a concatenated variable) placed before substantial static text: at least
    `min-static-chars` characters, and more static text than precedes the dynamic part. Prompts
    built in a variable are followed through local assignments (and `prompt += ...` additions in
    the same function; one made on a branch counts as unknown text) and module constants.

    A prompt that is a wrapper function's parameter (`def complete(system, question): ...
    client.messages.create(system=system, ...)`) is read from what each caller passes, through
    every wrapper in between: the finding sits at the caller's argument and names the wrapper and
    where its request is made. When the wrapper's own text is dynamic-first, the finding is at the
    wrapper, once.

    A prompt kept in a file of the project is read as data (never rendered or imported), once per
    run and only when a prompt reaches it: `Path(...).read_text()` and `open(...).read()` text (its
    `.format` fields are the dynamic parts) and Jinja2 templates from `Environment(loader=
    FileSystemLoader(...)).get_template(...)` or `Template(...)` (`{{ ... }}` is dynamic, `{% ... %}`
    unknown). A missing, binary, huge (over 512 KiB) or broken template is unknown text: no finding.

    ## Why is this bad?
    Provider prompt caches (OpenAI, Anthropic, Bedrock, Gemini) match on an exact prefix of the
    request: tools, then the system prompt, then the messages. Everything after the first byte that
    changes between requests is a cache miss. A user name or a retrieved document at the top of the
    prompt makes the long, unchanging instructions behind it full-price input on every call.

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
    concatenations, where the file defines the prompt; not for `.format` / `%` templates, nor for a
    prompt extended with `+=` (its text is spread over several statements).

    ## Configuration
    `min-static-chars` (default 200): how many characters of static text after dynamic content make
    the finding.
    """

    code = "TKL301"
    name = "dynamic-before-static-prompt"
    message = "Dynamic content comes before {chars} characters of static prompt text: it defeats prompt caching{via}"
    fix_title = "Put the static text first"
    fix_safety = "unsafe"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        for s in sites:
            if s.kind == "wrapper" and s.arguments and is_chat(s, wrappers=True):
                yield from self._through_wrapper(s, ctx)
                continue
            if not is_chat(s):
                continue
            found = prefix_of(s)
            if found is None:
                continue
            node, scope = found
            if scope is None:
                continue
            # too deep to follow: RecursionError reaches the file's analysis (TKL000), never a finding lost
            chars = late_static(Pieces(s.scope).prefix(node, scope), ctx.min_static_chars)
            ms = scope.module.source  # a client's system prompt may be written in another module
            fix = _fix(node, scope, ms, s.scope, ctx.min_static_chars) if chars else None
            if chars:
                yield self.finding_at(ms, node, s, fix, chars=str(chars), via="")

    def _through_wrapper(self, s, ctx: RuleContext) -> Iterable:  # type: ignore[no-untyped-def]
        """A wrapper's caller whose argument makes the wrapped request's prompt dynamic-first: found
        only when the wrapper's own text is not the finding (the inner call reports that)."""
        own, found = prefix_of(s), prefix_of(s, s.arguments)
        if own is None or own[1] is None or found is None or found[1] is None or s.scope is None:
            return
        node, scope = found
        try:
            if late_static(Pieces(own[1]).prefix(*own), ctx.min_static_chars):
                return  # reported at the wrapped call itself
            chars = late_static(Pieces(s.scope, s.arguments).prefix(node, scope), ctx.min_static_chars)
            if not chars:
                return
            arg = _argument(node, scope, s.arguments) or ((node, scope) if found != own else None)
            if arg is not None and arg[1] is not s.scope:
                return  # written in a wrapper between this caller and the request: reported there
            ms = s.scope.module.source
            fix = None
            if arg is not None and arg[1].module.source is ms:
                fix = _fix(arg[0], arg[1], ms, s.scope, ctx.min_static_chars)
        except RecursionError:
            return
        where = f" (the request is made through {s.wrapper}(), prompt at {own[1].module.source.relpath}:{own[0].lineno})"
        if arg is not None and arg[1].module.source is ms:
            yield self.finding_at(ms, arg[0], s, fix, chars=str(chars), via=where)
        else:
            yield self.finding(s, None, chars=str(chars), via=where)


def _argument(node: ast.expr, scope, arguments: dict):  # type: ignore[no-untyped-def]
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


# ------------------------------------------------------------------ shared prompt helpers


def is_chat(site, wrappers: bool = False) -> bool:  # type: ignore[no-untyped-def]
    """A direct call that sends a prompt (or, with `wrappers`, a wrapper's caller). A wrapper site
    carries its inner call's prompts, which are reported at the inner call unless a caller's
    argument is what makes them dynamic-first."""
    return (site.kind == "direct" or wrappers) and bool(site.spends) and not any(w in site.api for w in NOT_CHAT)


def late_static(pieces: list[Piece], minimum: int) -> int:
    """Characters of static text after the first dynamic piece, when that is the finding; else 0."""
    first = next((i for i, p in enumerate(pieces) if p.kind == DYNAMIC), None)
    if first is None or any(p.kind == UNKNOWN for p in pieces[:first]):
        return 0
    before = sum(p.chars for p in pieces[:first])
    after = sum(p.chars for p in pieces[first:] if p.kind == STATIC)
    return after if after >= minimum and after > before else 0


def assigned(name: str, scope):  # type: ignore[no-untyped-def]
    """(kind, data, scope) of a name's binding; an annotated assignment gives its value."""
    b = definition(name, scope)
    if b is not None and b[0] == "annot":
        for kind, data in reversed(b[2].bindings.get(name, ())):
            if kind == "assign" and data is not None:
                return kind, data, b[2]
    return b


def resolve(e: ast.expr, scope, hops: int = HOPS):  # type: ignore[no-untyped-def]
    """Follow a name to the expression assigned to it (locals, module constants)."""
    while isinstance(e, ast.Name) and hops > 0:
        b = assigned(e.id, scope)
        if b is None or b[0] != "assign" or b[1] is None:
            break
        e, scope, hops = b[1], b[2], hops - 1
    return e, scope


_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def _block_index(root: ast.AST) -> tuple[dict, dict]:
    """For one function or module body: the statement list holding each assignment (by its value
    node's id), and the `name += value` statements per name, each with the list holding it."""
    assigns: dict[int, tuple[int, list]] = {}
    augs: dict[str, list[tuple[ast.AugAssign, list]]] = {}
    stack: list[list] = [root.body] if isinstance(root, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)) else []
    while stack:
        block = stack.pop()
        for st in block:
            if isinstance(st, _NESTED):
                continue
            if isinstance(st, (ast.Assign, ast.AnnAssign)) and st.value is not None:
                assigns[id(st.value)] = (st.end_lineno or st.lineno, block)
            elif isinstance(st, ast.AugAssign) and isinstance(st.op, ast.Add) and isinstance(st.target, ast.Name):
                augs.setdefault(st.target.id, []).append((st, block))
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                sub = getattr(st, field, None)
                if isinstance(sub, list) and sub:
                    if isinstance(sub[0], ast.stmt):
                        stack.append(sub)
                    else:  # except handlers, match cases
                        stack.extend(h.body for h in sub if getattr(h, "body", None))
    return assigns, augs


def augmented(name: str, value: ast.expr, scope, cache: dict) -> list[tuple[ast.expr, bool]]:  # type: ignore
    """The values added by `name += ...` after `name = value` in the same function (or module), in
    order, each with whether it is conditional (in another block than the assignment)."""
    root = getattr(scope, "node", None)
    if root is None:
        return []
    index = cache.get(id(root))
    if index is None:
        index = cache[id(root)] = _block_index(root)
    assigns, augs = index
    if name not in augs or id(value) not in assigns:
        return []
    line, block = assigns[id(value)]
    return [(aug.value, b is not block) for aug, b in sorted(augs[name], key=lambda x: x[0].lineno)
            if aug.lineno > line]


def operands(e: ast.BinOp) -> list[ast.expr]:
    """`a + b + c` as [a, b, c], without recursion (long concatenations nest deeply)."""
    out: list[ast.expr] = []
    while isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add):
        out.append(e.right)
        e = e.left  # type: ignore[assignment]
    out.append(e)
    return out[::-1]


def key_of(d: ast.Dict, key: str) -> Optional[ast.expr]:
    for k, v in zip(d.keys, d.values):
        if isinstance(k, ast.Constant) and k.value == key:
            return v
    return None


def prefix_of(site, arguments: Optional[dict] = None):  # type: ignore[no-untyped-def]
    """(node, scope) of the prompt that starts the cached prefix: the system prompt, else the
    first message's content (a string prompt is the content itself). With a wrapper site's
    `arguments`, a message list that is a wrapper's parameter is read from the caller's argument."""
    if site.system is not None and site.system.node is not None:
        return site.system.node, site.system.scope
    m = site.messages
    if m is None or m.node is None or m.scope is None:
        return None
    e, scope = resolve(m.node, m.scope)
    if arguments:
        passed = _argument(e, scope, arguments)
        if passed is not None:
            e, scope = resolve(*passed)
    if isinstance(e, (ast.List, ast.Tuple)):
        if not e.elts:
            return None
        first = e.elts[0]
        if isinstance(first, ast.Dict):
            content = key_of(first, "content")
            return (content, scope) if content is not None else None
        if isinstance(first, ast.Call):
            content = first.args[0] if first.args else next(
                (k.value for k in first.keywords if k.arg == "content"), None)
            return (content, scope) if content is not None else None
        if isinstance(first, ast.Tuple) and len(first.elts) == 2:
            return first.elts[1], scope
        if isinstance(first, (ast.Constant, ast.JoinedStr)):
            return first, scope
        return None
    return m.node, m.scope


# Linear in the literal: a mapping key stops at `%` too (`[^)]*` scanned to the end of the string
# from every unclosed `%(`; a key holding `%` is not worth that), and a width cannot start with
# the `0` flag (`%000...` split its zeros between flags and width in quadratically many ways).
PERCENT_FIELD = re.compile(r"%(?:\(([^)%]*)\))?[#0 +\-]*(?:\*|[1-9]\d*)?(?:\.(?:\*|\d+))?[hlL]?([a-zA-Z%])")


class Pieces:
    """Static text and dynamic parts of a prompt expression, in order.

    A value is dynamic when it is computed per call: in a function, or in the call's own scope (a
    script's loop). What a module or class computes once at import is `unknown`, as are imported
    names and upper-case attributes (constants tokenlint cannot read from here)."""

    def __init__(self, site_scope, arguments: Optional[dict] = None) -> None:  # type: ignore[no-untyped-def]
        self.site_scope = site_scope
        self.arguments = arguments or {}  # a wrapper site's: its callers' arguments for its parameters
        self.blocks: dict = {}  # augmented() index per function / module

    def _per_call(self, scope) -> bool:  # type: ignore[no-untyped-def]
        return scope is None or scope.kind == "function" or scope is self.site_scope

    def _dyn(self, scope) -> Piece:  # type: ignore[no-untyped-def]
        return Piece(DYNAMIC if self._per_call(scope) else UNKNOWN)

    def _dyn_expr(self, e: ast.expr, scope) -> Piece:  # type: ignore[no-untyped-def]
        """Dynamic when the expression reads a per-call name (a parameter, a local); a call on
        module-level names only (`EXAMPLE.to_json()`, `load_prompt("x")`) is unknown."""
        if not self._per_call(scope):
            return Piece(UNKNOWN)
        for n in ast.walk(e):
            if isinstance(n, ast.Name):
                b = assigned(n.id, scope)
                if b is not None and b[0] not in ("import", "from", "def", "class") and self._per_call(b[2]):
                    return Piece(DYNAMIC)
        return Piece(UNKNOWN)

    def prefix(self, e: ast.expr, scope) -> list[Piece]:  # type: ignore[no-untyped-def]
        """A prompt that may be a list of content blocks ({"text": ...}, {"cachePoint": ...})."""
        block_list, lscope = resolve(e, scope)
        if not isinstance(block_list, (ast.List, ast.Tuple)):
            return self.of(e, scope)  # through the names: they may be extended by `+=`
        e, scope = block_list, lscope
        out: list[Piece] = []
        for elt in e.elts:
            elt, escope = resolve(elt, scope)
            if isinstance(elt, ast.Dict):
                text = key_of(elt, "text")
                if text is not None:
                    out += self.of(text, escope)
                elif not any(isinstance(k, ast.Constant) and k.value == "cachePoint" for k in elt.keys):
                    out.append(self._dyn_expr(elt, escope))  # an image, a document: dynamic or unknown
            elif isinstance(elt, ast.Starred):
                out.append(self._dyn(escope))
            else:
                out += self.of(elt, escope)
        return out

    def of(self, e: ast.expr, scope, depth: int = 0) -> list[Piece]:  # type: ignore[no-untyped-def]
        if isinstance(e, ast.Constant):
            return [] if e.value is None else [Piece(STATIC, len(str(e.value)))]
        if isinstance(e, ast.JoinedStr):
            out: list[Piece] = []
            for v in e.values:
                out += self.of(v.value if isinstance(v, ast.FormattedValue) else v, scope, depth)
            return out
        if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add):
            return [p for x in operands(e) for p in self.of(x, scope, depth)]
        if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Mod):
            return self._percent(e, scope, depth)
        if isinstance(e, ast.Call):
            return self._call(e, scope, depth)
        if isinstance(e, ast.Name):
            return self._name(e, scope, depth)
        if isinstance(e, ast.Attribute):
            d = attribute_definition(e, scope) if depth < HOPS else None
            if d is not None and isinstance(d[0], (ast.Constant, ast.JoinedStr, ast.BinOp, ast.Call, ast.Name)):
                return self.of(d[0], d[1], depth + 1)  # prompts.GUIDELINES, settings.SYSTEM_PROMPT
            root = e
            while isinstance(root, ast.Attribute):
                root = root.value  # type: ignore[assignment]
            b = assigned(root.id, scope) if isinstance(root, ast.Name) else None
            if e.attr.isupper() or (b is not None and b[0] in ("import", "from", "self", "cls")):
                return [Piece(UNKNOWN)]
            return [self._dyn_expr(e, scope)]
        if isinstance(e, ast.IfExp):
            both = self.of(e.body, scope, depth) + self.of(e.orelse, scope, depth)
            return [self._dyn(scope) if any(p.kind == DYNAMIC for p in both) else Piece(UNKNOWN)]
        return [self._dyn_expr(e, scope)]

    def _name(self, e: ast.Name, scope, depth: int) -> list[Piece]:  # type: ignore[no-untyped-def]
        b = assigned(e.id, scope)
        if b is None:
            return [Piece(UNKNOWN)]
        kind, data, bscope = b
        if kind == "assign" and data is not None:
            if depth >= HOPS:
                return [Piece(UNKNOWN)]
            out = self.of(data, bscope, depth + 1)
            for more, conditional in augmented(e.id, data, bscope, self.blocks):  # prompt += "..."
                out += [Piece(UNKNOWN)] if conditional else self.of(more, bscope, depth + 1)
            return out
        if kind == "param" and (data[1], e.id) in self.arguments and depth < 2 * HOPS:
            value, vscope = self.arguments[(data[1], e.id)]  # what the wrapper's caller passes
            return self.of(value, vscope, depth + 1)
        if kind in ("param", "unknown", "each", "with", "annot"):
            return [self._dyn(bscope)]
        return [Piece(UNKNOWN)]  # imports, functions, classes

    def _call(self, e: ast.Call, scope, depth: int) -> list[Piece]:  # type: ignore[no-untyped-def]
        f = e.func
        name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
        if name == "format" and isinstance(f, ast.Attribute):
            return self._format(e, f.value, scope, depth)
        if name in TEXT_CALLS:
            target = f.value if isinstance(f, ast.Attribute) and name.endswith("strip") else (
                e.args[0] if e.args else None)
            if target is not None:
                return self.of(target, scope, depth)
        if name == "render" and isinstance(f, ast.Attribute):  # a Jinja template read from a file
            text = jinja_template(f.value, scope)
            parts = jinja_parts(text) if text is not None else None
            if parts is not None:
                return [Piece(STATIC, n) if k == STATIC else self._dyn(scope) if k == DYNAMIC else Piece(UNKNOWN)
                        for k, n in parts]
        if name in ("read_text", "read"):  # a prompt kept in a file of the project
            text = file_text(e, scope)
            if text is not None:
                return [Piece(STATIC, len(text))] if text else []
        if name == "join" and isinstance(f, ast.Attribute) and e.args and isinstance(e.args[0], (ast.List, ast.Tuple)):
            sep = self.of(f.value, scope, depth)
            out: list[Piece] = []
            for i, elt in enumerate(e.args[0].elts):
                out += (sep if i else []) + self.of(elt, scope, depth)
            return out
        return [self._dyn_expr(e, scope)]

    def _format(self, call: ast.Call, tmpl: ast.expr, scope, depth: int) -> list[Piece]:  # type: ignore
        text = const_str(tmpl, scope)
        if text is None:
            return [self._dyn_expr(call, scope)]
        kwargs = {k.arg: k.value for k in call.keywords if k.arg}
        auto = 0
        out: list[Piece] = []
        try:
            parsed = list(string.Formatter().parse(text))
        except ValueError:
            return [self._dyn_expr(call, scope)]
        for literal, field, _spec, _conv in parsed:
            if literal:
                out.append(Piece(STATIC, len(literal)))
            if field is None:
                continue
            head = field.split(".", 1)[0].split("[", 1)[0]
            if head == "":
                head, auto = str(auto), auto + 1
            value = (call.args[int(head)] if head.isdigit() and int(head) < len(call.args)
                     else kwargs.get(head))
            if value is None or isinstance(value, ast.Starred) or head != field:
                out.append(self._dyn_expr(call if value is None else value, scope))
            else:
                out += self.of(value, scope, depth)
        return out

    def _percent(self, e: ast.BinOp, scope, depth: int) -> list[Piece]:  # type: ignore[no-untyped-def]
        text = const_str(e.left, scope)
        if text is None:
            return [self._dyn_expr(e, scope)]
        args = list(e.right.elts) if isinstance(e.right, ast.Tuple) else [e.right]
        named = e.right if isinstance(e.right, ast.Dict) else None
        out: list[Piece] = []
        pos = 0
        for m in PERCENT_FIELD.finditer(text):
            out.append(Piece(STATIC, m.start() - pos))
            pos = m.end()
            if m.group(2) == "%":
                out.append(Piece(STATIC, 1))
                continue
            value = key_of(named, m.group(1)) if named is not None and m.group(1) else (args.pop(0) if args else None)
            if value is None or isinstance(value, ast.Starred):
                out.append(self._dyn_expr(e.right, scope))
            else:
                out += self.of(value, scope, depth)
        out.append(Piece(STATIC, len(text) - pos))
        return [p for p in out if p.kind != STATIC or p.chars]


def const_str(e: ast.expr, scope, hops: int = HOPS) -> Optional[str]:  # type: ignore[no-untyped-def]
    """The value of a string constant (through names), or None."""
    e, scope = resolve(e, scope, hops)
    if isinstance(e, ast.Constant) and isinstance(e.value, str):
        return e.value
    if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add):
        left, right = const_str(e.left, scope, hops - 1), const_str(e.right, scope, hops - 1)
        return left + right if left is not None and right is not None else None
    if isinstance(e, ast.Call) and e.args and isinstance(e.func, (ast.Name, ast.Attribute)):
        name = e.func.id if isinstance(e.func, ast.Name) else e.func.attr
        if name in ("dedent", "cleandoc"):
            return const_str(e.args[0], scope, hops - 1)
    if isinstance(e, ast.Call) and not e.args and isinstance(e.func, ast.Attribute) and e.func.attr in ("read_text", "read"):
        return file_text(e, scope)  # PROMPT = Path(...).read_text(); PROMPT.format(...)
    return None


def static_length(e: ast.expr, scope, site_scope) -> Optional[int]:  # type: ignore[no-untyped-def]
    """Characters of a prompt (or content-block list) when it is entirely static text, else None."""
    pieces = Pieces(site_scope).prefix(e, scope)
    if any(p.kind != STATIC for p in pieces):
        return None
    return sum(p.chars for p in pieces)


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
