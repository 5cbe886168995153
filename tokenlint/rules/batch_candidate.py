"""TKL401 batch-candidate."""

from __future__ import annotations

import ast
from typing import Iterable, Optional

from tokenlint.resolve.scope import binding_of
from tokenlint.rules.base import Rule, RuleContext


class BatchCandidate(Rule):
    """## What it does
    Finds synchronous, non-streaming LLM calls made one by one in a loop or a comprehension over
    data, in code that does not serve a request: scripts, modules run as `__main__`, background
    jobs and tasks, CLI commands. The message names the provider's batch API and its discount.

    It counts as offline code when the file lives under `scripts/`, `jobs/`, `tasks/`, `bin/`,
    `notebooks/` or `management/commands/` (or is a `tasks.py`, `jobs.py` or `__main__.py`), when
    the module has an `if __name__ == "__main__":` block that does something (one holding only
    `pass` says nothing) or the loop is at module level (neither in a Streamlit app, whose script
    runs again for each click while its user waits), or
    when an enclosing function is a Celery / RQ / Dramatiq / Huey / Airflow / Prefect task or a Click / Typer command.
    It never fires inside request handlers: functions decorated as routes (`@app.get`,
    `@router.post`, `@app.route`, ...), Django views (`def view(request, ...)`), functions taking or
    used as FastAPI dependencies. A call of your own wrapper in such a loop counts like a direct
    call, and so does a request on a LangChain / LlamaIndex model (`llm.invoke(doc)`), judged by the
    provider of the model it runs on. A wrapper that makes more than one request per call (a
    pipeline: draft then review, an agent run, a request in a loop of its own) is not reported:
    counted on its longest path, with branches of an `if` as alternatives (so are the classes or
    functions of a registry a call may run: `MAKERS[kind](model).describe(item)` with one two-step
    class among them is a pipeline) and a wrapper called
    inside it counting its own requests (a loop that returns counts once, as a retry, unless it hands
    an answer to its next request: `messages.append(reply)` until the reply holds the answer is an
    agent's turns), each item needs several requests that usually feed each
    other, which one batch submission cannot hold (its single requests, when in a loop of their own,
    are judged where they are written).

    Loops that are not over data are left alone: `while` loops (agents, polling), loops that ask
    someone at each item (`input(...)` in the body: an interactive review), loops over a model
    answer's tool calls or content blocks (`for call in response.choices[0].message.tool_calls`,
    `response.content` of a request made in the function: an agent's turn), and loops where
    each call reads a value the previous call produced (a conversation, an iterative refinement,
    a plan whose answers add the next steps). A `while` loop that takes its next item off a queue
    each time round (`job = jobs.get()`, `doc = pending.pop()`, Redis `blpop`) is a worker over
    data and counts. Retry loops (`for attempt in range(3)`, `while True: try: ... break`) and
    fallback loops that stop at the first success (`for key in api_keys: r = post(...); try: return
    parse(r)`: a `return` or `break` on the straight path after the call, not under an `if`) are
    looked through: the loop around them decides, and so are loops whose request reads nothing the
    loop changes (`for _ in range(3): ask(QUESTION)`, a timing or caching demo; a loop over back-ends
    sending the same question to each): one request sent again, not a pass over data. A data loop
    with a conditional stop (`if len(out) >= limit: break`) still counts. A request is reported only
    when a provider it may reach has a batch API that takes its kind of request in the catalog
    (`[batch.<provider>]`, with the APIs it takes and a source): without one there is no cheaper way
    to run the job to point at (Cohere chat, a provider tokenlint does not know, a paid hosted AI
    service that is not an LLM: DeepL or Amazon Translate, Polly, Textract). The provider is the one
    whose servers answer: an OpenAI client aimed at another provider's host (`base_url=
    "https://api.lingyiwanwu.com/v1"`, Yi) is judged by that provider's batch API, not OpenAI's. A
    request on several providers, chosen at run time, is reported when one of them has a batch API,
    and the message names the batch API of each that has one and says which have none. Nor is a loop in an
    evaluation framework's evaluator callback (a function annotated to return, or returning, LangSmith's
    `EvaluationResult(s)`, ragas' `MetricResult`...; catalog `evaluator_results`, imported from that
    framework: a project's own class of the name is no sign): the runner hands it one example and waits
    for its score, so its loop over that example's few items (the tool calls of one answer) is no pass
    over data a batch could take; the runner's loop over the dataset is the runner's. A loop over a
    summary evaluator's dataset parameters (`for run, example in zip(runs, examples)`; catalog
    `evaluator_datasets`) is a pass over data and judged as before. Nor is a request to a model server the user runs
    (a client aimed at a loopback or private base URL or given a dummy API key, the same test as
    TKL501's, including a client built so and handed to the project function that makes the
    request): it bills nothing, and no batch API serves it.

    ## Why is this bad?
    Offline work does not need an answer within seconds. The providers' batch APIs take the same
    requests as a file or a list, return within 24 hours, and charge half the price (OpenAI,
    Anthropic, Gemini, Mistral; Bedrock for many models); they also have their own, higher rate
    limits, so the job stops fighting the online traffic for quota.

    ## Example
    ```python
    if __name__ == "__main__":
        for ticket in tickets:
            summary = client.messages.create(model=MODEL, max_tokens=300, messages=[
                {"role": "user", "content": ticket.text}])
    ```

    ## Use instead
    ```python
    if __name__ == "__main__":
        batch = client.messages.batches.create(requests=[
            {"custom_id": str(t.id), "params": {"model": MODEL, "max_tokens": 300, "messages": [
                {"role": "user", "content": t.text}]}}
            for t in tickets
        ])
    ```

    ## Fix safety
    No fix: moving to a batch API changes how results come back (asynchronously, by id).

    ## Configuration
    None. Batch APIs, the call types they accept and their discounts are catalog data
    (`[batch.<provider>]` in `tokenlint/catalog/sdks.toml`).
    """

    code = "TKL401"
    name = "batch-candidate"
    message = "Synchronous {provider} {api} call in a loop of an offline job: {batch}"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        cache: dict = {}
        # the module's request calls, as the resolver found them: a loop over one's answer is an agent turn
        cache["requests"] = frozenset(s.node for s in sites if s.spends and s.node is not None)
        for s in sites:
            if not s.spends or s.removed or s.is_async or s.stream or not s.in_loop or s.node is None or s.scope is None:
                continue
            if s.self_hosted:
                continue  # a server the user runs (a client aimed at localhost, a dummy key): no bill to halve
            if s.requests > 1:
                continue  # a call of a pipeline: several requests per item, not one batchable request
            # the provider whose servers answer: an OpenAI client aimed at another provider's host (Yi's
            # api.lingyiwanwu.com) is that provider's, whose batch API (if any) is what could take the job
            providers = (s.serving,) if s.serving else (s.providers or (s.provider,))
            entries = {p: ctx.batch.get(p) for p in providers}
            batchable = _framework_batchable if s.kind == "request" else _batchable
            if not any(batchable(s.api, e) for e in entries.values() if e):
                continue  # no provider it may reach has a batch API the catalog knows for it: no advice to give
            provider = s.serving or s.provider_label
            if not _offline(s, source, cache):
                continue
            if _evaluator(s, ctx.evaluator_results, ctx.evaluator_datasets, cache):
                continue  # scores one example and returns to its runner at once: its few items are no data pass
            if not _data_loop(s, cache):
                continue
            yield self.finding(s, provider=provider, api=s.api, batch=_advice(entries, s.api, batchable))


