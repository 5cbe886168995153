"""Whether the loop a request runs in is an agent loop with no bound: the model's output alone ends it.

A loop is judged only when it is a `while` whose end the model decides: `while True:` (or another
constant) left by a `break` / `return` / `raise` under a condition on the request's result, or
`while not done:` with `done` computed from that result. It is bounded when any way out (or the
`while` test) also reads a counter (a name or attribute increased in the loop, or the `len()` of a
collection the loop adds to, or an emptiness test of one it takes from) or a limit-like name (`max_steps`, `budget`, `timeout`, `MAX_TURNS`, ...).
A way out that only tests whether the request returned (`while ret is None: ret = create(...)`, `if
ret: break`, on a name bound only to the request's result) is a retry's, not the model's output. A `for` loop, a `while` with no way out
(a worker or REPL loop: each turn waits for new input) and a test on anything else are not judged.
A name the exit reads that the same turn assigned afresh, before the exit, from something else
(`item = queue.get()`) is not the model's output there, whatever the loop assigns to it later.
Nor is a loop whose every further turn passes a person's answer (`if not typer.confirm("Retry?"):
return` in its body), nor one whose only ways out on the model's output are `raise`s its own
`try` catches (a retry of an empty answer). Nor is the answer of a project function that returns, on every path, either a falsy constant or
what a person typed (`while repeat: repeat = self.review_phase()`, the phase returning
`self.ask_human()`, which reads `input()`): a person decides each further turn (`person_decides`).
A project function that returns its request's response as is (`returns_response`) is read like the
request in place: `while ret is None: ret = make_request(...)` is a retry.
What a hook or callback dispatcher returns (`after = self.hooks.invoke_callbacks(AfterEvent(result=r))`,
then `while messages is not None: ... messages = after.resume`) is what the code registered there
decided, not the model's output, even when the response is handed to it. A name the loop binds to a
call handed a limit (`go, why = state.should_continue(max_handoffs=self.max_handoffs, timeout=...)`,
then `if not go: break`) is a bound, like the limit itself; so is the answer of a project function
that returns its verdict under a test of a limit (`if len(journal.nodes) >= stage.max_iterations:
return True, "max iterations"`): a completion check the loop calls, where the bound lives, when the
loop leaves on that verdict and the compared quantity is not the response the loop hands the check.
"""

from __future__ import annotations

import ast
import re
from typing import Callable, Iterable, Iterator, Optional

from tokenlint.resolve.scope import written_callee

BOUND_NAME = re.compile(
    r"max|limit|budget|iter|step|turn|round|count|attempt|retr|tries|cost|deadline|timeout|elapsed|"
    r"remaining|left|quota|depth|n_calls|num_calls", re.I)
# a dispatcher of registered code, by the callee's own name (`invoke_callbacks`, `run_hooks`, `fire_hook`):
# not any name holding the word (`webhook`, `self.callbacks.on_response` handed the model's text)
HOOK_CALL = re.compile(r"^(invoke|run|call|trigger|fire|dispatch|emit)_?(all_)?(hooks?|callbacks?)(_async)?$", re.I)
LIMIT_ARG = re.compile(r"max|limit|budget|timeout|deadline|quota", re.I)  # an argument that hands a limit
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_EXITS = (ast.Break, ast.Return, ast.Raise)


