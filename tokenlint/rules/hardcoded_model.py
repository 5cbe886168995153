"""TKL202 hardcoded-model."""

from __future__ import annotations

from typing import Iterable

from tokenlint.rules.base import Rule, RuleContext


class HardcodedModel(Rule):
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

    code = "TKL202"
    name = "hardcoded-model"
    message = "Model '{model}' is hardcoded at the call site"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        return ()
