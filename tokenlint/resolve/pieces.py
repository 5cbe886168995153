"""How a prompt expression splits into static text and dynamic parts, in order, each with where it comes from.

`Pieces` follows a prompt through local assignments (and `prompt += ...` additions), module
constants, `.format` / `%` templates (also on a LangChain / LlamaIndex `PromptTemplate` built from
text, and on a template chosen by a condition), texts chosen by a condition (`A if c else B`: what
every choice shares), a module's dict of prompts read by a constant key (`PROMPTS["rag"]`), `"".join(...)`, text
helpers (`dedent`, `strip`), attributes set in `__init__` from a constructor argument, project
functions and `@property` getters that return a built string, and template files read as data (resolve/templates.py). A
name several values reach (a parameter normalised on a branch, `if kind is None: kind = ""`) is
one dynamic piece when each value is text (resolve/reaching.py says which values reach). A
piece is `static` text (its length in characters, or None when it is a constant whose text cannot
be read here), `dynamic` (computed per call) or `unknown` (computed once, or not followable). This
is the one place prompt text is analysed; the prompt-cache rules read its result through
resolve/prompts.py.
"""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass, field, replace
from typing import Any, Optional

from tokenlint.resolve.fresh import calls_fresh, day_format, fresh_call, fresh_name, to_the_day
from tokenlint.resolve.imports import attribute_definition, property_definition
from tokenlint.resolve.reaching import reaching
from tokenlint.resolve.scope import bind_args, is_method, return_values
from tokenlint.resolve.templates import data_text, file_text, jinja_parts, jinja_template
from tokenlint.resolve.texts import assigned, dict_item, key_of, template_text
from tokenlint.resolve.tokens import text_length

STATIC, DYNAMIC, UNKNOWN = "static", "dynamic", "unknown"
CONSTANT = "constant"  # static text whose length is not known here (a constant tokenlint cannot read)
MAX_TEXT = 512 * 1024  # a constant built longer than this is not read as text
HOPS = 3  # name -> assignment hops followed (local variable -> module constant -> ...)
TEXT_CALLS = {"dedent", "cleandoc", "strip", "lstrip", "rstrip"}
BUILDERS = {"format", "replace", "join"}  # string methods that build a text from a template and values


@dataclass(frozen=True)
class Piece:
    kind: str  # static | dynamic | constant | unknown (evaluated once per process, or not resolvable here)
    chars: int = 0  # static text's length for the token estimate (resolve/tokens.py text_length)
    origin: str = ""  # a dynamic part: its expression as written (`user.name`); a template: its file
    # A dynamic part that is a new value on every call (the clock, a fresh id: resolve/fresh.py).
    # A dynamic part keeps the expression and the module it is written in: where TKL302 reports a
    # volatile one, and where TKL301 says the prompt is built when that is away from the request.
    volatile: bool = False
    node: Any = field(default=None, compare=False, repr=False)
    source: Any = field(default=None, compare=False, repr=False)
    # the first dynamic part of a text: the text-building expression it is first put into (an f-string,
    # a concatenation, a `.format` / `%` template) and its module -- where the prompt is built
    built: Any = field(default=None, compare=False, repr=False)