def loop_bound(loop: Optional[ast.stmt], call: ast.Call, asks: frozenset[str] = frozenset(),
               direct: bool = True, others: frozenset[int] = frozenset(),
               callee: Optional[Callable[[ast.Call], Optional[ast.AST]]] = None) -> Optional[str]:
    """"unbounded" when `call` runs in a `while` loop that only the model's output ends, "bounded"
    when such a loop also has a counter or limit, None when the loop is not judged. `asks`: the
    dotted names of the calls that ask a person (`typer.confirm`, catalog `person_prompts`).
    `direct`: `call` is the request itself, so a name bound to its result holds the response (a
    wrapper's result may be anything the model's output decided). `others`: the ids of the loop's
    other requests, whose results are responses too (`ret = client.beta.messages.create(...)` on one
    branch, `ret = client.messages.create(...)` on the other). `callee`: the project function a call
    written in the loop runs, when known (`written_callee`), to read a completion check's limit."""
    if not isinstance(loop, ast.While):
        return None
    if _person_gate(loop, asks):
        return None  # every further turn is a person's decision
    tainted = _tainted(loop, call)
    # an `assert` is a way out only when it caps a counter the loop increments (`assert k < 5`)
    rising = _counters(loop, (ast.Add,))
    exits = [(c, ex) for c, ex in _exits(loop.body, []) if not isinstance(ex, ast.Assert) or _caps(ex.test, rising)]
    conditions = [c for c, _ in exits]
    constant = isinstance(loop.test, ast.Constant) and bool(loop.test.value)
    if not constant:
        if not _reads(loop.test, tainted, call) or _others(loop.test, tainted):
            return None
        conditions.append([loop.test])
    # an exit reads the model's output unless each name it reads is set afresh, from something else,
    # earlier in the same turn (`item = queue.get()` then `if item is None: break`: a queue worker,
    # bounded by its input, even when the name is reused later for a request's result)
    # (an `assert` in the loop bounds it when it tests a counter, but one on the response is a sanity
    # check, not the way a worker loop ends)
    model_exit = [c for c, ex in exits if not isinstance(ex, ast.Assert) and
                  any(_reads(e, tainted - _fresh(loop, ex, tainted, call), call) for e in c)]
    if not constant:
        model_exit.append([loop.test])
    answers = _answers(loop, call, others) if direct else set()  # `ret = request(...)`: the response, not read from it
    model_exit = [c for c in model_exit if not (c and all(_succeeded(e, answers) for e in c))]
    if not model_exit:
        return None  # no way out, or one that does not depend on the model: not an agent loop
    counters = _counters(loop) | _grown(loop) | _shrunk(loop) | _limited(loop, call, tainted)
    checked = _checked(loop, callee, tainted, call) if callee is not None else {}
    if any(_bounded(e, counters) or (callee is not None and _checks_limit(e, loop, checked, callee, tainted, call))
           for c in conditions for e in c):
        return "bounded"
    return "unbounded"


def _answers(loop: ast.While, call: ast.Call, others: frozenset[int] = frozenset()) -> set[str]:
    """Names the loop binds only to the request's own result (`ret = client.create(...)`, awaited or not),
    or to that of another of its requests (`others`: their ids)."""
    values: dict[str, list[ast.expr]] = {}
    for n in walk_local(loop.body):
        if isinstance(n, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            targets = n.targets if isinstance(n, ast.Assign) else [n.target]
            for t in targets:
                for x in ast.walk(t):
                    if isinstance(x, ast.Name) and isinstance(x.ctx, ast.Store):
                        values.setdefault(x.id, []).append(n.value if len(targets) == 1 and t is x else None)
    return {k for k, vs in values.items()
            if all(v is not None and (_unwrap(v) is call or id(_unwrap(v)) in others) for v in vs)}


def _succeeded(e: ast.expr, answers: set[str]) -> bool:
    """`ret is None`, `ret is not None`, `not ret`, `ret` on a name holding the request's result: a test of
    whether the request returned at all (a retry until it succeeds), not of what the model wrote."""
    if isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.Not):
        e = e.operand
    if isinstance(e, ast.Compare) and len(e.ops) == 1 and isinstance(e.ops[0], (ast.Is, ast.IsNot)) and \
            isinstance(e.comparators[0], ast.Constant) and e.comparators[0].value is None:
        e = e.left
    return isinstance(e, ast.Name) and e.id in answers


def person_decides(loop: Optional[ast.stmt], call: ast.Call, fn: ast.AST,
                   callee: Callable[[ast.Call], Optional[ast.AST]]) -> bool:
    """`while repeat: repeat = phase()` where `fn` (the function `call` runs) returns, on every path,
    a falsy constant (the loop ends) or a name bound only to the answer of a function that reads
    `input()` (`retry = self.ask_human(...)`; `callee` gives a call's project function): the loop
    turns again only when a person says so, not when the model does."""
    if not isinstance(loop, ast.While) or not isinstance(loop.test, ast.Name):
        return False
    name = loop.test.id
    sets = [n for n in walk_local(loop.body) if isinstance(n, ast.Assign) and _binds(n, name)]
    if not sets or any(_unwrap(n.value) is not call for n in sets):
        return False  # the test reads something else than this call's answer
    returns = [n for n in walk_local(getattr(fn, "body", [])) if isinstance(n, ast.Return)]
    return bool(returns) and all(_falsy(r.value) or _asked(r.value, fn, callee) for r in returns)


