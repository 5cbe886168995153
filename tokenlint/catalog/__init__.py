"""The catalog: SDK call surfaces and model facts, loaded from the TOML data beside this file.

Everything that changes faster than code (which classes are clients, which methods spend tokens,
where each SDK puts its model and tag, which model ids float or retire) lives in the data files.
This module only turns them into lookup structures; it knows no SDK by name.
"""

from __future__ import annotations

import fnmatch
import sys
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from tokenlint.pins import package_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

HERE = Path(__file__).parent


class CatalogError(ValueError):
    """A catalog entry (built-in or from [tool.tokenlint]) is malformed."""


@dataclass(frozen=True)
class Method:
    api: str
    stream: bool = False
    is_async: bool = False
    spends: bool = True
    model: tuple[str, ...] = ("model",)
    model_position: int | None = None
    model_from_client: bool = False
    system: tuple[str, ...] = ()
    messages: str | None = None
    system_in_messages: bool = False
    returns: str | None = None
    tag: tuple[str, ...] = ()
    tag_style: str | None = None  # how TKL101's fix adds a tag; None: the sdk's default
    llm_evidence: tuple[str, ...] = ()  # a general inference endpoint: (payload kwarg, name kwarg) must show an LLM
    # with llm_evidence: no site at all unless the payload, the parameters kwarg (llm_evidence[2]) or the endpoint
    # name (the name kwarg, else the site's model) shows an LLM (Vertex AI prediction: mostly tabular models)
    llm_required: bool = False
    # keyword values that run the request in process (nomic's `embed.text(..., inference_mode="local")`): such a
    # call sends nothing and is no site
    local_when: tuple[tuple[str, tuple[str, ...]], ...] = ()
    removed_in: str | None = None  # "package version": the SDK release that removed this method
    # a router's model prefixes ("" for a bare model id) whose Claude models it sends the request's
    # Anthropic prompt-caching blocks (`"cache_control"` on a content block) to (TKL305)
    cache_control_routes: tuple[str, ...] = ()
    # the SDK method takes no output-cap parameter at all (OpenAI `responses.compact`): TKL501 does not judge it
    no_output_cap: bool = False
    # keywords that make the call resume a job already started (an Azure long-running operation's
    # `continuation_token`): it then polls, and spends nothing
    resumed_by: tuple[str, ...] = ()
    # the only models the SDK method accepts (erniebot's Image.create: "ernie-vilg-v2", any other raises):
    # naming one there is no choice to configure (TKL202)
    only_models: tuple[str, ...] = ()


@dataclass
class ClientType:
    """One SDK surface: a client class family, a module acting as a client, or a returned object."""

    name: str
    provider: str
    source: str = ""
    checked: str = ""
    methods: dict[str, Method] = field(default_factory=dict)
    async_classes: frozenset[str] = frozenset()
    class_providers: dict[str, str] = field(default_factory=dict)
    # module global -> its value (lower case) -> the provider of the module-level client it configures
    module_providers: dict[str, dict[str, str]] = field(default_factory=dict)
    backend_kwarg: str | None = None
    # the functions are a framework's helpers around an SDK (LightRAG's `openai_complete_if_cache`): a call
    # of one is that framework's request site (kind "request"), not a call of the SDK itself
    framework_helpers: bool = False
    async_prefix: str | None = None
    client_model: tuple[str, ...] = ()
    client_model_position: int | None = None
    client_system: tuple[str, ...] = ()
    client_default_model: str | None = None
    service: str | None = None
    tag_style: str | None = None
    prefilter: str | None = None  # "dotted": the package name is a common word; mark files by `pkg.Class`
    # the distributions (normalized names) that install the SDK when their name is not its import root's
    # (contextual-client for `contextual`, boto3 for bedrock-runtime's client): dependency files name these
    packages: frozenset[str] = frozenset()
    # the packages serve many services besides this SDK's (boto3: S3, SQS, ...): declaring one is evidence
    # only in a file importing one of them, or around a receiver, class or file named for the SDK
    packages_shared: bool = False

    def method(self, path: tuple[str, ...]) -> tuple[Method, bool] | None:
        """The method at `path` (relative to the client) and whether an async prefix was used."""
        is_async = False
        if self.async_prefix and path and path[0] == self.async_prefix:
            path, is_async = path[1:], True
        m = self.methods.get(".".join(path))
        return (m, is_async) if m else None

    def has_prefix(self, path: tuple[str, ...]) -> bool:
        if self.async_prefix and path and path[0] == self.async_prefix:
            path = path[1:]
        dotted = ".".join(path)
        return any(k == dotted or k.startswith(dotted + ".") for k in self.methods)


@dataclass(frozen=True)
class Constructor:
    """A class whose construction is the call site (LangChain chat models)."""

    provider: str
    sdk: str
    api: str
    model: tuple[str, ...]
    model_position: int | None = None
    default_model: str | None = None
    provider_kwarg: str | None = None
    provider_position: int | None = None  # the provider given by position (esperanto `create_language(provider, ...)`)
    tag_style: str | None = None
    provider_prefix: bool | None = None  # a "provider:model" string names the provider (None: when provider_kwarg)
    provider_names: tuple[tuple[str, str], ...] = ()  # the framework's provider words -> tokenlint's names
    wraps_models: bool = False  # the model argument may be a model object: the call then wraps its binding
    # the object holds a model only when the model argument is given and is not False / None (autogen 0.2's
    # `llm_config`): built without one, it is no binding and holds no model
    model_needed: bool = False
    # the call is a binding only when handed its model argument (an OpenAI Agents SDK `Agent(name, instructions)`
    # runs the library's default model, which its requests report, but chooses none: round 12's agent rule)
    binds_when_handed: bool = False
    # model strings beginning with one of these name a model run in process (RAGLite's "llama-cpp-python/..."):
    # built with one, the object sends nothing billed (no binding, no model held), as one built without a model
    local_prefixes: tuple[str, ...] = ()
    # classes of model objects run in process (pydantic-ai's TestModel, FunctionModel: test doubles): handed one as
    # the model, the object sends nothing billed (no binding, no model held), as with a `local_prefixes` string
    local_models: tuple[str, ...] = ()
    # classes of provider objects handed as `provider_kwarg` -> the framework's provider word (pydantic-ai's
    # `OpenAIChatModel(name, provider=OllamaProvider(base_url=...))`): the provider the object names, and its
    # own base URL / API key tell a self-hosted server as a client's do
    provider_objects: tuple[tuple[str, str], ...] = ()
    # provider words naming a model run in process (ragas' `embedding_factory("huggingface", model=path)`): given
    # as the provider (its keyword, its position, or else the first argument), the call is no binding either
    local_providers: tuple[str, ...] = ()
    local_unless: str | None = None  # a keyword that, handed a value other than False / None, makes them hosted
    # a provider argument whose text holds one of these is the model (ragas' legacy first argument)
    model_markers: tuple[str, ...] = ()
    provider_split: bool = False  # a "provider/model" string in the provider's place names both
    # the default_model holds only when the call hands no such keyword and names no other provider (ragas'
    # legacy path; with a client its provider classes pick their own defaults, not read here)
    default_without: str | None = None
    # the call chooses a model only when handed a model string (`create_agent("openai:gpt-4.1", tools)`): then
    # it is the binding; handed a model object or a value not followed it is none, and its composer specs
    # decide what it holds (an agent builder: the object's binding, else a dynamic model)
    string_models_only: bool = False
    # a config object (Langroid's `OpenAIGPTConfig(chat_model=...)`): it holds a model that flows into what it
    # is handed to, but its construction is no binding (like a kwargs dict); the `reads_config` constructor
    # built from it (an agent, a model object) is
    config_only: bool = False
    # the model argument is a config object (directly or inside a composer, `ChatAgentConfig(llm=cfg)`): the
    # call is the binding and takes the model and provider of the `config_only` constructor it is handed
    reads_config: bool = False
    # what the library sends as an output cap when the code gives none (output_caps.toml [[own_cap]]): a
    # request on such an object is capped (langchain_community's ChatVertexAI, max_output_tokens=128)
    own_cap: str | None = None
    # the other classes of its package are models too (a package of model classes: one the catalog does not list
    # is guessed a binding, resolve/unresolved.py `_package_model_class`); false for a builder function beside
    # the library's data classes (Inspect's `inspect_ai.model.get_model` beside `ChatMessageUser`, `ContentText`)
    sibling_models: bool = True
    # keywords whose value carries the model (lmi's `LiteLLMModel(llm_config=cfg)`, `config={"model_list": ...}`):
    # given one, the object runs the model it holds, which is not read here, not the class's default
    model_in: tuple[str, ...] = ()
    # the keys by which a dict literal handed as one of those keywords holds the model (`config={"name": ...}`);
    # a literal with none of them (`config={"temperature": 0}`) leaves the class's default running
    model_in_keys: tuple[str, ...] = ()
    # the model argument may be a config dict (Qwen-Agent's `get_chat_model({"model": ..., "model_server": ...})`):
    # its entry under one of `config_models` is the model, under one of `config_servers` the server; an http(s)
    # server makes it an OpenAI-compatible model (provider by host, else "unknown"; `server_default_model` when
    # no model is given); a dict not read leaves the provider unknown
    config_models: tuple[str, ...] = ()
    config_servers: tuple[str, ...] = ()
    server_default_model: str | None = None