def _batchable(api: str, entry: Optional[dict]) -> bool:
    """The provider's batch API (catalog `[batch.<provider>]`) takes requests of `api`."""
    return bool(entry) and api in entry.get("apis", ())  # type: ignore[union-attr]


def _framework_batchable(api: str, entry: Optional[dict]) -> bool:
    """A request on a framework chat model or LLM is a chat request to its provider, whose batch API
    takes it when the provider has one; an embeddings request when that API takes embeddings."""
    if not entry or not entry.get("apis"):
        return False
    return "embeddings" in entry["apis"] if api == "embeddings_model" else True


def _advice(entries: dict[str, Optional[dict]], api: str, batchable=_batchable) -> str:  # type: ignore[no-untyped-def]
    """The batch API of the one provider, or, for a request on several (OpenAI or Azure OpenAI, chosen at
    run time), the batch API of each that has one taking `api`, and those that have none."""
    if len(entries) == 1:
        return _one_api(next(iter(entries.values())) or {})
    has = [p for p, e in entries.items() if batchable(api, e)]
    missing = "|".join(p for p in entries if p not in has)
    each = "; ".join(f"on {p}, {_one_api(entries[p] or {})}" for p in has)
    return f"no batch API for {missing} in tokenlint's catalog; {each}" if missing else each