def returns_response(fn: ast.AST, requests: set[int]) -> bool:
    """Whether function `fn` returns, on every `return`, one of its requests' own results as is
    (`return client.chat.completions.create(...)`, awaited or not, or a name the function binds only
    to such results: `response = client.models.generate_content(...)` then `return response`;
    `requests`: the ids of those calls): a name bound to a call of it holds the response, as if the
    request were made in place."""
    body = getattr(fn, "body", [])
    returns = [n for n in walk_local(body) if isinstance(n, ast.Return)]
    if not returns or any(r.value is None for r in returns):
        return False
    names = {r.value.id for r in returns if isinstance(r.value, ast.Name)}  # type: ignore[union-attr]
    held = _held_responses(body, names, requests) if names else set()
    return all(id(_unwrap(r.value)) in requests or isinstance(r.value, ast.Name) and r.value.id in held  # type: ignore[arg-type]
               for r in returns)


def _held_responses(body: list, names: set[str], requests: set[int]) -> set[str]:
    """Which of `names` the statements bind only to a request's result, by plain assignments."""
    assigned: dict[int, ast.expr] = {}  # a Name stored by `name = value` (one target) -> value
    stores: list[ast.Name] = []
    for n in walk_local(body):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n.id in names:
            stores.append(n)
        elif isinstance(n, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and n.value is not None:
            targets = n.targets if isinstance(n, ast.Assign) else [n.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Name):
                assigned[id(targets[0])] = n.value
    # any other binding (a loop target, `x += ...`, `with ... as x`, a tuple target) holds something else
    held = {n.id for n in stores}
    for n in stores:
        v = assigned.get(id(n))
        if v is None or id(_unwrap(v)) not in requests:
            held.discard(n.id)
    return held


def _unwrap(e: ast.expr) -> ast.expr:
    return e.value if isinstance(e, ast.Await) else e


def _falsy(e: Optional[ast.expr]) -> bool:
    return e is None or isinstance(e, ast.Constant) and not e.value


def _asked(e: Optional[ast.expr], fn: ast.AST, callee: Callable[[ast.Call], Optional[ast.AST]]) -> bool:
    """`e` is a name `fn` binds only to calls of functions that read `input()`."""
    if not isinstance(e, ast.Name):
        return False
    values = [n.value for n in walk_local(getattr(fn, "body", [])) if isinstance(n, ast.Assign) and _binds(n, e.id)]
    if not values:
        return False
    for v in values:
        v = _unwrap(v)
        target = callee(v) if isinstance(v, ast.Call) else None
        if target is None or not any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "input"
                                     for n in walk_local(getattr(target, "body", []))):
            return False
    return True


def same_loop(sites: list, asks: frozenset[str] = frozenset()) -> None:
    """Every request made in one `while` runs once per turn of it: when the output of any of them ends
    the loop with no bound, the loop is unbounded for all of them (a planning request beside the
    action request that decides when to stop), and bounded for all when it is bounded for one. A name
    bound to the result of one of the loop's requests or another's, chosen on a branch, holds a response
    all the same: a test of whether it came back is a retry's (each request is judged again knowing the others)."""
    groups: dict[tuple[int, int], list] = {}
    for s in sites:
        if s.loop_at is not None and s.kind == "direct" and s.node is not None and s.scope is not None:
            groups.setdefault(s.loop_at, []).append(s)
    for at, group in groups.items():
        if len(group) > 1 and any(s.loop == "unbounded" for s in group):
            loop = _loop_at(group[0].scope.node, at)
            others = frozenset(id(s.node) for s in group)
            for s in group:
                s.loop = loop_bound(loop, s.node, asks, True, others, lambda c, sc=s.scope: written_callee(c, sc)) \
                    if loop is not None else s.loop
    verdicts: dict[tuple[int, int], str] = {}
    for s in sites:
        if s.loop_at is not None and s.loop is not None and verdicts.get(s.loop_at) != "bounded":
            verdicts[s.loop_at] = s.loop
    for s in sites:
        if s.loop_at in verdicts:
            s.loop = verdicts[s.loop_at]