@dataclass(frozen=True)
class Framework:
    """How one framework's model objects spend: request methods, runnable combinators, per-call config."""

    name: str
    requests: frozenset[str]
    embed_requests: frozenset[str]
    stream: frozenset[str]
    is_async: frozenset[str]
    combinators: frozenset[str]
    joins: dict[str, tuple[str, ...]]
    config_kwarg: str | None = None
    tag_style: str | None = None
    config_methods: frozenset[str] = frozenset()
    # receivers of unknown type named like a model object: (name patterns, methods, api)
    # (receiver patterns, methods, api, whether the calling module must import the framework's package)
    inferred: tuple[tuple[tuple[str, ...], frozenset[str], str, bool], ...] = ()
    # method -> its first parameter, which a call on a receiver known only by its name must pass
    first_params: dict[str, str] = field(default_factory=dict)
    builds: frozenset[str] = frozenset()  # classmethods of `spending_builds` classes that send (`from_documents`)
    build_args: tuple[str, ...] = ()  # argument specs of a `builds` call holding the model objects it runs
    # its runners spend only through the model objects handed to them (a vector store and its embeddings):
    # one built with none that tokenlint knows is no runner, and its `builds` send nothing counted
    held_only: bool = False
    # its runners spend through the model objects handed to them or, handed none, through the library's default
    # model (dynamic); one handed an object tokenlint does not know as a model (a local embedder) sends nothing
    handed_or_default: bool = False
    # the provider of that default model, when the library builds one of a known vendor (phidata's vector dbs:
    # OpenAIEmbedder()); else the framework's own name stands for it
    default_provider: str | None = None
    # runner base classes a project subclass is a runner of only when it holds a model object itself (a field
    # annotated with a model type, `llm: BaseLanguageModel`): one holding only other chains is project code,
    # whose inner chains' calls are the requests
    model_holding_runners: frozenset[str] = frozenset()
    prefilter: str | None = None  # "import": the package name is a common word; mark files by importing it
    inferred_needs_import: bool = False  # its by-name requests count only in a project importing its package
    local_first: bool = False  # a project module of its package's name is the project's own (never shadowed)
    # types any runnable has, model or not (`summary_model: Runnable`): a request only by the receiver's name
    generic_types: frozenset[str] = frozenset()
    # methods adding components to a collector object after it is built (`pipe.add_component("llm", g)`):
    # method -> argument specs of the components
    collect: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # request method -> the api of the models it runs on (esperanto `aembed`: its embedding models only)
    request_apis: dict[str, str] = field(default_factory=dict)
    # the kinds of its runners (`index`, `query_engine`: the values of its `runners`): a runner holding no
    # model tokenlint knows runs the ones configured elsewhere, so a `request_apis` request on it is one
    # of that api, provider unknown (`index.as_retriever().retrieve(q)` embeds the query)
    runner_kinds: frozenset[str] = frozenset()
    # embeddings requests on a chat object that embeds with an embedding model of its own configuration, not
    # the one it is handed (Langroid `DocChatAgent.ingest_docs`): api embeddings_model, model not followed
    own_embeds: frozenset[str] = frozenset()
    # a spending build (`evaluate(dataset, task, scoring_metrics=[...])`) is a request only when its build
    # arguments hold one of the framework's runners or model objects (an LLM-judge metric), not heuristics only
    builds_need_runners: bool = False
    # global default models its runners run when handed none: a settings object or function -> {its attribute
    # or keyword -> the api of the model set there} (`Settings.llm = ...`, `dspy.configure(lm=...)`); the
    # embedding ones set only to models sending nothing counted, its runners embed locally
    model_settings: dict[str, dict[str, str]] = field(default_factory=dict)
    # method -> (framework, api): a model object of another framework holding the same bindings
    # (esperanto `to_langchain()`: a LangChain chat model)
    converts: dict[str, tuple[str, str]] = field(default_factory=dict)
    # requests on a parameter for which the function's callers are read (resolve/passed.py)
    caller_methods: frozenset[str] = frozenset()
    # requests so particular to the framework that a file calling one on any receiver is read (prefilter)
    marker_methods: frozenset[str] = frozenset()
    # the model classes' own request methods a project subclass calls on `self` / `super()` (`_generate`)
    internal_requests: frozenset[str] = frozenset()
    # request method -> the request methods it runs on the same object (`invoke` -> `_generate`): a subclass
    # overriding one of those makes the request in its override, not where the outer method is called
    internal_reaches: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # request method -> argument specs of the other model objects it runs (the recipient of autogen 0.2's
    # `initiate_chat`): the request holds their models too
    request_args: dict[str, tuple[str, ...]] = field(default_factory=dict)
    listing_args: dict[str, tuple[str, ...]] = field(default_factory=dict)  # request -> its query's specs
    # request method -> the keyword naming the plugin whose function it runs (Semantic Kernel's
    # `kernel.invoke(function_name=..., plugin_name="Chat")`): a plugin registered from a project object is
    # native code, so the call runs the project's Python, not a model
    plugin_requests: dict[str, str] = field(default_factory=dict)
    # method registering a plugin -> (argument specs of the plugin object, of its name) (`add_plugin(plugin, plugin_name)`)
    plugin_adders: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    # its objects are known by evidence alone (a library the catalog does not know): every site is "inferred"
    guessed: bool = False


@dataclass(frozen=True)
class Libraries:
    """How a library the catalog does not know is read (frameworks.toml [libraries], resolve/libraries.py):
    the request verbs of the objects it builds when handed a model choice, as a guessed framework, and the
    words and packages that say a call spends nothing."""

    framework: Framework  # named LIBRARY_PREFIX; a holder's sdk is LIBRARY_PREFIX + its package
    not_spending: frozenset[str]  # words of a callable's name: token counting, cost, config, validation
    local_packages: frozenset[str]  # packages running a model in process
    recording_packages: frozenset[str]  # packages recording requests (tracing, observability), sending none
    free_packages: frozenset[str]  # unofficial clients of free web front ends (g4f): requests that bill nothing
    prompt_arguments: frozenset[str]  # keywords of a prompt or messages argument
    model_words: frozenset[str]  # words of a keyword (or a name) that say it is the model choice
    client_words: frozenset[str]  # words of a keyword (or a name) that say it holds an LLM client
    # a function building a model holder: first word a builder verb, last word a holder noun (`create_agent`)
    builder_verbs: frozenset[str] = frozenset()
    builder_nouns: frozenset[str] = frozenset()
    # packages declaring a program's inputs (web request parameters, CLI options, UI widgets): a model id
    # handed to one (`Form("gpt-4o")`) is a default the user may change, and the object sends nothing
    input_packages: frozenset[str] = frozenset()
    # packages imitating a paid client that bill nothing (free unofficial clients: g4f)
    # request verbs worth a "framework?" guess on a library's object built with no model choice read:
    # `requests` but [unresolved] generic_requests (`execute`, `query`, `__call__` of any object) and the
    # everyday ones (`evaluate`, `answer`)
    listed: frozenset[str] = frozenset()


LIBRARY_PREFIX = "library:"


@dataclass(frozen=True)
class Inferred:
    chain: tuple[str, ...]
    sdk: str
    kwargs: frozenset[str]
    forbid: frozenset[str] = frozenset()
    # the chain alone is evidence enough (only LLM SDKs have it): a call passing only `**kwargs`, or part of
    # `kwargs`, is a site with no SDK imported or declared anywhere
    alone: bool = False


