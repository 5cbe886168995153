"""TKL302 volatile-prompt-prefix."""

from __future__ import annotations

from typing import Iterable

from tokenlint.rules.base import Rule, RuleContext


class VolatilePromptPrefix(Rule):
    """## What it does
    (to be written)

    ## Why is this bad?
    (to be written)

    ## Example
    ```python
    pass
    ```

    ## Use instead
    ```python
    pass
    ```

    ## Fix safety
    (to be written)

    ## Configuration
    (to be written)
    """

    code = "TKL302"
    name = "volatile-prompt-prefix"
    message = "Per-request value {value} in the {where} changes the cached prefix on every call"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        return ()
