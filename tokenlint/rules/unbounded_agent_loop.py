"""TKL402 unbounded-agent-loop."""

from __future__ import annotations

from typing import Iterable

from tokenlint.resolve.caps import local_providers
from tokenlint.resolve.prompts import is_chat
from tokenlint.rules.base import Rule, RuleContext


class UnboundedAgentLoop(Rule):
    """## What it does
    Finds LLM requests made in a `while` loop that only the model's output ends: `while True:` left
    by a `break` / `return` under a condition on the response (`if not response.tool_calls: break`),
    or `while not done:` with `done` computed from it, where no way out reads an iteration counter
    (a name increased in the loop, or the `len()` of a collection the loop adds to: `if
    len(new_events) > 100: raise`) or a limit (`max_steps`, `budget`, `timeout`, ...). A request
    made through a project function (an agent's `step()`) is reported at that call in the loop.
    A loop is reported once, at its first request, the message naming how many requests one turn
    makes: every request in the loop runs on every turn, so when the output of one of them (the
    action) ends the loop, the others (planning, memory, reflection) are in the same unbounded loop.
    Retry loops (left when the request succeeds: `while ret is None: ret = client.create(...)`, `if
    ret: break` on the request's own result, or on that of another request of the loop chosen on a
    branch, `if thinking: ret = client.beta.messages.create(...)` / `else: ret =
    client.messages.create(...)`; including one whose only way out on the answer is
    a `raise` its own `try` catches: `if content is None: raise ValueError(...)` under
    `except Exception:`; through a project function that returns the request's response as is, `while
    ret is None: ret = make_request(...)`, too, also through a name it binds only to that response,
    `response = client.models.generate_content(...)` then `return response`), loops asking a person on every turn (`if not typer.confirm("Retry?"):
    return` in the loop's body with no `continue`; the calls that ask are catalog data, sdks.toml
    `person_prompts`), worker and REPL loops (no way out: each turn waits for new input) and `for`
    loops are not reported; nor is a queue worker whose way out reads
    a name the same turn set afresh from something other than the model (`item = queue.get()`, then
    `if item is None: break`), even when the name is later reused for a request's result: its input
    bounds it. A name set only on some turns may still carry the model's previous answer: reported.
    Nor is a loop that repeats a project function on a person's answer (`while again: again =
    self.drafting(topic)`, where `drafting` returns `False` or what `self.confirm(...)` read with
    `input()`): the person, not the model, decides each further turn.
    Nor is a loop that turns again only when a hook or callback says so (`after =
    self.hooks.invoke_callbacks(AfterEvent(result=r))`, then `messages = after.resume` or `None`): the
    code registered there decides, even when handed the response (a dispatcher is known by its name as
    written: `hook`, `callback`). A way out on the answer of a call handed a limit (`go, why =
    state.should_continue(max_handoffs=self.max_handoffs, timeout=...)`, then `if not go: break`) is a
    bound, like the limit itself (a token cap, `max_tokens=`, bounds one answer, not the turns); so is
    the answer of a completion check the loop calls, a function of the module or method of the class
    (`done, why = self._check_stage_completion(stage)`, `if finished(state): break`) that returns its
    verdict under a test of a limit (`if len(journal.nodes) >= stage.max_iterations: return True,
    "reached max iterations"`), even when it also asks the model: the bound lives in the check. Only
    when that verdict is the one the loop leaves on (`return False` under the limit, then `if
    check(r): break`, keeps it turning) and the compared quantity is not the model's answer (`if
    len(answer.split()) > MAX_WORDS` on the response the loop hands in is the model's say).
    A loop whose every request goes to a model server the user runs (Ollama, LM Studio, vLLM, or a
    client aimed at a loopback or private address, a dummy API key; the same test as TKL501's) is not
    reported: the rule is about spend, and such a server bills nothing; the time or the electricity a
    runaway loop burns there is the user's own, in plain view. A loop where any request goes to a
    hosted model is reported as before.

    ## Why is this bad?
    An agent that keeps calling tools, or a model that never answers in the expected shape, turns
    the loop into a bill with no ceiling: every turn resends the growing conversation, so the cost
    of a runaway grows with the square of its length. A step or budget bound makes the worst case
    a number you chose.

    ## Example
    ```python
    while True:
        response = client.chat.completions.create(model=MODEL, messages=messages, tools=tools)
        if not response.choices[0].message.tool_calls:
            break
        messages += run_tools(response)
    ```

    ## Use instead
    ```python
    for _ in range(MAX_STEPS):
        response = client.chat.completions.create(model=MODEL, messages=messages, tools=tools)
        if not response.choices[0].message.tool_calls:
            break
        messages += run_tools(response)
    ```

    ## Fix safety
    No fix: the right bound (steps, tokens, money, time) and what to do when it is reached are the
    application's decision.

    ## Configuration
    None.
    """

    code = "TKL402"
    name = "unbounded-agent-loop"
    message = "LLM request in a loop that only the model's output ends ({requests} per turn): no step or budget bound"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        loops: dict[tuple, list] = {}  # one finding per loop, at its first request
        for s in sites:
            if s.loop == "unbounded" and not s.removed and is_chat(s, wrappers=True):  # not embeddings, rerank pages
                loops.setdefault((s.path, s.loop_at) if s.loop_at else (s.path, s.line, s.column), []).append(s)
        for group in loops.values():
            if all(_local(s) for s in group):
                continue  # every request of the loop goes to a server the user runs: no bill to bound
            group.sort(key=lambda s: (s.line, s.column))
            n = len(group)  # a project function that may make more than one (a pipeline, a retry): "at least"
            more = "at least " if any(s.requests > 1 for s in group) else ""
            yield self.finding(group[0], requests=f"{more}{n} request{'s' if n > 1 else ''}")


def _local(s) -> bool:  # type: ignore[no-untyped-def]
    """The request goes to a model server the user runs (Ollama, LM Studio, a loopback base URL...)."""
    providers = s.providers or (s.provider,)
    return s.self_hosted or all(p in local_providers() for p in providers)
