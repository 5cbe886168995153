"""Whether a call sits in a branch chosen by a model name (`if args.model == "llama3.1-405b":
Model("openrouter/meta-llama/llama-3.1-405b-instruct")`): a table from the configured name to the
provider's id, where the literal translates a choice made elsewhere. Also one call away: a function
its module calls only from such branches (`if model == "o1-with-ocr": call_o1_with_ocr(...)`) is the
model's own code path, and the literal it sends is that choice's translation too. And a registry entry:
a model object built as the value of a name in a table (`models["fast"] = {"chat_model": ChatOpenAI(model=
"gpt-4o-mini")}`, `{"fast": ChatOpenAI(...), "smart": ChatAnthropic(...)}`): callers choose by the name."""

from __future__ import annotations

import ast
import bisect
import re
from typing import TYPE_CHECKING

from tokenlint.resolve.scope import name_uses

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.resolve.scope import Scope


def model_dispatch(call: ast.AST, scope: "Scope", model: str = "") -> bool:
    """True when `call` is in the body of an `if` / `elif` whose test looks at a model name (a name or
    attribute with `model` in it) against string constants (`==`, `in [...]`, a substring `in`,
    `startswith`), or compares anything with an option that names `model` (`if llm_choice == "OpenAI
    GPT-4o":` around a request sending "gpt-4o": the user picked that model by its label). An `else:`
    branch is a default, not a translation: False there."""
    line = getattr(call, "lineno", None)
    body = getattr(getattr(scope, "node", None), "body", None)
    if line is None or not isinstance(body, list):  # a lambda's body is one expression: no branch
        return False
    module = getattr(scope, "module", None)
    index = module.__dict__.setdefault("_dispatch_index", {}) if module is not None else {}
    stack = [body]
    while stack:
        for st in _holding(stack.pop(), line, index):
            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue  # another scope
            if isinstance(st, ast.If) and st.body and st.body[0].lineno <= line <= (st.body[-1].end_lineno or 0) \
                    and (_compares_model(st.test) or _names_option(st.test, model, module)):
                return True
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):  # if / for / try / with / match
                stack.append(getattr(st, field, None) or [])
    return False


def _holding(stmts: list, line: int, index: dict) -> list:
    """The statements of one body (an `except` handler, a `match` case too) whose lines hold `line`.
    A body's statements follow one another, so the index of their starting lines, built once per body
    and kept in `index`, finds them by bisection: a module of thousands of calls stays linear."""
    if len(stmts) < 8:  # a short body: a scan is cheaper than an index
        return [st for st in _positioned(stmts) if st.lineno <= line <= (st.end_lineno or st.lineno)]
    key = id(stmts)
    entry = index.get(key)
    if entry is None or entry[0] is not stmts:
        items = _positioned(stmts)
        entry = index[key] = (stmts, [st.lineno for st in items], items)
    _, starts, items = entry
    found = []
    i = bisect.bisect_right(starts, line) - 1
    while i >= 0 and (items[i].end_lineno or items[i].lineno) >= line:
        found.append(items[i])  # statements on one line (`a; b`) share it
        i -= 1
    return found


def _positioned(stmts: list) -> list:
    """`stmts` in order, a `match` case (which has no position of its own) replaced by its body."""
    out: list = []
    for st in stmts:
        if isinstance(st, ast.match_case):
            out.extend(_positioned(st.body))
        elif getattr(st, "lineno", None) is not None:
            out.append(st)
    return out