def _loop_at(owner: ast.AST, at: tuple[int, int]) -> Optional[ast.While]:
    """The `while` statement of `owner`'s body (a function or module) at (line, 1-based column)."""
    return next((n for n in walk_local(getattr(owner, "body", [])) if isinstance(n, ast.While)
                 and (n.lineno, n.col_offset + 1) == at), None)


def _fresh(loop: ast.While, exit_: ast.stmt, tainted: set[str], call: ast.Call) -> set[str]:
    """The tainted names that hold, where `exit_` reads them, a value the same turn assigned from
    something other than the model's output: the last plain assignment to the name among the loop
    body's statements before the one holding `exit_`, not re-bound in between."""
    top = next((i for i, st in enumerate(loop.body) if any(n is exit_ for n in ast.walk(st))), None)
    if top is None:
        return set()
    fresh: set[str] = set()
    for i, st in enumerate(loop.body[:top]):
        if isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name):
            name = st.targets[0].id
            if name in tainted and not _reads(st.value, tainted, call) \
                    and not any(_binds(later, name) for later in loop.body[i + 1:top + 1]):
                fresh.add(name)
    return fresh


def _binds(st: ast.stmt, name: str) -> bool:
    """Does `st` (outside nested functions) bind `name`?"""
    return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store) for n in walk_local([st]))


def walk_local(stmts: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """The nodes of `stmts`, not entering nested functions, lambdas or classes."""
    stack: list[ast.AST] = list(stmts)
    while stack:
        n = stack.pop()
        if isinstance(n, _NESTED):
            continue
        yield n
        stack.extend(ast.iter_child_nodes(n))


def _exits(stmts: list[ast.stmt], guards: list[ast.expr]) -> Iterator[tuple[list[ast.expr], ast.stmt]]:
    """Each `break` / `return` / `raise` / `assert` leaving the loop, with the conditions it sits under."""
    for st in stmts:
        if isinstance(st, _EXITS):
            yield guards, st
        elif isinstance(st, ast.Assert):  # `assert k < 5`: a `raise` once the test fails
            yield guards + [st.test], st
        elif isinstance(st, ast.If):
            yield from _exits(st.body, guards + [st.test])
            yield from _exits(st.orelse, guards + [st.test])
        elif isinstance(st, (ast.With, ast.AsyncWith)):
            yield from _exits(st.body, guards)
        elif isinstance(st, ast.Try):
            caught = _catches_all(st)
            for block in (st.body, st.orelse, st.finalbody):
                # a `raise` in the body that the try's own handler catches turns the loop again: a retry
                yield from ((g, ex) for g, ex in _exits(block, guards)
                            if not (caught and block is st.body and isinstance(ex, ast.Raise)))
            for h in st.handlers:  # an error ends it: not the model's output, but a way out
                for g, ex in _exits(h.body, guards):
                    yield g, ex
        elif isinstance(st, ast.Match):
            for case in st.cases:
                yield from _exits(case.body, guards + ([case.guard] if case.guard is not None else []))
        # a break inside a nested for/while leaves that loop, not this one


def _catches_all(st: ast.Try) -> bool:
    """Whether a handler of the `try` catches any exception its body raises (`except:`,
    `except Exception`, `except BaseException`) without raising again."""
    for h in st.handlers:
        kinds = h.type.elts if isinstance(h.type, ast.Tuple) else [h.type]
        if any(k is None or isinstance(k, ast.Name) and k.id in ("Exception", "BaseException") for k in kinds):
            return not any(isinstance(n, ast.Raise) for n in walk_local(h.body))
    return False


def _person_gate(loop: ast.While, asks: frozenset[str]) -> bool:
    """`if not typer.confirm("Retry?"): return` in the loop's own body, which holds no `continue`:
    every turn after the first one's request passes a person's answer (before or after its own)."""
    if not asks or any(isinstance(n, ast.Continue) for n in walk_local(loop.body)):
        return False
    return any(isinstance(st, ast.If) and st.body and isinstance(st.body[-1], (ast.Return, ast.Break, ast.Raise))
               and any(isinstance(n, ast.Call) and _asks(n.func, asks) for n in ast.walk(st.test))
               for st in loop.body)


def _asks(func: ast.expr, asks: frozenset[str]) -> bool:
    """Whether a callee as written (`typer.confirm`, `Confirm.ask`, `input`) names one of `asks`."""
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return False
    written = ".".join([func.id, *reversed(parts)])
    return any(q == written or q.endswith("." + written) for q in asks)


def _tainted(loop: ast.While, call: ast.Call) -> set[str]:
    """Names (and `self.x` attributes) the loop computes from the request's result."""
    assigns: list[tuple[list[str], ast.expr]] = []
    for n in walk_local(loop.body):
        if isinstance(n, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)) and n.value is not None:
            if _hook_call(n.value):
                continue  # what registered code decided, whatever it was handed
            targets = n.targets if isinstance(n, ast.Assign) else [n.target]
            assigns.append(([x for tgt in targets for x in _bound(tgt)], n.value))
        elif isinstance(n, (ast.For, ast.AsyncFor)):
            assigns.append((list(_bound(n.target)), n.iter))
    tainted: set[str] = set()
    for _ in range(4):
        before = len(tainted)
        for names, value in assigns:
            if _reads(value, tainted, call):
                tainted.update(names)
        if len(tainted) == before:
            break
    return tainted