# a date read from the clock, as text ("2026-12-06"): static within the day (resolve/fresh.py)
_DATE = Piece(STATIC, 10, "date")


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

    def _dyn(self, scope, e: Optional[ast.expr] = None) -> Piece:  # type: ignore[no-untyped-def]
        if not self._per_call(scope):
            return Piece(UNKNOWN)
        if isinstance(e, ast.Name) and fresh_name(e.id):  # a request_id / timestamp parameter
            return _volatile(e, scope)
        return _dynamic(e, scope)

    def _dyn_expr(self, e: ast.expr, scope) -> Piece:  # type: ignore[no-untyped-def]
        """Dynamic when the expression reads a per-call name (a parameter, a local) or is a new
        value on every call (`datetime.now()`, `uuid.uuid4()` in a function: a volatile part); a
        call on module-level names only (`EXAMPLE.to_json()`, `load_prompt("x")`) is unknown."""
        if not self._per_call(scope):
            return Piece(UNKNOWN)
        dynamic = dated = False
        for n in ast.walk(e):
            if isinstance(n, ast.Call) and fresh_call(n, scope):
                if not to_the_day(e, scope):
                    return _volatile(e, scope)
                dated = True  # date.today(), now.strftime("%Y-%m-%d"): the same all day
                continue
            if isinstance(n, ast.Name):
                b = assigned(n.id, scope)
                if b is None or b[0] in ("import", "from", "def", "class") or not self._per_call(b[2]):
                    continue
                if b[0] == "assign" and isinstance(b[1], ast.expr) and calls_fresh(b[1], b[2]):
                    if not (to_the_day(e, scope) or to_the_day(b[1], b[2])):
                        return _volatile(e, scope)  # now.hour, with now = datetime.now() in this function
                    dated = True  # now.year; today.isoformat() with today = date.today()
                    continue
                dynamic = True
        if dynamic:
            return _dynamic(e, scope)
        return _DATE if dated else Piece(UNKNOWN)

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

    def of(self, e: ast.expr, scope, depth: int = 0, instance: bool = False) -> list[Piece]:  # type: ignore
        """The pieces of `e`; `instance`: `e` is what an attribute was set to (`self.x = x` in
        `__init__`: a constructor parameter is per instance, read from the constructor call)."""
        out = self._of(e, scope, depth, instance)
        if isinstance(e, (ast.JoinedStr, ast.BinOp)) or (
                isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr in BUILDERS):
            for i, p in enumerate(out):  # the text that puts the first dynamic part before static text
                if p.kind == DYNAMIC:
                    if p.built is None:
                        out = out[:i] + [replace(p, built=(e, scope.module.source))] + out[i + 1:]
                    break
        return out

    def _of(self, e: ast.expr, scope, depth: int = 0, instance: bool = False) -> list[Piece]:  # type: ignore
        if isinstance(e, ast.Constant):
            return [] if e.value is None else [Piece(STATIC, text_length(str(e.value)))]
        if isinstance(e, ast.JoinedStr):
            out: list[Piece] = []
            for v in e.values:
                got = self.of(v.value if isinstance(v, ast.FormattedValue) else v, scope, depth)
                if isinstance(v, ast.FormattedValue) and day_format(v.format_spec):  # f"{now:%Y-%m-%d}"
                    got = [_DATE if p.volatile else p for p in got]
                out += got
            return out
        if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add):
            return [p for x in operands(e) for p in self.of(x, scope, depth)]
        if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Mod):
            return self._percent(e, scope, depth)
        if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Mult):  # "-" * 40, RULE * 3
            times = e.right if isinstance(e.right, ast.Constant) else e.left
            text = e.left if times is e.right else e.right
            if isinstance(times, ast.Constant) and type(times.value) is int and 0 <= times.value <= 10_000:
                inner = self.of(text, scope, depth)
                if all(p.kind == STATIC for p in inner):
                    return [Piece(STATIC, sum(p.chars for p in inner) * times.value)]
        if isinstance(e, ast.Call):
            return self._call(e, scope, depth)
        if isinstance(e, ast.Name):
            return self._name(e, scope, depth, instance)
        if isinstance(e, ast.Attribute):
            d = attribute_definition(e, scope) if depth < HOPS else None
            if d is not None and isinstance(d[0], (ast.Constant, ast.JoinedStr, ast.BinOp, ast.Call, ast.Name,
                                                   ast.Subscript)):
                return self.of(d[0], d[1], depth + 1, instance=True)  # prompts.GUIDELINES, self.system
            got = property_definition(e, scope) if d is None and depth < HOPS else None
            if got is not None:  # self.system_prompt, a @property that builds the prompt on every access
                return self.of(got[0], got[1], depth + 1)
            root = e
            while isinstance(root, ast.Attribute):
                root = root.value  # type: ignore[assignment]
            b = assigned(root.id, scope) if isinstance(root, ast.Name) else None
            if _constant_name(e.attr):
                return [Piece(CONSTANT)]  # settings.SYSTEM_PROMPT, a library's constant: static, length unknown
            if b is not None and b[0] in ("import", "from", "self", "cls"):
                return [Piece(UNKNOWN)]
            return [self._dyn_expr(e, scope)]
        if isinstance(e, ast.Subscript):
            item = dict_item(e, scope) if depth < 2 * HOPS else None  # PROMPTS["system"] written in a module
            if item is not None:
                return self.of(item[0], item[1], depth + 1)
            text = data_text(e, scope)  # PROMPTS["system"] from a JSON or YAML file of the project
            if text is not None:
                return [Piece(STATIC, text_length(text), "json")] if text else []
        if isinstance(e, ast.IfExp):  # SHORT if brief else LONG, f"{a} ..." if x else f"{a} ...": a text chosen
            return self._chosen([self.of(x, scope, depth) for x in choices(e)], e, scope)
        return [self._dyn_expr(e, scope)]

    def _chosen(self, options: list[list[Piece]], e: ast.expr, scope) -> list[Piece]:  # type: ignore
        """The pieces of a text chosen by a condition among `options` (each choice's pieces): what every
        choice starts with is kept (the same static text, the same dynamic part), then the static text every
        choice continues with (the shortest choice's), then one dynamic part when a choice has one there,
        else unknown text. Choices that are all static text give static text as long as the shortest."""
        same = 0
        while all(len(x) > same and x[same] == options[0][same] for x in options):
            same += 1
        out, rests = options[0][:same], [x[same:] for x in options]
        lead = min(sum(p.chars for p in _leading(r, STATIC)) for r in rests)
        out = out + ([Piece(STATIC, lead)] if lead else [])
        if all(p.kind == STATIC for r in rests for p in r):
            return out
        dynamic = [p for r in rests for p in r if p.kind == DYNAMIC]
        if any(p.volatile for p in dynamic):  # a new value on every call in one choice: TKL302's, kept as written
            return out + [next(p for p in dynamic if p.volatile)]
        return out + [self._dyn(scope, e) if dynamic else Piece(UNKNOWN)]

    def _name(self, e: ast.Name, scope, depth: int, instance: bool = False) -> list[Piece]:  # type: ignore
        b = assigned(e.id, scope)
        if b is None:
            return [Piece(UNKNOWN)]
        kind, data, bscope = b
        if kind == "assign" and data is not None:
            if depth >= 2 * HOPS:
                return [Piece(UNKNOWN)]
            branches = self._branches(e, scope, bscope, depth)
            if branches is not None:
                return branches
            out = self.of(data, bscope, depth + 1)
            if len(out) == 1 and out[0].volatile and self._per_call(scope):  # now = datetime.now(); f"{now}"
                return [Piece(DYNAMIC, 0, out[0].origin, volatile=True, node=e, source=scope.module.source)]
            for more, conditional in augmented(e.id, data, bscope, self.blocks):  # prompt += "..."
                out += [Piece(UNKNOWN)] if conditional else self.of(more, bscope, depth + 1)
            return out
        if kind == "param" and (data[1], e.id) in self.arguments and depth < 2 * HOPS:
            value, vscope = self.arguments[(data[1], e.id)]  # what the wrapper's caller passes
            return self.of(value, vscope, depth + 1)
        if kind == "param" and instance and getattr(data[1], "name", "") == "__init__":
            passed = constructor_argument(data[1], e.id, bscope)  # self.system = system: the caller's value
            return self.of(passed[0], passed[1], depth + 1) if passed is not None and depth < 2 * HOPS else [
                Piece(UNKNOWN)]
        if kind in ("param", "unknown", "each", "with", "annot"):
            return [self._dyn(bscope, e)]
        if kind in ("import", "from") and _constant_name(e.id):
            return [Piece(CONSTANT)]  # a constant of another package: static text, length unknown
        return [Piece(UNKNOWN)]  # imports, functions, classes

    def _branches(self, e: ast.Name, scope, bscope, depth: int) -> Optional[list[Piece]]:  # type: ignore
        """A function's name that several values may reach: assigned on a branch only, or a parameter
        normalised on one (`if kind is None: kind = ""`; `if short: note = ""` after `note = f"{x}"`).
        When every reaching value is text and one of them is computed per call (the parameter, an
        f-string of a local), the name is one dynamic piece and the text around it stays readable; a
        reaching value that is not text makes it unknown. None, for the single binding's reading,
        when one value reaches, when they are all fixed text, or when the reads cannot be told."""
        binds = bscope.bindings.get(e.id, ())
        if len(binds) < 2 or bscope is not scope or bscope.kind != "function":
            return None
        param = next((d for k, d in binds if k == "param"), None)
        entry = (param[0],) if param is not None else ()  # the parameter's ast.arg: its value on entry
        values = reaching(getattr(bscope.node, "body", []), e.id, e.lineno, entry)
        if not values or len(values) == 1 and param is None:
            return None
        kinds: set[str] = set()
        lists = []
        for v in values:
            if param is not None and v is param[0]:
                passed = self.arguments.get((param[1], e.id))  # what a wrapper's caller passes
                got = self.of(passed[0], passed[1], depth + 1) if passed is not None else [self._dyn(bscope, e)]
            else:
                got = self.of(v, bscope, depth + 1)
            kinds |= {p.kind for p in got}
            lists.append(got)
        if len(values) == 1:  # the parameter alone (reassigned only after this read)
            return lists[0]
        if kinds <= {STATIC, CONSTANT}:
            return None
        if UNKNOWN in kinds:
            return [Piece(UNKNOWN)]
        # the static text every value starts with stays static (`BASE` and `BASE + f"{lang}"`)
        same = 0
        while all(len(x) > same and x[same].kind == STATIC and x[same] == lists[0][same] for x in lists):
            same += 1
        return lists[0][:same] + [self._dyn(bscope, e)]

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
                return [Piece(STATIC, text_length(text))] if text else []
        if name == "replace" and isinstance(f, ast.Attribute) and len(e.args) == 2 and not e.keywords:
            text, old = const_str(f.value, scope), const_str(e.args[0], scope)
            if text is not None and old:  # PROMPT.replace("{query}", query): the text around each placeholder
                value = self.of(e.args[1], scope, depth)
                out = []
                for i, part in enumerate(text.split(old)):
                    out += (value if i else []) + ([Piece(STATIC, text_length(part))] if part else [])
                return out
        if name == "join" and isinstance(f, ast.Attribute) and e.args:
            items, iscope = resolve(e.args[0], scope)
            if isinstance(items, (ast.List, ast.Tuple)):
                sep = self.of(f.value, scope, depth)
                out: list[Piece] = []
                for i, elt in enumerate(items.elts):
                    out += (sep if i else []) + self.of(elt, iscope, depth)
                return out
        if name == "get" and isinstance(f, ast.Attribute):
            text = data_text(e, scope)  # prompts.get("system") from a JSON or YAML file
            if text is not None:
                return [Piece(STATIC, text_length(text), "json")] if text else []
        built = self._returned(e, scope, depth)  # a project function that builds the prompt
        if built is not None:
            return built
        return [self._dyn_expr(e, scope)]

    def _returned(self, e: ast.Call, scope, depth: int) -> Optional[list[Piece]]:  # type: ignore[no-untyped-def]
        """The pieces of what a project function returns when it has one `return` (its parameters
        read from this call's arguments), or None when the callee is not such a function."""
        if depth >= HOPS:
            return None
        found = returned(e, scope)
        if found is None:
            return None
        value, fscope, bound = found
        saved = self.arguments
        self.arguments = {**saved, **{k: (v, scope) for k, v in bound.items()}}
        try:
            built = self.of(value, fscope, depth + 1)
        finally:
            self.arguments = saved
        if not self._per_call(scope):  # called once, at import: what it computes is fixed for the process
            return [Piece(UNKNOWN) if p.kind == DYNAMIC else p for p in built]
        dynamic = [p for p in built if p.kind == DYNAMIC]
        if dynamic and all(p.volatile for p in dynamic):  # get_today_str(): a helper that makes the time
            at = _volatile(e, scope)  # itself is reported where it is called, once per prompt
            return [at if p.kind == DYNAMIC else p for p in built]
        return built

    def template(self, e: ast.expr, scope) -> list[Piece]:  # type: ignore[no-untyped-def]
        """A framework prompt template's text (a `ChatPromptTemplate` message, a `PromptTemplate`):
        its `{name}` fields are filled on every request (dynamic); text it cannot read is `of(e)`."""
        text = const_str(e, scope)
        if text is None:
            return self.of(e, scope)
        try:
            parsed = list(string.Formatter().parse(text))
        except ValueError:
            return [Piece(UNKNOWN)]
        out: list[Piece] = []
        for literal, field, _spec, _conv in parsed:
            if literal:
                out.append(Piece(STATIC, text_length(literal)))
            if field is not None:
                out.append(Piece(DYNAMIC, 0, "{" + field + "}", node=e, source=scope.module.source))
        return out

    def _format(self, call: ast.Call, tmpl: ast.expr, scope, depth: int) -> list[Piece]:  # type: ignore
        text = const_str(tmpl, scope)
        if text is None:
            chosen, cscope = resolve(tmpl, scope)
            if isinstance(chosen, ast.IfExp):  # (RESEARCH if full else BRIEF).format(...): a template chosen
                texts = [const_str(x, cscope) for x in choices(chosen)]
                if all(t is not None for t in texts):
                    return self._chosen([self._filled(call, t, scope, depth) for t in texts], call, scope)  # type: ignore
            return [self._dyn_expr(call, scope)]
        return self._filled(call, text, scope, depth)

    def _filled(self, call: ast.Call, text: str, scope, depth: int) -> list[Piece]:  # type: ignore
        """The pieces of template `text` filled by `call` (`.format(...)`): its literal text, and each field's
        value read from the call's arguments."""
        kwargs = {k.arg: k.value for k in call.keywords if k.arg}
        auto = 0
        out: list[Piece] = []
        try:
            parsed = list(string.Formatter().parse(text))
        except ValueError:
            return [self._dyn_expr(call, scope)]
        for literal, field, _spec, _conv in parsed:
            if literal:
                out.append(Piece(STATIC, text_length(literal)))
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
            out.append(Piece(STATIC, text_length(text[pos:m.start()])))
            pos = m.end()
            if m.group(2) == "%":
                out.append(Piece(STATIC, 1))
                continue
            value = key_of(named, m.group(1)) if named is not None and m.group(1) else (args.pop(0) if args else None)
            if value is None or isinstance(value, ast.Starred):
                out.append(self._dyn_expr(e.right, scope))
            else:
                out += self.of(value, scope, depth)
        out.append(Piece(STATIC, text_length(text[pos:])))
        return [p for p in out if p.kind != STATIC or p.chars]


