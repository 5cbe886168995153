"""TKL202 hardcoded-model."""

from __future__ import annotations

import ast
import bisect
import fnmatch
import re
from typing import TYPE_CHECKING, Iterable, Optional

from tokenlint.findings import Fix
from tokenlint.fixes import make_fix, span_edit
from tokenlint.resolve.caps import local_model, local_providers
from tokenlint.resolve.dispatch import caller_dispatch, model_dispatch, registry_entry
from tokenlint.resolve.evidence import in_test_function, is_test_path
from tokenlint.resolve.scope import binding_of, enclosing_class, enclosing_function
from tokenlint.rules.base import Rule, RuleContext
from tokenlint.rules.floating_model_alias import argument_holding, names_deployment

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.project import ModuleSource
    from tokenlint.resolve.site import CallSite

DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


class HardcodedModel(Rule):
    """## What it does
    Finds model names written as a string literal inline in the arguments of an LLM call (or of a
    wrapper that forwards the model), instead of coming from the project's model configuration: a
    named constant, a settings object, an environment variable or a config file. A model object
    replaced before any use (`llm = ChatOpenAI(model="a")` then `llm = ChatAnthropic(...)`) is not
    reported by the model rules (TKL201-TKL203): its model never runs, nor is one built for a
    parameter left out (`def __init__(self, model=None): if model is None: model = init_chat_model(
    "...")`) when every call of the function in the project passes that parameter (the same test as
    TKL203's for defaults), nor one a function builds only to hand to a class whose object it then
    only saves (`lm = dspy.LM(model="gpt-4o-mini")`, `module = Decompose(lm)`, `module.save(path)`: the
    model is never asked anything; the same test as TKL203's; a project class whose `__init__` does more
    than store it, `self.items = [lm(q) ...]`, runs it). Nor is the fallback of a
    configured value (`model=Config.get("tts.model") or "voxtral-mini-tts"`): the model comes from the
    settings. A LiteLLM Router's `model=`
    names one of its model groups (`router.acompletion(model="auto")`): the Router's `model_list` is
    the configuration, and the group name is not reported; nor is an Azure OpenAI deployment's name
    (a client or model object given an Azure endpoint or deployment, or a base URL on an Azure OpenAI
    resource, on every provider the request may reach: the same test as TKL201's), which names a deployment whose model the Azure resource sets. Nor is a request through an SDK method
    that the SDK version the project requires no longer has (`openai.ChatCompletion.create` with
    `openai>=1` in `pyproject.toml` or `requirements*.txt`): it raises before sending, its model never
    runs (the same for TKL201, TKL203-TKL205, TKL401, TKL402 and TKL501).
    A literal in a branch chosen by the model name (`if args.model == "llama3.1-405b":
    Model("openrouter/meta-llama/llama-3.1-405b-instruct")`, `elif model in [...]`, `if "Pro" in
    self.model_name`, `model.startswith("claude")`) is not reported either: it translates a name
    configured elsewhere into the provider's id (an `else:` default is). The same for a branch
    chosen by an option that names the model, whatever the variable is called (`if llm_choice ==
    "OpenAI GPT-4o":` around a request sending `"gpt-4o"`, `"Claude Sonnet 3.5"` around
    `"claude-3-5-sonnet-20240620"`: every word and number of the id, without its date, is in the
    option): the user chose that model by its label; the option may be an enum member (`elif llm_type ==
    LLMType.GPT_4O:`), read by its name or by the string its class in the module gives it (`GPT_4 =
    "GPT 4 Turbo"` around `"gpt-4-turbo"`). An option naming only the provider (`if provider
    == "OpenAI":`) or another model does not count: the model within it is still chosen there.
    Nor is a model object that is an entry of a table of models by name (`models["fast"] =
    {"chat_model": ChatOpenAI(model="gpt-4o-mini"), ...}`, or a dict literal of two or more named
    model objects, `{"fast": ChatOpenAI(...), "smart": ChatAnthropic(...)}`): the table is the
    project's model configuration, and callers pick a model by its name (a one-entry dict such as
    `{"llm": ChatOpenAI(...)}` is a call's arguments, not a table). TKL203 still reports a retiring
    model there.
    Nor is a literal in a per-model preset, a function named after the model it sends
    (`def gpt_4o_mini_complete(...)` sending `"gpt-4o-mini"`, `claude_3_opus_complete` sending
    `"claude-3-opus-20240229"`), or after its family or organisation (`query_deepseekv3` sending
    `"deepseek-chat"`, `query_qwen` sending `"Qwen/QwQ-32B"`; not a name holding part of another
    model's id, `ask_gpt4` sending `"gpt-4o-mini"`, nor one named after the provider only,
    `ask_openai` sending `"gpt-4o-mini"`: the model within the provider is still a choice written there),
    or in a class or module named with the model's whole id (`class GPT_3_5_Turbo` in gpt_3_5_turbo.py
    sending `"gpt-3.5-turbo"`; not `class ClaudeClient` sending `"claude-3-opus-20240229"`; the id as
    whole words of the name, a class's or module's first, not followed by more of a longer id the
    catalog knows: `class GPT4oMiniClient` or `def gpt4o_mini_answer` sending `"gpt-4o"`, or
    migrate_from_gpt4.py sending `"gpt-4"`, still write a choice), or with its family when the catalog
    knows the model as that family's only one (`class WhisperTranscriber` sending `"whisper-1"`):
    callers pick the model by picking the function or class; the same for a
    function its module calls only from branches chosen by the model name (`if model == "o1-with-ocr":
    call_o1_with_ocr(...)`, whatever the function is called; calls from other modules are not read,
    and any other use of its name keeps it reported). Nor is a literal in a function named as the
    builder of the project's default model (`def _build_default_model(): return ChatAnthropic(
    model_name="claude-sonnet-4-6")`, `get_default_llm`: the word "default" followed by one naming a
    model object, `model`, `llm`, `client`...): it is the one place where the default is written, the
    configuration callers use (`build_reviewer` sending the same literal is reported). Nor is a name a
    single-model server requires and ignores (TGI's `"tgi"`; catalog `kind = "placeholder"`): the
    endpoint chooses the model. Nor is the one model an SDK method accepts (erniebot's `Image.create`
    raises for any model but `"ernie-vilg-v2"`; catalog `only_models`): there is nothing to choose.
    Nor is a literal written in a test function of a test file (`tests/test_probe.py`: `def test_...`, a
    `TestCase`'s `test_*` method): it
    is the test's fixture (a request sent to a double, `"gpt-test"`, or the one provider model the test
    checks), not the application's model configuration; a test module's top-level client, or an
    application's own `def test_connection()`, is reported.
    Nor is a model of a server the user runs (Ollama's `"llama3.1"`,
    Xinference, vLLM, LM Studio, or LiteLLM's route to one: `"ollama/llama3"`; catalog
    `local_providers`), or of a client or model object pointed at one whatever its SDK (the OpenAI SDK
    or `ChatOpenAI` with a loopback or private base URL or a local host name, the same test as TKL501's,
    one read from a setting named local such as
    `LOCAL_LLM_URL`, a dummy API key such as `"123456"`, or a model named `"Local LLM"`: the name is the
    user's own server's): it bills no tokens. Nor is a model that runs in process, in the user's own
    Python (`"sentence-transformers/all-MiniLM-L6-v2"`, or `"all-MiniLM-L6-v2"`, which the library
    completes to it, whatever class it is handed to; catalog `local_model_orgs`, `local_model_names`).

    With `model-config` set (the files or modules where model names may live), every model string
    that reaches a call and is written anywhere else fires too: a module-level constant in a feature
    module, a wrapper's default model, an environment variable's default. Those are reported where
    the string is written, once, however many calls use it.

    A framework analysed as itself (its catalogued package defined by the project's own source, as
    ADK's `src/google/adk`) builds its own agent and model classes in its samples
    (`Agent(model="gemini-2.0-flash")`): those are no bindings and stay out of the inventory, but the
    model they are given is the one their runs use, and is judged here like a binding's.

    ## Why is this bad?
    Model choice is the biggest lever on an LLM bill. When model names are scattered through call
    sites, moving a feature to a cheaper tier, pinning a snapshot or replacing a retired model means
    a search through the code base, and an inventory of which feature uses which model is guesswork.

    ## Example
    ```python
    client.chat.completions.create(model="gpt-6-luna", messages=messages)
    ```

    ## Use instead
    ```python
    from app.settings import TRIAGE_MODEL

    client.chat.completions.create(model=TRIAGE_MODEL, messages=messages)
    ```

    ## Fix safety
    Without `model-config` there is no fix. With it, an inline literal is replaced by a constant of
    a model-config module that holds exactly the same string, but only when the file already imports
    that constant (or its module) at the top level and another call in the same file already uses
    it: tokenlint does not add imports. The fix is unsafe: the value sent today is the same, but the
    call now follows that config entry when it changes, and two entries that happen to hold the same
    name today may mean different things (no fix when more than one matches).

    ## Configuration
    `model-config = ["app/settings.py", "app.models_config", "config/*.py"]`: path globs (relative to
    the project root) or dotted module names where model names may live.
    """

    code = "TKL202"
    own_builds = True
    name = "hardcoded-model"
    message = "Model '{model}' is hardcoded {where}"
    fix_title = "Use the config constant holding the same model"
    fix_safety = "unsafe"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        globs = ctx.model_config
        for site in sites:
            if site.dead or site.removed:
                continue  # a binding replaced before any use, or a method the pinned SDK removed: never runs
            if site.kind == "request":  # the model is written at its binding, reported there
                continue
            if names_deployment(site, every=True):
                # a LiteLLM Router's model group ("auto", "fast"): the config is its model_list; an Azure
                # OpenAI deployment's name: which model it runs is the Azure resource's configuration
                continue
            if site.api == "document_analysis":
                continue  # a document model id names the task ("prebuilt-layout"), not a model to configure
            if site.provider in local_providers() or site.self_hosted:
                continue  # a model the user's own server runs (Ollama's "llama3.1", "Local LLM"): no bill to route
            m = site.model
            node = m.origin
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip()):
                continue
            osrc = m.origin_source
            if osrc is None:
                continue
            if local_model(node.value):
                continue  # "sentence-transformers/all-MiniLM-L6-v2": a model run in process, no bill
            if site.method is not None and node.value in site.method.only_models:
                continue  # erniebot's Image.create takes "ernie-vilg-v2" and no other: nothing to choose
            if ctx.models is not None and ctx.models.kind_of(node.value) == "placeholder":
                continue  # a name the server requires and ignores (TGI's "tgi"): its endpoint picks the model
            if _inline(site, node, osrc):
                if site.scope is not None and is_test_path(osrc.relpath) and in_test_function(site.scope):
                    continue  # `def test_probe(): ask(model="gpt-test")`: the test's fixture, not the app's config
                if site.scope is not None and model_dispatch(site.node, site.scope, node.value):
                    continue  # `if model == "llama3.1-405b": Model("openrouter/...")`: the name is chosen elsewhere
                if site.scope is not None and preset_of(node.value, site.scope, _catalog_ids(ctx.models)):
                    continue  # `def gpt_4o_mini_complete(...)`: choosing the function is choosing the model
                if site.scope is not None and default_builder(site.scope):
                    continue  # `def _build_default_model(): return ChatAnthropic(...)`: the default's one place
                if site.kind == "binding" and site.scope is not None and registry_entry(site.node, site.scope):
                    continue  # `models["fast"] = {"chat_model": ChatOpenAI(model="gpt-4o-mini")}`: a table by name
                if site.scope is not None and caller_dispatch(site.scope):
                    continue  # called only as `if model == "o1-with-ocr": call_o1_with_ocr(...)`: a per-model path
                fix = self._fix(site, node, osrc, sites, globs) if globs else None
                yield self.finding_at(osrc, node, site, fix, model=node.value, where="at the call site")
            elif globs and m.kind in ("literal", "constant", "env") and not in_model_config(osrc, globs) \
                    and not _inline_elsewhere(site, node, osrc):
                yield self.finding_at(osrc, node, site, model=node.value,
                                      where="outside the model-config modules")

    def _fix(self, site: "CallSite", node: ast.Constant, osrc: "ModuleSource", sites: list,
             globs: tuple[str, ...]) -> Optional[Fix]:
        texts: dict[int, list[str]] = {}
        for other in sites:
            a = other.model
            if a.kind != "constant" or a.origin_source is None or not isinstance(a.origin, ast.Constant):
                continue
            if a.origin.value != node.value or not in_model_config(a.origin_source, globs):
                continue
            if a.text and _usable_at(a.text, site):
                texts.setdefault(id(a.origin), []).append(a.text)
        if len(texts) != 1:
            return None  # none, or two config entries with the same value: a human decides
        text = min(next(iter(texts.values())), key=len)
        return make_fix("unsafe", f"Use {text} from the model config", span_edit(osrc, node, text))