def _hook_call(e: ast.expr) -> bool:
    """`self.hooks.invoke_callbacks(...)`, `run_hooks(...)`: a call whose callee, as written, names hooks or
    callbacks, so its answer comes from code registered there."""
    e = _unwrap(e)
    if not isinstance(e, ast.Call):
        return False
    return bool(HOOK_CALL.match(_word(e.func)))


def _limited(loop: ast.While, call: ast.Call, tainted: set[str]) -> set[str]:
    """Names the loop binds to the answer of a call handed a limit by keyword
    (`go, why = state.should_continue(max_handoffs=self.max_handoffs)`): a test of them is a bound. Not a
    call holding the request (`asyncio.wait_for(client.create(...), timeout=60)` is the response) or handed
    what the model wrote; a token cap (`max_tokens=`) limits one answer's length, not the turns."""
    out: set[str] = set()
    for n in walk_local(loop.body):
        if not isinstance(n, ast.Assign):
            continue
        value = _unwrap(n.value)
        if not isinstance(value, ast.Call) or _reads(value, tainted, call):
            continue  # `_reads` also finds the request anywhere inside
        if any(k.arg and "token" not in k.arg and LIMIT_ARG.search(k.arg) for k in value.keywords):
            out.update(x for t in n.targets for x in _bound(t))
    return out


def _checked(loop: ast.While, callee: Callable[[ast.Call], Optional[ast.AST]],
             tainted: set[str], call: ast.Call) -> dict[str, bool]:
    """Names the loop binds to the verdict of a completion check (`done, why = self._check_complete(stage)`:
    `done`), each with the constant the check returns under a test of a limit (`limit_verdicts`), whatever
    else it is handed (the request itself included: a check that asks the model, after testing the
    iteration cap first)."""
    out: dict[str, bool] = {}
    for n in walk_local(loop.body):
        value = _unwrap(n.value) if isinstance(n, ast.Assign) else None
        if not isinstance(value, ast.Call):
            continue
        verdicts = limit_verdicts(callee(value), value, tainted, call)
        if len(verdicts) != 1:
            continue  # none, or both True and False under limits: no one value the check ends on
        for t in n.targets:
            first = t.elts[0] if isinstance(t, ast.Tuple) and t.elts else t
            name = _name(first)
            if name:
                out[name] = next(iter(verdicts))
    return out


