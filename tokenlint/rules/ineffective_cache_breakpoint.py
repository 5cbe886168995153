"""TKL304 ineffective-cache-breakpoint."""

from __future__ import annotations

from typing import Iterable

from tokenlint.rules.base import Rule, RuleContext


class IneffectiveCacheBreakpoint(Rule):
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

    code = "TKL304"
    name = "ineffective-cache-breakpoint"
    message = "Cache breakpoint cannot work: {reason}"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        return ()