def _one_api(entry: dict) -> str:
    discount = entry.get("discount")
    if isinstance(discount, (int, float)) and 0 < discount < 1:
        return f"its batch API costs {round((1 - discount) * 100)}% less: {entry.get('api', '')}"
    return f"consider its batch API: {entry.get('api', '')}"


# ------------------------------------------------------------------ offline code, request handlers

_JOB_DIRS = ("scripts/", "jobs/", "tasks/", "bin/", "notebooks/", "notebook/", "management/commands/")
_JOB_FILES = ("tasks.py", "jobs.py", "__main__.py")
# last name of a decorator that makes a function a job, a task or a CLI command
_JOB_DECORATORS = frozenset({"task", "shared_task", "periodic_task", "db_task", "actor", "job", "dag", "flow",
                             "command", "group", "cron"})
# last name of a decorator that makes a function a request handler
_ROUTE_DECORATORS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "route", "api_route",
                               "websocket", "api_view", "action", "view_config", "require_http_methods",
                               "require_GET", "require_POST", "csrf_exempt", "login_required", "endpoint",
                               "middleware", "exception_handler", "on_event", "before_request", "after_request"})
_VIEW_BASES = ("View", "APIView", "ViewSet", "MethodView", "Resource", "Handler", "Endpoint", "Consumer")
# packages whose apps are scripts run again from the top for each user interaction (docs.streamlit.io
# "Main concepts: data flow": the whole script reruns whenever a widget changes; checked 2026-12-07)
_UI_SCRIPT_PACKAGES = ("streamlit",)
_HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "list", "create",
                           "retrieve", "update", "partial_update", "destroy", "dispatch"})


def _dec_name(d: ast.expr) -> str:
    if isinstance(d, ast.Call):
        d = d.func
    if isinstance(d, ast.Attribute):
        return d.attr
    if isinstance(d, ast.Name):
        return d.id
    return ""


def _functions(scope) -> list:  # type: ignore[no-untyped-def]
    """The enclosing function and class scopes, innermost first."""
    out = []
    sc = scope
    while sc is not None and sc.kind != "module":
        out.append(sc)
        sc = sc.parent
    return out


def _offline(site, source, cache: dict) -> bool:  # type: ignore[no-untyped-def]
    scopes = _functions(site.scope)
    deps = _dependency_names(site.scope.module, cache)
    for sc in scopes:
        if _is_handler(sc, deps):
            return False
    path = "/" + source.relpath
    if any(f"/{d}" in path for d in _JOB_DIRS) or path.rsplit("/", 1)[-1] in _JOB_FILES:
        return True
    # a Streamlit app runs again from the top on each widget interaction, while its user waits (a page
    # serving a request), also through `if __name__ == "__main__": main()`: neither test says script there
    page = any(site.scope.module.imports(p) for p in _UI_SCRIPT_PACKAGES)
    if site.scope.module.has_main_guard and not page:
        return True
    if not any(sc.kind == "function" for sc in scopes):
        return not page  # a loop at module level runs when the file runs: a script
    for sc in scopes:
        node = sc.node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                any(_dec_name(d) in _JOB_DECORATORS for d in node.decorator_list):
            return True
    return False


