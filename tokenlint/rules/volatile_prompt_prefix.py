"""TKL302 volatile-prompt-prefix."""

from __future__ import annotations

from typing import Iterable

from tokenlint.resolve.prompts import is_chat
from tokenlint.resolve.volatile import caller_values, volatile_values
from tokenlint.rules.base import Rule, RuleContext


class VolatilePromptPrefix(Rule):
    """## What it does
    Finds a per-request value interpolated into the system prompt or the tool definitions: the
    current time (`datetime.now()`, `time.time()`, `time.strftime("%H:%M")`, `.isoformat()`), a
    fresh id (`uuid.uuid4()`), anything from `random` or `secrets`, and variables named like
    `request_id`, `req_id`, `trace_id`, `session_id` or `timestamp`. The value is reported where
    it enters the prompt, also when the prompt or the value is built in a variable first (an
    addition with `system += ...` included), when the request takes its system prompt from a
    `**params` dict built for it (`params["system"] = ...`), when the system message opens a list concatenated
    with the history (`[{"role": "system", ...}] + history`), built by a project function or built in
    steps (`messages = []`, then `messages.append({"role": "system", ...})`), and
    when it is the system prompt an agent builder was handed (`create_agent(...,
    system_prompt=...)`). A LangChain / LlamaIndex prompt template's `{name}`
    field counts when it is filled with such a value (at `chain.invoke({...})`,
    `prompt.format(...)`, `.partial(name=...)` -- a callable partial runs on every request -- or
    `partial_variables`) and comes before at least the model's cache minimum of static text.

    The prompt is also read as TKL301 reads it (the resolver's pieces of the prompt that opens
    the cached prefix): through project functions that build it (`build_prompt(...)` returning
    `HEADER.format(now=datetime.now()) + SCHEMA`), `.format` fields of module constants and
    helpers that return the value (`today=get_today_str()`, reported where the helper is called).
    A request with no system prompt starts its cached prefix with its first message: a value
    there is reported when at least the model's cache minimum of static text follows it (a date
    after the instructions, or in a later message, is not). A value computed once at import, also
    by a project function called at module level, is not per-request. Nor is the clock read to the
    day (`date.today()`, `now.strftime("%Y-%m-%d")`, `f"{now:%A %d %B}"`, `now.year`, a helper
    returning one): a date changes once a day, while a cache entry lives minutes to an hour
    (Anthropic 5 minutes or 1 hour, OpenAI minutes, up to 24 hours with extended retention), so it
    costs at most one cache write a day; TKL301 reads it as static text.

    A value matters where the prefix behind it would otherwise be reused from one request to the
    next. A value written in the request's function before the loop the request runs in
    (`shots = random.sample(examples, 5)`, or `now = datetime.now()`, then `for step in
    range(max_steps): completion(messages=messages)`) is the same on every request of that loop (an
    episode, a session): one cache write per loop, then hits; not reported. In a first message the
    static text that counts is what follows the value up to the next dynamic part (`f"[{uuid4()}]
    Task: {task}\\n{RULES}"`: the per-call task ends the reused prefix anyway, the id costs nothing
    more: a dynamic part is read as the call's own text when its name says so, `task`, `question`,
    `summary`, `document`, `context`, ...), while other dynamic parts are passed over (`{workspace}`,
    `{user_name}`: the same on every call for one workspace or user); in a system prompt all of it
    counts, the conversation following it.

    ## Why is this bad?
    Tools and the system prompt (or, without one, the first message) are the head of the cached
    prefix. A value that changes on every request there makes every request a cache miss (and,
    with explicit caching, a cache write at a premium), so the whole prompt is paid at the full
    input price each time.

    ## Example
    ```python
    system = f"{INSTRUCTIONS}\\n\\nCurrent time: {datetime.now():%H:%M}"
    messages = [{"role": "user", "content": question}]
    ```

    ## Use instead
    ```python
    system = INSTRUCTIONS
    messages = [{"role": "user", "content": f"Current time: {datetime.now():%H:%M}\\n\\n{question}"}]
    ```

    ## Fix safety
    No fix: where the value should go (the last user message, a tool result, nowhere) is a
    product decision.

    ## Configuration
    None. Values a module computes once at import (`STARTED = datetime.now()`) are not reported.
    """

    code = "TKL302"
    name = "volatile-prompt-prefix"
    message = "Per-request value {value} in the {where} changes the cached prefix on every call"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        for s in sites:
            if s.kind == "wrapper" and s.arguments and is_chat(s, wrappers=True):
                for node, value, ms, where in caller_values(s, ctx.models):  # the caller's argument
                    yield self.finding_at(ms, node, s, None, value=value, where=where)
                continue
            if not is_chat(s):
                continue
            # too deep to follow: RecursionError reaches the file's analysis (TKL000), never a finding lost
            for node, value, ms, where in volatile_values(s, ctx.models):
                yield self.finding_at(ms, node, s, None, value=value, where=where)
