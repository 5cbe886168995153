"""Which calls of a library the catalog does not know spend: those handed a model choice.

A reader who meets `Agent(model="gpt-4o-mini").run(task)` from a package they have never seen still
knows what it does: the object was given a model, so asking it to run spends. This module reasons the
same way, on evidence only, for a class or function of a third-party package that the catalog does not
model (not the standard library, not the project's own, not a local-model package, named neither as
data nor as a token counter, a price table or a config; never a test double):

- a class handed a catalogued model id (`models.toml`, also "openai/gpt-4o" / "anthropic:claude-..."),
  through constants, settings defaults and parameters as any model argument is read, or an LLM client
  (`llm_client=OpenAI()`): its construction is an inferred `binding`, and the object an inferred model
  holder whose request verbs (`run`, `step`, `measure`, ... catalog `[libraries] requests`) are inferred
  `request` sites pointing at that binding;
- a class handed a framework model object holding a binding (`Judge(model=ChatOpenAI())`): a holder of
  that binding, whose request verbs are inferred requests on it;
- a function, or a method of a library object, handed a model id (or an LLM object) together with a
  prompt-shaped argument (`acme.get_response(model="claude-sonnet-4-5", messages=[...])`): an inferred
  request itself.

Only calls whose callee passes the cheap name and package tests have their arguments read, and an
argument is evaluated only when its keyword (or name) speaks of a model, or when it is a literal
string, a name or a call that may hold an LLM object: no pass over the project of its own.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from tokenlint.catalog import LIBRARY_PREFIX, Constructor, load_model_catalog
from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.evidence import MOCK_WORDS
from tokenlint.resolve.facades import name_words
from tokenlint.resolve.prompts import hosted_ai
from tokenlint.resolve.scope import Scope
from tokenlint.resolve.sdk import _provider_name
from tokenlint.resolve.site import CallSite
from tokenlint.resolve.values import Client, OneOf, Runnable, Value

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import Libraries, SdkCatalog

# model catalog kinds that name no model a request would run (a single-model server's placeholder, an
# id an SDK type lists but the API refuses)
NOT_MODELS = ("placeholder", "invalid")


@dataclass(frozen=True)
class Handed:
    """The model choice a library call is handed: a model id (`con`: the synthetic constructor reading it,
    with its provider), an LLM client (`con` too), or a framework model object holding bindings (`held`)."""

    kind: str  # model | client | object
    con: Optional[Constructor] = None
    held: Optional[Runnable] = None


class LibraryMixin:
    """The `Resolver`'s reading of libraries the catalog does not know (a mixin over `infer`, the argument
    classification and the framework sites)."""

    catalog: "SdkCatalog"

    # values ------------------------------------------------------------------
    def library_holder(self, qual: str, call: ast.Call, scope: Scope) -> Optional[Runnable]:
        """What building class `qual` of an uncatalogued library gives when it is handed a model choice:
        a model holder of the guessed framework (`library:<package>`), else None."""
        if not call.args and not call.keywords:
            return None
        handed = self._handed_choice(qual, call, scope, True)
        if handed is None:
            return None
        sdk = LIBRARY_PREFIX + qual.split(".", 1)[0]
        if handed.held is not None:  # it runs the model object it was given
            h = handed.held
            return Runnable(sdk, h.api, h.provider, h.models, (*h.calls, (call, scope)), partial=h.partial,
                            passed=h.passed)
        con = handed.con
        assert con is not None
        return Runnable(sdk, con.api, con.provider, ((call, scope, con),), ((call, scope),))

    def builds_holder(self, name: str) -> bool:
        """Whether a library callable called `name` builds an object rather than asks one: a class
        (`Agent`), or a builder function (`create_deep_agent`, `build_chain`: a builder verb first, a holder
        noun last, catalog `[libraries] builder_verbs` / `builder_nouns`)."""
        if _is_class_name(name):
            return True
        lib = self.catalog.libraries
        words = name_words(name)
        return lib is not None and len(words) > 1 and words[0] in lib.builder_verbs and words[-1] in lib.builder_nouns

    # sites -------------------------------------------------------------------
    def _library_call(self, rec: CallRecord, qual: str) -> Optional[CallSite]:
        """A call of external name `qual` that nothing in the catalog knows: the inferred binding of a class
        (or a builder function) handed a model id or a client, or the inferred request of a function handed a model choice and a
        prompt; else None."""
        call, scope = rec.node, rec.scope
        last = qual.rpartition(".")[2]
        if self.builds_holder(last):
            handed = self._handed_choice(qual, call, scope, True)
            if handed is None or handed.con is None:
                return None  # (a model object handed over is the binding itself)
            return self._constructor(rec, handed.con)  # type: ignore[attr-defined]
        return self._library_request(rec, qual, last)

    def _library_method(self, rec: CallRecord, qual: str) -> Optional[CallSite]:
        """`spice.get_response(model=..., messages=[...])` on an object a library built (`qual`: the class or
        function that built it) with no model choice of its own: an inferred request when this call is
        handed one and a prompt; else None."""
        f = rec.node.func
        return self._library_request(rec, qual, f.attr) if isinstance(f, ast.Attribute) else None

    def _library_request(self, rec: CallRecord, qual: str, name: str) -> Optional[CallSite]:
        """The inferred request of a call named `name` (a function of `qual`'s library, or a method of an
        object `qual` built) handed a prompt and a model choice; a "framework?" guess when its model
        argument is none tokenlint can read; else None."""
        call, scope = rec.node, rec.scope
        lib = self.catalog.libraries
        if lib is None or not self._unknown_library(qual) or not _prompt_shaped(call, lib) or \
                not self._spending_name(name, lib):
            return None
        handed = self._handed_choice(qual, call, scope, False)
        if handed is None:
            if name in lib.framework.requests and any(speaks for _spec, _e, speaks in _choice_arguments(call, lib)):
                # a request verb handed a model argument tokenlint cannot read (a parameter, a setting) and a
                # prompt: a guess (not a logger's `debug(model=..., prompt=...)`, a route's `get(response_model=...)`);
                # the arguments are the evidence, so an everyday name (`get_response`) is listed too
                self.withhold(call, f".{name}(...) of {qual.split('.', 1)[0]} (a library the catalog does not know) "  # type: ignore[attr-defined]
                                    "is handed a model and a prompt; the model is no id the catalog knows",
                              "framework?")
            return None
        fw = lib.framework
        sdk = LIBRARY_PREFIX + qual.split(".", 1)[0]
        if handed.held is not None:  # `summarize(llm=llm, prompt=...)`: a request of that model object's binding
            site = self._request_site(rec, handed.held, name, fw)  # type: ignore[attr-defined]
            site.confidence = "inferred"
            return site
        con = handed.con
        assert con is not None
        model = self._model_arg(call, scope, con.model, con.model_position, None)  # type: ignore[attr-defined]
        embeds = any(w.startswith("embed") for w in name_words(name)) or con.api == "embeddings_model"
        # a hosted AI service's client handed over (`call_textract(..., boto3_textract_client=client)`): a
        # request of that service's kind, not a chat
        api = "embeddings" if embeds else con.api if hosted_ai(con.api) else "chat"
        site = self._base(rec, con.provider, sdk, api, "direct", "inferred", model,  # type: ignore[attr-defined]
                          name in fw.is_async, name in fw.stream, True)
        self._tags(site, [(call, scope)], rec)  # type: ignore[attr-defined]
        site.forwards = self._forwards(site)  # type: ignore[attr-defined]
        return site

    # evidence ----------------------------------------------------------------
    def _handed_choice(self, qual: str, call: ast.Call, scope: Scope, built: bool) -> Optional[Handed]:
        """The model choice `call` of uncatalogued `qual` is handed (`built`: a class being built), memoized
        per call; None when `qual` may not be read so (a catalogued or local package, a name saying data,
        counting or config, a test double), when no argument is a model choice, or when a class of a
        package declaring the program's inputs is built with a model id."""
        memo = self.__dict__.setdefault("_library_handed", {})
        if call in memo:
            return memo[call]
        got = self._read_handed(qual, call, scope, built) if self._unknown_library(qual) else None
        if got is not None and built and got.kind == "model" and self._declares_input(qual):
            got = None
        memo[call] = got
        return got

    def _declares_input(self, qual: str) -> bool:
        """Whether `qual` is of a package declaring the program's inputs (FastAPI's `Form("gpt-4o")`, a
        Typer option, a Streamlit widget; catalog `[libraries] input_packages`): a model id handed to it
        is the input's default, and the object it builds sends nothing (a client it is handed, FastAPI's
        `Depends(get_llm)`, and a request on one of its objects, `request.app.state.llm.create(model=...)`,
        are still followed)."""
        lib = self.catalog.libraries
        return lib is not None and qual.split(".", 1)[0] in lib.input_packages

    def _read_handed(self, qual: str, call: ast.Call, scope: Scope, built: bool) -> Optional[Handed]:
        lib = self.catalog.libraries
        assert lib is not None
        last = qual.rpartition(".")[2]
        if built and not self._spending_name(last, lib):
            return None
        sdk = LIBRARY_PREFIX + qual.split(".", 1)[0]
        found: Optional[Handed] = None
        for spec, e, speaks in _choice_arguments(call, lib):
            # the model choice is an argument that says so (`model=`, `llm_model=`, a name `model_name`) or a
            # positional literal (`Agent("gpt-4o")`); a literal given as a `default=` or `value=` declares a
            # field, a form choice or a setting (`Field(default="gpt-4o")`, `Choice(value="gpt-4")`)
            if speaks or (isinstance(spec, int) and isinstance(e, ast.Constant) and isinstance(e.value, str)):
                arg = self._classify(e, scope)  # type: ignore[attr-defined]
                named = next((m for m in arg.names() if self._catalogued_model(m)), None)
                if named is not None:
                    # an embedding model (`OpenAIEmbedding(model="text-embedding-3-small")`): its requests embed
                    embeds = any(w.startswith("embed") for w in (*name_words(last), *name_words(named)))
                    con = _constructor(sdk, self._catalogued_model(named), spec,  # type: ignore[arg-type]
                                       "embeddings_model" if embeds else "chat_model")
                    return Handed("model", con)
            if found is None and (speaks or _names_client(spec, e, lib) or _builds_object(e)):
                v = self.infer(e, scope)  # type: ignore[attr-defined]
                client = _client_of(v)
                if client is not None:
                    found = Handed("client", _constructor(sdk, client.provider, None, _service_api(client)))
                elif type(v) is Runnable and v.models and not v.no_model and v.api != "embeddings_model":
                    found = Handed("object", held=v)
        return found

    def _catalogued_model(self, text: str) -> Optional[str]:
        """The provider of a model id the model catalog knows (`gpt-4o`, `openai/gpt-4o`,
        `anthropic:claude-sonnet-4-5`: the prefix names it), else None."""
        memo = self.__dict__.setdefault("_catalogued_models", {})
        got = memo.get(text, False)
        if got is not False:
            return got
        prefix, sep, rest = text.partition(":")
        if not sep or "/" in prefix:
            prefix, sep, rest = text.rpartition("/")
        info = load_model_catalog(None).lookup(rest if sep else text)
        if info is None or info.kind in NOT_MODELS:
            got = None
        else:
            got = _provider_name(prefix.rpartition("/")[2]) if sep and prefix else info.provider
        memo[text] = got
        return got

    def _spending_name(self, name: str, lib: "Libraries") -> bool:
        """Whether a callable called `name` may spend: no word of it speaks of counting, cost, encoding,
        limits or config (`encoding_for_model`, `token_counter`, `get_model_info`), its last word does not
        name data (`ChatMessage`, `build_prompt`) unless it is a request verb (`get_response`), and it is no
        test double (`MockLLM`)."""
        words = name_words(name)
        if not words or any(w in lib.not_spending or w in MOCK_WORDS for w in words):
            return False
        # (a request verb's last word may be a noun of data: `get_response` returns one)
        return words[-1] not in self.catalog.not_model_nouns or name in lib.framework.requests

    def _unknown_library(self, qual: str) -> bool:
        """Whether `qual` is a name of a third-party package the catalog does not model: not the standard
        library, not the project's own, not a package of any SDK, framework or HTTP client the catalog
        lists, not a local-model package, one that records requests (tracing) nor a free unofficial client
        (g4f); memoized per top-level package."""
        top = qual.split(".", 1)[0]
        memo = self.__dict__.setdefault("_unknown_tops", {})
        got = memo.get(top)
        if got is None:
            lib = self.catalog.libraries
            project = self.project  # type: ignore[attr-defined]
            got = memo[top] = lib is not None and bool(top) and not top.startswith("_") and \
                top not in sys.stdlib_module_names and top not in lib.local_packages and \
                top not in lib.recording_packages and top not in lib.free_packages and \
                top not in self._catalogued_tops() and not any(w in MOCK_WORDS for w in name_words(top)) and \
                not (top in project.by_name or top in project._sub_tops() or project._is_own_top(top)  # noqa: SLF001
                     or self._own_package(qual))  # type: ignore[attr-defined]
        return got

    def _catalogued_tops(self) -> frozenset[str]:
        """Top-level packages the catalog models: every SDK's and framework's (their classes, modules,
        aliases, composers) and the HTTP clients'."""
        got = self.__dict__.get("_catalogued_tops_got")
        if got is None:
            http = self.catalog.http
            names = [*http.functions, *http.clients, *http.async_clients, *http.request_builders,
                     *http.send_functions, *http.websocket_apps, *self.catalog.composer_packages]
            got = self.__dict__["_catalogued_tops_got"] = frozenset(n.split(".", 1)[0] for n in names) | \
                self._sdk_top_names() | self._framework_top_names()  # type: ignore[attr-defined]
        return got