def _checks_limit(e: ast.expr, loop: ast.While, checked: dict[str, bool],
                  callee: Callable[[ast.Call], Optional[ast.AST]], tainted: set[str], call: ast.Call) -> bool:
    """Whether exit condition `e` ends the loop on the verdict a completion check returns under a limit:
    `if done: break` with `done` bound to a check returning `True` there, `if not self._ok(state): break`
    with `_ok` returning `False` there; for the loop's own test, the loop ends when it is false
    (`while not done`). A check whose limit verdict keeps the loop running is no bound."""
    for node, ends_on in _truth_operands(e, e is not loop.test):
        name = _name(node)
        if name in checked and checked[name] == ends_on:
            return True
        if isinstance(node, ast.Call) and ends_on in limit_verdicts(callee(node), node, tainted, call):
            return True
    return False


def _truth_operands(e: ast.expr, value: bool) -> Iterator[tuple[ast.expr, bool]]:
    """The names and calls whose truth decides `e`, each with the truth value that makes `e` equal `value`
    (`not done`: `done`, False; `a or b`: both, as `e`)."""
    if isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.Not):
        yield from _truth_operands(e.operand, not value)
    elif isinstance(e, ast.BoolOp):
        for v in e.values:
            yield from _truth_operands(v, value)
    elif isinstance(e, (ast.Name, ast.Attribute, ast.Call, ast.Await)):
        yield _unwrap(e), value


def limit_verdicts(fn: Optional[ast.AST], at: Optional[ast.Call] = None, tainted: frozenset[str] | set[str] = frozenset(),
                   request: Optional[ast.Call] = None) -> set[bool]:
    """The constant verdicts function `fn` returns (`return True`, `return True, "max iterations"`,
    `return False`) directly under an `if` comparing with a limit (`len(journal.nodes) >=
    stage.max_iterations`, `self.turn > MAX_TURNS`, `elapsed > self.config.time_budget`; not a token cap,
    `max_tokens`), where the compared quantity is not the model's response: no parameter that call `at`
    hands a name of `tainted` (or the `request`), nor a local computed from one (`if len(answer.split()) >
    MAX_WORDS` on the answer the loop got is the model's say, not a count of turns)."""
    body = getattr(fn, "body", [])
    if not body:
        return set()
    fed = _fed_response(fn, at, tainted, request) if at is not None else set()
    out: set[bool] = set()
    for n in walk_local(body):
        if isinstance(n, ast.If) and _limit_test(n.test) and not any(_name(x) in fed for x in ast.walk(n.test)):
            out.update(v for st in n.body if isinstance(st, ast.Return) for v in [_verdict(st.value)] if v is not None)
    return out


def _fed_response(fn: ast.AST, at: ast.Call, tainted: set[str] | frozenset[str], request: Optional[ast.Call]) -> set[str]:
    """The parameters of `fn` that call `at` hands the model's response (a name of `tainted`, or the
    request itself), and the locals `fn` computes from them."""
    args = getattr(fn, "args", None)
    if args is None:
        return set()
    params = [a.arg for a in (*args.posonlyargs, *args.args)]
    if params and params[0] in ("self", "cls") and isinstance(at.func, ast.Attribute):
        params = params[1:]

    def response(e: ast.AST) -> bool:
        return any(x is request or _name(x) in tainted for x in ast.walk(e))

    fed: set[str] = set()
    for i, a in enumerate(at.args):
        if isinstance(a, ast.Starred) and response(a):
            fed.update(params)
        elif i < len(params) and response(a):
            fed.add(params[i])
    for k in at.keywords:
        if response(k.value):
            fed.update([k.arg] if k.arg else [*params, *(a.arg for a in args.kwonlyargs)])
    assigns = [n for n in walk_local(getattr(fn, "body", [])) if isinstance(n, ast.Assign)]
    for _ in range(3):
        before = len(fed)
        for n in assigns:
            if any(_name(x) in fed for x in ast.walk(n.value)):
                fed.update(x for t in n.targets for x in _bound(t))
        if len(fed) == before:
            break
    return fed