class NameIndex:
    """Match qualified names against catalog names; "pkg.Name" also matches "pkg.sub.Name"."""

    def __init__(self) -> None:
        self._by_last: dict[str, list[tuple[str, Any]]] = {}

    def add(self, qualname: str, value: Any) -> None:
        mod, _, last = qualname.rpartition(".")
        self._by_last.setdefault(last, []).append((mod, value))

    def get(self, qualname: str) -> Any:
        mod, _, last = qualname.rpartition(".")
        best = None
        for pmod, value in self._by_last.get(last, ()):
            if mod == pmod:
                return value
            if pmod and mod.startswith(pmod + ".") and best is None:
                best = value
        return best

    def __contains__(self, qualname: str) -> bool:
        return self.get(qualname) is not None

    def override(self, qualname: str, value: Any) -> None:
        """`qualname` names `value` from now on, in place of what it was added with."""
        mod, _, last = qualname.rpartition(".")
        bucket = self._by_last.setdefault(last, [])
        bucket[:] = [(mod, value)] + [(m, v) for m, v in bucket if m != mod]

    def entries(self) -> Iterator[tuple[str, str, Any]]:
        """(module, last name, value) of every name indexed (`pkg.sub`, `Name`, ... of "pkg.sub.Name")."""
        for last, bucket in self._by_last.items():
            for mod, value in bucket:
                yield mod, last, value


@dataclass(frozen=True)
class ConstructorFamily:
    """Model classes of a framework known by where they are imported from and what they are called, not
    one by one (`[[constructor_family]]`): a public class of one of `modules` (`langchain_community.llms`),
    or one named by `names` in a package starting with `packages` (`langchain_ibm.ChatWatsonx`)."""

    sdk: str
    modules: tuple[tuple[str, str], ...]  # module prefix -> the api of every model class there
    packages: str  # the prefix of partner packages' names ("langchain_")
    names: tuple[tuple[str, str], ...]  # fnmatch pattern of a class name -> api, first match wins
    skip_packages: frozenset[str]
    skip_names: tuple[str, ...]  # fnmatch patterns of classes that are no paid model (bases, fakes, local)
    providers: tuple[tuple[str, str], ...]  # word of a class or package name (any case) -> provider
    model: tuple[str, ...]
    tag_style: str | None = None

    def covers(self, qualname: str) -> bool:
        """Whether the family decides about `qualname` (a class of one of its modules or partner
        packages): a model class it matches, or one it leaves out on purpose (a base, a fake, a local engine)."""
        mod = qualname.rpartition(".")[0]
        package = mod.split(".", 1)[0]
        return any(mod == prefix or mod.startswith(prefix + ".") for prefix, _ in self.modules) or \
            bool(self.packages) and package.startswith(self.packages) and package not in self.skip_packages

    def match(self, qualname: str) -> Constructor | None:
        """The constructor `qualname` names when it is one of this family's model classes, else None.
        Where it is imported from is asked first: most names asked are of no family's package."""
        mod, _, last = qualname.rpartition(".")
        if not mod or not last[:1].isupper():
            return None
        package = mod.split(".", 1)[0]
        exact = next((api for prefix, api in self.modules if mod == prefix), None)
        within = exact is None and any(mod.startswith(prefix + ".") for prefix, _ in self.modules)
        partner = package.startswith(self.packages) and package not in self.skip_packages if self.packages else False
        if exact is None and not within and not partner:
            return None
        if any(fnmatch.fnmatchcase(last, p) for p in self.skip_names):
            return None
        named = next((api for pattern, api in self.names if fnmatch.fnmatchcase(last, pattern)), None)
        api = named or exact
        if api is None and within:
            # a submodule of a model module holds helpers too (`llms.sagemaker_endpoint.LLMContentHandler`):
            # there a class counts when its name says what it is, or names its module (`llms.aleph_alpha.AlephAlpha`)
            api = next((api for prefix, api in self.modules if mod.startswith(prefix + ".")
                        and mod.rpartition(".")[2].replace("_", "") in last.lower()), None)
        if api is None:
            return None
        where = (last.lower(), package[len(self.packages):].lower() if partner else "")
        provider = next((p for word, p in self.providers for w in where if word in w), "unknown")
        return Constructor(provider=provider, sdk=self.sdk, api=api, model=self.model, tag_style=self.tag_style)


class ConstructorIndex(NameIndex):
    """The constructors listed by name, then the families' classes (each name matched once, memoized)."""

    def __init__(self) -> None:
        super().__init__()
        self.families: list[ConstructorFamily] = []
        self._family_memo: dict[str, Any] = {}
        self._covered_memo: dict[str, bool] = {}

    def get(self, qualname: str) -> Any:
        got = super().get(qualname)
        if got is not None or not self.families:
            return got
        memo = self._family_memo
        if qualname not in memo:
            memo[qualname] = next((c for f in self.families if (c := f.match(qualname)) is not None), None)
        return memo[qualname]

    def covered(self, qualname: str) -> bool:
        """Whether a family decides about `qualname` (`ConstructorFamily.covers`), memoized."""
        got = self._covered_memo.get(qualname)
        if got is None:
            got = self._covered_memo[qualname] = any(f.covers(qualname) for f in self.families)
        return got


@dataclass(frozen=True)
class HttpEndpoint:
    """An LLM API endpoint recognised in a URL: by the end of its path, a fragment, or its host alone."""

    api: str
    suffix: str | None = None
    contains: str | None = None
    host: str | None = None
    provider: str | None = None
    stream: bool = False
    body: tuple[str, ...] = ()  # keys the JSON body must hold (generic paths such as /api/chat)
    # literal body entries that make the request generate nothing (Ollama's unload: keep_alive 0, prompt "")
    idle_body: tuple[tuple[str, Any], ...] = ()
    # a path other services serve too (/embeddings, /rerank): on a host not known as a provider's, a
    # JSON body read in full must show an LLM request (hold `model`), else the URL is no LLM API
    generic: bool = False
    # as `generic` for the body (a host not known as a provider's needs a body holding `model`), but a
    # provider's own path still: a project route serving it that posts to a base + its path forwards it
    # (/v1/messages: Anthropic's, and Feishu / Lark's and Zulip's message APIs)
    model_body: bool = False
    # a body shape recognised on an unknown URL only beside one of these words in the names around the
    # call (its function, class, file, or the URL's own name): `{"model", "input"}` in `embed_texts`
    names: tuple[str, ...] = ()
    # path fragments that are not this endpoint on its host (an aggregator's file uploads: storage, no model)
    excludes: tuple[str, ...] = ()
    # the service bills a GET too (its request is a query string: Baidu's translation API): a GET sent to
    # this endpoint is a request, where every other endpoint's GET polls or lists
    get: bool = False
    # a path the provider's alone, recognised on a base read at run time (`f"{base_url}v2beta/stable-image/..."`);
    # posted to a host written in the URL, the host tells instead (another host serves it for someone else)
    hostless: bool = False
    # the service behind the endpoint when it is not the provider's metered API (`chatgpt-plan`: a ChatGPT
    # plan's backend, which serves the plan's bare model names and no dated snapshot): the site's backend
    backend: str | None = None
    # False: the service serves bare model names only, no dated snapshot to pin (TKL201 stays silent)
    snapshots: bool = True
    # False: a body shape too common to list a call as "looks like an LLM request" without its `names`
    # (a lone `prompt`): `inventory --unresolved` does not show a call on it
    hint: bool = True