def _is_class_name(name: str) -> bool:
    """A class by Python's naming convention (`Agent`, `GEval`, `GPT_Agent`), not a constant (`DEFAULT`)
    nor a function named by an upper-case prefix (`DEFINE_string`, `JSON_dumps`)."""
    if not name[:1].isupper() or name.isupper():
        return False
    head, _, rest = name.partition("_")
    return not (rest and head.isupper() and any(w[:1].islower() for w in rest.split("_")))


def _builds_object(e: ast.expr) -> bool:
    """Whether `e` builds an object by a class's name (`ChatOpenAI(...)`, `openai.OpenAI()`): an LLM object
    handed over may be built in place; a function's result (`load(path)`) is not read."""
    if not isinstance(e, ast.Call):
        return False
    f = e.func
    name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
    return _is_class_name(name)


def _names_client(spec: "str | int", e: ast.expr, lib: "Libraries") -> bool:
    """Whether an argument's keyword (or the name it is given by) speaks of a client (`llm_client=`, `client`)."""
    name = spec if isinstance(spec, str) else e.id if isinstance(e, ast.Name) else \
        e.attr if isinstance(e, ast.Attribute) else ""
    return any(w in lib.client_words for w in name_words(name))


def _choice_arguments(call: ast.Call, lib: "Libraries"):  # type: ignore[no-untyped-def]
    """(argument spec, expression, whether its keyword or name speaks of a model) of `call`'s arguments
    that may carry a model choice: keywords, then positions (never `*args` / `**kwargs`)."""
    for k in call.keywords:
        if k.arg is not None:
            yield k.arg, k.value, any(w in lib.model_words for w in name_words(k.arg))
    for i, a in enumerate(call.args):
        if isinstance(a, ast.Starred):
            break
        name = a.id if isinstance(a, ast.Name) else a.attr if isinstance(a, ast.Attribute) else ""
        yield i, a, any(w in lib.model_words for w in name_words(name))