def _leading(pieces: list[Piece], kind: str) -> list[Piece]:
    """The pieces of `kind` that open `pieces`."""
    n = 0
    while n < len(pieces) and pieces[n].kind == kind:
        n += 1
    return pieces[:n]


def choices(e: ast.IfExp, limit: int = 8) -> list[ast.expr]:
    """The values a conditional expression chooses among (`A if x else B if y else C`: A, B, C)."""
    out: list[ast.expr] = []
    while isinstance(e, ast.IfExp) and len(out) < limit:
        out.append(e.body)
        e = e.orelse  # type: ignore[assignment]
    return out + [e]


def returned(call: ast.Call, scope):  # type: ignore[no-untyped-def]
    """(value, function scope, arguments) when `call` calls a project function with one `return`
    and no `yield`: the expression it returns, and this call's arguments by (function node,
    parameter name); None when the callee is not such a function."""
    resolver = getattr(scope.module, "resolver", None)
    if resolver is None or not isinstance(call.func, (ast.Name, ast.Attribute)):
        return None
    try:
        f = resolver.infer(call.func, scope)
    except RecursionError:
        return None
    node = getattr(f, "node", None)
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or getattr(f, "scope", None) is None:
        return None
    values = list(return_values(node))
    if len(values) != 1 or any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(node)):
        return None
    skip_self = is_method(f) and getattr(f, "bound", None) is not None  # type: ignore[arg-type]
    bound = bind_args(node, call, skip_self)
    return values[0], f.scope, {(node, k): v for k, v in bound.items()}  # type: ignore[union-attr]