@dataclass
class HttpCatalog:
    """HTTP libraries and LLM endpoints: which calls send a request, and which URLs are LLM APIs."""

    functions: dict[str, int] = field(default_factory=dict)  # qualname -> index of the URL argument
    method_args: dict[str, int] = field(default_factory=dict)  # qualname -> index of the HTTP method argument
    clients: frozenset[str] = frozenset()
    async_clients: frozenset[str] = frozenset()
    async_functions: frozenset[str] = frozenset()  # functions (of `functions`, `get_functions`) sending an awaited request
    methods: dict[str, int] = field(default_factory=dict)  # method name -> index of the URL argument
    # GET functions and client methods -> index of the URL argument: requests only to an endpoint marked `get`
    get_functions: dict[str, int] = field(default_factory=dict)
    get_methods: dict[str, int] = field(default_factory=dict)
    request_builders: frozenset[str] = frozenset()
    send_functions: frozenset[str] = frozenset()
    body_kwargs: tuple[str, ...] = ()
    body_args: dict[str, int] = field(default_factory=dict)  # request builder qualname -> index of a positional body
    # client constructor qualname -> (keyword of the base URL, its positional index or None, scheme put before a bare host)
    client_bases: dict[str, tuple[str, int | None, str]] = field(default_factory=dict)
    endpoints: tuple[HttpEndpoint, ...] = ()
    bodies: tuple[HttpEndpoint, ...] = ()  # request shapes recognised by the JSON body's keys alone
    hosts: dict[str, str] = field(default_factory=dict)
    # a word of the setting a base URL is read from -> the provider it names (`AZURE_OPENAI_ENDPOINT`: Azure)
    setting_words: dict[str, str] = field(default_factory=dict)
    # hosts of services that run no model: a body shape posted there is no LLM request
    non_llm_hosts: tuple[str, ...] = ()
    non_llm_paths: tuple[str, ...] = ()  # last path segments of model servers' utility routes (/tokenize)
    websocket_apps: dict[str, int] = field(default_factory=dict)  # constructor qualname -> index of the URL argument
    websocket_methods: frozenset[str] = frozenset()  # methods of those apps that connect and send
    local_model_markers: tuple[str, ...] = ()  # source text of a module that runs a model in process
    # words of a URL's last path segment that mark a family member's request as no inference (a token, a status poll)
    family_skip_words: tuple[str, ...] = ()
    family_skip_functions: tuple[str, ...] = ()  # ... and of the name of the method sending it (`_get_token`)
    family_words: frozenset[str] = frozenset()  # words naming a package or base class for an AI service (`tts`)
    # words naming an upstream model service in a URL's names (`upstream_url`, `llm_url`): no own route
    upstream_words: tuple[str, ...] = ()

    def host_provider(self, *texts: str) -> str | None:
        """The provider whose host (`hosts`, a fragment such as `api.openai.com` or `localhost:11434`) the
        first URL text naming one names; None when none does."""
        return next((p for t in texts for frag, p in self.hosts.items() if frag in t), None)


def _http_catalog(d: dict[str, Any]) -> HttpCatalog:
    def eps(key: str) -> tuple[HttpEndpoint, ...]:
        return tuple(HttpEndpoint(api=e["api"], suffix=e.get("suffix"), contains=e.get("contains"), host=e.get("host"),
                                  provider=e.get("provider"), stream=bool(e.get("stream", False)),
                                  body=_tuple(e.get("body")), generic=bool(e.get("generic", False)),
                                  model_body=bool(e.get("model_body", False)),
                                  names=_tuple(e.get("names")), excludes=_tuple(e.get("excludes")),
                                  idle_body=tuple(sorted(e.get("idle_body", {}).items())),
                                  get=bool(e.get("get", False)), hostless=bool(e.get("hostless", False)),
                                  backend=e.get("backend"), snapshots=bool(e.get("snapshots", True)),
                                  hint=bool(e.get("hint", True)))
                     for e in d.get(key, []))

    return HttpCatalog(
        functions={k: int(v) for k, v in d.get("functions", {}).items()},
        method_args={k: int(v) for k, v in d.get("method_args", {}).items()},
        clients=frozenset(d.get("clients", ())),
        async_clients=frozenset(d.get("async_clients", ())),
        async_functions=frozenset(d.get("async_functions", ())),
        methods={k: int(v) for k, v in d.get("methods", {}).items()},
        get_functions={k: int(v) for k, v in d.get("get_functions", {}).items()},
        get_methods={k: int(v) for k, v in d.get("get_methods", {}).items()},
        request_builders=frozenset(d.get("request_builders", ())),
        send_functions=frozenset(d.get("send_functions", ())),
        body_kwargs=_tuple(d.get("body_kwargs")),
        body_args={k: int(v) for k, v in d.get("body_args", {}).items()},
        client_bases={k: (v["keyword"], v.get("index"), v.get("scheme", "")) for k, v in d.get("client_bases", {}).items()},
        endpoints=eps("endpoint"),
        bodies=eps("body"),
        hosts=dict(d.get("hosts", {})),
        setting_words={k.lower(): v for k, v in d.get("setting_words", {}).items()},
        non_llm_hosts=_tuple(d.get("non_llm_hosts")),
        non_llm_paths=_tuple(d.get("non_llm_paths")),
        websocket_apps={k: int(v) for k, v in d.get("websocket_apps", {}).items()},
        websocket_methods=frozenset(d.get("websocket_methods", ())),
        local_model_markers=_tuple(d.get("local_model_markers")),
        family_skip_words=_tuple(d.get("family_skip_words")),
        family_skip_functions=_tuple(d.get("family_skip_functions")),
        family_words=frozenset(d.get("family_words", ())),
        upstream_words=_tuple(d.get("upstream_words")),
    )