def preset_of(model: str, scope, known: tuple[str, ...] = ()) -> bool:  # type: ignore[no-untyped-def]
    """Whether the function holding the call is named after the model it hard-codes (a per-model
    preset: `def gpt_4o_mini_complete(...)` sending "gpt-4o-mini", `claude_3_opus_complete` sending
    "claude-3-opus-20240229", `query_deepseekv3` sending "deepseek-chat", `query_qwen` sending
    "Qwen/QwQ-32B"): callers choose the model by choosing the function, so the literal is the preset's
    identity, not a scattered setting. Either the whole id (letters and digits, without a `provider/`
    prefix or a trailing date) is in the name, or a word of the name starts with the id's family
    (its first word: `deepseek`, `claude`, `qwq`) or its organisation (`Qwen/`); the provider alone
    does not count (`ask_openai` sending "gpt-4o-mini" still writes a choice); generic words (`chat`, `text`) and words under three letters
    do not count. A name holding more of the id than its family but not all of it names another
    model of the family (`gpt_4o_complete` sending "gpt-4o-mini") and is no preset of this one. A class
    or module named with the whole id is a preset too (`class GPT_3_5_Turbo` in gpt_3_5_turbo.py
    sending "gpt-3.5-turbo"); its family alone is not (`class ClaudeClient`, claude.py: the model
    within the family is still a choice written there), unless the catalog knows that model as its
    family's only one (`class WhisperTranscriber` sending "whisper-1": there is no other Whisper model to
    choose). The whole id counts only as whole words of the
    name (`gpt`, `4`, `o` of `GPT4oClient`) not followed by more of a longer id the catalog knows
    (`known`: its ids, letters and digits only, sorted): `class GPT4oMiniClient` sending "gpt-4o" names
    gpt-4o-mini; a class or module must start with it (`migrate_from_gpt4.py` sending "gpt-4" is no
    preset of gpt-4)."""
    name = _PRESET_STRIP.sub("", model.rsplit("/", 1)[-1].lower())
    name = _PRESET_DATE.sub("", name)
    # a per-model preset class or module (`class GPT_3_5_Turbo` in gpt_3_5_turbo.py): the whole id, or the
    # family of a model the catalog knows as its family's only one (`class WhisperTranscriber` sending "whisper-1")
    cls = enclosing_class(scope)
    stem = scope.module.source.path.stem
    if len(name) >= 4 and any(_named_with(name, n, known) == 0 for n in (cls.name if cls else "", stem)):
        return True
    sole = _sole_family(model, name, known)
    if sole and any(_named_with(sole, n, ()) == 0 for n in (cls.name if cls else "", stem)):
        return True
    fs = enclosing_function(scope)
    if fs is None:
        return False
    fname = fs.name
    joined = _PRESET_STRIP.sub("", fname.lower())
    if len(name) >= 4 and _named_with(name, fname, known) is not None:
        return True
    org, _, tail = model.rpartition("/")
    family = _WORD.findall(tail.lower())[:1]  # "deepseek" of deepseek-chat, "qwq" of QwQ-32B
    # a name holding more of the id than its family, but not all of it, names a sibling model
    # (`gpt_4o_complete` sending "gpt-4o-mini"): not this model's preset
    named = next((k for k in range(len(name) - 1, 0, -1) if name[:k] in joined), 0)
    if family and named > len(family[0]):
        return False
    names = {w for w in (*family, *_WORD.findall(org.lower()))
             if len(w) >= 3 and w not in _GENERIC}
    words = [w.lower() for w in _NAME_WORD.findall(fname)]  # query_deepseekv3: query, deepseekv, 3
    return any(w.startswith(n) for w in words for n in names)


