"""TKL203 retired-model."""

from __future__ import annotations

from typing import Iterable, Optional

from tokenlint.findings import Fix
from tokenlint.fixes import make_fix
from tokenlint.resolve.evidence import in_test_function, is_test_path
from tokenlint.rules.base import Rule, RuleContext
from tokenlint.rules.floating_model_alias import (
    ModelRef,
    at_call,
    copies,
    catalogued,
    exact_entry,
    rejects_new_parameters,
    replace_model,
    retirement,
    report_at,
    target_of,
)

class RetiredModel(Rule):
    """## What it does
    Finds calls whose model the catalog says is shut down, or shuts down within
    `retirement-warning-days` (90 by default) of today. The shutdown dates are catalog data
    (`tokenlint/catalog/models.toml`, from the providers' deprecation pages); an alias without a date
    of its own takes the date of the snapshot it points to. The message gives the date, the days left
    and the catalog's recommended successor when there is one.

    The finding sits where the model name is written (a constant, a wrapper's default, an
    environment variable's default, a fallback such as `return self._model or DEFAULT_MODEL`), once
    however many calls it reaches. A parameter's default that never runs is not reported: every
    call of the function in the project passes that argument, and the function is not used any
    other way (a callback, `__all__`; a call of another project class's own method of the same name on
    an object the module builds from that class, `model = OnnxRVC(...)` then `model.inference(wav)`, is
    no call of it; a call with `**kwargs` may leave it out unless it also gives the
    argument by name or the dict is built once in the calling function with that key written,
    `kwargs = dict(model=m)`; a function handed to a runner with its arguments, `pool.submit(f, a, m)`,
    `loop.run_in_executor(None, f, a, m)`, `asyncio.to_thread(f, a, m)`, is called with them, and a
    `fn = functools.partial(f, model=m)` then called as `fn(x)` in the same function passes `m`; a function
    nothing calls keeps its default, as code outside the project may call it, unless it is the constructor
    of an abstract class, built only as one of its subclasses, each of which hands the model on through
    `super().__init__(model=model)`). A subclass handing on a parameter of its own with a default
    (`def __init__(self, key, model="gpt-4-0613")`) runs that default, not the base's: the finding sits
    on the subclass's default, when some construction of the subclass leaves it out; one of a parameter
    named for a deployment (`deployment_id="gpt-35-turbo"`) names a deployment and is not judged. The same holds for a
    model object built in an `if model is None:` fallback for a parameter defaulting to None, and for
    one a function builds only to hand to a class whose object it then only saves (`lm = dspy.LM(...)`,
    `module = Decompose(lm)`, `module.save("program.json")`: nothing is asked of the model there;
    `dspy.configure(lm=lm)`, any other use of either name, or a project class whose `__init__` does more
    than store it, keeps it). A request
    on a client known only from a type annotation (`def ask(client: genai.GenerativeModel)`) is not
    judged for the SDK's default model: the client was built elsewhere, with whatever model its builder
    chose. A model a test function of a test file sends (`def test_review(): review(model="gpt-4.1")`)
    is not reported: it is the test's fixture, sent to a double, or by a live test that fails by itself
    once the model is gone. The project's test files are not read for those calls (their calls run against doubles), a
    type annotation naming the class is no use of it, nor is reading one of its own static members
    (`Provider.helper(x)`). A call that gives no model
    at all and relies on an SDK default that is retired (LangChain `ChatOpenAI()` sends
    `gpt-3.5-turbo`) is reported at the call. An Azure OpenAI `model=` (an `AzureOpenAI` client, a
    client or model object of any class given an `azure_endpoint=` / `azure_deployment=` written or read
    from the environment, or a base URL on an Azure OpenAI resource, `ChatOpenAI(base_url=...)` or
    `OpenAI(base_url=...)` whose host is `*.openai.azure.com` or, not written, read from a setting named
    azure such as `AZURE_OPENAI_ENDPOINT`: the same test as TKL201's; or the
    legacy module client after `openai.api_type = "azure"` in the module or a package above it) names
    a deployment, not a model, and is not judged. A legacy openai<1 request in a project that requires `openai>=1`
    (it raises `APIRemovedInV1` before sending) is not judged either: its model never runs.

    A framework analysed as itself (its catalogued package defined by the project's own source, as
    ADK's `src/google/adk`) builds its own agent and model classes in its samples
    (`Agent(model="gemini-2.0-flash")`): those are no bindings and stay out of the inventory, but the
    model they are given is the one their runs use, and is judged here like a binding's.

    ## Why is this bad?
    After the shutdown date the provider answers with an error (OpenAI: 404 `model_not_found`), or
    silently routes the request to another model billed at that model's rate (Gemini). Either way
    the feature breaks or its cost changes on a date you can know in advance.

    ## Example
    ```python
    client.chat.completions.create(model="gpt-5-mini", messages=messages)
    ```

    ## Use instead
    ```python
    client.chat.completions.create(model="gpt-6.1-terra", messages=messages)
    ```

    ## Fix safety
    Unsafe: the fix replaces the model by the catalog's successor, a different model with other
    behaviour, prices and limits. It is offered only when the catalog names a single successor id
    that it knows and that is not itself retiring within the warning window, and never for an
    implicit default (add `model=` yourself), nor when the successor refuses a parameter the call
    sends that the current model accepted (catalog `[[rejects]]`: a reasoning successor of `gpt-4o`
    rejects `temperature=0.2`, `top_p`, `stop` and, through the openai SDK, `max_tokens`), or may
    send through `**kwargs`. A name written as a default (a parameter's, a class
    field's, `os.getenv`'s, an option's `default=`) is changed together with every other default of
    the same module holding the same name, or not at all when one of them cannot be rewritten. A
    constant reaching several calls is replaced only when every one of them accepts the successor.

    ## Configuration
    `retirement-warning-days` (default 90): how long before a shutdown the rule starts warning.
    `--today YYYY-MM-DD` on the command line fixes the date for reproducible runs.
    `model-catalog`: a catalog file (e.g. from `tokenlint catalog refresh`) with fresher dates.
    """

    code = "TKL203"
    own_builds = True
    name = "retired-model"
    message = "Model '{model}'{implicit} {when}{successor}"
    fix_title = "Replace with the catalog's successor"
    fix_safety = "unsafe"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        catalog = ctx.models
        if catalog is None:
            return
        for site, ref, info, target in catalogued(sites, catalog):
            if site.scope is not None and is_test_path(site.path) and in_test_function(site.scope):
                continue  # a test's fixture: sent to a double, or a live test that fails by itself
            when = retirement(info, target, ctx)
            if when is None:
                continue
            successor = info.successor or (target.successor if target is not None else None)
            tail = f"; the catalog's successor is '{successor}'" if successor else ""
            if ref.implicit:
                yield at_call(self, site, model=ref.written, implicit=" (the SDK default when no model is given)",
                              when=when, successor=tail)
                continue
            yield report_at(self, ref, self._fix(ref, successor, ctx), model=ref.written, implicit="",
                            when=when, successor=tail)

    def _fix(self, ref: ModelRef, successor: Optional[str], ctx: RuleContext) -> Optional[Fix]:
        catalog = ctx.models
        if not successor or catalog is None or exact_entry(catalog, ref.model) is None:
            return None
        nxt = catalog.lookup(successor)
        if nxt is None or retirement(nxt, target_of(catalog, nxt), ctx) is not None:
            return None  # unknown, or retiring too: a human picks the replacement
        if rejects_new_parameters(ref.site, catalog.lookup(ref.model), nxt, catalog):
            return None  # the successor refuses a parameter the call sends (temperature on a reasoning model)
        edits = replace_model(ref, successor)
        if edits is None:
            return None
        return make_fix("unsafe", f"Replace '{ref.model}' with its successor '{successor}'{copies(edits)}", *edits)
