"""TKL303 system-prompt-not-first."""

from __future__ import annotations

import ast
from typing import Iterable

from tokenlint.fixes import make_fix, span_edit
from tokenlint.resolve.prompts import system_message_position
from tokenlint.rules.base import Rule, RuleContext


class SystemPromptNotFirst(Rule):
    """## What it does
    Finds a literal messages list whose system (or developer) message is not its first element:
    after a user or assistant message, or after a `*history` unpacking. OpenAI-style role dicts,
    LangChain `SystemMessage(...)` and `("system", ...)` tuples count. LangChain request sites are
    read too: the list passed to `llm.invoke([...])` and the `ChatPromptTemplate.from_messages([...])`
    list a chain starts with. A `{"role": "system"}`
    message placed later in `messages` is reported for Anthropic too, where the system prompt
    belongs in the top-level `system=` argument.

    ## Why is this bad?
    Prompt caches match the request from its first token. The system prompt is the part that is the
    same on every request; behind the conversation history it starts at a different position each
    time, so it is never served from the cache. Models also give the instructions less weight.

    ## Example
    ```python
    messages = [*history, {"role": "system", "content": RULES}]
    ```

    ## Use instead
    ```python
    messages = [{"role": "system", "content": RULES}, *history]
    ```

    ## Fix safety
    Unsafe: the fix moves the system message to the front of the list literal, which changes the
    conversation the model sees. The other elements keep their order, and the layout and comments
    between elements stay where they are.

    ## Configuration
    None.
    """

    code = "TKL303"
    name = "system-prompt-not-first"
    message = "The {role} message is not the first message"
    fix_title = "Move the system message first"
    fix_safety = "unsafe"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        for s in sites:
            if s.kind not in ("direct", "request") or not s.spends:
                continue
            found = system_message_position(s)
            if found is None:
                continue
            elt, role, i, lst, scope = found
            if i and scope.module.source is source:
                yield self.finding_at(source, elt, s, _fix(source, lst, i), role=role)


def _fix(source, lst: ast.List | ast.Tuple, i: int):  # type: ignore[no-untyped-def]
    """Rotate elements 0..i: each slot takes the text of the element before it, so commas,
    line breaks and comments between elements stay in place."""
    elts = lst.elts[: i + 1]
    texts = [source.segment(e) for e in elts]
    if not all(texts):
        return None
    rotated = [texts[-1], *texts[:-1]]
    return make_fix("unsafe", "Move the system message to the front of the list",
                    *(span_edit(source, e, t) for e, t in zip(elts, rotated)))
