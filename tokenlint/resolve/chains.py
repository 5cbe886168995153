"""What a framework request (LangChain, LlamaIndex) sends, as written: the messages or the prompt
template its chain starts with, what fills the template's `{name}` fields, and the keywords bound
to its model on the way.

A request is `llm.invoke([SystemMessage(...), ...])`, `(prompt | llm).invoke({...})` with a
`ChatPromptTemplate` / `PromptTemplate`, or `llm.complete(prompt.format(...))`; the chain is
followed through names, `|`, and method calls (`.with_config(...)`, `.bind(...)`, `.partial(...)`).
resolve/prompts.py reads these for the prompt-cache facts.
"""

from __future__ import annotations

import ast
from typing import Optional

from tokenlint.resolve.pieces import key_of, operands, resolve, returned

REQUEST_INPUT = ("input", "messages", "prompt")  # a framework request's input, when passed by keyword
TEMPLATE_BUILDERS = ("from_messages", "from_template", "ChatPromptTemplate", "PromptTemplate")
TEMPLATE_FILLS = ("format", "format_messages", "format_prompt", "invoke", "ainvoke")  # a template filled in place
SYSTEM_ROLES = ("system", "developer")
SYSTEM_CLASSES = ("SystemMessage", "SystemMessagePromptTemplate")


def message_list(e: ast.expr, scope, hops: int = 4):  # type: ignore[no-untyped-def]
    """(list, scope) of the literal list a message list starts with, or None: the list itself
    (through names), the left-most list of a concatenation (`[system] + history`: its messages come
    first), or the list a project function with one `return` gives (`self.build_messages(q)`: read
    in the function, where its parameters are per-call values). What is added later (`append`,
    `+=`, the concatenated rest) does not change which message comes first -- unless the list is
    written empty and built in steps (`built_in_steps`)."""
    for _ in range(hops):
        e, scope = resolve(e, scope)
        if isinstance(e, ast.List) and not e.elts:
            steps = built_in_steps(e, scope)
            return (steps, scope) if steps is not None else (e, scope)
        if isinstance(e, (ast.List, ast.Tuple)):
            return e, scope
        if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add):
            e = operands(e)[0]
        elif isinstance(e, ast.Call):
            found = returned(e, scope)
            if found is None:
                return None
            e, scope = found[0], found[1]
        else:
            return None
    return None


def built_in_steps(empty: ast.List, scope) -> Optional[ast.List]:  # type: ignore[no-untyped-def]
    """A message list written empty in a function and built in steps (`messages = []`, then
    `messages.append({"role": "system", ...})`, `messages.append(user)`): the messages appended, in
    order, as one list (the appended nodes themselves), up to the first other statement of that block
    that touches the list (an `extend(history)`, an `insert`, a `+=`, an append on a branch, the
    request). An append guarded by the appended value itself counts (`if system_prompt:
    messages.append({"role": "system", "content": system_prompt})`): the system message, when there is
    one, comes first. None when nothing is appended so; computed once per list."""
    memo = getattr(empty, "_tokenlint_steps", False)
    if memo is not False:
        return memo
    found = None
    fn = getattr(scope, "node", None)
    if getattr(scope, "kind", None) == "function" and isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        found = _appended(fn, empty)
    empty._tokenlint_steps = found  # type: ignore[attr-defined]
    return found


def _appended(fn: ast.AST, empty: ast.List) -> Optional[ast.List]:
    where = _assigned_in(fn, empty)
    if where is None:
        return None
    name, block, at = where
    msgs: list[ast.expr] = []
    for st in block[at + 1:]:
        if not any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(st)):
            continue  # a statement that leaves the list alone
        msg = _append_of(st, name)
        if msg is None and not msgs and isinstance(st, ast.If) and len(st.body) == 1 and not st.orelse:
            msg = _append_of(st.body[0], name)  # if system_prompt: messages.append(<its message>)
            content = message_content(msg) if msg is not None else None
            if content is None or ast.dump(_tested(st.test)) != ast.dump(content):
                msg = None
        if msg is None:
            break
        msgs.append(msg)
    if not msgs:
        return None
    return ast.copy_location(ast.List(elts=msgs, ctx=ast.Load()), empty)