def _sole_family(model: str, name: str, known: tuple[str, ...]) -> Optional[str]:
    """The family of `model` (its first word: "whisper" of whisper-1) when the catalog (`known`, its ids as
    letters and digits, sorted) knows exactly one model of it, this one: the family's name names the model."""
    tail = model.rsplit("/", 1)[-1].lower()
    family = _WORD.findall(tail)[:1]
    if not family or len(family[0]) < 4 or family[0] in _GENERIC:
        return None
    if not tail.startswith(family[0]) or not _VERSION_ONLY.fullmatch(tail[len(family[0]):]):
        return None  # the id is the family and a version (whisper-1), not a vendor's prefix (Bedrock's
        # meta.llama4-...) nor a variant (codex-mini-latest): review of post24a
    k = bisect.bisect_left(known, family[0])
    members = []
    while k < len(known) and known[k].startswith(family[0]) and len(members) < 2:
        members.append(known[k])
        k += 1
    return family[0] if members == [name] else None


def _named_with(name: str, label: str, known: tuple[str, ...]) -> Optional[int]:
    """The index of the first word of `label` (snake_case or camelCase, digits apart) where a run of
    whole words spells `name` (a model id, letters and digits only) and the next word does not make it
    the start of a longer id of `known` (sorted); None when there is none."""
    words = [w.lower() for w in _NAME_WORD.findall(label)]
    for i in range(len(words)):
        spelled = ""
        for j in range(i, len(words)):
            spelled += words[j]
            if not name.startswith(spelled):
                break
            if spelled == name:
                if j + 1 == len(words) or not _starts_known(name + words[j + 1], known):
                    return i
                break
    return None


