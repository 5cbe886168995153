"""TKL301 dynamic-before-static-prompt."""

from __future__ import annotations

from typing import Iterable

from tokenlint.rules.base import Rule, RuleContext


class DynamicBeforeStaticPrompt(Rule):
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

    code = "TKL301"
    name = "dynamic-before-static-prompt"
    message = "Dynamic content comes before {chars} characters of static prompt text: it defeats prompt caching"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        return ()
