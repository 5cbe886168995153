"""The call-site resolver: the one place that decides "this expression is an LLM call".

It answers, for every call in a module: is it a call that spends (or sets up) LLM tokens, and
what are its provider, SDK, API, model, system prompt, messages and attribution tag. Rules ask
it; none re-derives it.

The `Resolver` composes one mixin per question, each in its own module: `infer` (what an
expression evaluates to), `containers` (items of dict and list literals), `holders` (what a context
variable, a queue or a `SimpleNamespace` gives back), `fillers` (what `Depends(get_llm)` or a field's
`default_factory` fills a parameter or field with), `imports` (where a name comes from), `sdk` (what
the catalog says a call is), `sdksubclass` (requests through a project subclass of an SDK class),
`wrapped` (project model classes wrapping a model handed to them), `evidence` (what a file says about an unresolved request), `http` (which
raw HTTP calls reach an LLM API), `arguments`, `tags`, `prompts`, `wrappers`, `facades`, `overrides`,
`interfaces` and `protocols` (calls reaching an LLM through project code), `guards` (the branches a
call's arguments rule out in the function it calls: `isinstance(action, EditAction)`), `decorated` (functions a
library decorator made requests), `passed` (what a function's callers pass for a parameter called like
a model object), `libraries` (calls of a library the catalog does not know, handed a model choice),
`frameworks` (requests on framework model objects and the runnables built from them), `settings` (a
framework's global default models: `Settings.llm = ...`, `dspy.configure(lm=...)`), `modglobals` (the
module globals a project sets on an SDK module: `openai.api_type = "azure"`) and `unresolved` (what
was seen but not resolved); `binder` reads each module once and `site` holds the record. SDK
knowledge comes from the catalog data; the resolver names no SDK. Project modules imported by the
file are read (never executed) through the `Project` on demand, so clients, constants and wrappers
defined elsewhere resolve too.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from tokenlint.catalog import Method, SdkCatalog
from tokenlint.pins import dependency_pins
from tokenlint.resolve.arguments import ArgumentMixin
from tokenlint.resolve.binder import CallRecord, ModuleInfo, calls_by_owner
from tokenlint.resolve.containers import ContainerMixin
from tokenlint.resolve.decorated import DecoratedMixin
from tokenlint.resolve.deferred import DeferredMixin
from tokenlint.resolve.descriptors import DescriptorMixin
from tokenlint.resolve.evidence import EvidenceMixin
from tokenlint.resolve.examples import ExampleMixin
from tokenlint.resolve.http import HttpMixin
from tokenlint.resolve.loops import same_loop
from tokenlint.resolve.patched import in_its_patch, installed, kept_original
from tokenlint.resolve.facades import FacadeMixin, counts_tokens, on_super
from tokenlint.resolve.fetched import FetchedMixin
from tokenlint.resolve.fillers import FillerMixin
from tokenlint.resolve.fnvalues import FunctionValueMixin
from tokenlint.resolve.frames import MISSING, FrameMixin, place_of
from tokenlint.resolve.frameworks import FrameworkMixin
from tokenlint.resolve.guards import GuardMixin
from tokenlint.resolve.holders import HolderMixin
from tokenlint.resolve.imports import ImportMixin
from tokenlint.resolve.infer import InferMixin
from tokenlint.resolve.interfaces import InterfaceMixin
from tokenlint.resolve.libraries import LibraryMixin
from tokenlint.resolve.modglobals import ModuleGlobalsMixin
from tokenlint.resolve.narrowing import assigned_before
from tokenlint.resolve.overrides import OverrideMixin
from tokenlint.resolve.passed import CallerMixin
from tokenlint.resolve.prompts import PromptMixin
from tokenlint.resolve.protocols import ProtocolMixin
from tokenlint.resolve.returned import ReturnedRequestMixin
from tokenlint.resolve.sdk import SdkMixin
from tokenlint.resolve.sdksubclass import SdkSubclassMixin
from tokenlint.resolve.settings import SettingsMixin
from tokenlint.resolve.site import CallSite, assign_ids
from tokenlint.resolve.tags import TagMixin
from tokenlint.resolve.unresolved import UnresolvedMixin
from tokenlint.resolve.scope import return_values
from tokenlint.resolve.values import (Chain, ClassV, Client, Func, Instance, OneOf, Opaque, Param, Qual, Resource, Runnable,
                                      RunnableMethod, Unknown, Value)
from tokenlint.resolve.plugins import PluginMixin
from tokenlint.resolve.vendored import VendoredMixin
from tokenlint.resolve.wrapped import WrappedModelMixin
from tokenlint.resolve.wrappers import WrapperMixin
from tokenlint.resolve.collections import CollectionMixin

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.project import Project


class Resolver(InferMixin, ContainerMixin, ImportMixin, SdkMixin, EvidenceMixin, HttpMixin, ArgumentMixin,
               TagMixin, PromptMixin, WrapperMixin, FrameworkMixin, FacadeMixin, OverrideMixin, InterfaceMixin,
               ProtocolMixin, CallerMixin, UnresolvedMixin, ModuleGlobalsMixin, DecoratedMixin, LibraryMixin,
               HolderMixin, FillerMixin, SettingsMixin, DeferredMixin, FunctionValueMixin, FrameMixin,
               CollectionMixin, DescriptorMixin, ReturnedRequestMixin, SdkSubclassMixin, WrappedModelMixin,
               GuardMixin, FetchedMixin, VendoredMixin, PluginMixin, ExampleMixin):
    """Evaluates expressions of one project's modules. One per run; memoizes across modules."""

    def __init__(self, project: "Project", catalog: SdkCatalog, feature_key: str = "feature",
                 pins: dict[str, tuple[int, ...]] | None = None) -> None:
        self.project = project
        # the lowest version of each package the project's dependency files require (tokenlint.pins)
        self.pins = dependency_pins(project.root) if pins is None else pins
        self.catalog = catalog
        self.feature_key = feature_key
        self._func_sites: dict[ast.AST, list[CallSite]] = {}
        self._in_progress: set[ast.AST] = set()
        self._returns: dict[ast.AST, Value] = {}
        self._param_returns: dict[ast.AST, list[tuple[str, str, ast.expr]]] = {}
        # last names of the catalog's request methods: a cheap test before evaluating an argument
        self._method_names = frozenset(path.rpartition(".")[2] for ct in catalog.client_types.values()
                                       for path in ct.methods)
        self._depth = 0
        self._memo: dict[ast.AST, Value] = {}
        self._active: set[ast.AST] = set()
        self._bind_memo: dict[Any, Value] = {}
        self._bind_active: set[Any] = set()
        self._withheld: dict[ast.Call, tuple[str, str]] = {}  # request-shaped calls not reported: (kind, why)
        self._url_used_lines: dict[str, set[int]] = {}  # per file, lines of strings that made an HTTP site's URL
        self._last_url_nodes: set[tuple[ast.AST, str]] = set()
        # per file, the framework's own model classes built in its own source or samples (no bindings)
        self._own_builds: dict[str, dict[int, CallSite]] = {}
        project.resolver = self  # rules follow imported names through `definition()`

    def module_sites(self, info: ModuleInfo) -> list[CallSite]:
        """Every call site of the module, in source order, with stable ids."""
        sites: list[CallSite] = []
        by_owner = calls_by_owner(info)
        for owner in by_owner:
            sites.extend(self.function_sites(owner, info))
        for owner, fs in info.func_scopes.items():  # a method calling nothing may return an SDK method
            if fs.cls is not None and owner not in by_owner:
                sites.extend(self.function_sites(owner, info))
        sites.sort(key=lambda s: (s.line, s.column))
        return sites

    def own_builds(self, info: ModuleInfo) -> list[CallSite]:
        """The constructions, in the module, of the framework's own catalogued model classes when it is
        analysed as itself (`Agent(model="gemini-2.0-flash")` in adk-python's samples): no bindings and
        not in the inventory (the catalog entry is for downstream apps), but the model they choose is the
        one their runs use, which the model rules read (Rule.own_builds). Known once `module_sites` ran."""
        found = self._own_builds.get(info.source.relpath, {})
        return sorted(found.values(), key=lambda s: (s.line, s.column))

    def _own_build(self, rec: CallRecord, con) -> None:  # type: ignore[no-untyped-def]
        site = self._constructor(rec, con)
        if site is not None and site.kind == "binding" and site.model.value:
            self._own_builds.setdefault(rec.scope.module.source.relpath, {})[id(rec.node)] = site

    def build_shared_indexes(self) -> None:
        """Build now the project-wide indexes read from every file's text that the analysis of nearly
        any file of a large round asks for (the facades' abstract-method, class-header and derived
        modules' function-name indexes; the web routes the project serves; the sub-packages imported
        by their own name; the modules' folders).
        The engine calls this before it forks its workers: they inherit the indexes copy-on-write
        instead of each scanning the project again (and the parent a third time for its next round).
        Each is built from the bytes the prefilter has read already, as it would be when first asked."""
        bases, _abstract, _named = self._index()
        bases.build()  # the class headers and the function names of the modules deriving from them
        self._served_paths()  # the routes: asked by every HTTP request's site (one scan of every file)
        self.project._path_tops()  # asked by imports naming a root package's sub-package (one scan too)
        self.project._folder_entries()  # asked by imports of a script's neighbours (rebuilt when files are added)

    def exports_client(self, info: ModuleInfo) -> bool:
        """Whether other modules can reach an LLM call through this one without naming an SDK:
        a module-level name bound to a client, to a framework model object holding a binding (`support =
        Agent("openai:gpt-4o")`, `llm = ChatOpenAI()`) or to an LLM API's URL, a class deriving from an SDK
        class, or a function or class building a framework runnable (`def crew(self) -> Crew`,
        `return workflow.compile()`), a function returning a client (`def get_client(): return OpenAI()`), or a
        function a library decorator made a model request (`@llm.call(...)`, resolve/decorated.py)."""
        if self.exports_url(info):
            return True
        imports_sdk: bool | None = None  # whether the module imports an SDK, read once when needed
        for name, bindings in info.scope.bindings.items():
            kinds = {kind for kind, _ in bindings}
            if "assign" in kinds:
                v = self._from_bindings(name, bindings, info.scope)
                if isinstance(v, (Client, Resource, OneOf)) or (isinstance(v, Runnable) and v.models):
                    return True
                if self.example_runner(v, info.source.relpath):  # an example's agent of its library's own class
                    return True
            if "class" in kinds:
                v = self._from_bindings(name, bindings, info.scope)
                if isinstance(v, ClassV) and (self._sdk_base(v) is not None or self._builds_runnable(v)):
                    return True
            if "def" in kinds:
                v = self._from_bindings(name, bindings, info.scope)
                if self._builds_runnable(v):
                    return True
                if isinstance(v, Func) and self._call_decorator(v) is not None:
                    return True  # `@llm.call("openai/gpt-4o") def recommend(...)`: its callers' calls are requests
                # a client factory (`def get_agent_client(): return boto3.client("bedrock-agent")`): its
                # callers in other modules, which name no SDK, make requests on what it returns
                got = self._func_return(v, None) if isinstance(v, Func) else None
                if isinstance(got, Client) or (isinstance(got, OneOf) and all(isinstance(m, Client) for m in got.members)):
                    return True
                # a wrapper factory (`def client(): return _clients[kind]`, a registry of project client
                # objects): its callers' `client().send_message(...)` reach the objects' spending methods
                if got is not None and self._returns_wrapper(got):
                    return True
                if isinstance(v, Func) and imports_sdk is not False:
                    # (only where an SDK is imported: the item is built from one)
                    imports_sdk = imports_sdk or bool(self.imported_sdks(info))
                    if imports_sdk and self._returns_sdk_item(v):
                        return True
        return False

    def _returns_sdk_item(self, f: Func) -> bool:
        """Whether `f` returns a tuple one of whose items is a client or an SDK request resource (`return
        model, tokenizer` with `model = openai.ChatCompletion`): its callers unpack it (`self.model, tok =
        load(...)`) and send on the item without naming an SDK."""
        for ret in return_values(f.node):
            if type(ret) is ast.Tuple:
                for elt in ret.elts:
                    v = self.infer(elt, f.scope)
                    members = v.members if isinstance(v, OneOf) else (v,)
                    if members and all(isinstance(m, (Client, Resource)) or self._module_resource(m) for m in members):
                        return True
        return False

    def _module_resource(self, v: Value) -> bool:
        """Whether `v` names a resource of an SDK module acting as a client (`openai.ChatCompletion`, whose
        `create` the catalog lists as the module's `ChatCompletion.create`)."""
        if type(v) is not Qual or v.called:
            return False
        for mod, ct in self.catalog.modules.items():
            if v.qual.startswith(mod + "."):
                rest = v.qual[len(mod) + 1:] + "."
                if any(path.startswith(rest) for path in ct.methods):
                    return True
        return False

    def _returns_wrapper(self, got: Value) -> bool:
        """Whether `got` (a function's return) is an object, or one of several objects, of project
        classes with a method reaching a spending site (`OpenAIClient.send_message`); memoized per class."""
        members = got.members if isinstance(got, OneOf) else (got,)
        if not members or not all(type(m) is Instance for m in members):
            return False
        memo = self.__dict__.setdefault("_wrapper_classes", {})
        for m in members:
            cls = m.cls  # type: ignore[attr-defined]
            hit = self.recall("wrapper class", memo, cls.node)
            if hit is MISSING:  # (a class reached again while its methods are read: no)
                hit = self.solve("wrapper class", memo, cls.node, False, lambda: any(
                    self._spend_targets(cls, f.name, 0)[0] for f in cls.node.body  # type: ignore[union-attr]
                    if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and not f.name.startswith("__")),
                    place_of(cls.scope.module, cls.node))
            if hit:
                return True
        return False

    def function_sites(self, owner: ast.AST, info: ModuleInfo) -> list[CallSite]:
        """Sites whose innermost enclosing function (or class, or module) is `owner`, memoized (a
        function reaching itself finds nothing there; frames.py keeps the answers of such a loop
        the same whichever of its functions was asked first)."""
        got = self.recall("sites", self._func_sites, owner)
        if got is not MISSING:
            return got
        return self.solve("sites", self._func_sites, owner, [], lambda: self._owner_sites(owner, info),
                          place_of(info, owner))

    def _owner_sites(self, owner: ast.AST, info: ModuleInfo) -> list[CallSite]:
        out = []
        for rec in calls_by_owner(info).get(owner, ()):
            s = self.site_for(rec)
            if s is not None and not self.handed_back_unused(rec, s):
                out.append(s)
        out += self.returned_requests(owner, info)  # `return client.chat.completions.create` in a hook
        out.sort(key=lambda s: (s.line, s.column))
        same_loop(out, self.catalog.person_prompts)
        assign_ids(out)
        self._link_bindings(out)
        return out

    def _class_built(self, rec: CallRecord, cls: ClassV) -> CallSite | None:
        """`Cls(...)` of a project class: a binding when it is a model class of the project or derives
        from a catalogued one (`class Codex(ChatOpenAI)`), else None."""
        own = self._project_model(cls)
        if own is not None:
            # (a class handing its requests to a model object it holds and builds: that object's
            # construction is the binding, see `delegates_to_held`)
            return None if self.delegates_to_held(cls) else self._constructor(rec, own)
        base = self._sdk_base(cls)
        if base is not None:
            con = self.catalog.constructors.get(base.qual)
            if con is not None and self.subclass_binds(cls, con, rec.node):
                return self._constructor(rec, con, own_init=_defines_init(cls.node))
        return None

    def site_for(self, rec: CallRecord) -> CallSite | None:
        try:
            site = self._site_for(rec)
            m = site.method if site is not None else None
            if m is not None and (m.llm_required and not site.llm_shown or _runs_here(rec.node, m)):  # type: ignore[union-attr]
                # a Vertex AI prediction showing no LLM (a tabular or vision model's), or a request run in process
                # (`embed.text(texts, inference_mode="local")`): no site
                return None
            if site is None and (rec.node.keywords or rec.node.args):
                site = self._deferred_construction(rec) or self._forwarded(rec) or self._handed_request(rec) or self._handed_facade(rec) or \
                    self._handed_function(rec) or self._handed_http(rec) or self._getattr_http(rec) or self._bound_later(rec) or \
                    self._handed_wrapped(rec) or self._fetched_by_name(rec)
            if site is not None and self._patch_passthrough(rec):
                return None  # `sdk_run(...)` inside the function installed as `Runner.run`: its callers' request
            if site is not None and site.kind == "facade" and on_super(rec.node):
                # `super().chat(...)` in a subclass's method: the base's own code run for the subclass's
                # callers (an internal pass-through: their call is the facade), what it reaches a wrapper's
                site.kind = "wrapper"
            if site is not None and site.kind == "facade" and site.wrapper and \
                    counts_tokens(site.wrapper.rpartition(".")[2], self.catalog):
                return None  # `llm.get_num_tokens(text)`: token counting, no request
        except RecursionError:
            if self._may_be_method(rec.node.func, rec.scope):
                raise  # spelled as an SDK request: the file is reported (TKL000), never a site dropped unseen
            return None  # a binding or import cycle on a call that cannot be a request itself
        return site

    def _patch_passthrough(self, rec: CallRecord) -> bool:
        """Whether `rec` calls a library function's original, kept before a patch replaced it, from inside
        that patch (resolve/patched.py); the module's patches are read once, on the first such call."""
        original = kept_original(rec.node, rec.scope)
        if original is None:
            return False
        memo = self.__dict__.setdefault("_patches", {})
        info = rec.scope.module
        got = memo.get(info.source.relpath)
        if got is None:
            got = memo[info.source.relpath] = installed(info.tree)
        return in_its_patch(original, rec.scope, got)

    def _site_for(self, rec: CallRecord) -> CallSite | None:
        call, scope = rec.node, rec.scope
        callee = self.infer(call.func, scope)
        t = type(callee)
        if t is Resource or t is Client:
            found = self._request_method(callee)
            if found is None:  # `self.client.session.post(url, ...)`: the HTTP session an SDK client holds
                return self._http(rec, callee)
            return self._direct(rec, *found)
        if t is OneOf:  # a name bound to several clients: a site when any of them has the method
            founds = self._request_methods(callee)
            if not founds:  # several objects of project classes, called: the `__call__` of each
                callee = self._called_members(callee) or callee  # type: ignore[arg-type]
            one = self._assigned_member(rec, callee) if not founds else None  # type: ignore[arg-type]
            if one is not None:  # `self.engine = LocalEngine(...)` just before, in the same block: that one
                return self.func_call_site(rec, one)
            if not founds:  # or one of several model classes, built (`self._lc_class(**params)`), or
                # one of several project functions (`self.handlers[name](history)`)
                # (a method of objects of several project classes whose functions reach no site tokenlint
                # follows is read by its name as on a receiver of unknown type: knowing the classes a
                # registry holds never loses the facade their interface gives; not for objects built by
                # name on the paths seen, `chosen`: every class is known, and none sends the request)
                return self._chosen_binding(rec, callee) or self._union_call(rec, callee) or (  # type: ignore[arg-type]
                    self._facade_by_name(rec, classes_known=True) if _methods_of_objects(callee)
                    and not all(m.bound.chosen for m in callee.members) else None)  # type: ignore[attr-defined]
            founds.sort(key=lambda f: not f[1].spends)  # the site reads a spending client's model first
            site = self._direct(rec, *founds[0])
            self._mark_providers(site, founds)
            return site
        if t is Qual:
            q: Qual = callee  # type: ignore[assignment]
            http = self._http(rec, q)
            if http is not None:
                return http
            if q.called:
                if self._own_package(q.qual):
                    return self._facade_by_name(rec) or self._framework_by_name(rec)
                # `self.complete = partial(litellm.completion, ...)`; `summary_model: Runnable`; an uncatalogued
                # library's object handed a model and a prompt (`spice.get_response(model=..., messages=...)`)
                return self._collection_request(rec) or self._bound_request(rec) or \
                    self._generic_runnable_call(rec, q.qual) or self._library_method(rec, q.qual)
            qual = self.catalog.canonical(q.qual)
            found = self._module_request(qual)
            if found is not None:
                return self._direct(rec, *found)
            con = self.catalog.constructors.get(qual)
            if con is not None:
                # (an agent handed no model chooses none: its requests still run the library's default; the
                # framework's own class built in its own source or samples is no binding either, its
                # requests keep their model: the catalog entry is for downstream apps)
                if self.chose_no_model(call, scope, con):
                    return None
                if self.project.defines_catalogued(qual):
                    self._own_build(rec, con)
                    return None
                return self._constructor(rec, con)
            return self._framework_build(rec, qual) or self._library_call(rec, qual) or \
                self._package_model_class(rec, qual)  # (an uncatalogued library; a framework's model class not listed)
        if t is Chain:
            return self._decorated_method_call(rec) or \
                self._http(rec, callee) or self._inferred(rec, callee) or self._by_module_name(rec) or \
                self._via_subclasses(rec) or self._duck_facade(rec) or self._facade_by_name(rec) or \
                self._framework_by_name(rec) or self._plugin_facade(rec)  # type: ignore[arg-type]
        if t is Func:
            return self.func_call_site(rec, callee)  # type: ignore[arg-type]
        if t is RunnableMethod or t is Runnable:
            return self._framework_site(rec, callee)
        if t is ClassV:
            return self._class_built(rec, callee)  # type: ignore[arg-type]
        if t is Param and callee.default is not None:  # type: ignore[attr-defined]
            # `def _make(cls: type = LiteLLMChatWrapper, ...): return cls(...)`: a class handed in,
            # the default when none is: calling it builds a model object when the default is a model class
            default = self.infer(callee.default, callee.scope.parent or callee.scope)  # type: ignore[attr-defined]
            if type(default) is ClassV:
                return self._class_built(rec, default)  # type: ignore[arg-type]
            if type(default) is Qual and not default.called:  # type: ignore[attr-defined]
                con = self.catalog.constructors.get(self.catalog.canonical(default.qual))  # type: ignore[attr-defined]
                if con is not None and con.sdk in self.catalog.frameworks:
                    return self._constructor(rec, con)
            return None
        if t is Param:  # `chat_cls(model=...)` on a parameter annotated `type[...]`: what the callers hand it
            return self._class_parameter_built(rec, callee)  # type: ignore[arg-type]
        if t is Opaque:
            return self._decorated_method_call(rec) or \
                self._http(rec, callee) or self._by_module_name(rec) or self._facade_by_name(rec) or \
                self._framework_by_name(rec) or self._plugin_facade(rec)
        if t is Instance:
            return self._by_module_name(rec) or self._object_call(rec, callee)  # type: ignore[arg-type]
        if t is Unknown:
            return self._by_module_name(rec) or self._facade_by_name(rec) or self._framework_by_name(rec) or \
                self._plugin_facade(rec) or self._sibling_object_call(rec)
        return None

    def _assigned_member(self, rec: CallRecord, callee: OneOf) -> Func | None:
        """The method, among a union's (`callee`: the same method of objects of several project classes),
        of the object the receiver was assigned last before the call in its function's blocks
        (`narrowing.assigned_before`): on that path the name holds that object only."""
        func, scope = rec.node.func, rec.scope
        if type(func) is not ast.Attribute or scope.kind != "function" or not _methods_of_objects(callee):
            return None
        value = assigned_before(rec.node, func.value, scope.node)
        if value is None:
            return None
        v = self.infer(value, scope)
        if type(v) is not Instance:
            return None
        got = [m for m in callee.members if m.bound.cls.node is v.cls.node]  # type: ignore[attr-defined]
        return got[0] if len(got) == 1 else None  # type: ignore[return-value]

    def func_call_site(self, rec: CallRecord, f: Func) -> CallSite | None:
        """The site of `rec`, a call of project function `f`: on another object, a method a subclass
        may replace runs the subclass's (a facade) before the base's own code (a wrapper)."""
        return self._decorated_request(rec, f) or self.sdk_override_site(rec, f) or \
            self._overriding_facade(rec, f) or self._implementation_facade(rec, f) or self._wrapper(rec, f) or \
            self._function_value_call(rec, f) or \
            self._http_helper_call(rec, f) or self._facade(rec, f) or self._bound_request(rec)


def _defines_init(node: ast.AST) -> bool:
    """Whether a project class defines its own `__init__` taking parameters besides self: what its
    callers pass goes there, not to the catalogued base class (`class ProjectChat(ChatOpenAI)` with
    `def __init__(self, config): super().__init__(**config)`)."""
    for st in getattr(node, "body", ()):
        if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)) and st.name == "__init__":
            a = st.args
            return bool((a.posonlyargs + a.args)[1:] or a.kwonlyargs or a.vararg or a.kwarg)
    return False


def _methods_of_objects(v: OneOf) -> bool:
    """Whether every member of `v` is a method bound to an object of a project class (`provider.analyze(...)`
    with `provider` built from a registry of classes), not a table of plain functions."""
    return all(type(m) is Func and type(m.bound) is Instance for m in v.members)  # type: ignore[attr-defined]


def _runs_here(call: ast.Call, m: Method) -> bool:
    """Whether `call` passes one of the method's `local_when` keyword values (a literal): it runs in process."""
    if not m.local_when:
        return False
    when = dict(m.local_when)
    return any(k.arg in when and isinstance(k.value, ast.Constant) and k.value.value in when[k.arg]
               for k in call.keywords)