def _prompt_shaped(call: ast.Call, lib: "Libraries") -> bool:
    """Whether `call` is handed a prompt: a keyword, or a name given by position, with a word of
    `[libraries] prompt_arguments` (`messages=`, `custom_system_prompt=`, `input_texts`), or a list of
    role/content dicts anywhere among its arguments."""
    for k in call.keywords:
        if k.arg is not None and any(w in lib.prompt_arguments for w in name_words(k.arg)):
            return True
    for e in (*call.args, *(k.value for k in call.keywords)):
        if isinstance(e, ast.Name) and any(w in lib.prompt_arguments for w in name_words(e.id)):
            return True
        if isinstance(e, ast.List) and any(isinstance(x, ast.Dict) and any(
                isinstance(key, ast.Constant) and key.value == "role" for key in x.keys) for x in e.elts):
            return True
    return False


def _client_of(v: Value) -> Optional[Client]:
    """The LLM client `v` is (the first of several), else None."""
    if type(v) is Client:
        return v  # type: ignore[return-value]
    if type(v) is OneOf:
        return next((m for m in v.members if type(m) is Client), None)  # type: ignore[attr-defined]
    return None


def _service_api(client: Client) -> str:
    """The api of a client whose requests are all a hosted AI service's that is not an LLM (Textract's
    `document_analysis`: the first of its methods' apis), else "chat_model"."""
    apis = [m.api for m in client.ctype.methods.values()]
    return apis[0] if apis and all(hosted_ai(a) for a in apis) else "chat_model"


def _constructor(sdk: str, provider: str, spec: "str | int | None", api: str = "chat_model") -> Constructor:
    """The constructor record a library class's binding is read with: its model argument `spec` (a
    keyword or a position; None: an LLM client was handed, the model is the library's own choice)."""
    if isinstance(spec, int):
        return Constructor(provider=provider, sdk=sdk, api=api, model=("model",), model_position=spec)
    return Constructor(provider=provider, sdk=sdk, api=api, model=(spec or "model",))

