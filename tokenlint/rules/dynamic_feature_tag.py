"""TKL102 dynamic-feature-tag."""

from __future__ import annotations

from typing import Iterable

from tokenlint.rules.base import Rule, RuleContext


class DynamicFeatureTag(Rule):
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

    code = "TKL102"
    name = "dynamic-feature-tag"
    message = "Feature tag of {provider} {api} call is computed per request: {tag}"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        return ()
