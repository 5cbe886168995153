"""TKL205 premium-model-for-small-task."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Optional

from tokenlint.rules.base import Rule, RuleContext
from tokenlint.rules.floating_model_alias import at_call, catalogued, parse_date, shutdown_date, target_of

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import ModelCatalog, ModelInfo

PREMIUM = ("large", "frontier")  # the catalog's two upper tiers
SMALL_OUTPUT = 32  # tokens: a label, a yes / no, a number, a short name


class PremiumModelForSmallTask(Rule):
    """## What it does
    Finds requests to a model of the catalog's upper tiers (`large`, `frontier`: GPT-4o / GPT-6-sol
    and up, Claude Opus, Gemini Pro) whose output cap, written as a number, is at most 32 tokens:
    a label, a yes / no, a score or a short name. The model is the one that runs (a default, an
    environment variable's default, a fallback, every branch of a conditional); on LangChain /
    LlamaIndex, a cap on the model constructor is reported there, and a request that caps its own
    output (`llm.bind(max_tokens=5).invoke(...)`) is reported at the request, with its binding's model. The message names the newest `small`-tier model
    of the same provider in the catalog that is not retiring within `retirement-warning-days`.
    Tiers are catalog data (`tokenlint/catalog/models.toml`, from list prices). A call whose
    feature declares its tiers (`[tool.tokenlint.features.<name>] tiers = [...]`) is left to TKL204;
    a model whose name is not known here (configuration, an environment variable without a default)
    is not judged, nor an output cap that is not a number written in the code.

    ## Why is this bad?
    A classification or routing step rarely needs the largest model: the small tier of the same
    provider costs a tenth to a thirtieth as much per token, and such steps run on every request
    (the "small model first, large model when needed" routing). On a short output most of the price
    is the prompt, billed at the premium rate.

    ## Example
    ```python
    client.chat.completions.create(model="gpt-6-sol", messages=messages, max_completion_tokens=3)
    ```

    ## Use instead
    ```python
    client.chat.completions.create(model="gpt-6-luna", messages=messages, max_completion_tokens=3)
    ```

    ## Fix safety
    No fix: whether the small model is good enough for the task is an evaluation, not a rewrite.

    ## Configuration
    `retirement-warning-days`: a small model retiring within it is not proposed. Declared feature
    tiers take precedence (TKL204).
    """

    code = "TKL205"
    name = "premium-model-for-small-task"
    message = "Model '{model}' ({tier} tier) writes at most {tokens} tokens here: a small task{cheaper}"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        catalog = ctx.models
        if catalog is None:
            return
        declared = {name for name, spec in ctx.features if getattr(spec, "tiers", ())}
        # a framework request counts its own cap (`llm.bind(max_tokens=5)`, `invoke(..., max_tokens=5)`)
        # on its binding's model; a cap on the constructor is judged at the binding, once
        for site, ref, info, target in catalogued(sites, catalog, requests=True):
            tier = info.tier or (target.tier if target is not None else None)
            if ref.implicit or tier not in PREMIUM or site.output_tokens is None:
                continue
            if site.output_tokens > SMALL_OUTPUT or (site.feature and site.feature in declared):
                continue
            small = _small_model(catalog, info.provider, ctx)
            cheaper = f"; the catalog's small tier for {info.provider} is '{small}'" if small else ""
            yield at_call(self, site, model=ref.written, tier=tier, tokens=str(site.output_tokens), cheaper=cheaper)


def _small_model(catalog: "ModelCatalog", provider: str, ctx: RuleContext) -> Optional[str]:
    """The newest small-tier model of `provider` that is neither retired nor retiring soon."""
    best: Optional["ModelInfo"] = None
    for m in catalog.models.values():
        if m.provider != provider or m.tier != "small" or m.retired or m.kind not in ("snapshot", "alias"):
            continue
        retires = shutdown_date(m, target_of(catalog, m))
        if retires is not None and (retires - ctx.today).days <= ctx.retirement_warning_days:
            continue
        if best is None or (parse_date(m.released) or parse_date("1970-01-01")) > (
                parse_date(best.released) or parse_date("1970-01-01")):  # type: ignore[operator]
            best = m
    return best.id if best is not None else None
