"""TKL103 undeclared-feature."""

from __future__ import annotations

import difflib
from typing import Iterable

from tokenlint.rules.base import Rule, RuleContext
from tokenlint.rules.dynamic_feature_tag import tag_node


class UndeclaredFeature(Rule):
    """## What it does
    When the project declares its features (`[tool.tokenlint] features = [...]` or
    `[tool.tokenlint.features.<name>]` tables), finds feature tags whose value is not one of them,
    and names the closest declared feature when there is one. The finding is placed where the
    name is written when that is in the checked file (the literal in the call, the constant's
    assignment, the argument passed to a wrapper), else at the tag expression of the call (a
    constant imported from another module).

    Tags whose value is not known statically (parameters, environment, settings) are not checked;
    see TKL102 for per-request values.

    ## Why is this bad?
    A typo or an ad-hoc name (`"faq_bot"` next to `"faq-bot"`) silently splits one feature's
    spend across two rows of the cost report, and a feature nobody declared has no owner, no
    budget and no model-tier policy.

    ## Example
    ```python
    # pyproject.toml: [tool.tokenlint] features = ["faq-bot", "ticket-triage"]
    client.chat.completions.create(model=MODEL, messages=messages, metadata={"feature": "faq_bot"})
    ```

    ## Use instead
    ```python
    client.chat.completions.create(model=MODEL, messages=messages, metadata={"feature": "faq-bot"})
    ```

    ## Fix safety
    No fix: the closest name is a suggestion, and a new feature may need declaring instead.

    ## Configuration
    `features = ["name", ...]` or `[tool.tokenlint.features.<name>]` tables: the registry. The rule
    is silent when no registry is configured. `feature-key` (default `"feature"`): the tag key.
    """

    code = "TKL103"
    name = "undeclared-feature"
    message = "Feature '{feature}' is not declared in [tool.tokenlint.features]{hint}"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        names = sorted(ctx.feature_names())
        if not names:
            return
        for s in sites:
            if not s.spends or s.feature is None or s.feature in names:
                continue
            close = difflib.get_close_matches(s.feature, names, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            # where the name is written when that is in this file (a constant: reported once, at its
            # assignment), else the tag expression of the call: a file checked alone still shows it
            node = tag_node(s, source, ctx.feature_key)
            if node is not None:
                yield self.finding_at(source, node, s, feature=s.feature, hint=hint)
            else:
                yield self.finding(s, feature=s.feature, hint=hint)