def _evaluator(site, results: frozenset, datasets: frozenset[str], cache: dict) -> bool:  # type: ignore[no-untyped-def]
    """The function holding the call is an evaluation framework's evaluator callback: annotated to return,
    or returning a call of, one of `results` imported from its framework (`-> EvaluationResults`, `return
    EvaluationResult(key=...)` with `from langsmith.evaluation import EvaluationResult`; catalog
    `evaluator_results`), and the call sits in no loop over a parameter holding the dataset (a summary
    evaluator's `runs`, `examples`: catalog `evaluator_datasets`). The runner hands it one example and
    waits for its score."""
    sc = next((x for x in _functions(site.scope) if x.kind == "function"), None)
    node = sc.node if sc is not None else None
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or not results:
        return False
    marked = node.returns is not None and any(_result_class(n, sc, results) for n in ast.walk(node.returns))
    if not marked and not any(isinstance(n, ast.Return) and isinstance(n.value, ast.Call)
                              and _result_class(n.value.func, sc, results) for n in ast.walk(node)):
        return False
    params = {a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)} & datasets
    parents = _parents(node, cache)
    n = parents.get(site.node)
    while n is not None:
        iters = [n.iter] if isinstance(n, (ast.For, ast.AsyncFor)) else \
            [g.iter for g in n.generators] if isinstance(n, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)) \
            else []
        if any(isinstance(x, ast.Name) and x.id in params for it in iters for x in ast.walk(it)):
            return False  # `for run, example in zip(runs, examples)`: a pass over the dataset
        n = parents.get(n)
    return True


def _result_class(e: ast.AST, scope, results: frozenset) -> bool:  # type: ignore[no-untyped-def]
    """`EvaluationResult` imported by `from langsmith.evaluation import EvaluationResult` (or as an alias),
    or `ls.EvaluationResult` with `import langsmith.evaluation as ls`: a class of `results`, a set of
    (package, class name), imported from that package."""
    if isinstance(e, ast.Name):
        b = binding_of(e.id, scope)
        return b is not None and b[0] == "from" and b[1][0] == 0 and \
            (b[1][1].split(".")[0], b[1][2]) in results
    if isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name):
        b = binding_of(e.value.id, scope)
        return b is not None and b[0] == "import" and (str(b[1]).split(".")[0], e.attr) in results
    return False


def _is_handler(sc, depends: frozenset[str]) -> bool:  # type: ignore[no-untyped-def]
    node = sc.node
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    if any(_dec_name(d) in _ROUTE_DECORATORS for d in node.decorator_list):
        return True
    if node.name in depends:
        return True  # used as a FastAPI dependency: Depends(get_summary)
    args = list(node.args.posonlyargs) + list(node.args.args)
    if sc.self_name and args:
        args = args[1:]
    if args and args[0].arg in ("request", "req"):
        return True  # Django / Starlette view signature
    defaults = list(node.args.defaults) + [d for d in node.args.kw_defaults if d is not None]
    if any(isinstance(d, ast.Call) and _dec_name(d.func) in ("Depends", "Security") for d in defaults):
        return True
    for a in list(node.args.args) + list(node.args.kwonlyargs):
        ann = a.annotation
        if isinstance(ann, ast.Subscript) and _dec_name(ann.value) == "Annotated" and any(
                isinstance(x, ast.Call) and _dec_name(x.func) in ("Depends", "Security")
                for x in ast.walk(ann.slice)):
            return True
    cls = sc.parent if sc.parent is not None and sc.parent.kind == "class" else None
    if cls is not None and node.name in _HTTP_METHODS and isinstance(cls.node, ast.ClassDef):
        for b in cls.node.bases:
            name = _dec_name(b)
            if name.endswith(_VIEW_BASES):
                return True
    return False


def _dependency_names(module, cache: dict) -> frozenset[str]:  # type: ignore[no-untyped-def]
    """Names of the functions a module passes to FastAPI's Depends(...) / Security(...)."""
    key = ("deps", id(module))
    got = cache.get(key)
    if got is None:
        names = set()
        for n in ast.walk(module.tree):
            if isinstance(n, ast.Call) and _dec_name(n.func) in ("Depends", "Security") and n.args:
                a = n.args[0]
                if isinstance(a, (ast.Name, ast.Attribute)):
                    names.add(_dec_name(a))
        got = cache[key] = frozenset(names)
    return got