@dataclass
class SdkCatalog:
    client_types: dict[str, ClientType]
    classes: NameIndex  # class qualname -> ClientType
    modules: dict[str, ClientType]  # module proxies: "openai" -> ClientType
    constructors: ConstructorIndex  # qualname -> Constructor (listed, or of a family)
    factories: dict[str, list[ClientType]]  # function qualname -> candidates by service
    session_classes: NameIndex  # qualname -> list[ClientType]
    session_functions: dict[str, list[ClientType]]
    session_methods: frozenset[str]
    inferred: list[Inferred]
    tag_kwargs: frozenset[str]
    tag_headers: frozenset[str]
    passthrough_functions: dict[str, int]
    wrappers: dict[str, tuple[int, str]]
    from_model_string: dict[str, tuple[int, str]]
    client_methods: frozenset[str]
    path_skip: frozenset[str]
    module_aliases: dict[str, str]
    langchain_infer: dict[str, str]
    # prefix-routed SDKs (LiteLLM): sdk names whose "provider/model" string names the provider, and
    # the prefix -> provider table (sdks.toml [model_prefix_routes])
    routed_sdks: frozenset[str] = frozenset()
    route_prefixes: dict[str, str] = field(default_factory=dict)
    batch: dict[str, dict[str, Any]] = field(default_factory=dict)
    http: HttpCatalog = field(default_factory=HttpCatalog)
    llm_bodies: tuple[frozenset[str], ...] = ()  # payload key sets that show an LLM request
    llm_names: tuple[str, ...] = ()  # endpoint-name words that show an LLM
    llm_name_patterns: tuple[str, ...] = ()  # endpoint-name regexes that show an LLM (a publisher model's path)
    llm_inputs: frozenset[str] = frozenset()  # an instance's input keys, an LLM's with a max-tokens key beside
    llm_caps: frozenset[str] = frozenset()  # max-tokens keys
    llm_parameters: frozenset[str] = frozenset()  # keys of a prediction's parameters that only generation takes
    frameworks: dict[str, Framework] = field(default_factory=dict)  # by sdk name (frameworks.toml)
    model_types: NameIndex = field(default_factory=NameIndex)  # annotation -> (sdk, api, provider)
    # client classes known only as types ([[sdk]] typed_clients): an annotation or an isinstance test naming
    # one declares the SDK's client; a call of the class itself builds none (tests fake clients that way)
    typed_clients: NameIndex = field(default_factory=NameIndex)
    composers: NameIndex = field(default_factory=NameIndex)  # chain builder -> argument specs
    composer_classmethods: frozenset[str] = frozenset()
    composer_packages: dict[str, str] = field(default_factory=dict)  # top package -> framework whose calls compose
    model_class_suffixes: frozenset[str] = frozenset()  # class-name endings of model classes, never composers
    agent_builders: NameIndex = field(default_factory=NameIndex)  # composer -> framework: always holds a model
    agent_prompts: NameIndex = field(default_factory=NameIndex)  # agent builder -> keyword of its system prompt
    runners: NameIndex = field(default_factory=NameIndex)  # class -> (framework, api): runs models it does not choose
    runner_args: NameIndex = field(default_factory=NameIndex)  # runner class -> argument specs handing it model objects
    spending_builds: NameIndex = field(default_factory=NameIndex)  # class -> (framework, api) of its `builds` requests
    # runner class -> {classmethod: argument specs} of classmethods opening an existing runner with model objects
    opener_args: NameIndex = field(default_factory=NameIndex)
    collectors: NameIndex = field(default_factory=NameIndex)  # class -> (framework, api): holds what is added to it
    # functions that run the coroutine they are given and return its result (`asyncio.run(make())`): argument index
    coroutine_runners: dict[str, int] = field(default_factory=dict)
    # functions returning the module named by their first argument (`importlib.import_module`, `lazy_loader.load`)
    module_loaders: frozenset[str] = frozenset({"importlib.import_module"})
    # classmethods building an instance of the class they are called on (`Client.from_service_account_info`)
    alternative_constructors: frozenset[str] = frozenset()
    # standard-library holders (`contextvars.ContextVar`, `queue.Queue`) -> (put methods, get methods,
    # default keyword or ""), and records whose attributes are their keywords (`types.SimpleNamespace`)
    holders: dict[str, tuple[frozenset[str], frozenset[str], str]] = field(default_factory=dict)
    holder_gets: frozenset[str] = frozenset()  # every holder's get methods: the calls that may take a value out
    namespaces: frozenset[str] = frozenset()
    # web-app session stores (`streamlit.session_state`) -> (put methods, get methods, attributes and
    # subscripts are keys)
    session_stores: dict[str, tuple[frozenset[str], frozenset[str], bool]] = field(default_factory=dict)
    # functions running the function at a position now (`asyncio.to_thread`), and adapters returning a
    # function that runs the one they are given (`sync_to_async`); runner_names: their last names
    thread_runners: dict[str, int] = field(default_factory=dict)
    adapters: frozenset[str] = frozenset()
    # calls that ask a person at the terminal and return the answer (`input`, `typer.confirm`)
    person_prompts: frozenset[str] = frozenset()
    # what an evaluation framework's evaluator callback returns: (package it is imported from, class name)
    evaluator_results: frozenset[tuple[str, str]] = frozenset()
    evaluator_datasets: frozenset[str] = frozenset()  # a summary evaluator's parameters holding the dataset
    # calls filling a parameter or field by calling what they are given -> (its position or -1, its keyword)
    fillers: dict[str, tuple[int, str]] = field(default_factory=dict)
    facade_words: frozenset[str] = frozenset()  # words naming an LLM facade (frameworks.toml [facades])
    facade_roles: frozenset[str] = frozenset()  # head nouns after one of those (`ModelClient`): [facades] roles
    role_models: frozenset[str] = frozenset()  # the words of those a role must follow: [facades] role_models
    # words of a method counting or splitting tokens, no request (frameworks.toml [facades.token_counting])
    token_words: frozenset[str] = frozenset()
    counting_words: frozenset[str] = frozenset()
    tokenizing_words: frozenset[str] = frozenset()
    # a by-name facade guess passing these runs a model in-process (frameworks.toml [facades.local_inference])
    local_arguments: frozenset[str] = frozenset()
    local_keywords: frozenset[str] = frozenset()
    local_moves: frozenset[str] = frozenset()
    # words of the folders holding a library's user-facing example code (frameworks.toml [examples])
    example_words: frozenset[str] = frozenset()
    # the run entries of a library's own agent classes an example calls (frameworks.toml [examples] runs)
    example_runs: frozenset[str] = frozenset()
    # library base class -> the method its `__call__` runs (frameworks.toml [facades.call_methods])
    call_methods: dict[str, str] = field(default_factory=dict)
    # decorators making a method an attribute's getter (frameworks.toml [attribute_getters]: theflow's Param.auto)
    attribute_getters: frozenset[str] = frozenset()
    # names of library decorators read as property-like when the method's return annotation names an SDK
    # client (frameworks.toml [attribute_getters] words)
    property_words: frozenset[str] = frozenset()
    # string prompt template classes: (class name, text keyword) -> filled by `.format` as str.format does
    # (frameworks.toml [prompt_templates])
    text_templates: dict[str, str] = field(default_factory=dict)
    # prompt template classes and runnable requests that mark a file building a chain on a model it is
    # handed (frameworks.toml [prompt_templates.prefilter])
    chain_templates: frozenset[str] = frozenset()
    chain_requests: frozenset[str] = frozenset()
    # framework request methods a call on an unknown receiver is listed as "not resolved" for
    # (frameworks.toml [unresolved]: every framework's `requests` but the generic ones)
    listed_requests: frozenset[str] = frozenset()
    # last words of a receiver's name that say it runs no model (frameworks.toml [unresolved] not_model_nouns)
    not_model_nouns: frozenset[str] = frozenset()
    # "LibraryClass.attr" -> the SDK client class it holds / the text it defaults to, for subclasses ([inherited])
    inherited_clients: dict[str, str] = field(default_factory=dict)
    inherited_strings: dict[str, str] = field(default_factory=dict)
    # library enum class -> {member: value}: `ModelPlatformType.OPENAI` reads as "openai" (frameworks.toml [[enum]])
    enum_members: NameIndex = field(default_factory=NameIndex)
    # decorators turning a project function into a model request ([[sdk.decorator]]: `@llm.call("openai/gpt-4o")`):
    # decorator -> (its sdk, the request, the decorated function's methods that are the request too)
    call_decorators: NameIndex = field(default_factory=NameIndex)
    # vector-database collections embedding through the function they were built with (frameworks.toml
    # [collections]): clients, builders, keyword, embeds {method: (texts keyword, vectors keyword)}
    collections: dict[str, Any] = field(default_factory=dict)
    libraries: Libraries | None = None  # frameworks.toml [libraries]

    def framework(self, sdk: str) -> Framework | None:
        """The framework whose objects `sdk` names: a catalogued one, or the guessed framework of a library
        the catalog does not know (`library:acme_agents`)."""
        fw = self.frameworks.get(sdk)
        if fw is None and self.libraries is not None and sdk.startswith(LIBRARY_PREFIX):
            return self.libraries.framework
        return fw

    def module_method(self, qualname: str) -> tuple[ClientType, tuple[str, ...]] | None:
        """Split "openai.chat.completions.create" into the module proxy and a method path."""
        parts = qualname.split(".")
        for i in range(len(parts) - 1, 0, -1):
            ct = self.modules.get(".".join(parts[:i]))
            if ct is not None:
                return ct, tuple(parts[i:])
        return None

    def canonical(self, qualname: str) -> str:
        memo = self.__dict__.get("_canonical")
        if memo is None:  # called for every resolved name: sort once, answer each name once
            memo = self.__dict__["_canonical"] = {}
            self.__dict__["_aliases_longest_first"] = sorted(self.module_aliases.items(), key=lambda kv: -len(kv[0]))
        got = memo.get(qualname)
        if got is None:
            got = qualname
            for alias, target in self.__dict__["_aliases_longest_first"]:
                if qualname == alias or qualname.startswith(alias + "."):
                    got = target + qualname[len(alias):]
                    break
            if len(memo) < 100_000:
                memo[qualname] = got
        return got


def _tuple(v: Any) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str):
        return (v,)
    return tuple(v)


def _method(d: dict[str, Any], where: str) -> Method:
    if "api" not in d:
        raise CatalogError(f"{where}: method needs an 'api'")
    return Method(
        api=d["api"],
        stream=bool(d.get("stream", False)),
        is_async=bool(d.get("async", False)),
        spends=bool(d.get("spends", True)),
        model=_tuple(d.get("model", ("model",))),
        model_position=d.get("model_position"),
        model_from_client=bool(d.get("model_from_client", False)),
        system=_tuple(d.get("system")),
        messages=d.get("messages"),
        system_in_messages=bool(d.get("system_in_messages", False)),
        returns=d.get("returns"),
        tag=_tuple(d.get("tag")),
        tag_style=d.get("tag_style"),
        llm_evidence=_tuple(d.get("llm_evidence")),
        llm_required=bool(d.get("llm_required", False)),
        local_when=tuple(sorted((k, _tuple(v)) for k, v in d.get("local_when", {}).items())),
        removed_in=d.get("removed_in"),
        cache_control_routes=_tuple(d.get("cache_control_routes")),
        no_output_cap=bool(d.get("no_output_cap", False)),
        resumed_by=_tuple(d.get("resumed_by")),
        only_models=_tuple(d.get("only_models")),
    )


# The run's cache folder, where parsed catalogs are kept as JSON (None: --no-cache). Parsing the model
# catalog's TOML takes 50 ms, a sixth of a pre-commit run; loading the same data as JSON, 1 ms. A
# parsed form is named after the hash of the TOML bytes just read (the installed package's own
# files), and used only when its MAC verifies (`tokenlint.seal`): a committed file of that name
# cannot replace the catalog.
COMPILED_DIR: Path | None = None
COMPILED_FORMAT = 2  # 2: sealed


def load_toml(path: Path) -> dict[str, Any]:
    with open(path, "rb") as fh:
        raw = fh.read()
    folder, rel = COMPILED_DIR, None
    if folder is not None:
        import hashlib
        import json

        from tokenlint import seal

        rel = f"catalog-v{COMPILED_FORMAT}/{hashlib.sha256(raw).hexdigest()[:40]}.json"
        body = seal.read(folder, rel)
        try:
            data = json.loads(body) if body is not None else None
        except ValueError:
            data = None
        if isinstance(data, dict):
            return data
    data = tomllib.loads(raw.decode("utf-8"))
    if folder is not None and rel is not None:
        _save_compiled(folder, rel, data)
    return data


