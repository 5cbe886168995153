"""TKL303 system-prompt-not-first."""

from __future__ import annotations

from typing import Iterable

from tokenlint.rules.base import Rule, RuleContext


class SystemPromptNotFirst(Rule):
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

    code = "TKL303"
    name = "system-prompt-not-first"
    message = "The {role} message is not the first message"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        return ()