def registry_entry(call: ast.AST, scope: "Scope") -> bool:
    """True when `call` (a model object's constructor) is an entry of a table of models keyed by name:
    the value, or a value of the dict that is the value, assigned to `table["name"]` (`models["gpt-4o"] =
    {"chat_model": ChatOpenAI(model="gpt-4o"), ...}`), or the value under a string key of a dict literal
    holding two or more such keys whose values all build something (`{"fast": ChatOpenAI(...), "smart":
    ChatAnthropic(...)}`). A one-entry dict (`{"llm": ChatOpenAI(...)}`) is a call's arguments, no table."""
    line = getattr(call, "lineno", None)
    body = getattr(getattr(scope, "node", None), "body", None)
    if line is None or not isinstance(body, list):
        return False
    module = getattr(scope, "module", None)
    index = module.__dict__.setdefault("_dispatch_index", {}) if module is not None else {}
    stack = [body]
    while stack:
        for st in _holding(stack.pop(), line, index):  # the statements holding the line, by bisection
            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if isinstance(st, ast.Assign) and len(st.targets) == 1 and _named_slot(st.targets[0]) and \
                    _entry_value(st.value, call):
                return True
            if isinstance(st, (ast.Assign, ast.AnnAssign, ast.Return, ast.Expr)):
                return any(_table_of(d, call) for d in ast.walk(st) if isinstance(d, ast.Dict))
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                stack.append(getattr(st, field, None) or [])
    return False


def _named_slot(t: ast.expr) -> bool:
    return isinstance(t, ast.Subscript) and isinstance(t.slice, ast.Constant) and isinstance(t.slice.value, str)


def _entry_value(v: ast.expr, call: ast.AST) -> bool:
    """`call` is `v`, or a value of the dict literal `v` (nested dicts too)."""
    if v is call:
        return True
    return isinstance(v, ast.Dict) and any(_entry_value(x, call) for x in v.values)