def _starts_known(prefix: str, known: tuple[str, ...]) -> bool:
    k = bisect.bisect_left(known, prefix)
    return k < len(known) and known[k].startswith(prefix)


_IDS: dict[int, tuple[object, tuple[str, ...]]] = {}


def _catalog_ids(models) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """The model catalog's ids as letters and digits only, sorted (cached per catalog)."""
    if models is None:
        return ()
    got = _IDS.get(id(models))
    if got is None or got[0] is not models:
        got = _IDS[id(models)] = (models, tuple(sorted({_PRESET_STRIP.sub("", m.rsplit("/", 1)[-1].lower())
                                                        for m in models.models})))
    return got[1]


def default_builder(scope) -> bool:  # type: ignore[no-untyped-def]
    """Whether the function holding the call is named as the builder of the project's default model
    (`_build_default_model`, `get_default_llm`, `default_chat_client`: the word "default" followed by a
    word naming a model object; not `test_prefers_default_options_model`): it is where the project
    writes its default, the one place to change it."""
    fs = enclosing_function(scope)
    words = [w.lower() for w in _NAME_WORD.findall(fs.name)] if fs is not None else []
    return any(a == "default" and b in _MODEL_WORDS for a, b in zip(words, words[1:]))


_MODEL_WORDS = frozenset({"model", "llm", "lm", "chat", "client", "embedder", "embedding", "embeddings"})
_PRESET_STRIP = re.compile(r"[^a-z0-9]")
_PRESET_DATE = re.compile(r"(?:20\d{6}|\d{4})$")  # 20240229 / 2312 snapshot suffixes, once letters are joined
_WORD = re.compile(r"[a-z]+")  # a model id's words: its letters between digits and separators
_VERSION_ONLY = re.compile(r"[-_]?v?\d+(?:[.-]\d+)*")  # "-1" of whisper-1: a family and its version
_NAME_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")  # snake_case and camelCase words, digits apart
# words that name no model maker or family: a function named `chat_reply` is no preset of "deepseek-chat"
_GENERIC = frozenset({"chat", "text", "model", "models", "base", "instruct", "latest", "preview", "embedding",
                      "embeddings", "open", "api", "llm"})


