"""TKL204 model-tier-policy."""

from __future__ import annotations

from typing import Iterable

from tokenlint.rules.base import Rule, RuleContext
from tokenlint.rules.floating_model_alias import at_call, catalogued


class ModelTierPolicy(Rule):
    """## What it does
    Checks each call tagged with a feature that declares the model tiers it may use
    (`[tool.tokenlint.features.<name>] tiers = ["small"]`) against the tier of the model the call
    uses. Tiers (`small`, `medium`, `large`, `frontier`) are catalog data, assigned per provider
    from the list prices; an alias without a tier of its own takes its target's. A call whose model,
    feature or tier is unknown (a model from config or the environment, an id the catalog does not
    know, an Azure deployment name) is not reported: the rule never guesses.

    The finding sits at the call's model argument (or the call, when the model is a wrapper's
    default or an SDK default): the same constant may be right for one feature and wrong for another.

    ## Why is this bad?
    Routing is where most of an LLM bill is decided: a classification or autocomplete feature that
    quietly calls a frontier model costs ten to fifty times what its tier allows, and nobody notices
    until the invoice. A declared tier per feature turns that budget decision into a check in review.

    ## Example
    ```python
    # pyproject.toml: [tool.tokenlint.features.ticket-triage] tiers = ["small"]
    client.chat.completions.create(model="gpt-6.2-astra", messages=messages,
                                   metadata={"feature": "ticket-triage"})
    ```

    ## Use instead
    ```python
    client.chat.completions.create(model="gpt-6-luna", messages=messages,
                                   metadata={"feature": "ticket-triage"})
    ```

    ## Fix safety
    No fix: choosing a model of another tier is a product decision (quality, latency, price).

    ## Configuration
    `[tool.tokenlint.features.<name>] tiers = [...]`: the tiers a feature may use. A feature without
    `tiers` is not checked. `model-catalog`: a catalog file whose `tier` values replace the built-in
    ones (your own aliases and gateway router names can carry a tier there too).
    """

    code = "TKL204"
    name = "model-tier-policy"
    message = "Feature '{feature}' may use tiers {allowed}; '{model}' is {tier}"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        catalog = ctx.models
        policy = {name: spec.tiers for name, spec in ctx.features if spec.tiers}
        if catalog is None or not policy:
            return
        for site, ref, info, target in catalogued(sites, catalog):
            allowed = policy.get(site.feature or "")
            if not allowed:
                continue
            tier = info.tier or (target.tier if target is not None else None)
            if tier is None or tier in allowed:
                continue
            yield at_call(self, site, feature=site.feature or "", allowed=", ".join(allowed),
                          model=ref.written, tier=tier)