def const_str(e: ast.expr, scope, hops: int = HOPS) -> Optional[str]:  # type: ignore[no-untyped-def]
    """The value of a string constant (through names and `module.NAME` / `self.name` attributes), or None."""
    e, scope = resolve(e, scope, hops)
    if isinstance(e, ast.Attribute) and hops > 0:
        d = attribute_definition(e, scope)  # prompts.SYSTEM.format(...), self.template.format(...)
        return const_str(d[0], d[1], hops - 1) if d is not None else None
    if isinstance(e, ast.Constant) and isinstance(e.value, str):
        return e.value
    if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add):
        left, right = const_str(e.left, scope, hops - 1), const_str(e.right, scope, hops - 1)
        return left + right if left is not None and right is not None else None
    if (isinstance(e, ast.BinOp) and isinstance(e.op, ast.Mult) and isinstance(e.right, ast.Constant)
            and type(e.right.value) is int and 0 <= e.right.value <= 10_000):
        text = const_str(e.left, scope, hops - 1)
        return text * e.right.value if text is not None and len(text) * e.right.value <= MAX_TEXT else None
    if isinstance(e, ast.Call) and e.args and isinstance(e.func, (ast.Name, ast.Attribute)):
        name = e.func.id if isinstance(e.func, ast.Name) else e.func.attr
        if name in ("dedent", "cleandoc"):
            return const_str(e.args[0], scope, hops - 1)
    if (isinstance(e, ast.Call) and not e.args and not e.keywords and isinstance(e.func, ast.Attribute)
            and e.func.attr in ("strip", "lstrip", "rstrip")):
        text = const_str(e.func.value, scope, hops - 1)  # SYSTEM = """...""".strip()
        return getattr(text, e.func.attr)() if text is not None else None
    if (isinstance(e, ast.Call) and not e.args and isinstance(e.func, ast.Attribute)
            and e.func.attr in ("read_text", "read")):
        return file_text(e, scope)  # PROMPT = Path(...).read_text(); PROMPT.format(...)
    if isinstance(e, ast.Subscript) and hops > 0:
        item = dict_item(e, scope)  # PROMPTS["rag_response"].format(...): a module's dict of prompts
        if item is not None:
            return const_str(item[0], item[1], hops - 1)
    if isinstance(e, ast.Call) and hops > 0:
        text = template_text(e, scope)  # PromptTemplate.from_template("..."): PROMPT.format(user=user)
        if text is not None:
            return const_str(text, scope, hops - 1)
    if isinstance(e, (ast.Subscript, ast.Call)):
        return data_text(e, scope)  # PROMPTS["system"].format(...), PROMPTS from a JSON or YAML file
    return None