def _limit_test(test: ast.expr) -> bool:
    for n in ast.walk(test):
        if isinstance(n, ast.Compare) and any(isinstance(op, (ast.Gt, ast.GtE, ast.Lt, ast.LtE)) for op in n.ops):
            words = [_word(x) for x in ast.walk(n) if isinstance(x, (ast.Name, ast.Attribute))]
            if any(w and "token" not in w.lower() and LIMIT_ARG.search(w) for w in words):
                return True
    return False


def _verdict(v: Optional[ast.expr]) -> Optional[bool]:
    """`True`, `False`, or a tuple whose first item is one (`True, "reached max iterations"`): that value."""
    if isinstance(v, ast.Tuple) and v.elts:
        v = v.elts[0]
    return v.value if isinstance(v, ast.Constant) and isinstance(v.value, bool) else None


def _bound(target: ast.expr) -> Iterator[str]:
    """The names an assignment target binds or fills: `x`, `self.x`, each of a tuple's, and the container
    of an item (`self.messages[-1]["content"] = ...` fills `self.messages`, and rebinds no `self`)."""
    if isinstance(target, (ast.Tuple, ast.List)):
        for elt in target.elts:
            yield from _bound(elt)
    elif isinstance(target, ast.Starred):
        yield from _bound(target.value)
    elif isinstance(target, ast.Subscript):
        yield from _bound(target.value)
    elif isinstance(target, ast.Attribute) and not isinstance(target.value, ast.Name):
        yield from _bound(target.value)  # `self.state.done = ...` fills `self.state`
    else:
        name = _name(target)
        if name:
            yield name


def _word(n: ast.AST) -> str:
    """The last word of a name or attribute as written (`self.state.max_turns`: "max_turns"), else ""."""
    return n.id if isinstance(n, ast.Name) else n.attr if isinstance(n, ast.Attribute) else ""


def _name(n: ast.AST) -> Optional[str]:
    if isinstance(n, ast.Name):
        return n.id
    if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name):
        return f"{n.value.id}.{n.attr}"
    return None


def _reads(e: ast.AST, tainted: set[str], call: ast.Call) -> bool:
    return any(n is call or (_name(n) in tainted) for n in ast.walk(e))


def _others(e: ast.expr, tainted: set[str]) -> bool:
    """Does the `while` test read a name that is not the model's output (a flag set elsewhere)?"""
    return any(isinstance(n, ast.Name) and n.id not in tainted and n.id not in ("True", "False", "None")
               and not any(t.startswith(n.id + ".") for t in tainted)
               for n in ast.walk(e) if not isinstance(getattr(n, "ctx", None), ast.Store))


def _counters(loop: ast.While, ops: tuple[type, ...] = (ast.Add, ast.Sub)) -> set[str]:
    """Names and `self.x` attributes the loop increases or decreases (`n += 1`, `n = n + 1`); `ops`:
    only those changed by these operators (`(ast.Add,)`: increased)."""
    out: set[str] = set()
    for n in walk_local(loop.body):
        if isinstance(n, ast.AugAssign) and isinstance(n.op, ops):
            name = _name(n.target)
            if name:
                out.add(name)
        elif isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.value, ast.BinOp) and \
                isinstance(n.value.op, ops):
            name = _name(n.targets[0])
            if name and any(_name(x) == name for x in ast.walk(n.value)):
                out.add(name)
    return out


