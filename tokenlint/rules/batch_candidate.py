"""TKL401 batch-candidate."""

from __future__ import annotations

from typing import Iterable

from tokenlint.rules.base import Rule, RuleContext


class BatchCandidate(Rule):
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

    code = "TKL401"
    name = "batch-candidate"
    message = "Synchronous {provider} {api} call in a loop of an offline job: {batch}"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        return ()