def _save_compiled(folder: Path, rel: str, data: dict[str, Any]) -> None:
    import json

    from tokenlint import seal

    try:
        text = json.dumps(data, separators=(",", ":"))
    except (TypeError, ValueError):
        return  # a TOML date or time has no JSON form: parse the TOML every time
    seal.write(folder, rel, text.encode("utf-8"))


@lru_cache(maxsize=1)
def builtin_sdk_data() -> dict[str, Any]:
    return load_toml(HERE / "sdks.toml")


@lru_cache(maxsize=1)
def builtin_framework_data() -> dict[str, Any]:
    return load_toml(HERE / "frameworks.toml")


def _frameworks(data: dict[str, Any], cat: "SdkCatalog") -> None:
    """Fill the catalog's framework tables from frameworks.toml's [[framework]] entries."""
    coll = data.get("collections")
    if coll:
        cat.collections = {"clients": frozenset(coll["clients"]), "builders": frozenset(coll["builders"]),
                           "keyword": coll["keyword"], "embeds": {k: tuple(v) for k, v in coll["embeds"].items()}}
    for f in data.get("framework", []):
        name = f["name"]
        cat.frameworks[name] = Framework(
            name=name, requests=frozenset(f.get("requests", ())), embed_requests=frozenset(f.get("embed_requests", ())),
            stream=frozenset(f.get("stream", ())), is_async=frozenset(f.get("async", ())),
            combinators=frozenset(f.get("combinators", ())),
            joins={k: _tuple(v) for k, v in f.get("joins", {}).items()},
            config_kwarg=f.get("config_kwarg"), tag_style=f.get("tag_style"),
            config_methods=frozenset(f.get("config_methods", ())),
            inferred=tuple((_tuple(x.get("receivers")), frozenset(x.get("methods", ())), x.get("api", "chat_model"),
                            bool(x.get("needs_module_import", False))) for x in f.get("inferred", [])),
            first_params=dict(f.get("first_params", {})),
            builds=frozenset(f.get("builds", ())), build_args=_tuple(f.get("build_args")),
            held_only=bool(f.get("held_only", False)),
            handed_or_default=bool(f.get("handed_or_default", False)),
            default_provider=f.get("default_provider"),
            model_holding_runners=frozenset(f.get("model_holding_runners", ())),
            prefilter=f.get("prefilter"),
            inferred_needs_import=bool(f.get("inferred_needs_import", False)),
            local_first=bool(f.get("local_first", False)),
            generic_types=frozenset(f.get("generic_types", ())),
            collect={k: _tuple(v) for k, v in f.get("collect", {}).items()},
            request_apis=dict(f.get("request_apis", {})),
            runner_kinds=frozenset(f.get("runners", {}).values()),
            own_embeds=frozenset(f.get("own_embeds", ())),
            builds_need_runners=bool(f.get("builds_need_runners", False)),
            model_settings={k: dict(v) for k, v in f.get("model_settings", {}).items()},
            converts={k: (str(v[0]), str(v[1])) for k, v in f.get("converts", {}).items()},
            caller_methods=frozenset(f.get("caller_methods", ())),
            marker_methods=frozenset(f.get("marker_methods", ())),
            internal_requests=frozenset(f.get("internal_requests", ())),
            internal_reaches={k: _tuple(v) for k, v in f.get("internal_reaches", {}).items()},
            request_args={k: _tuple(v) for k, v in f.get("request_args", {}).items()},
            listing_args={k: _tuple(v) for k, v in f.get("listing_args", {}).items()},
            plugin_requests=dict(f.get("plugin_requests", {})),
            plugin_adders={k: (_tuple(v[0]), _tuple(v[1])) for k, v in f.get("plugin_adders", {}).items()})
        for qual, (api, provider) in f.get("model_types", {}).items():
            cat.model_types.add(qual, (name, api, provider))
        for qual, specs in f.get("composers", {}).items():
            cat.composers.add(qual, (name, _tuple(specs)))
        cat.composer_classmethods = cat.composer_classmethods | frozenset(f.get("composer_classmethods", ()))
        for pkg in f.get("composer_packages", ()):
            cat.composer_packages[pkg] = name
        cat.model_class_suffixes = cat.model_class_suffixes | frozenset(f.get("model_class_suffixes", ()))
        for qual in f.get("agent_builders", ()):
            cat.agent_builders.add(qual, name)
        for qual, keyword in f.get("agent_prompts", {}).items():
            cat.agent_prompts.add(qual, str(keyword))
        for qual, api in f.get("runners", {}).items():
            cat.runners.add(qual, (name, api))
        for qual, specs in f.get("runner_args", {}).items():
            cat.runner_args.add(qual, _tuple(specs))
        for qual, api in f.get("spending_builds", {}).items():
            cat.spending_builds.add(qual, (name, api))
        for qual, methods in f.get("opener_args", {}).items():
            cat.opener_args.add(qual, {m: _tuple(specs) for m, specs in methods.items()})
        for qual, api in f.get("collectors", {}).items():
            cat.collectors.add(qual, (name, api))
    for e in data.get("enum", []):
        for qual in e.get("classes", ()):
            cat.enum_members.add(qual, dict(e.get("members", {})))
    cat.facade_words = frozenset(data.get("facades", {}).get("words", ()))
    cat.facade_roles = frozenset(data.get("facades", {}).get("roles", ()))
    cat.role_models = frozenset(data.get("facades", {}).get("role_models", ()))
    cat.call_methods = dict(data.get("facades", {}).get("call_methods", {}))
    counting = data.get("facades", {}).get("token_counting", {})
    cat.token_words = frozenset(counting.get("tokens", ()))
    cat.counting_words = frozenset(counting.get("counting", ()))
    cat.tokenizing_words = frozenset(counting.get("tokenizing", ()))
    local = data.get("facades", {}).get("local_inference", {})
    cat.local_arguments = frozenset(local.get("arguments", ()))
    cat.local_keywords = frozenset(local.get("keywords", ()))
    cat.local_moves = frozenset(local.get("moves", ()))
    cat.example_words = frozenset(data.get("examples", {}).get("words", ()))
    cat.example_runs = frozenset(data.get("examples", {}).get("runs", ()))
    cat.attribute_getters = frozenset(data.get("attribute_getters", {}).get("decorators", ()))
    cat.property_words = frozenset(data.get("attribute_getters", {}).get("words", ()))
    cat.text_templates = dict(data.get("prompt_templates", {}).get("text_keywords", {}))
    chained = data.get("prompt_templates", {}).get("prefilter", {})
    cat.chain_templates = frozenset(chained.get("classes", ()))
    cat.chain_requests = frozenset(chained.get("requests", ()))
    # request methods worth listing when their receiver is unknown: every framework's, but the generic ones
    listing = data.get("unresolved", {})
    cat.listed_requests = (frozenset(m for f in cat.frameworks.values() for m in f.requests)
                           | frozenset(listing.get("uncatalogued_requests", ()))) - frozenset(listing.get("generic_requests", ()))
    cat.not_model_nouns = frozenset(listing.get("not_model_nouns", ()))
    lib = data.get("libraries")
    if lib is not None:
        cat.libraries = Libraries(
            framework=Framework(name=LIBRARY_PREFIX, requests=frozenset(lib.get("requests", ())),
                                embed_requests=frozenset(lib.get("embed_requests", ())),
                                stream=frozenset(lib.get("stream", ())),
                                is_async=frozenset(lib.get("async", ())), combinators=frozenset(), joins={},
                                guessed=True),
            not_spending=frozenset(lib.get("not_spending", ())), local_packages=frozenset(lib.get("local_packages", ())),
            recording_packages=frozenset(lib.get("recording_packages", ())),
            free_packages=frozenset(lib.get("free_packages", ())),
            input_packages=frozenset(lib.get("input_packages", ())),
            prompt_arguments=frozenset(lib.get("prompt_arguments", ())), model_words=frozenset(lib.get("model_words", ())),
            client_words=frozenset(lib.get("client_words", ())),
            builder_verbs=frozenset(lib.get("builder_verbs", ())), builder_nouns=frozenset(lib.get("builder_nouns", ())),
            listed=frozenset(lib.get("requests", ())) - frozenset(listing.get("generic_requests", ()))
            - frozenset(lib.get("everyday_verbs", ())))