def _caps(test: ast.expr, rising: set[str]) -> bool:
    """`k < N`, `k <= N` (or `N > k`, `N >= k`) on a counter the loop increments: an upper limit."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    left, op, right = test.left, test.ops[0], test.comparators[0]
    if isinstance(op, (ast.Gt, ast.GtE)):
        left, right, op = right, left, ast.Lt()
    return isinstance(op, (ast.Lt, ast.LtE)) and _name(left) in rising and _name(right) not in rising


def _grown(loop: ast.While) -> set[str]:
    """Collections the loop adds to on its turns (`new_events.extend(batch)`, `seen.append(x)`): a test of
    their `len(...)` against a number counts turns, like a counter (`if len(new_events) > 100: raise`)."""
    out: set[str] = set()
    for n in walk_local(loop.body):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and \
                n.func.attr in ("append", "extend", "insert", "add", "appendleft"):
            name = _name(n.func.value)
            if name:
                out.add(f"len({name})")
    return out


def _shrunk(loop: ast.While) -> set[str]:
    """Collections the loop takes from on its turns (`history = history[1:]`, `history.pop(0)`, `del
    history[0]`): a test of its size or emptiness (`if len(history) == 0: raise`, `if not history: raise`)
    ends the loop once it is empty, a bound as a counter is (a retry that drops the oldest message after
    each too-long request); a test of its items (`messages[-1]`) is no bound. A pop counts only from a
    sequence (no argument or an integer index, not `opts.pop('stream', None)`), a slice only when it
    drops from the front; and a collection the loop also refills (appends to, stores into, `+=`, or
    binds anew, as to the model's new task list) is no bound, whatever it takes."""
    out: set[str] = set()
    for n in walk_local(loop.body):
        name = None
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and _front_dropped(n.value) and \
                _name(n.value.value) == _name(n.targets[0]):
            name = _name(n.targets[0])
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in ("pop", "popleft") \
                and not n.keywords and (not n.args or (len(n.args) == 1 and _int(n.args[0]))):
            name = _name(n.func.value)
        elif isinstance(n, ast.Delete):
            name = next((_name(t.value) for t in n.targets if isinstance(t, ast.Subscript)), None)
        if name:
            out |= {f"len({name})", f"not {name}"}
    refilled = _refilled(loop)
    return {k for k in out if k.split("(", 1)[-1].rstrip(")").removeprefix("not ") not in refilled}


def _int(e: ast.expr) -> bool:
    if isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.USub):
        e = e.operand
    return isinstance(e, ast.Constant) and type(e.value) is int


def _front_dropped(e: ast.expr) -> bool:
    """`x[1:]`: a slice that drops items from the front only (not `x[-10:]`, which keeps a window)."""
    return isinstance(e, ast.Subscript) and isinstance(e.slice, ast.Slice) and e.slice.upper is None and \
        e.slice.step is None and isinstance(e.slice.lower, ast.Constant) and type(e.slice.lower.value) is int \
        and e.slice.lower.value > 0


def _refilled(loop: ast.While) -> set[str]:
    """Names the loop adds to (`append`, `extend`, `x[k] = v`, `x += ...`) or binds to anything but a
    front-dropping slice of itself."""
    out: set[str] = set()
    for n in walk_local(loop.body):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in (
                "append", "extend", "insert", "add", "appendleft", "extendleft", "update", "setdefault"):
            out.add(_name(n.func.value) or "")
        elif isinstance(n, ast.AugAssign):
            out.add(_name(n.target) or "")
        elif isinstance(n, (ast.Assign, ast.AnnAssign)):
            for t in (n.targets if isinstance(n, ast.Assign) else [n.target]):
                if isinstance(t, ast.Subscript):
                    out.add(_name(t.value) or "")
                elif not (n.value is not None and _front_dropped(n.value) and _name(n.value.value) == _name(t)):
                    out |= {_name(x) or "" for x in ast.walk(t) if isinstance(x, (ast.Name, ast.Attribute))}
    return out


def _bounded(e: ast.expr, counters: set[str]) -> bool:
    if isinstance(e, ast.Name) and f"not {e.id}" in counters:
        return True  # `if history:` on a collection the loop takes from
    for n in ast.walk(e):
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.Not) and f"not {_name(n.operand)}" in counters:
            return True  # `if not history: raise`: emptied by the loop
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "len" and len(n.args) == 1 \
                and f"len({_name(n.args[0])})" in counters:
            return True  # the size of a collection the loop grows
        name = _name(n)
        if name and (name in counters or BOUND_NAME.search(name.rsplit(".", 1)[-1])):
            return True
        if isinstance(n, ast.Attribute) and BOUND_NAME.search(n.attr):
            return True
        if isinstance(n, ast.Call) and isinstance(n.func, (ast.Name, ast.Attribute)):
            fname = n.func.id if isinstance(n.func, ast.Name) else n.func.attr
            if fname in ("time", "monotonic", "perf_counter"):
                return True  # a clock compared with something: a time budget
    return False