# ------------------------------------------------------------------ is the loop over data?

def _parents(root: ast.AST, cache: dict) -> dict:
    key = ("parents", id(root))
    got = cache.get(key)
    if got is None:
        got = {}
        stack = [root]
        while stack:
            n = stack.pop()
            for c in ast.iter_child_nodes(n):
                if isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                    continue  # their own scopes
                got[c] = n
                stack.append(c)
        cache[key] = got
    return got


def _data_loop(site, cache: dict) -> bool:  # type: ignore[no-untyped-def]
    """Walk the loops around the call, innermost first: a `while` loop (but a queue worker's) or a
    loop that feeds each call's result into the next stops the search; a retry or fallback loop is
    looked through; a loop over data is the answer."""
    parents = _parents(site.scope.node, cache)
    call = site.node
    if call not in parents:
        return False
    child, n = call, parents.get(call)
    outside_comp = False  # the path came through the first generator's iterable: not in that loop
    while n is not None:
        if isinstance(n, ast.While):
            # agents, polling and retries: not data; a worker that takes the next item off a queue
            # each time round (`job = queue.get()`) is, unless each call reads the previous one's result
            in_body = child is not n.test and child not in n.orelse
            if in_body and _takes_from_queue(n, call, parents):
                return _for_loop(n, call, parents) is True
            if not (in_body and _is_retry(n, call, parents)):
                return False
            # a retry loop (`while True: try: ...; break`): look at the loops around it
        if isinstance(n, (ast.For, ast.AsyncFor)):
            if child is not n.iter and child not in n.orelse and child is not n.target:
                if _asks_user(n):
                    return False  # someone answers at each item (`input("continue?")`): interactive, not a job
                if _over_model_output(n, site.scope.node, cache):
                    return False  # the model's own tool calls: an agent turn, one answer per call, not data
                verdict = _for_loop(n, call, parents)
                if verdict is not None:
                    return verdict
        elif isinstance(n, ast.comprehension):
            comp = parents.get(n)
            outside_comp = child is n.iter and comp is not None and comp.generators[0] is n  # type: ignore
        elif isinstance(n, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            if not outside_comp:
                return True  # a comprehension over a collection
            outside_comp = False
        child, n = n, parents.get(n)
    return False


def _asks_user(loop: ast.For | ast.AsyncFor) -> bool:
    """The loop's body reads the terminal (`input(...)`): a person takes each item in turn."""
    return any(isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == "input"
               for stmt in loop.body for c in ast.walk(stmt))


# Where a model's answer keeps its tool calls and content blocks (`response.choices[0].message.tool_calls`,
# `response.content` of an Anthropic message, `candidates` of Gemini, `output` of a Responses call)
_TOOL_CALLS = frozenset({"tool_calls", "function_call"})
_ANSWER_PARTS = frozenset({"content", "choices", "candidates", "output"})
HOPS = 3


def _over_model_output(loop: ast.For | ast.AsyncFor, fn: ast.AST, cache: dict) -> bool:
    """The loop goes over a model answer's tool calls or content blocks (`for tool_use in tool_uses`
    with `tool_uses = [b for b in response.content if b.type == "tool_use"]` and `response =
    client.messages.create(...)`), read through the function's assignments: an agent executing
    the model's requests, each answered in turn, not a collection a batch could take."""
    requests = cache["requests"]
    assigned = cache.get(("assigned", fn))
    if assigned is None:
        assigned = cache[("assigned", fn)] = _fillings(fn)
    exprs: list[ast.expr] = [loop.iter]
    seen: set[str] = set()
    for _ in range(HOPS):
        more: list[ast.expr] = []
        for e in exprs:
            for x in ast.walk(e):
                if isinstance(x, ast.Attribute) and x.attr in _TOOL_CALLS:
                    return True
                if isinstance(x, ast.Attribute) and x.attr in _ANSWER_PARTS and isinstance(x.value, ast.Name) \
                        and any(_unawaited(v) in requests for v in assigned.get(x.value.id, ())):
                    return True
                if isinstance(x, ast.Name) and x.id not in seen:
                    seen.add(x.id)
                    more += assigned.get(x.id, ())
        exprs = more
    return False


def _fillings(fn: ast.AST) -> dict[str, list[ast.expr]]:
    """Each local name of a function -> what it is bound to or filled with: assignments, loop targets
    (`for block in response.content`) and `append` / `extend` arguments (`tool_uses.append(block)`)."""
    assigned: dict[str, list[ast.expr]] = {}
    for n in ast.walk(fn):
        if isinstance(n, ast.Assign):
            for t in n.targets:
                if isinstance(t, ast.Name):
                    assigned.setdefault(t.id, []).append(n.value)
        elif isinstance(n, (ast.For, ast.AsyncFor)) and isinstance(n.target, ast.Name):
            assigned.setdefault(n.target.id, []).append(n.iter)  # `for block in response.content`
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in ("append", "extend") \
                and isinstance(n.func.value, ast.Name):
            assigned.setdefault(n.func.value.id, []).extend(n.args)  # `tool_uses.append(block)`
    return assigned


def _unawaited(e: ast.expr) -> ast.expr:
    return e.value if isinstance(e, ast.Await) else e


_MUTATORS = frozenset({"append", "extend", "insert", "update", "add", "appendleft", "setdefault", "add_message",
                       "add_messages"})


def _names_read(nodes: Iterable[ast.AST]) -> set[str]:
    return {n.id for e in nodes for n in ast.walk(e) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


# Methods that take the next item off a work queue: queue.Queue / asyncio.Queue / deque / list, and
# Redis blocking pops. `get` and `pop` count only without a key (dict.get(k) and dict.pop(k) do not).
_TAKE_BARE = frozenset({"get", "get_nowait", "pop", "popleft"})
_TAKE_ANY = frozenset({"blpop", "brpop", "blmove", "dequeue"})


def _takes(e: ast.expr) -> bool:
    if isinstance(e, ast.Await):
        e = e.value
    if not isinstance(e, ast.Call):
        return False
    f = e.func
    if isinstance(f, ast.Name):
        return f.id == "next"
    if not isinstance(f, ast.Attribute):
        return False
    if f.attr in _TAKE_ANY:
        return True
    return f.attr in _TAKE_BARE and all(isinstance(a, ast.Constant) and isinstance(a.value, bool) for a in e.args) \
        and all(k.arg in ("block", "timeout") for k in e.keywords)


def _takes_from_queue(loop: ast.While, call: ast.Call, parents: dict) -> bool:
    """Does the call read (through assignments earlier in the loop body) an item taken off a queue
    in this iteration?"""
    stmt: ast.AST = call
    while parents.get(stmt) is not loop:
        stmt = parents[stmt]
    if stmt not in loop.body:
        return False
    taken: set[str] = set()
    for st in loop.body[: loop.body.index(stmt) + 1]:
        for n in ast.walk(st):
            if isinstance(n, ast.Assign) and _takes(n.value):
                taken |= {t.id for tt in n.targets for t in ast.walk(tt) if isinstance(t, ast.Name)}
    return bool(taken & _reads(loop, call, loop.body.index(stmt)))


def _reads(loop: ast.For | ast.AsyncFor | ast.While, call: ast.Call, at: int) -> set[str]:
    """Names the call reads, expanded through assignments made earlier in the loop body."""
    reads = _names_read(list(call.args) + [k.value for k in call.keywords])
    changed = True
    while changed:
        changed = False
        for names, value, i in _assignments(loop.body):
            if i < at and names & reads:
                more = _names_read([value]) - reads
                if more:
                    reads |= more
                    changed = True
    return reads


def _assignments(body: list[ast.stmt]) -> list[tuple[set[str], ast.AST, int]]:
    """(names bound or mutated, value, index of the body statement) for each assignment in `body`."""
    assigns: list[tuple[set[str], ast.AST, int]] = []
    for i, st in enumerate(body):
        for n in ast.walk(st):
            if isinstance(n, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and getattr(n, "value", None) is not None:
                tgts = n.targets if isinstance(n, ast.Assign) else [n.target]
                names = {t.id for tt in tgts for t in ast.walk(tt) if isinstance(t, ast.Name)}
                assigns.append((names, n.value, i))  # type: ignore[arg-type]
            elif isinstance(n, ast.NamedExpr):
                assigns.append(({n.target.id}, n.value, i))
            elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in _MUTATORS \
                    and isinstance(n.func.value, ast.Name):
                assigns.append(({n.func.value.id}, n, i))  # history.append(reply): state for the next call
    return assigns


def _for_loop(loop: ast.For | ast.AsyncFor | ast.While, call: ast.Call, parents: dict) -> Optional[bool]:
    """True: a loop over data. False: each call depends on the previous one. None: a retry or
    fallback loop (look at the loops around it)."""
    stmt: ast.AST = call  # the statement of the loop body that holds the call
    while parents.get(stmt) is not loop:
        stmt = parents[stmt]
    body = loop.body
    at = body.index(stmt) if stmt in body else 0
    reads = _reads(loop, call, at)
    # loop-carried: assigned at or after the call's statement and read by the call
    carried: set[str] = set()
    for names, _value, i in _assignments(body):
        if i >= at:
            carried |= names
    if reads & carried:
        return False
    if isinstance(loop, ast.While):
        return True  # a queue worker: _takes_from_queue decided it is over data
    varying = {t.id for t in ast.walk(loop.target) if isinstance(t, ast.Name)}
    for names, _value, _i in _assignments(body):
        varying |= names
    if not reads & varying:
        # `for _ in range(3): ask(question)`, `for store in stores: init(store); ask(question)`: the same
        # request sent again (a timing or caching demo, repeated sampling), not a pass over data
        return None
    if _is_retry(loop, call, parents) or _leaves(body[at:]):
        # stops at the first success (`for key in keys: r = post(...); try: return parse(r)`):
        # a fallback over keys or endpoints, one request per run, nothing to batch
        return None
    return True


def _stops(stmts: list[ast.stmt]) -> bool:
    """A `break` of this loop (not of a nested one) or a `return` anywhere in its body."""
    stack: list[ast.AST] = list(stmts)
    while stack:
        n = stack.pop()
        if isinstance(n, ast.Return):
            return True
        if isinstance(n, ast.Break):
            return True
        for c in ast.iter_child_nodes(n):
            if isinstance(c, (ast.For, ast.AsyncFor, ast.While)):
                stack.extend(x for x in ast.walk(c) if isinstance(x, ast.Return))
            elif not isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                stack.append(c)
    return False


def _leaves(stmts: list[ast.stmt]) -> bool:
    """A `return` or `break` on the straight path through these statements (in a `try` or `with`
    body, not under an `if` or in an `except` handler): the loop never reaches its second item when
    the call succeeds. A conditional exit (`if len(out) >= limit: break`) leaves a data loop."""
    for st in stmts:
        if isinstance(st, (ast.Return, ast.Break)):
            return True
        if isinstance(st, ast.Try) and _leaves(st.body):
            return True
        if isinstance(st, (ast.With, ast.AsyncWith)) and _leaves(st.body):
            return True
    return False


def _is_retry(loop: ast.For | ast.AsyncFor | ast.While, call: ast.Call, parents: dict) -> bool:
    """A loop that stops at the first success: the call is returned, or it sits in a `try` in a
    loop that breaks or returns, or the loop counts attempts (`for attempt in range(3)`)."""
    in_try = in_return = False
    n = parents.get(call)
    while n is not None and n is not loop:
        if isinstance(n, (ast.For, ast.AsyncFor, ast.While)):
            in_try = False  # a try inside a nested loop retries that loop
        in_try = in_try or isinstance(n, ast.Try)
        in_return = in_return or isinstance(n, ast.Return)
        n = parents.get(n)
    if in_return:
        return True
    stops = _stops(loop.body)
    if in_try and stops:
        return True
    it = getattr(loop, "iter", None)  # a while loop has none
    counted = isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range" and not any(
        isinstance(a, ast.Call) and isinstance(a.func, ast.Name) and a.func.id == "len" for a in it.args)
    return counted and (in_try or stops)