def _inline(site: "CallSite", node: ast.Constant, osrc: "ModuleSource") -> bool:
    """Is the literal written in the call's own argument list?"""
    call = site.node
    if site.model.kind != "literal" or not isinstance(call, ast.Call) or site.scope is None:
        return False
    if osrc.relpath != site.scope.module.source.relpath:
        return False
    arg = argument_holding(call, node)
    return arg is not None and not _fallback(arg, node)


def _fallback(arg: ast.expr, node: ast.Constant) -> bool:
    """The literal is the fallback of a configured value (`Config.get("tts.model") or "voxtral-mini"`,
    `self.model or "gpt-4o"`): the last operand of an `or` whose other operands are not constants. The
    model comes from the settings; the literal is not a choice written at the call."""
    return any(isinstance(n, ast.BoolOp) and isinstance(n.op, ast.Or) and n.values[-1] is node
               and not all(isinstance(v, ast.Constant) for v in n.values[:-1]) for n in ast.walk(arg))


def _inline_elsewhere(site: "CallSite", node: ast.Constant, osrc: "ModuleSource") -> bool:
    """A wrapper site inheriting the literal written inline in the wrapped call: that call reports it.

    The resolver keeps the literal's own text for it, while a wrapper's default reads `param=...`.
    """
    return site.kind == "wrapper" and site.model.kind == "literal" and site.model.text == osrc.segment(node)