def _assigned_in(fn: ast.AST, value: ast.expr):  # type: ignore[no-untyped-def]
    """(name, block, index) of the statement `name = value` in a function's body (not in nested functions)."""
    stack = [fn.body]  # type: ignore[attr-defined]
    while stack:
        block = stack.pop()
        for i, st in enumerate(block):
            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            target = (st.targets[0] if isinstance(st, ast.Assign) and len(st.targets) == 1
                      else st.target if isinstance(st, ast.AnnAssign) else None)
            if getattr(st, "value", None) is value and isinstance(target, ast.Name):
                return target.id, block, i
            for sub in ("body", "orelse", "finalbody"):
                inner = getattr(st, sub, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    stack.append(inner)
            stack.extend(h.body for h in getattr(st, "handlers", ()))
    return None


def _append_of(st: ast.stmt, name: str) -> Optional[ast.expr]:
    """The message `st` appends to the list `name` (`name.append(msg)`), else None."""
    call = st.value if isinstance(st, ast.Expr) else None
    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "append"
            and isinstance(call.func.value, ast.Name) and call.func.value.id == name and len(call.args) == 1
            and not call.keywords):
        return call.args[0]
    return None


def _tested(test: ast.expr) -> ast.expr:
    """What a guard tests: `x` for `if x:`, `if x is not None:`, `if x != "":`."""
    if (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.IsNot, ast.NotEq))
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value in (None, "")):
        return test.left
    return test


def first_message(e: ast.List | ast.Tuple) -> Optional[ast.expr]:
    """The content of a message list's system message when it comes first, else of its first message."""
    return message_content(e.elts[0]) if e.elts else None


def message_content(msg: ast.expr) -> Optional[ast.expr]:
    """The content of one message as written: `{"role": ..., "content": x}`, `SystemMessage(x)` /
    `SystemMessage(content=x)`, `("system", x)`, or a bare string; None for anything else (a
    `MessagesPlaceholder`, a message built elsewhere)."""
    if isinstance(msg, ast.Dict):
        return key_of(msg, "content")
    if isinstance(msg, ast.Call):
        name = msg.func.attr if isinstance(msg.func, ast.Attribute) else getattr(msg.func, "id", "")
        if name == "MessagesPlaceholder":
            return None
        return msg.args[0] if msg.args and not _keyword(msg, "role") else _keyword(msg, "content")
    if isinstance(msg, ast.Tuple) and len(msg.elts) == 2:
        return msg.elts[1]
    if isinstance(msg, (ast.Constant, ast.JoinedStr)):
        return msg
    return None


def message_role(e: ast.expr, roles: tuple[str, ...] = SYSTEM_ROLES,
                 classes: tuple[str, ...] = SYSTEM_CLASSES) -> Optional[str]:
    """The role when `e` is a message written as one of `roles` (by default "system" or "developer":
    `{"role": "system", ...}`, `("system", ...)`, or a message class of `classes`, `SystemMessage(...)`,
    `SystemMessagePromptTemplate.from_template(...)`, which gives the first of `roles`), else None."""
    if isinstance(e, ast.Dict):
        role = key_of(e, "role")
        if isinstance(role, ast.Constant) and role.value in roles:
            return str(role.value)
    elif isinstance(e, ast.Call):
        f = e.func
        name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
        if name in classes or (name == "from_template" and isinstance(f, ast.Attribute)
                               and isinstance(f.value, ast.Name) and f.value.id in classes):
            return roles[0]
    elif isinstance(e, ast.Tuple) and len(e.elts) == 2:
        role = e.elts[0]
        if isinstance(role, ast.Constant) and role.value in roles:
            return str(role.value)
    return None


def _keyword(call: ast.Call, name: str) -> Optional[ast.expr]:
    return next((k.value for k in call.keywords if k.arg == name), None)