def build_sdk_catalog(extra_sdks: tuple[dict[str, Any], ...] = ()) -> SdkCatalog:
    data = builtin_sdk_data()
    fw_data = builtin_framework_data()
    entries = list(data.get("sdk", [])) + list(fw_data.get("sdk", [])) + list(extra_sdks)
    client_types: dict[str, ClientType] = {}
    classes = NameIndex()
    typed_clients = NameIndex()
    modules: dict[str, ClientType] = {}
    constructors = ConstructorIndex()
    factories: dict[str, list[ClientType]] = {}
    session_classes_map: dict[str, list[ClientType]] = {}
    session_functions: dict[str, list[ClientType]] = {}
    session_methods: set[str] = set()
    method_tables: dict[str, dict[str, Method]] = {}
    decorators: list[tuple[str, Any]] = []

    for i, e in enumerate(entries):
        name = e.get("name") or f"sdk{i}"
        where = f"sdk '{name}'"
        if "provider" not in e:
            raise CatalogError(f"{where}: needs a 'provider'")
        methods: dict[str, Method] = {}
        for m in e.get("method", []):
            meth = _method(m, where)
            for p in _tuple(m.get("paths")):
                methods[p] = meth
        method_tables[name] = methods
        ct = ClientType(
            name=name,
            provider=e["provider"],
            source=e.get("source", ""),
            checked=e.get("checked", ""),
            methods=methods,
            async_classes=frozenset(e.get("async_clients", ())),
            class_providers=dict(e.get("client_providers", {})),
            module_providers={k: dict(v) for k, v in e.get("module_providers", {}).items()},
            backend_kwarg=e.get("backend_kwarg"),
            framework_helpers=bool(e.get("framework_helpers", False)),
            async_prefix=e.get("async_prefix"),
            client_model=_tuple(e.get("client_model")),
            client_model_position=e.get("client_model_position"),
            client_system=_tuple(e.get("client_system")),
            client_default_model=e.get("client_default_model"),
            service=e.get("service"),
            tag_style=e.get("tag_style"),
            prefilter=e.get("prefilter"),
            packages=frozenset(package_name(p) for p in _tuple(e.get("packages"))),
            packages_shared=bool(e.get("packages_shared", False)),
        )
        client_types[name] = ct
        for c in e.get("clients", ()):
            classes.add(c, ct)
        for c in e.get("typed_clients", ()):
            typed_clients.add(c, ct)
        for mod in e.get("modules", ()):
            modules[mod] = ct
        for f in e.get("factories", ()):
            factories.setdefault(f, []).append(ct)
        for s in e.get("session_classes", ()):
            session_classes_map.setdefault(s, []).append(ct)
        for s in e.get("session_functions", ()):
            session_functions.setdefault(s, []).append(ct)
        session_methods.update(e.get("session_methods", ()))
        for c in e.get("constructor", []):
            con = Constructor(
                provider=c.get("provider", e["provider"]),
                sdk=name,
                api=c.get("api", "chat_model"),
                model=_tuple(c.get("model", ("model",))),
                model_position=c.get("model_position"),
                default_model=c.get("default_model"),
                provider_kwarg=c.get("provider_kwarg"),
                provider_position=c.get("provider_position"),
                tag_style=c.get("tag_style", e.get("tag_style")),
                provider_prefix=c.get("provider_prefix"),
                provider_names=tuple(sorted(c.get("provider_names", {}).items())),
                wraps_models=bool(c.get("wraps_models", False)),
                model_needed=bool(c.get("model_needed", False)),
                binds_when_handed=bool(c.get("binds_when_handed", False)),
                local_prefixes=_tuple(c.get("local_prefixes")),
                local_models=_tuple(c.get("local_models")),
                provider_objects=tuple(sorted(c.get("provider_objects", {}).items())),
                local_providers=_tuple(c.get("local_providers")),
                local_unless=c.get("local_unless"),
                model_markers=_tuple(c.get("model_markers")),
                provider_split=bool(c.get("provider_split", False)),
                default_without=c.get("default_without"),
                string_models_only=bool(c.get("string_models_only", False)),
                config_only=bool(c.get("config_only", False)),
                reads_config=bool(c.get("reads_config", False)),
                sibling_models=bool(c.get("sibling_models", True)),
                model_in=_tuple(c.get("model_in")),
                model_in_keys=_tuple(c.get("model_in_keys")),
                config_models=_tuple(c.get("config_models")),
                config_servers=_tuple(c.get("config_servers")),
                server_default_model=c.get("server_default_model"),
            )
            for cls in _tuple(c.get("classes")):
                constructors.add(cls, con)
        # decorator entries: a library decorator making each call of the function it decorates a request
        for d in e.get("decorator", []):
            meth = _method(d, where)
            for qual in _tuple(d.get("names")):
                decorators.append((qual, (ct, meth, frozenset(d.get("methods", ())))))
        # function entries: a module-level function that is a site by itself (in-house SDKs)
        for f in e.get("function", []):
            meth = _method(f, where)
            for qual in _tuple(f.get("names")):
                mod, _, fn = qual.rpartition(".")
                proxy = modules.get(mod)
                if proxy is None:
                    proxy = ClientType(name=f"{name}:{mod}", provider=e["provider"], source=ct.source,
                                       checked=ct.checked)
                    modules[mod] = proxy
                proxy.methods[fn] = meth

    for e in entries:
        base = e.get("methods_from")
        if base:
            if base not in method_tables:
                raise CatalogError(f"sdk '{e.get('name')}': methods_from unknown sdk '{base}'")
            client_types[e["name"]].methods = {**method_tables[base], **client_types[e["name"]].methods}

    for fam in list(data.get("constructor_family", [])) + list(fw_data.get("constructor_family", [])):
        base = next((e for e in entries if e.get("name") == fam["sdk"]), {})
        constructors.families.append(ConstructorFamily(
            sdk=fam["sdk"],
            modules=tuple(fam.get("modules", {}).items()),
            packages=fam.get("packages", ""),
            names=tuple((str(k), str(v)) for k, v in fam.get("names", [])),
            skip_packages=frozenset(fam.get("skip_packages", ())),
            skip_names=_tuple(fam.get("skip_names")),
            providers=tuple((k.lower(), v) for k, v in fam.get("providers", {}).items()),
            model=_tuple(fam.get("model", ("model",))),
            tag_style=base.get("tag_style"),
        ))

    for own in load_toml(HERE / "output_caps.toml").get("own_cap", ()):
        for cls in _tuple(own.get("classes")):
            con = constructors.get(cls)
            if con is None:
                raise CatalogError(f"output_caps.toml own_cap: '{cls}' is no catalogued model class")
            constructors.override(cls, replace(con, own_cap=own["sends"]))

    session_classes = NameIndex()
    for k, v in session_classes_map.items():
        session_classes.add(k, v)

    inferred = [
        Inferred(chain=tuple(x["chain"].split(".")), sdk=x["sdk"], kwargs=frozenset(x.get("kwargs", ())),
                 forbid=frozenset(x.get("forbid", ())), alone=bool(x.get("alone", False)))
        for x in data.get("inferred", [])
    ]
    tags = data.get("tags", {})
    pt = data.get("passthrough", {})
    cat = SdkCatalog(
        client_types=client_types,
        classes=classes,
        modules=modules,
        constructors=constructors,
        factories=factories,
        session_classes=session_classes,
        session_functions=session_functions,
        typed_clients=typed_clients,
        session_methods=frozenset(session_methods),
        inferred=inferred,
        tag_kwargs=frozenset(tags.get("kwargs", ())),
        tag_headers=frozenset(h.lower() for h in tags.get("headers", ())),
        passthrough_functions=dict(pt.get("functions", {})),
        coroutine_runners=dict(pt.get("coroutine_runners", {})),
        module_loaders=frozenset(pt.get("module_loaders", ("importlib.import_module",))),
        alternative_constructors=frozenset(pt.get("alternative_constructors", ())),
        holders={k: (frozenset(v["put"]), frozenset(v["get"]), v.get("default", ""))
                 for k, v in pt.get("holders", {}).items()},
        holder_gets=frozenset(m for v in (*pt.get("holders", {}).values(), *pt.get("session_stores", {}).values())
                              for m in v["get"]),
        namespaces=frozenset(pt.get("namespaces", ())),
        session_stores={k: (frozenset(v["put"]), frozenset(v["get"]), bool(v.get("items")))
                        for k, v in pt.get("session_stores", {}).items()},
        thread_runners=dict(pt.get("thread_runners", {})),
        adapters=frozenset(pt.get("adapters", ())),
        person_prompts=frozenset(pt.get("person_prompts", ())),
        evaluator_results=frozenset((pkg, str(n)) for pkg, names in pt.get("evaluator_results", {}).items()
                                    for n in names),
        evaluator_datasets=frozenset(pt.get("evaluator_datasets", ())),
        fillers={k: (int(v[0]), str(v[1])) for k, v in pt.get("fillers", {}).items()},
        wrappers={k: (int(v[0]), str(v[1])) for k, v in pt.get("wrappers", {}).items()},
        from_model_string={k: (int(v[0]), str(v[1])) for k, v in pt.get("from_model_string", {}).items()},
        client_methods=frozenset(pt.get("client_methods", ())),
        path_skip=frozenset(pt.get("path_skip", ())),
        module_aliases=dict(pt.get("module_aliases", {})),
        langchain_infer=dict(data.get("langchain_infer", {})),
        routed_sdks=frozenset(data.get("model_prefix_routes", {}).get("sdks", ())),
        route_prefixes=dict(data.get("model_prefix_routes", {}).get("prefixes", {})),
        batch=dict(data.get("batch", {})),
        http=_http_catalog(data.get("http", {})),
        llm_bodies=tuple(frozenset(b) for b in data.get("llm_evidence", {}).get("bodies", ())),
        llm_names=tuple(data.get("llm_evidence", {}).get("names", ())),
        llm_name_patterns=tuple(data.get("llm_evidence", {}).get("name_patterns", ())),
        llm_inputs=frozenset(data.get("llm_evidence", {}).get("inputs", ())),
        llm_caps=frozenset(data.get("llm_evidence", {}).get("caps", ())),
        llm_parameters=frozenset(data.get("llm_evidence", {}).get("parameters", ())),
        inherited_clients=dict(data.get("inherited", {}).get("clients", {})),
        inherited_strings=dict(data.get("inherited", {}).get("strings", {})),
    )
    _frameworks(fw_data, cat)
    for qual, entry in decorators:
        cat.call_decorators.add(qual, entry)
    return cat