def _table_of(d: ast.Dict, call: ast.AST) -> bool:
    keyed = [v for k, v in zip(d.keys, d.values) if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    if len(keyed) < 2 or len(keyed) != len(d.keys) or not all(isinstance(v, (ast.Call, ast.Dict)) for v in keyed):
        return False
    return any(_entry_value(v, call) for v in keyed) and \
        all(isinstance(v, ast.Call) or any(isinstance(x, ast.Call) for x in ast.walk(v)) for v in keyed)


def caller_dispatch(scope: "Scope") -> bool:
    """True when the function holding `scope` is a per-model code path chosen by its callers: its
    module uses its name only to call it (a function by name, a method on any object), at least once,
    and every one of those calls sits in a branch chosen by a model name (`model_dispatch`). Another use
    (a callback, a table, `__all__`) or a call outside such a branch keeps the literal a choice made
    here. Calls from other modules are not seen: a function called only elsewhere stays reported."""
    from tokenlint.resolve.scope import enclosing_function

    fs = enclosing_function(scope)
    if fs is None or fs.parent is None or fs.parent.kind not in ("module", "class"):
        return False  # a nested function is its parent's business
    info = fs.module
    raw = info.source.raw
    if raw is not None and raw.count(fs.name.encode()) < 2:
        return False  # its definition is the only place the module names it
    memo = info.__dict__.setdefault("_caller_dispatch", {})
    if fs.node not in memo:
        method = fs.parent.kind == "class"
        # a method is named as `x.name`; a module function also by its bare name
        uses = [(owner, call) for owner, call, how in name_uses(info).get(fs.name, ())
                if how != "name" or not method]
        memo[fs.node] = bool(uses) and all(call is not None and model_dispatch(call, owner) for owner, call in uses)
    return memo[fs.node]


def _compares_model(test: ast.expr) -> bool:
    """A test on a model name (a name or attribute with `model` in it, or a call of one of its string
    methods): `model == "x"`, `model in ["x", "y"]`, `"pro" in model_name`, `model.startswith("x")`,
    `model.lower() == "x"`; `or` of such tests."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return all(_compares_model(v) for v in test.values)
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) \
            and test.func.attr in ("startswith", "endswith") and _model_name(test.func.value):
        return bool(test.args) and all(_strings(a) for a in test.args)
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], (ast.Eq, ast.In)):
        return False
    left, right = test.left, test.comparators[0]
    if isinstance(test.ops[0], ast.In) and _model_name(right) and _strings(left):
        return True  # `"Pro" in self.model_name`: a substring of the configured name picks the branch
    return _model_name(left) and _strings(right)


def _names_option(test: ast.expr, model: str, module=None) -> bool:  # type: ignore[no-untyped-def]
    """A test comparing anything with string options (`==`, `in [...]`, `or` of such tests) one of
    which names `model`: every word and number of the id, without its `provider/` prefix and a
    snapshot date, is a word or number of the option ("OpenAI GPT-4o" names "gpt-4o", "Claude Sonnet
    3.5" names "claude-3-5-sonnet-20240620"; "OpenAI" alone names no model). An option may be an enum
    member (`llm_type == LLMType.GPT_4O`): its name read as words, or the string it is given in a class
    of that name in the module (`GPT_4 = "GPT 4 Turbo"` names "gpt-4-turbo")."""
    if not model:
        return False
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return any(_names_option(v, model, module) for v in test.values)
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], (ast.Eq, ast.In)):
        return False
    wanted = _id_words(model)
    if not wanted:
        return False
    for side in (test.left, test.comparators[0]):
        values = side.elts if isinstance(side, (ast.List, ast.Tuple, ast.Set)) else [side]
        for v in values:
            if isinstance(v, ast.Constant) and isinstance(v.value, str) and wanted <= _option_words(v.value):
                return True
            if any(wanted <= _option_words(label) for label in _member_labels(v, module)):
                return True
    return False


def _member_labels(e: ast.expr, module) -> list[str]:  # type: ignore[no-untyped-def]
    """The labels of an enum-style member `Cls.UPPER_NAME`: its name with `_` as spaces, and the string
    assigned to it in a class `Cls` of the module (`GPT_4O = "GPT 4o"`)."""
    if not (isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name) and e.attr.isupper()):
        return []
    labels = [e.attr.replace("_", " ")]
    tree = getattr(module, "tree", None)
    for st in getattr(tree, "body", ()):
        if isinstance(st, ast.ClassDef) and st.name == e.value.id:
            for a in st.body:
                if isinstance(a, ast.Assign) and isinstance(a.value, ast.Constant) and isinstance(a.value.value, str) \
                        and any(isinstance(t, ast.Name) and t.id == e.attr for t in a.targets):
                    labels.append(a.value.value)
    return labels


def _id_words(model: str) -> frozenset[str]:
    """A model id's words and numbers, without its `provider/` prefix and snapshot dates (20240620,
    2024-06-20): "claude-3-5-sonnet-20240620" -> {claude, 3, 5, sonnet}."""
    tail = _DATE.sub(" ", model.rsplit("/", 1)[-1].lower())
    return frozenset(_TOKEN.findall(tail))


def _option_words(text: str) -> frozenset[str]:
    """An option label's words and numbers, "3.5" read as 3 and 5: "Claude Sonnet 3.5" -> {claude,
    sonnet, 3, 5}."""
    return frozenset(_TOKEN.findall(text.lower()))


_TOKEN = re.compile(r"[a-z]+\d*[a-z]*|\d+[a-z]*")  # gpt, 4o, 3, 5, sonnet, mini
_DATE = re.compile(r"(?<!\d)(?:20\d{6}|20\d{2}-\d{2}-\d{2})(?!\d)")


def _model_name(e: ast.expr) -> bool:
    """A name or attribute with `model` in it, or one of its string methods' results (`model.lower()`)."""
    if isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and not e.args \
            and e.func.attr in ("lower", "upper", "strip", "casefold"):
        e = e.func.value
    name = e.attr if isinstance(e, ast.Attribute) else e.id if isinstance(e, ast.Name) else ""
    return "model" in name.lower()


def _strings(e: ast.expr) -> bool:
    """A string constant, or a non-empty list / tuple / set of them."""
    values = e.elts if isinstance(e, (ast.List, ast.Tuple, ast.Set)) else [e]
    return bool(values) and all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in values)