def request_prefix(site):  # type: ignore[no-untyped-def]
    """(node, scope, template, system) of a framework request's prompt: the `ChatPromptTemplate` /
    `PromptTemplate` its chain starts with (`(prompt | llm).invoke({...})`), else the messages or text
    it is passed (`llm.invoke([SystemMessage(...), HumanMessage(...)])`, `llm.complete(text)`);
    `system`: the messages it is passed open with a system / developer message (a template's roles
    are not read: TKL302 reads a template's fields, `template_inputs`)."""
    call, scope = site.node, site.scope
    if call is None or not isinstance(call.func, ast.Attribute):
        return None
    tmpl = _chain_template(call.func.value, scope)
    if tmpl is not None:
        return (*tmpl, False)
    arg = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg in REQUEST_INPUT), None)
    if arg is None:
        return None
    e, escope = resolve(arg, scope)
    if _formatted_template(e, escope):
        tmpl = _chain_template(e, escope)  # llm.invoke(prompt.format(date=...)): the template's text
        return (*tmpl, False) if tmpl is not None else None
    head = message_list(e, escope)  # [SystemMessage(...)] + history, build_messages(...)
    if head is not None:
        first = first_message(head[0])
        return (first, head[1], False, message_role(head[0].elts[0]) is not None) if first is not None else None
    if isinstance(e, ast.Dict):
        return None  # the variables of a template this chain starts with, which was not found
    return arg, scope, False, False


def request_messages(site):  # type: ignore[no-untyped-def]
    """(list, scope, template) of the messages a framework request sends, as written: the list
    passed to `invoke` / `chat`, or the `ChatPromptTemplate.from_messages([...])` list its chain
    starts with (`template`: its `{name}` fields are filled per request)."""
    call, scope = site.node, site.scope
    if call is None or scope is None or not isinstance(call.func, ast.Attribute):
        return None
    tmpl = _template_call(call.func.value, scope)
    if tmpl is not None:
        e, escope = tmpl
        arg = e.args[0] if e.args else _keyword(e, "messages")
    else:
        arg, escope = (call.args[0] if call.args else _keyword(call, "input")), scope
    if arg is None:
        return None
    lst, lscope = resolve(arg, escope)
    return (lst, lscope, tmpl is not None) if isinstance(lst, (ast.List, ast.Tuple)) else None


def _chain_template(e: ast.expr, scope):  # type: ignore[no-untyped-def]
    """(first message text, scope, True) of the prompt template a runnable starts with."""
    found = _template_call(e, scope)
    if found is None:
        return None
    e, scope = found
    arg = e.args[0] if e.args else _keyword(e, "messages") or _keyword(e, "template")
    if arg is None:
        return None
    lst, lscope = resolve(arg, scope)
    if isinstance(lst, (ast.List, ast.Tuple)):
        if not lst.elts:
            return None
        first = lst.elts[0]
        if isinstance(first, ast.Call):  # SystemMessagePromptTemplate.from_template(...), SystemMessage(...)
            fname = first.func.attr if isinstance(first.func, ast.Attribute) else getattr(first.func, "id", "")
            text = first.args[0] if first.args else _keyword(first, "content") or _keyword(first, "template")
            if text is None or fname in ("MessagesPlaceholder",):
                return None
            return text, lscope, fname != "SystemMessage" and fname != "HumanMessage"
        text = first_message(lst)
        return (text, lscope, True) if text is not None else None
    return arg, scope, True