# ------------------------------------------------------------------ model catalog


@dataclass(frozen=True)
class ModelInfo:
    id: str
    provider: str
    kind: str  # snapshot | alias | floating | router | preview
    points_to: str | None = None
    tier: str | None = None
    released: str | None = None
    retires: str | None = None
    retired: bool = False
    successor: str | None = None
    cache_min_tokens: int | None = None
    price_input: float | None = None
    price_cached_input: float | None = None
    price_output: float | None = None
    batch_discount: float | None = None
    source: str = ""
    checked: str = ""
    uncertain: bool = False

    @property
    def pinned(self) -> bool:
        return self.kind == "snapshot"


@dataclass(frozen=True)
class Rejects:
    """Request parameters a provider rejects for some of its models (models.toml [[rejects]])."""

    provider: str
    models: tuple[str, ...]  # fnmatch globs over the model id
    params: tuple[str, ...]
    allowed: tuple[tuple[str, Any], ...] = ()  # (param, a value still accepted)
    sdks: tuple[str, ...] = ()  # only through these SDKs (any when empty)
    apis: tuple[str, ...] = ()  # only on these APIs (any when empty)
    except_sdks: tuple[str, ...] = ()  # SDKs that translate the parameter themselves

    def applies(self, info: ModelInfo, sdk: str | None, api: str | None) -> bool:
        return (info.provider == self.provider and any(fnmatch.fnmatchcase(info.id, g) for g in self.models)
                and (not self.sdks or sdk in self.sdks) and (not self.apis or api in self.apis)
                and sdk not in self.except_sdks)


NOT_LITERAL = object()  # a parameter passed with a value that is not a literal


@dataclass
class ModelCatalog:
    models: dict[str, ModelInfo]
    patterns: list[tuple[str, str, str]]  # (provider, glob, kind)
    # the prompt-cache minimum in tokens per provider, for a model the catalog does not know
    # ([[cache_default]]; "default" for a provider it has no entry for)
    cache_defaults: dict[str, int] = field(default_factory=dict)
    rejects: tuple[Rejects, ...] = ()

    def rejected(self, info: ModelInfo, passed: dict[str, Any], sdk: str | None = None,
                 api: str | None = None) -> tuple[str, ...]:
        """The parameters of `passed` (name -> literal value, or NOT_LITERAL) that the provider rejects
        for model `info` on this SDK and API (a value listed as `allowed` is accepted)."""
        out: list[str] = []
        for r in self.rejects:
            if not r.applies(info, sdk, api):
                continue
            for name in r.params:
                if name not in passed or name in out:
                    continue
                value = passed[name]
                if value is not NOT_LITERAL and any(p == name and v == value for p, v in r.allowed):
                    continue
                out.append(name)
        return tuple(out)

    # Prefixes that route a request without changing the model (Bedrock inference profiles,
    # LiteLLM "provider/" prefixes, Vertex "@version" suffixes are handled in lookup).
    _ROUTE_PREFIXES = ("us.", "eu.", "apac.", "jp.", "au.", "us-gov.", "global.", "ca.", "uk.")

    def lookup(self, model_id: str) -> ModelInfo | None:
        m = self.models.get(model_id)
        if m is not None:
            return m
        mid = model_id
        if "/" in mid:  # litellm "anthropic/claude-..." and openrouter-style ids
            mid = mid.rsplit("/", 1)[1]
            m = self.models.get(mid)
            if m is not None:
                return m
        for p in self._ROUTE_PREFIXES:
            if mid.startswith(p):
                m = self.models.get(mid[len(p):])
                if m is not None:
                    return m
        return None

    def largest_cache_minimum(self, provider: str) -> int | None:
        """The largest prompt-cache minimum among the provider's models that are not retired: a prompt
        at least this long can be cached whichever of them runs (None when none has a minimum)."""
        found = [m.cache_min_tokens for m in self.models.values()
                 if m.provider == provider and not m.retired and m.cache_min_tokens]
        return max(found) if found else None

    def priced(self, model_id: str) -> ModelInfo | None:
        """The entry that carries the model's price: itself, its target, or the alias naming it."""
        info = self.lookup(model_id)
        if info is None:
            return None
        if info.price_input is not None:
            return info
        target = self.models.get(info.points_to) if info.points_to else None
        if target is not None and target.price_input is not None:
            return target
        for other in self.models.values():
            if other.points_to == info.id and other.price_input is not None:
                return other
        return None

    def kind_of(self, model_id: str) -> str | None:
        """snapshot / alias / floating / router / preview, or None when unknown."""
        m = self.lookup(model_id)
        if m is not None:
            return m.kind
        low = model_id.lower()
        for _provider, glob, kind in self.patterns:
            if fnmatch.fnmatchcase(low, glob):
                return kind
        return None

    def is_pinned(self, model_id: str) -> bool | None:
        kind = self.kind_of(model_id)
        if kind is None:
            return None
        return kind == "snapshot"


def _model_entry(d: dict[str, Any]) -> ModelInfo:
    fields = ModelInfo.__dataclass_fields__
    return ModelInfo(**{k: v for k, v in d.items() if k in fields})


@lru_cache(maxsize=4)
def load_model_catalog(path: str | None = None) -> ModelCatalog:
    src = Path(path) if path else HERE / "models.toml"
    if not src.exists():
        return ModelCatalog(models={}, patterns=[])
    data = load_toml(src)
    models = {}
    for d in data.get("model", []):
        if "id" in d and "provider" in d and "kind" in d:
            models[d["id"]] = _model_entry(d)
    patterns = [(p.get("provider", ""), p["glob"].lower(), p.get("kind", "floating"))
                for p in data.get("pattern", []) if "glob" in p]
    cache_defaults = {d["provider"]: int(d["cache_min_tokens"]) for d in data.get("cache_default", [])
                      if "provider" in d and isinstance(d.get("cache_min_tokens"), int)}
    rejects = tuple(Rejects(d["provider"], _tuple(d.get("models")), _tuple(d.get("params")),
                            tuple(sorted((d.get("allowed") or {}).items())), _tuple(d.get("sdks")),
                            _tuple(d.get("apis")), _tuple(d.get("except_sdks")))
                    for d in data.get("rejects", []) if "provider" in d and d.get("models") and d.get("params"))
    return ModelCatalog(models=models, patterns=patterns, cache_defaults=cache_defaults, rejects=rejects)
