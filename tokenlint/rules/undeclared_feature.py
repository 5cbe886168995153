"""TKL103 undeclared-feature."""

from __future__ import annotations

from typing import Iterable

from tokenlint.rules.base import Rule, RuleContext


class UndeclaredFeature(Rule):
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

    code = "TKL103"
    name = "undeclared-feature"
    message = "Feature '{feature}' is not declared in [tool.tokenlint.features]"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        return ()