def _origin(e: Optional[ast.expr], scope) -> str:  # type: ignore[no-untyped-def]
    """A dynamic part as written, short enough for a message (`{user.name}`)."""
    if e is None or scope is None:
        return ""
    text = " ".join(scope.module.source.segment(e).split())
    return text if len(text) <= 40 else text[:37] + "..."


def _dynamic(e: Optional[ast.expr], scope) -> Piece:  # type: ignore[no-untyped-def]
    """A dynamic part computed per call, kept with where it is written (when there is an expression)."""
    return Piece(DYNAMIC, 0, _origin(e, scope), node=e, source=scope.module.source if e is not None else None)


def _volatile(e: ast.expr, scope) -> Piece:  # type: ignore[no-untyped-def]
    """A dynamic part that changes on every call, kept with where it is written."""
    return Piece(DYNAMIC, 0, _origin(e, scope), volatile=True, node=e, source=scope.module.source)


def _constant_name(name: str) -> bool:
    """An upper-case name (`SYSTEM_PROMPT`, `POLICY`): a constant by convention."""
    return name.isupper() and any(c.isalpha() for c in name) and len(name) > 2


MAX_CONSTRUCTORS = 8  # constructor calls looked at for one class


def constructor_argument(init: ast.AST, param: str, init_scope):  # type: ignore[no-untyped-def]
    """(expression, scope) the one constructor call of `init`'s class passes for `param` (in the
    class's own module), or None: no such call, several, or the argument is not given."""
    cls = getattr(getattr(init_scope, "parent", None), "node", None)
    info = getattr(init_scope, "module", None)
    if not isinstance(cls, ast.ClassDef) or info is None:
        return None
    found = [rec for rec in getattr(info, "calls", ())
             if isinstance(rec.node.func, ast.Name) and rec.node.func.id == cls.name][:MAX_CONSTRUCTORS + 1]
    if len(found) != 1:
        return None
    value = bind_args(init, found[0].node, skip_self=True).get(param)
    return (value, found[0].scope) if value is not None else None


def static_length(e: ast.expr, scope, site_scope) -> Optional[int]:  # type: ignore[no-untyped-def]
    """Characters of a prompt (or content-block list) when it is entirely static text, else None."""
    pieces = Pieces(site_scope).prefix(e, scope)
    if any(p.kind != STATIC for p in pieces):
        return None
    return sum(p.chars for p in pieces)