def in_model_config(ms: "ModuleSource", globs: tuple[str, ...]) -> bool:
    rel, dotted = ms.relpath, ms.dotted
    for g in globs:
        if fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(rel, f"*/{g}"):
            return True
        if dotted and (dotted == g or fnmatch.fnmatch(dotted, g)):
            return True
    return False


def _usable_at(text: str, site: "CallSite") -> bool:
    """`text` (FAST, settings.FAST) names a top-level import of the site's module, visible at the call
    and imported before it runs."""
    if not DOTTED.fullmatch(text) or site.scope is None or site.node is None:
        return False
    root = text.split(".", 1)[0]
    found = binding_of(root, site.scope)
    module_scope = site.scope.module.scope
    if found is None or found[0] not in ("from", "import") or found[2] is not module_scope:
        return False
    if len(module_scope.bindings.get(root, ())) != 1:
        return False  # rebound somewhere in the module
    scope, in_function = site.scope, False
    while scope is not None and not in_function:
        in_function, scope = scope.kind == "function", scope.parent
    for stmt in site.scope.module.tree.body:  # a top-level import, not one under `if TYPE_CHECKING:`
        if isinstance(stmt, (ast.Import, ast.ImportFrom)) and root in _bound_names(stmt):
            return in_function or stmt.lineno < site.node.lineno
    return False


def _bound_names(stmt: Optional[ast.stmt]) -> set[str]:
    if isinstance(stmt, ast.Import):
        return {a.asname or a.name.split(".")[0] for a in stmt.names}
    if isinstance(stmt, ast.ImportFrom):
        return {a.asname or a.name for a in stmt.names}
    return set()