def _template_call(e: ast.expr, scope, hops: int = 4, passed: Optional[list] = None):  # type: ignore
    """(the `ChatPromptTemplate.from_messages(...)` / `PromptTemplate(...)` call, its scope) a
    runnable starts with (`prompt | llm | parser`, through names and `.with_config(...)`), or None;
    the method calls passed on the way (`.partial(...)`, `.bind(...)`) are added to `passed` as
    (call, scope)."""
    for _ in range(hops):
        e, scope = resolve(e, scope)
        if isinstance(e, ast.BinOp) and isinstance(e.op, ast.BitOr):
            while isinstance(e, ast.BinOp) and isinstance(e.op, ast.BitOr):
                e = e.left
            continue
        if isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr not in TEMPLATE_BUILDERS:
            if passed is not None:
                passed.append((e, scope))
            e = e.func.value  # chain.with_config(...), chain.bind(...), prompt.partial(...)
            continue
        break
    if not isinstance(e, ast.Call):
        return None
    name = e.func.attr if isinstance(e.func, ast.Attribute) else getattr(e.func, "id", "")
    return (e, scope) if name in TEMPLATE_BUILDERS else None


def bound_keywords(site) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    """The keywords a framework request's model is bound with on the way to the request
    (`llm.bind(cache_control=...)`, `(prompt | llm.bind(...))`): name -> (value, scope)."""
    call, scope = site.node, site.scope
    if site.kind != "request" or call is None or scope is None or not isinstance(call.func, ast.Attribute):
        return {}
    passed: list = []
    e, escope = resolve(call.func.value, scope)
    for part in _pipe_parts(e):
        _template_call(part, escope, passed=passed)
    return {k.arg: (k.value, cscope) for c, cscope in passed if c.func.attr == "bind" for k in c.keywords if k.arg}


def _pipe_parts(e: ast.expr) -> list[ast.expr]:
    """`a | b | c` as [a, b, c]; anything else as [e]."""
    out: list[ast.expr] = []
    while isinstance(e, ast.BinOp) and isinstance(e.op, ast.BitOr):
        out.append(e.right)
        e = e.left
    return [e, *reversed(out)]


def _formatted_template(e: ast.expr, scope) -> bool:  # type: ignore[no-untyped-def]
    """Is `e` a prompt template filled in place (`prompt.format(...)`, `.format_messages(...)`,
    `.invoke({...})`), as opposed to a `str.format` or any other call?"""
    return (isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr in TEMPLATE_FILLS
            and _template_call(e.func.value, scope) is not None)


def template_inputs(site) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    """What a framework request fills its prompt template's `{name}` fields with: name ->
    (expression, scope), from the input dict of `chain.invoke({...})`, the keywords of
    `prompt.format(...)` passed to the model, `.partial(name=...)` on the chain and
    `partial_variables={...}` of the template; empty when the site is no such request."""
    call, scope = site.node, site.scope
    if site.kind != "request" or call is None or scope is None or not isinstance(call.func, ast.Attribute):
        return {}
    out: dict[str, tuple] = {}
    partials: list = []
    arg = call.args[0] if call.args else _keyword(call, "input")
    e, escope = resolve(arg, scope) if arg is not None else (None, scope)
    if e is not None and _formatted_template(e, escope):
        found = _template_call(e.func.value, escope, passed=partials)  # type: ignore[union-attr]
        out.update((k.arg, (k.value, escope)) for k in e.keywords if k.arg)  # type: ignore[union-attr]
        e, escope = resolve(e.args[0], escope) if e.args else (None, escope)  # type: ignore[union-attr]
    else:
        found = _template_call(call.func.value, scope, passed=partials)
    if found is None:
        return {}
    if isinstance(e, ast.Dict):
        out.update(_dict_items(e, escope))
    builder, bscope = found
    pv = _keyword(builder, "partial_variables")
    if pv is not None:
        pv, pscope = resolve(pv, bscope)
        if isinstance(pv, ast.Dict):
            for name, value in _dict_items(pv, pscope).items():
                out.setdefault(name, value)
    for c, cscope in partials:
        if c.func.attr != "partial":
            continue
        for k in c.keywords:
            if k.arg:
                out.setdefault(k.arg, (k.value, cscope))
    return out


def _dict_items(d: ast.Dict, scope) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    return {k.value: (v, scope) for k, v in zip(d.keys, d.values)
            if isinstance(k, ast.Constant) and isinstance(k.value, str)}
