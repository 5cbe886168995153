"""Which calls on framework model objects spend: LangChain / LlamaIndex models and the runnables built
from them (`prompt | llm`, `.with_config(...)`, `LLMChain(llm=...)`), and the request sites they make.

A model constructor is a binding (it chooses the model); `invoke`, `stream`, `embed_query`,
`complete`... on the object or on a runnable holding it is a request, carrying the binding's
provider and model and the tags of every call on the way (constructor, `.with_config`, the
per-call `config=`). Method names, combinators and chain builders are catalog data
(`catalog/frameworks.toml`); the resolver names none of them.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional

from tokenlint.project import SourceError
from tokenlint.resolve.binder import CallRecord, is_declaration
from tokenlint.resolve.frames import MISSING, place_of
from tokenlint.resolve.caps import output_cap, output_tokens, request_cap
from tokenlint.resolve.chains import message_content
from tokenlint.resolve.evidence import MOCK_WORDS, passes_first
from tokenlint.resolve.facades import nested_calls
from tokenlint.resolve.factories import head_text, runs_locally
from tokenlint.resolve.pieces import resolve
from tokenlint.resolve.scope import Scope, binding_of, enclosing_class, enclosing_function, item_fills, owner_scope
from tokenlint.resolve.site import Arg, CallSite
from tokenlint.resolve.values import Chain, ClassV, Func, Instance, OneOf, Opaque, Param, Qual, Runnable, RunnableMethod, Unknown, Value

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import Constructor, SdkCatalog

# work caps: a runnable holds at most this many models and configuring calls (a chain grown in a
# loop, `a = a | a`, stays bounded; the rest is left out, never a hang)
MAX_MODELS = 8
MAX_CALLS = 16
# the containers a pipe step may be written as (a dict literal is a RunnableParallel)
_STEP_LITERALS = (ast.Dict, ast.List, ast.Tuple, ast.Set)
# what an annotation of a concrete vector store class is (`db: FAISS`): no store of its own; a parameter
# so annotated is one the caller chose (`caller_chosen`)
STORE_TYPE = "store-type"
# the keywords (and fields) a project model class takes its model by
MODEL_FIELDS = ("model", "model_name")


class FrameworkMixin:
    """The `Resolver`'s framework model objects (a mixin over the catalog's framework tables)."""

    catalog: "SdkCatalog"

    # values ------------------------------------------------------------------
    def _framework_value(self, qual: str, call: Optional[ast.Call], scope: Scope) -> Optional[Value]:
        """The value of calling external name `qual` (`call` None: an annotation naming it), when it is
        a framework model class, a model type or a chain builder; else None."""
        cat = self.catalog
        con = cat.constructors.get(qual)
        if con is not None and con.string_models_only and (call is None or not self.model_string_given(call, scope, con)):
            con = None  # `create_react_agent(llm, tools)`: what it holds is its composer specs' (below)
        if con is not None:
            if con.sdk not in cat.frameworks:
                return None
            if call is not None and con.wraps_models and not con.reads_config:  # `Agent(model=OpenAIChat(...))`:
                # the model object binds (a `reads_config` agent binds itself, with its config's model)
                held = self.wrapped_models(call, scope, con)
                if held:
                    return _merge(held, (call, scope))
            if call is not None and self.built_without_model(call, scope, con):
                return Runnable(con.sdk, con.api, con.provider, no_model=True)
            # the binder's stand-in for a declaration (`self.llm: ChatOpenAI`, no position) types the
            # object but builds none: no model choice of its own
            models = ((call, scope, con),) if call is not None and not is_declaration(call) else ()
            return Runnable(con.sdk, con.api, con.provider, models)
        col = cat.collectors.get(qual)
        if col is not None:  # a Haystack Pipeline, a LangGraph graph: what is added to it after it is built
            # (a component known by its name alone is none: a graph node named `call_model` is a function)
            parts = [p for p in self._collected(call, scope, col[0]) if p.models or not p.inferred] \
                if call is not None else []
            parts.sort(key=lambda r: r.api == "embeddings_model")  # the generator leads a RAG pipeline
            merged = _merge(parts, (call, scope)) if parts else None
            return Opaque("collector") if merged is None else \
                Runnable(col[0], col[1], merged.provider, merged.models, merged.calls, passed=merged.passed)
        cls, run, method = qual, cat.runners.get(qual), None
        if run is None:  # a classmethod building one: `OpenAIAgent.from_tools(...)`, `FAISS.from_texts(texts, emb)`
            cls, _, method = qual.rpartition(".")
            run = cat.runners.get(cls) if cls else None
        specs = self._runner_specs(run[0], cls, method) if run is not None else None
        if run is not None and call is not None and self._own_module_lacks(cls):
            # the framework analysed as itself names a runner its own package no longer has (dspy's own
            # code calling `dspy.TypedPredictor`, removed in 2.6): no catalogued runner, an AttributeError
            return None
        if run is not None and specs is not None:  # a graph, a crew, a predictor, an index, a vector store: it
            # runs models it does not choose, or those handed to it (`Agent(llm=...)`, catalog runner_args)
            if call is None and specs and self._held_only(run[0]):
                return Opaque(STORE_TYPE)  # `db: FAISS`: its construction, where its embeddings are read, decides
            held = self._holding(run[0], run[1], _arguments(call, specs) if call is not None else [], scope,
                                 built=call is not None)
            if held is None and call is not None:  # a vector store handed no embeddings tokenlint knows, a
                # ChatHuggingFace over an in-process pipeline: the library's object, sending nothing counted (so
                # its receiver's name, `model`, is no evidence of a model object either)
                return Qual(qual, called=True)
            return held or Opaque("runner")
        if call is None:
            mt = cat.model_types.get(qual)
            if mt is None and cat.composers.get(qual) is not None:
                # a chain class named as a type (`llm_chain: LLMChain`, a pydantic field of an old LangChain
                # `Chain`): a runnable of its framework running a model chosen where it is built, as a model
                # type's annotation is
                fw_name = cat.composers.get(qual)[0]
                return Runnable(fw_name, "chat_model", fw_name)
            return Runnable(*mt) if mt is not None else None
        comp = cat.composers.get(qual)
        if comp is None and qual.rpartition(".")[2] in cat.composer_classmethods:
            comp = cat.composers.get(qual.rpartition(".")[0])
        if comp is None:
            if cat.composer_packages.get(qual.split(".", 1)[0]) is None or \
                    any(qual.endswith(s) for s in cat.model_class_suffixes):
                return None  # (a model class the catalog does not list, `HuggingFaceEmbeddings(...)`: no builder)
            # any other chain, agent or graph builder of the framework's packages handed a model
            # (`create_react_agent(llm, tools)`, `SQLDatabaseChain.from_llm(llm, db)`,
            # `initialize_agent(tools, llm)`): it runs that model when it runs
            parts = self._runnables_in([*call.args, *(k.value for k in call.keywords if k.arg)], scope)
            return _merge(parts, (call, scope)) if parts else None
        parts = self._runnables_in(_arguments(call, comp[1]), scope)
        if not parts:  # `create_agent(**kwargs)` with `kwargs = {"model": ...}` built beside it
            packed = self.kwargs_dict(call, scope)  # type: ignore[attr-defined]
            if packed is not None:
                parts = self._runnables_in([packed[0][s] for s in comp[1] if s in packed[0]], packed[1])
        if parts:
            return _merge(parts, (call, scope))
        if cat.agent_builders.get(qual) is not None and not any(
                library_object(self.infer(e, scope), cat) for e in _arguments(call, comp[1])):  # type: ignore[attr-defined]
            # an agent always runs a model: the one handed is not followed (`spec["model"]`, a string);
            # one handed another object of the framework's packages (a fake chat model) runs that
            return Runnable(comp[0], "chat_model", comp[0], (), ((call, scope),))
        return Opaque("chain")

    def model_string_given(self, call: ast.Call, scope: Scope, con: "Constructor") -> bool:
        """Whether `call` hands the constructor a model string: a literal, a constant, an environment or
        configuration value (`create_agent("openai:gpt-4.1")`), not a model object, a parameter or nothing."""
        arg = self._model_arg(call, scope, con.model, con.model_position, None)  # type: ignore[attr-defined]
        if arg.kind not in ("literal", "constant", "env", "config"):
            return False
        # a setting read from the object (`self.model`) may hold the model object built from one: the
        # object the builder wraps, no string (`self.model = init_chat_model(name)`; `create_extractor(self.model)`)
        expr = self._model_expr(call, con) if arg.kind == "config" else None
        return expr is None or not isinstance(self.infer(expr, scope), (Runnable, OneOf))  # type: ignore[attr-defined]

    def built_without_model(self, call: ast.Call, scope: Scope, con: "Constructor") -> bool:
        """Whether `call` builds an object of a `model_needed` constructor without its model argument, or with
        it set to False / None (`autogen.UserProxyAgent(name, llm_config=False)`): an agent that calls no
        model. A model argument in `**kwargs` counts only when tokenlint reads that dict and finds it there
        (a function passing on its own `**kwargs` leaves the class default: no model). A model string
        beginning with one of the constructor's `local_prefixes` (a model run in process), or an object of one
        of its `local_models` classes (a test double), counts as none."""
        if con.local_prefixes and head_text(self._model_expr(call, con), scope).startswith(con.local_prefixes):
            return True
        if con.local_models and (e := self._model_expr(call, con)) is not None:
            v = self.infer(e, scope)  # type: ignore[attr-defined]
            if isinstance(v, Qual) and v.called and v.qual in con.local_models:
                return True  # `Agent(TestModel())`: a test double answers in process
        if con.local_providers and runs_locally(call, scope, con):
            return True
        if not con.model_needed:
            return False
        for k in call.keywords:
            if k.arg in con.model:
                return isinstance(k.value, ast.Constant) and k.value.value in (False, None)
        pos = con.model_position
        if pos is not None and len(call.args) > pos and not isinstance(call.args[pos], ast.Starred):
            return isinstance(call.args[pos], ast.Constant) and call.args[pos].value in (False, None)
        if any(k.arg is None for k in call.keywords):
            packed = self.kwargs_dict(call, scope)  # type: ignore[attr-defined]
            given = packed[0].get(con.model[0]) if packed is not None else None
            return given is None or isinstance(given, ast.Constant) and given.value in (False, None)
        return True

    def chose_no_model(self, call: ast.Call, scope: Scope, con: "Constructor") -> bool:
        """Whether `call` builds an object of a `binds_when_handed` constructor without handing it a model
        (`Agent(name="Assistant", instructions=...)` of the OpenAI Agents SDK): the object runs the library's
        default model, its requests report that, but its construction chooses none and is no binding. A model
        in `**kwargs` counts as handed unless tokenlint reads that dict and finds none there."""
        if not con.binds_when_handed or self._model_expr(call, con) is not None:
            return False
        if any(k.arg is None for k in call.keywords):
            packed = self.kwargs_dict(call, scope)  # type: ignore[attr-defined]
            return packed is not None and not any(m in packed[0] for m in con.model)
        return not any(isinstance(a, ast.Starred) for a in call.args)

    @staticmethod
    def _model_expr(call: ast.Call, con: "Constructor") -> Optional[ast.expr]:
        """The expression `call` passes as the constructor's model (a keyword of `con.model`, else its
        position), or None."""
        got = next((k.value for k in call.keywords if k.arg in con.model), None)
        pos = con.model_position
        if got is None and pos is not None and len(call.args) > pos and not isinstance(call.args[pos], ast.Starred):
            got = call.args[pos]
        return got

    def config_held(self, call: ast.Call, scope: Scope, con: "Constructor") -> Optional[tuple]:
        """The (call, scope, constructor) of the `config_only` config a `reads_config` constructor is handed
        (`ChatAgent(ChatAgentConfig(llm=OpenAIGPTConfig(...)))`, through variables and composers), or None."""
        for r in self.wrapped_models(call, scope, con):
            for m in r.models:
                if m[2].config_only:
                    return m
        return None

    def wrapped_models(self, call: ast.Call, scope: Scope, con: "Constructor") -> list[Runnable]:
        """The model objects a `wraps_models` constructor is handed as its model argument (`Agent(
        OpenAIChatModel("gpt-4o"))`, `Agent(model=OpenAIChat(id=...))`); empty for a model string, a
        parameter or nothing (the constructor is then the binding itself)."""
        specs = con.model if con.model_position is None else (str(con.model_position), *con.model)
        out = []
        for e in _arguments(call, specs):
            v = self.infer(e, scope)  # type: ignore[attr-defined]
            if isinstance(v, Runnable) and v.models:
                out.append(v)
        return out

    def _collected(self, call: ast.Call, scope: Scope, framework: str) -> list[Runnable]:
        """The model objects added to the collector `call` builds, read where it is kept: `p = Pipeline()`
        then `p.add_component("llm", OpenAIGenerator())` in the same function, or `self.p = Pipeline()`
        then `self.p.add_component(...)` in any method of the class (catalog `collect` methods).
        Memoized per call; a collector reached again while its components are read holds none (no loop)."""
        memo = self.__dict__.setdefault("_fw_collected", {})
        got = memo.get(call)
        if got is not None:
            return got
        memo[call] = []
        fw = self.catalog.frameworks.get(framework)
        owner = owner_scope(scope)
        target = _assigned_to(call, owner.node)
        if fw is None or not fw.collect or target is None:
            return []
        places: list[tuple[ast.AST, Scope]] = [(owner.node, owner)]
        if isinstance(target, ast.Attribute):  # self.pipe: every method of the class
            cls = enclosing_class(scope)
            funcs = scope.module.func_scopes
            places = [(m, funcs[m]) for m in (cls.node.body if cls is not None else ()) if m in funcs]
        out: list[Runnable] = []
        for node, sc in places:
            for c in ast.walk(node):
                if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute) and c.func.attr in fw.collect \
                        and _same_target(c.func.value, target):
                    out += self._runnables_in(_arguments(c, fw.collect[c.func.attr]), sc)
                    if len(out) >= MAX_MODELS:
                        break
        memo[call] = out
        return out

    def _project_model(self, cls: ClassV) -> Optional["Constructor"]:
        """A project class deriving from a framework's abstract model type (`class ZhipuEmbeddings(
        Embeddings)`, `class Wrapper(SimpleChatModel)`, a LlamaIndex `CustomLLM`) whose own methods reach
        a paid API: a model class of the project. Its constructor is a binding (provider: the APIs its
        methods reach), requests on its objects spend. A subclass computing locally is not one. Memoized
        per class; a class reached again while its methods are resolved is not one there (no loop), and
        the sites that asked are worked out again once it is known."""
        memo = self.__dict__.setdefault("_fw_project_models", {})
        got = self.recall("model class", memo, cls.node)  # type: ignore[attr-defined]
        if got is not MISSING:
            return got
        # asked again while its methods are read (`return MyModel(...)` in its own `bind_tools`): not
        # one there (frames.py: the same whichever was asked first)
        return self.solve("model class", memo, cls.node, None, lambda: self._project_model_of(cls),  # type: ignore[attr-defined]
                          place_of(cls.scope.module, cls.node))

    def _project_model_of(self, cls: ClassV) -> Optional["Constructor"]:
        cat = self.catalog
        chain = list(self._class_chain(cls))  # type: ignore[attr-defined]
        mt = next((m for m in map(cat.model_types.get, self._library_bases(chain)) if m is not None), None)
        if mt is None or mt[0] not in cat.frameworks:
            return None
        providers: set[str] = set()
        for c in chain:
            for m in c.node.body:
                if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    # (and in the closures it defines and calls: a tenacity retry wrapper around the request)
                    for s in (s for o in (m, *nested_calls(m)) for s in self.function_sites(o, c.scope.module)):  # type: ignore[attr-defined]
                        if s.spends and s.confidence == "resolved" and s.kind in ("direct", "request", "wrapper"):
                            providers.update(s.providers or (s.provider,))
        if not providers:
            return None
        from tokenlint.catalog import Constructor
        provider = next(iter(providers)) if len(providers) == 1 else "multi"
        return Constructor(provider, mt[0], mt[1], MODEL_FIELDS, default_model=_model_default(chain))

    def delegates_to_held(self, cls: ClassV) -> bool:
        """Whether every paid call a project model class makes is a request on a model object it holds
        whose construction is known (`self.llm._generate(...)` with `self.llm = chat_class(**params)`):
        the model is chosen where that object is built (its binding), so building the project class is
        no second choice of a model. Read from the sites `_project_model_of` already worked out."""
        sites = [st for c in self._class_chain(cls) for m in c.node.body  # type: ignore[attr-defined]
                 if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))
                 for st in self.function_sites(m, c.scope.module)  # type: ignore[attr-defined]
                 if st.spends and st.confidence == "resolved" and st.kind in ("direct", "request", "wrapper")]
        return bool(sites) and all(st.kind == "request" and st.binding_calls for st in sites)

    def inherited_request(self, cls: ClassV, attr: str, written_in: Optional[ast.ClassDef] = None,
                          mixin: bool = True) -> Optional[RunnableMethod]:
        """`self.generate_prompt`, or `super()._generate` in a method of class `written_in`, where `self`
        is an object of project class `cls` deriving from a framework model class (`class MindIEChat(
        ChatOpenAI)`, directly or through project bases): the base class's request method (catalog
        `requests`, `embed_requests`, `internal_requests`), on a model object of its provider whose
        model the object's constructor chose. None when the method is no request; when a project class
        of the chain defines it (for `super()`, one other than `written_in` and `cls`): a call of project
        code, whose requests count inside it; or when the chain overrides a method it runs (catalog
        `internal_reaches`: `_generate` running an overridden `_create` is counted at the override's
        `super()._create`). A mixin deriving from no library class is read through its project
        subclasses (`mixin`, see `_mixin_request`)."""
        if attr not in self.framework_request_names(internal=True):
            return None
        chain = list(self._class_chain(cls))  # type: ignore[attr-defined]
        base = self._model_base(cls, chain)
        if base is None:
            return self._mixin_request(cls, attr, written_in) if mixin else None
        con, fw = base
        if attr not in (fw.embed_requests if con.api == "embeddings_model" else fw.requests) \
                and attr not in fw.internal_requests:
            return None
        own: dict[str, list[ClassV]] = {}  # method name -> the project classes of the chain defining it
        for c in chain:
            for m in c.node.body:
                if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    own.setdefault(m.name, []).append(c)
        # project code: for `super()`, defined past the class it is written in (and the object's own class)
        if any(written_in is None or (c is not chain[0] and c.node is not written_in) for c in own.get(attr, ())):
            return None
        todo, seen = list(fw.internal_reaches.get(attr, ())), set()
        while todo:  # what the method runs on the object, transitively
            m = todo.pop()
            if m in own:
                return None  # overridden: the override's own call is the request
            if m not in seen:
                seen.add(m)
                todo += fw.internal_reaches.get(m, ())
        return RunnableMethod(Runnable(fw.name, con.api, con.provider), attr)

    def _held_internal(self, held: Runnable, e: ast.Attribute, scope: Scope) -> Optional[RunnableMethod]:
        """`self.llm._generate` in a method of a project model class (deriving from a framework model
        class) that holds another model object as an attribute (`self.llm`, `self.model`): the held
        model's internal request method (catalog `internal_requests`: `_generate`, `_agenerate`,
        `_stream`, `_astream`, `_call`, `_acall`), a request as `self.llm.invoke` is. Such a wrapper
        overrides those methods, so its own callers' `invoke` is not counted a second time
        (`inherited_request`). Elsewhere an internal method of a model object is no request: None."""
        fw = self.catalog.framework(held.sdk)
        recv = e.value
        if fw is None or e.attr not in fw.internal_requests or not (
                isinstance(recv, ast.Attribute) and isinstance(recv.value, ast.Name)):
            return None
        fs = enclosing_function(scope)
        cs = enclosing_class(scope)
        if fs is None or cs is None or recv.value.id != fs.self_name or not isinstance(cs.node, ast.ClassDef):
            return None
        cls = ClassV(cs.node, cs)
        chain = list(self._class_chain(cls))  # type: ignore[attr-defined]
        if self._model_base(cls, chain) is None and not any(  # a model class, or an abstract model base
                self.catalog.model_types.get(q) is not None for q in self._library_bases(chain)):
            return None
        return RunnableMethod(held, e.attr)

    def _mixin_request(self, cls: ClassV, attr: str, written_in: Optional[ast.ClassDef]) -> Optional[RunnableMethod]:
        """`self.stream_chat` in a mixin deriving from no library class (`class StructuredChatMixin:`)
        whose project subclasses are model classes (`class PatchedOpenAI(StructuredChatMixin, OpenAI)`):
        their request method, as `inherited_request` finds it for each (provider "multi" when they
        differ); None when no subclass has it. Memoized per class and method."""
        memo = self.__dict__.setdefault("_fw_mixin_requests", {})
        key = (cls.node, attr, written_in)
        if key in memo:
            return memo[key]
        memo[key] = None
        found: list[RunnableMethod] = []
        if not self._library_based(cls):
            for sub in self._subclasses(cls)[:MAX_MODELS]:  # type: ignore[attr-defined]
                got = self.inherited_request(sub, attr, written_in, mixin=False)
                if got is not None:
                    found.append(got)
        got = None
        if found:
            providers = {m.runnable.provider for m in found}
            r = found[0].runnable
            got = RunnableMethod(replace(r, provider=r.provider if len(providers) == 1 else "multi"), attr)
        memo[key] = got
        return got

    def framework_request_names(self, internal: bool = False) -> frozenset[str]:
        """Every framework's request method names (`internal`: with the model classes' internal ones),
        a cheap first test on a spelling."""
        key = "_fw_request_names_internal" if internal else "_fw_request_names"
        names = self.__dict__.get(key)
        if names is None:
            names = self.__dict__[key] = frozenset(
                n for fw in self.catalog.frameworks.values()
                for n in (*fw.requests, *fw.embed_requests, *(fw.internal_requests if internal else ())))
        return names

    def _model_base(self, cls: ClassV, chain: list[ClassV]) -> Optional[tuple["Constructor", Any]]:
        """The catalog constructor (and framework) of the framework model class that project class `cls`
        (`chain`: it and its project bases) derives from, nearest first; None for another class. A
        runner class (a deepeval metric, a crewAI crew: it runs the model it holds or builds itself) is
        one too, its provider the framework's as for the runner's own object (`_runner_base`); a vector
        store (`held_only`) is not: what it runs is what its construction hands it. Memoized per class."""
        memo = self.__dict__.setdefault("_fw_model_bases", {})
        if cls.node in memo:
            return memo[cls.node]
        memo[cls.node] = None
        found = None
        cat = self.catalog
        for qual in self._library_bases(chain):
            con = cat.constructors.get(qual)
            fw = cat.frameworks.get(con.sdk) if con is not None else None
            if fw is not None:
                found = (con, fw)
                break
            run = cat.runners.get(qual)
            fw = cat.frameworks.get(run[0]) if run is not None else None
            # (a chain holding a model sends its requests on that model in its own code: `self.acall(...)`
            # inside it is the chain's plumbing, its callers' calls and the model's requests are the sites)
            if fw is not None and not fw.held_only and cat.canonical(qual) not in fw.model_holding_runners:
                from tokenlint.catalog import Constructor
                found = (Constructor(fw.name, fw.name, run[1], ()), fw)
                break
        memo[cls.node] = found
        return found

    def _runner_specs(self, framework: str, cls: str, method: Optional[str]) -> Optional[tuple[str, ...]]:
        """The argument specs handing runner class `cls` its model objects when built by `method`: the
        constructor (None; catalog runner_args), a spending classmethod (`FAISS.from_texts(texts, emb)`:
        build_args), a classmethod opening an existing one (`Pinecone.from_existing_index(name, emb)`:
        opener_args) or a composer classmethod (`OpenAIAgent.from_tools`: the constructor's); None for
        another method."""
        cat = self.catalog
        fw = cat.frameworks.get(framework)
        if method is None:
            return cat.runner_args.get(cls) or ()
        if fw is not None and method in fw.builds:
            return fw.build_args
        opened = cat.opener_args.get(cls)
        if opened and method in opened:
            return opened[method]
        return (cat.runner_args.get(cls) or ()) if method in cat.composer_classmethods else None

    def caller_chosen(self, ann: ast.expr, scope: Scope) -> Optional[Runnable]:
        """A parameter annotated with a concrete store class (`def __init__(self, db: MyFaiss | None)`):
        a store the caller chose, like one typed `VectorStore`; its requests embed through embeddings
        unknown here. None when the annotation names no `held_only` runner, or a project class defining
        a request method of its own (`class KeywordStore(VectorStore)` with its own `similarity_search`)."""
        for e in ast.walk(ann):
            if not isinstance(e, (ast.Name, ast.Attribute)):
                continue
            v = self.infer(e, scope)  # type: ignore[attr-defined]
            chain = list(self._class_chain(v)) if isinstance(v, ClassV) else []  # type: ignore[attr-defined]
            quals = [v.qual] if isinstance(v, Qual) and not v.called else [b for c in chain for b in self._base_quals(c)]
            for q in quals:
                run = self.catalog.runners.get(self.catalog.canonical(q))
                fw = self.catalog.frameworks.get(run[0]) if run is not None else None
                if fw is None or not fw.held_only:
                    continue
                own = {m.name for c in chain for m in c.node.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))}
                return None if own & fw.embed_requests else Runnable(fw.name, run[1], fw.name)
        return None

    def _library_bases(self, chain) -> Iterator[str]:  # type: ignore[no-untyped-def]
        """The canonical names of the classes outside the project that the classes of `chain` (a class
        and its project bases) name as bases, nearest first, subscripts read through (`Flow[State]`)."""
        for c in chain:
            for qual in self._base_quals(c):
                yield self.catalog.canonical(qual)

    def _base_quals(self, c: ClassV) -> list[str]:
        parent = c.scope.parent or c.scope
        out = []
        for b in c.node.bases:
            bv = self.infer(b.value if isinstance(b, ast.Subscript) else b, parent)  # type: ignore[attr-defined]
            if isinstance(bv, Qual) and not bv.called:
                out.append(bv.qual)
        return out

    def _own_module_lacks(self, qual: str) -> bool:
        """Whether `qual`'s module is the project's own source (the framework analysed as itself) and its
        text never names `qual`'s last name: a name the package does not define. A module naming it (a class,
        a re-export) defines it, though tokenlint did not follow it there (a namespace portion, a lazy export)."""
        module, _, name = qual.rpartition(".")
        if not module or not self.project.defines_catalogued(qual):  # type: ignore[attr-defined]
            return False
        ms = self.project.find_module(module, None)  # type: ignore[attr-defined]
        try:
            return ms is not None and name not in ms.read()
        except SourceError:  # (an unreadable module is reported on its own; here it decides nothing)
            return False

    def _held_only(self, framework: str) -> bool:
        fw = self.catalog.frameworks.get(framework)
        return fw is not None and fw.held_only

    def _holding(self, sdk: str, api: str, exprs: list[ast.expr], scope: Scope, built: bool = True) -> Optional[Runnable]:
        """A runner of framework `sdk` holding the model objects `exprs` evaluate to (its requests carry
        their bindings), or none (its requests' model is "dynamic"). For a `held_only` framework (a vector
        store), only model objects of the runner's api count, and a runner `built` with none is None (it
        sends nothing counted); one known by its annotation alone (not `built`: `db: VectorStore`, a store
        chosen elsewhere) holds an unknown one."""
        fw = self.catalog.frameworks.get(sdk)
        if fw is not None and fw.held_only and built:
            parts = [p for p in self._runnables_in(exprs, scope) if p.api == api] if exprs else []
            held = _merge(parts, None) if parts else None
            return Runnable(sdk, api, held.provider, held.models, held.calls, partial=held.partial,
                            passed=held.passed) if held is not None else None
        parts = self._runnables_in(exprs, scope) if exprs else []
        if fw is not None and fw.handed_or_default and built and exprs and not parts:
            return None  # `LanceDb(embedder=SentenceTransformerEmbedder())`: handed a model it does not send to
        held = _merge(parts, None) if parts else None
        if held is None and not exprs and fw is not None and fw.default_provider:
            return Runnable(sdk, api, fw.default_provider)  # `LanceDb(table_name=...)`: its default OpenAIEmbedder()
        if held is None or not held.models:
            return Runnable(sdk, api, sdk)
        return Runnable(sdk, api, held.provider, held.models, held.calls, partial=held.partial, passed=held.passed)

    def _runner_base(self, cls: ClassV, call: Optional[ast.Call] = None, scope: Optional[Scope] = None) -> Optional[Value]:
        """The runner a project class derives from (`class PoemFlow(Flow[PoemState])`), else None. Built
        by `call`, a runner of a `held_only` framework holds what the call hands it as its base's constructor
        would take it (`class Store(FAISS)`, `Store(emb, ...)`), and is Opaque when handed nothing known or
        when known only by an annotation (the project builds it; that construction decides)."""
        for qual in self._library_bases(self._class_chain(cls)):  # type: ignore[attr-defined]  # Flow[State] too
            run = self.catalog.runners.get(qual)
            if run is None:
                continue
            fw = self.catalog.frameworks.get(run[0])
            if fw is not None and fw.model_holding_runners and self.catalog.canonical(qual) in fw.model_holding_runners \
                    and not self._holds_model_field(cls):
                return None
            if self._held_only(run[0]):  # a store: what its base's constructor takes (see _framework_value)
                specs = self.catalog.runner_args.get(qual) or ()
                if call is None or scope is None:  # `db: MyStore`: built in the project, which decides
                    return Opaque(STORE_TYPE)
                return self._holding(run[0], run[1], _arguments(call, specs), scope) or Opaque("runner")
            # (its own methods stay readable on its objects: `chain.plan(goal)` is a call of project code)
            return Runnable(run[0], run[1], run[0], project_class=cls)
        return None

    def composer_base(self, cls: ClassV, call: Optional[ast.Call], scope: Scope) -> Optional[Runnable]:
        """A project class deriving from a framework's chain class (`class ShoutChain(LLMChain)`, catalog
        `composers`): built by `call`, a chain over the models the call hands it as the base's constructor
        takes them (`ShoutChain(llm=llm)`, its `__init__` passing them on); named as a type (`call` None:
        `shout_chain: ShoutChain`), a chain of its framework whose model is chosen where it is built. Its
        own methods stay readable on its objects (`project_class`). None for another class, or one built
        handed no model tokenlint follows (its objects stay project objects)."""
        chain = list(self._class_chain(cls))  # type: ignore[attr-defined]
        for qual in self._library_bases(chain):  # type: ignore[attr-defined]
            got = self.catalog.composers.get(qual)
            if got is None:
                continue
            fw = self.catalog.framework(got[0])
            if fw is not None and _overrides_without_super(chain, fw.requests):
                return None  # `def predict(self, ...): return cached`: the project's own answer, no request
            v = self._framework_value(qual, call, scope)
            return replace(v, project_class=cls) if type(v) is Runnable else None
        return None

    def _holds_model_field(self, cls: ClassV) -> bool:
        """Whether project class `cls` (or a project base) declares a field annotated with a framework model
        type (`llm: BaseLanguageModel`, pydantic style) and sends that model's requests itself
        (`self.llm.generate_prompt(...)`): a chain of its own over the model it holds, as a framework
        chain is. A chain building inner chains from its model (`LLMChain(llm=self.llm, ...).predict(...)`)
        is project code, whose inner chains' calls are the requests. Memoized per class."""
        memo = self.__dict__.setdefault("_model_field_memo", {})
        got = memo.get(cls.node)
        if got is None:
            memo[cls.node] = False  # (asked again while its fields are read)
            got = memo[cls.node] = self._sends_on_model_field(list(self._class_chain(cls)))  # type: ignore[attr-defined]
        return got

    def _sends_on_model_field(self, chain: list[ClassV]) -> bool:
        cat = self.catalog
        fields: set[str] = set()
        for c in chain:
            for st in c.node.body:
                if isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name):
                    ann = st.annotation.slice if isinstance(st.annotation, ast.Subscript) else st.annotation  # Optional[...]
                    v = self.infer(ann, c.scope)  # type: ignore[attr-defined]
                    if isinstance(v, Qual):
                        mt = cat.model_types.get(cat.canonical(v.qual))
                        fw = cat.frameworks.get(mt[0]) if mt is not None else None
                        if fw is not None:
                            fields.add(st.target.id)
        if not fields:
            return False
        names = self.framework_request_names()  # type: ignore[attr-defined]
        return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in names
                   and isinstance(n.func.value, ast.Attribute) and n.func.value.attr in fields
                   and isinstance(n.func.value.value, ast.Name) and n.func.value.value.id == "self"
                   for c in chain for n in ast.walk(c.node))

    def _runner_classmethod(self, cls: ClassV, attr: str) -> Optional[Qual]:
        """A classmethod building a runner that project class `cls` inherits from its library base
        (`SSDB.from_documents(docs, embedding=emb)` with `class SSDB(SingleStoreDB)`), as that base's
        qualified name; else None."""
        if attr.startswith("_"):
            return None
        for qual in self._library_bases(self._class_chain(cls)):  # type: ignore[attr-defined]
            run = self.catalog.runners.get(qual)
            if run is not None and self._runner_specs(run[0], qual, attr) is not None:
                return Qual(f"{qual}.{attr}")
        return None

    def _builds_runnable(self, v: Value) -> bool:
        """Whether `v`, a project function or class, returns a runnable or derives from a runner
        (`def build(): return graph.compile()`, a class whose `crew()` method returns a `Crew`)."""
        if not isinstance(v, (Func, ClassV)):
            return False
        raw = v.scope.module.source.raw or b""
        try:
            if isinstance(v, Func):  # a factory of model objects or chains (`def get_chat_model(): ...`)
                return self._names_package(raw, "_framework_words") and \
                    isinstance(self._func_return(v, None), Runnable)  # type: ignore[attr-defined]
            # a class's methods are read only in a module naming a framework's package: one naming a
            # runner's package builds a runner (or any runnable); another, a model object holding a
            # binding (`ModelManager.get_model()` returning `AIFactory.create_language(...)`)
            runner = self._names_package(raw, "_runner_words")
            if not runner and not self._names_package(raw, "_framework_words"):
                return False
            if runner and self._runner_base(v) is not None:
                return True
            info = v.scope.module
            for m in v.node.body:
                if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and m in info.func_scopes:
                    got = self._func_return(Func(m, info.func_scopes[m]), None)  # type: ignore[attr-defined]
                    if isinstance(got, Runnable) and (runner or got.models):
                        return True
            return False
        except RecursionError:  # a chain of returns too deep to follow here: not known to build one
            return False

    def _names_package(self, raw: bytes, which: str) -> bool:
        """Whether the module's bytes name a framework's package ("_framework_words": any model,
        chain or runner package; "_runner_words": a runner's package only)."""
        memo = self.__dict__.setdefault("_names_package_memo", {})
        got = memo.get((which, raw))  # a module's bytes are asked about again and again: once each
        if got is not None:
            return got
        rx = self.__dict__.get(which)
        if rx is None:
            cat = self.catalog
            indexes = [cat.runners] if which == "_runner_words" else \
                [cat.runners, cat.composers, cat.model_types, cat.constructors]
            found = set()
            for index in indexes:
                for bucket in index._by_last.values():  # noqa: SLF001 - same catalog
                    for mod, value in bucket:
                        if index is not cat.constructors or getattr(value, "sdk", None) in cat.frameworks:
                            found.add(mod.split(".", 1)[0].encode())
            rx = self.__dict__[which] = re.compile(b"|".join(re.escape(w) for w in sorted(found)) or b"(?!)")
        got = memo[(which, raw)] = rx.search(raw) is not None
        return got

    def _runnable_attr(self, r: Runnable, attr: str) -> Value:
        if r.deferred:  # `partial(ChatOpenAI, ...).invoke`: the builder's attribute, no model's
            return Opaque("runnable-attr")
        fw = self.catalog.framework(r.sdk)
        if fw is not None and (attr in fw.combinators or attr in fw.requests or attr in fw.embed_requests
                               or attr in fw.converts or attr in fw.request_apis):
            return RunnableMethod(r, attr)
        if r.project_class is not None:  # an object of a project model class: its own attribute (`llm.client`)
            return self._instance_attr(Instance(r.project_class), attr)  # type: ignore[attr-defined]
        return Opaque("runnable-attr")

    def _runnable_method_call(self, m: RunnableMethod, call: ast.Call, scope: Scope) -> Value:
        fw = self.catalog.framework(m.runnable.sdk)
        if fw is not None and m.name in fw.converts:
            return _converted(m.runnable, fw.converts[m.name], (call, scope))
        if fw is None or m.name not in fw.combinators:
            return Opaque("response")
        parts = [m.runnable]
        specs = fw.joins.get(m.name)
        if specs:
            parts += self._runnables_in(_arguments(call, specs), scope)
        return _merge(parts, (call, scope)) or Opaque("runnable")

    def _pipe(self, e: ast.BinOp, scope: Scope) -> Value:
        """`a | b`: a runnable when either side holds a model (dict literals are RunnableParallel).
        Two containers are a dict merge or a set union (`defaults | {"llm": llm}`), not a chain."""
        if self._container(e.left, scope) and self._container(e.right, scope):
            return Opaque("BinOp")
        parts = self._runnables_in([e.left, e.right], scope)
        return _merge(parts, None) if parts else Opaque("BinOp")

    def _runnables_in(self, exprs: list[ast.expr], scope: Scope) -> list[Runnable]:
        out: list[Runnable] = []
        todo = [(e, scope) for e in exprs]
        while todo and len(out) < MAX_MODELS:
            e, sc = todo.pop(0)
            if isinstance(e, (ast.List, ast.Tuple, ast.Set)):
                todo.extend((x, sc) for x in e.elts if not isinstance(x, ast.Starred))
            elif isinstance(e, ast.Dict):
                todo.extend((v, sc) for v in e.values if v is not None)
            elif isinstance(e, ast.expr):
                v = self.infer(e, sc)  # type: ignore[attr-defined]
                lit = resolve(e, sc) if isinstance(e, ast.Name) and isinstance(v, (Opaque, Unknown)) else None
                if isinstance(v, Runnable):
                    out.append(v)
                elif isinstance(v, RunnableMethod) and v.name in self.framework_request_names():
                    out.append(v.runnable)  # `RunnableLambda(llm.ainvoke)`: a step running the model's request
                elif lit is not None and isinstance(lit[0], _STEP_LITERALS):
                    # a step built before the pipe and named (`answer = {"answer": prompt | llm}`,
                    # then `retrieve | answer`): the literal it names is the step, read as if written here;
                    # a dict of steps is also what its function puts in it (`chains[name] = prompt | llm`)
                    todo.append(lit)
                    if isinstance(lit[0], ast.Dict):
                        todo.extend(_filled(e.id, lit[1]))  # type: ignore[attr-defined]
                elif lit is not None and _dict_call(lit[0]):
                    # `chains = dict(summary=prompt | llm)`: its keyword values, and what is put in it later
                    todo.extend((k.value, lit[1]) for k in lit[0].keywords)  # type: ignore[attr-defined]
                    todo.extend(_filled(e.id, lit[1]))  # type: ignore[attr-defined]
                else:
                    guess = self._named_runnable(e, v)
                    if guess is not None:
                        out.append(guess)
        return out

    @staticmethod
    def _container(e: ast.expr, scope: Scope) -> bool:
        """A container literal, or a local name of one (`answer = {"answer": prompt | llm}`)."""
        return isinstance(resolve(e, scope)[0] if isinstance(e, ast.Name) else e, _STEP_LITERALS)

    def _named_runnable(self, e: ast.expr, v: Value) -> Optional[Runnable]:
        """`prompt | llm.bind_tools(tools)` with `llm` of unknown type: a runnable known only by the
        receiver's name (catalog `[[framework.inferred]]` chat patterns), for a pipe or chain builder."""
        if isinstance(v, (Runnable, RunnableMethod)) or not isinstance(v, (Opaque, Unknown, Chain, Param)):
            return None
        while isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute):
            fw_names = {c for fw in self.catalog.frameworks.values() for c in fw.combinators}
            if e.func.attr not in fw_names:
                return None
            e = e.func.value
        name = e.id if isinstance(e, ast.Name) else e.attr if isinstance(e, ast.Attribute) else None
        if not name:
            return None
        low = name.lower().lstrip("_")
        for fw in self.catalog.frameworks.values():
            for patterns, methods, api, _in_module in fw.inferred:
                if api != "embeddings_model" and "invoke" in methods and \
                        any(fnmatch.fnmatchcase(low, p) for p in patterns):
                    return Runnable(fw.name, api, fw.name, inferred=True)
        return None

    # sites -------------------------------------------------------------------
    def _framework_site(self, rec: CallRecord, callee: Value) -> Optional[CallSite]:
        """The request site of a call of a runnable's request method (`chain.invoke(...)`) or of the
        runnable itself (`llm(...)`, legacy `__call__`), else None."""
        if type(callee) is RunnableMethod:
            r, name = callee.runnable, callee.name  # type: ignore[attr-defined]
        else:
            r, name = callee, "__call__"  # type: ignore[assignment]
        fw = self.catalog.framework(r.sdk)
        if fw is None:
            return None
        if name in fw.own_embeds and r.api != "embeddings_model":  # `doc_agent.ingest()`: its own embedder
            r = replace(r, api="embeddings_model", models=(), provider=fw.name)  # (its embedder: not followed)
        embeds = tuple(m for m in r.models if m[2].api == "embeddings_model")
        if embeds and not r.api == "embeddings_model" and name in fw.embed_requests and name not in fw.requests:
            # one of a registry's classes (`MODELS[kind](**kw)`: a chat model or an embedding model) asked
            # to embed: the embedding models it may be
            r = replace(r, api="embeddings_model", provider=embeds[0][2].provider, models=embeds)
        embed = r.api == "embeddings_model"
        # an index, an engine, an agent or a predictor handed no model tokenlint knows runs the framework's
        # global defaults (`Settings.llm = ...`, `dspy.configure(lm=...)`), when the project sets them
        unheld = not r.models and not r.inferred and r.api in fw.runner_kinds
        want = fw.request_apis.get(name)
        if want is not None:  # `aembed` runs on embedding models: of a factory's models, only those
            held = tuple(m for m in r.models if m[2].api == want)
            # (a runner of models configured elsewhere, an index, runs one of that kind: see runner_kinds)
            mismatch = not held if r.models else r.api != want and r.api not in fw.runner_kinds
            if mismatch:
                return None  # no model of that kind (`transcribe` on a language model)
            r = replace(r, api=want, models=held)
            if not held and want == "embeddings_model" and self._embeds_locally(fw):
                return None  # `index.as_retriever().retrieve(q)` under `Settings.embed_model = HuggingFaceEmbedding()`
        elif name not in (fw.embed_requests if embed else fw.requests) and name not in fw.internal_requests:
            return None  # (an internal method is reached only from a project subclass: `inherited_request`)
        if name in fw.listing_args and _empty_text(_arguments(rec.node, fw.listing_args[name])):
            return None  # `db.similarity_search("", k=100)`: lists the stored documents
        if name in fw.plugin_requests and self._native_plugin(rec, fw.plugin_requests[name], fw.plugin_adders):
            self.withhold(rec.node, "runs a native plugin's function (project code registered from an object), "  # type: ignore[attr-defined]
                                    "not a model")
            return None
        if unheld:
            r = self._with_settings(r, fw)
        others = fw.request_args.get(name)
        if others:  # `user_proxy.initiate_chat(assistant, ...)`: the recipient's model answers too
            parts = [r, *self._runnables_in(_arguments(rec.node, others), rec.scope)]
            if all(p.no_model for p in parts):
                return None  # agents built without a model talking to each other call none
            r = _merge(parts, None) or r
        elif r.no_model:
            return None  # `user_proxy.generate_reply(...)` on an agent built without a model
        if self._built_under_patch(rec):
            self.withhold(rec.node, "a request on a runnable built while `mock.patch` swapped in a test double")  # type: ignore[attr-defined]
            return None
        if r.models and _lacks_request_method(rec, name, fw.requests):
            r = replace(r, models=())  # the model objects known to reach it all have that method: none runs here
        site = self._request_site(rec, r, name, fw)
        if (r.inferred and not r.models) or r.partial or fw.guessed:
            site.confidence = "inferred"  # (a guessed framework: a library the catalog does not know)
        return site

    def _native_plugin(self, rec: CallRecord, keyword: str,
                       adders: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]) -> bool:
        """Whether the call names (by its `keyword`, a string literal) a plugin that the module registers
        from an object of a project class (`kernel.add_plugin(plugin=SearchPlugin(), plugin_name="Search")`):
        a native plugin, whose functions are the project's own Python. A plugin registered otherwise (a
        prompt directory, a library object) or not found in the module may hold prompt functions."""
        named = _arguments(rec.node, (keyword,))
        if not (named and isinstance(named[0], ast.Constant) and isinstance(named[0].value, str)):
            return False
        for other in rec.scope.module.calls:  # the module's calls, already listed: no new pass
            f = other.node.func
            specs = adders.get(f.attr) if isinstance(f, ast.Attribute) else None
            if specs is None:
                continue
            names, plugins = _arguments(other.node, specs[1]), _arguments(other.node, specs[0])
            if names and isinstance(names[0], ast.Constant) and names[0].value == named[0].value and plugins \
                    and isinstance(plugins[0], ast.Call) \
                    and isinstance(self.infer(plugins[0].func, other.scope), ClassV):  # type: ignore[attr-defined]
                return True
        return False

    def _built_under_patch(self, rec: CallRecord) -> bool:
        """Whether the receiver (a local name) was assigned inside a `with mock.patch(target, fake):`
        block of the same function: a benchmark or test helper building its graph against a test double
        (`with patch("app.models.create_chat_model", fake): graph = make_agent()`)."""
        func = rec.node.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return False
        name = func.value.id
        if b"patch" not in (rec.scope.module.source.raw or b""):
            return False  # no mock.patch anywhere in the module: nothing to walk
        owner = owner_scope(rec.scope).node
        for st in ast.walk(owner):
            if not isinstance(st, (ast.With, ast.AsyncWith)) or not any(
                    isinstance(i.context_expr, ast.Call) and self._swaps_double(i.context_expr, rec.scope)
                    for i in st.items):
                continue
            for inner in st.body:
                for n in ast.walk(inner):
                    if isinstance(n, (ast.Assign, ast.AnnAssign)) and any(
                            isinstance(t, ast.Name) and t.id == name
                            for t in (n.targets if isinstance(n, ast.Assign) else [n.target])):
                        return True
        return False

    def _swaps_double(self, call: ast.Call, scope: Scope) -> bool:
        """`patch("pkg.f", fake)`, `patch.object(Cls, "f", new=fake)`, `patch("pkg.f", return_value=m)`:
        a `unittest.mock` patch given the object to put in place (a patch of a dict is not one)."""
        q = self.infer(call.func, scope)  # type: ignore[attr-defined]
        if not isinstance(q, Qual) or q.called:
            return False
        qual = q.qual.removeprefix("unittest.")
        if qual not in ("mock.patch", "mock.patch.object"):
            return False
        targets = 2 if qual.endswith(".object") else 1
        return len(call.args) > targets or any(k.arg in ("new", "return_value", "side_effect", "new_callable")
                                               for k in call.keywords)

    def _chosen_binding(self, rec: CallRecord, classes: OneOf) -> Optional[CallSite]:
        """`self._obj = self._lc_class(**params)` where the class is one of several library classes (the
        subclasses' answers to an abstract `_get_lc_class()`), some of them framework model classes: one
        binding site, its provider "multi" when they differ; else None (no model class, or not classes).
        The other classes (a local model) send nothing counted."""
        cons = []
        for m in classes.members:
            if type(m) is not Qual or m.called:  # type: ignore[attr-defined]
                return None
            con = self.catalog.constructors.get(self.catalog.canonical(m.qual))  # type: ignore[attr-defined]
            if con is not None and con.sdk in self.catalog.frameworks:
                cons.append(con)
        if not cons:
            return None
        site = self._constructor(rec, cons[0])  # type: ignore[attr-defined]
        providers = sorted({c.provider for c in cons})
        if site is not None and len(providers) > 1:
            site.provider, site.providers = "multi", tuple(providers)
        return site

    def _framework_build(self, rec: CallRecord, qual: str) -> Optional[CallSite]:
        """`VectorStoreIndex.from_documents(docs)`: a builder that embeds (or asks the LLM about) every
        document while building (catalog `builds` / `spending_builds`); None for another class or method,
        or when the documents are a literal empty list (an empty index sends nothing)."""
        cls, _, method = qual.rpartition(".")
        found = self.catalog.spending_builds.get(cls) if cls else None
        if found is None:
            return None
        fw = self.catalog.frameworks.get(found[0])
        if fw is None or method not in fw.builds:
            return None
        docs = _arguments(rec.node, ("0", "documents"))
        if docs and isinstance(docs[0], (ast.List, ast.Tuple)) and not docs[0].elts:
            return None
        if fw.builds_need_runners and \
                all(p.no_model for p in self._runnables_in(_arguments(rec.node, fw.build_args), rec.scope)):
            return None  # `evaluate(..., scoring_metrics=[LevenshteinRatio()])`: heuristic metrics ask no model
            # (nor does a config built without one: RAGLite's over a model run in process)
        held = self._holding(fw.name, found[1], _arguments(rec.node, fw.build_args), rec.scope)  # Runner.run(agent, ...)
        if held is None:  # `FAISS.from_texts(texts, HuggingFaceEmbeddings())`: no embeddings tokenlint knows
            return None
        if not held.models and held.api == "embeddings_model" and self._embeds_locally(fw):
            return None  # `VectorStoreIndex.from_documents(docs)` under a local `Settings.embed_model`
        if not held.models:  # `VectorStoreIndex.from_documents(docs)` under `Settings.embed_model = OpenAIEmbedding(...)`
            held = self._with_settings(held, fw)
        return self._request_site(rec, held, method, fw)

    def _with_settings(self, r: Runnable, fw: Any) -> Runnable:
        """Runner `r`, holding no model, as one holding the framework's global default models of its api
        (`_settings_models`), or as it is when the project sets none."""
        held = self._settings_models(fw, r.api == "embeddings_model")  # type: ignore[attr-defined]
        return r if held is None else replace(r, provider=held.provider, models=held.models)

    def _generic_runnable_call(self, rec: CallRecord, qual: str) -> Optional[CallSite]:
        """A call on a receiver typed only as a generic runnable (`summary_model: Runnable`): a request
        when the receiver is named like a model (`_framework_by_name`), else None (a retriever, a parser)."""
        got = self.__dict__.get("_generic_types")
        if got is None:  # the types, and their last names for a quick first test
            types = frozenset(t for fw in self.catalog.frameworks.values() for t in fw.generic_types)
            got = self.__dict__["_generic_types"] = (types, frozenset(t.rpartition(".")[2] for t in types))
        if qual.rpartition(".")[2] in got[1] and self.catalog.canonical(qual) in got[0]:
            return self._framework_by_name(rec)
        return None

    def _framework_by_name(self, rec: CallRecord) -> Optional[CallSite]:
        """`llm.invoke(...)` on a receiver of unknown type named like a model object (catalog
        `[[framework.inferred]]`): a request with confidence "inferred", provider and model unknown."""
        func = rec.node.func
        if not isinstance(func, ast.Attribute):
            return None
        recv = func.value
        name = recv.id if isinstance(recv, ast.Name) else recv.attr if isinstance(recv, ast.Attribute) else None
        if not name:
            return None
        low = name.lower().lstrip("_")
        for fw in self.catalog.frameworks.values():
            for patterns, methods, api, in_module in fw.inferred:
                if func.attr in methods and any(fnmatch.fnmatchcase(low, p) for p in patterns):
                    if not passes_first(rec.node, fw.first_params.get(func.attr)):
                        continue  # the arguments fit another API (catalog first_params)
                    if fw.inferred_needs_import and not self._project_imports(fw.name):
                        continue  # a name as common as `coder` means the framework's object only where it is used
                    if in_module and not self._module_imports_llm(rec.scope.module):
                        continue  # `agent.invoke(...)`: a framework's only in a module importing an LLM library
                    if _built_with_double(recv, rec.scope):
                        return None  # `agent = create_agent(FakeListChatModel(...))`: a test double answers
                    if not self._project_imports(fw.name) and self._built_by_project(recv, rec.scope):
                        return None  # `model = catalog.load_model(name)` in a project never importing the
                        # framework: the object its own factory returns, whatever its methods are called
                    if in_module and _param_or_pipe(recv, rec.scope):
                        continue  # a chain or agent handed in as a parameter is its callers' to say (caller
                        # arguments, resolve/passed.py; none may hold a model), one piped here the pipe's
                    if self._own_lookalike(func.attr):
                        return None  # the receiver may as well be the project's own `embed_query` class
                    site = self._request_site(rec, Runnable(fw.name, api, fw.name), func.attr, fw)
                    site.confidence = "inferred"
                    site.reason = f".{func.attr}(...) on `{name}`, of unknown type, named like a {fw.name} object that runs a model"
                    return site
        return None

    def _built_by_project(self, e: ast.expr, scope: Scope) -> bool:
        """Whether `e` is a local name assigned the result of calling a project function or method
        (`model = ModelCatalog().load_model(name)`) that tokenlint followed without finding its type."""
        if not isinstance(e, ast.Name):
            return False
        value, where = resolve(e, scope)
        return isinstance(value, ast.Call) and type(self.infer(value.func, where)) is Func  # type: ignore[attr-defined]

    def _project_imports(self, name: str) -> bool:
        """Whether a module of the project imports framework `name`'s package (read from the bytes, once);
        not when the package is the project's own (aider's repository: its objects resolve as project code)."""
        memo = self.__dict__.setdefault("_fw_imported", {})
        got = memo.get(name)
        if got is None:
            found = self._import_pattern(name)
            if found is None:
                got = memo[name] = False
            else:  # the package names looked for as plain bytes first: most modules hold none of them
                pattern, needles = found
                got = memo[name] = any(any(n in ms.raw for n in needles) and pattern.search(ms.raw)
                                       for ms in self._sources())  # type: ignore[attr-defined]
        return got

    def _module_imports_llm(self, info: Any) -> bool:
        """Whether module `info` imports an LLM SDK's client or anything of a framework's packages (the
        evidence the "not resolved" list asks of a file, `_import_evidence`; once per module)."""
        memo = self.__dict__.setdefault("_llm_importers", {})
        got = memo.get(info.source.relpath)
        if got is None:
            imported, framework = self._import_evidence(info)  # type: ignore[attr-defined]
            got = memo[info.source.relpath] = bool(imported) or framework
        return got

    def _import_pattern(self, name: str) -> "tuple[re.Pattern[bytes], tuple[bytes, ...]] | None":
        """An import of one of framework `name`'s packages (those of its catalogued classes, not the
        project's own) at the start of a line, and the packages' names, built once; None when it has none."""
        memo = self.__dict__.setdefault("_fw_import_pattern", {})
        if name not in memo:
            cat = self.catalog
            # (a module's own functions are listed under the module: `alpaca_eval` for `alpaca_eval.evaluate`)
            pkgs = {(mod or last).split(".", 1)[0] for index in (cat.runners, cat.constructors, cat.spending_builds)
                    for last, bucket in index._by_last.items() for mod, v in bucket  # noqa: SLF001 - same catalog
                    if (getattr(v, "sdk", None) if index is cat.constructors else v[0]) == name}
            pkgs = {p for p in pkgs if self.project.find_module(p, None) is None}  # type: ignore[attr-defined]
            alt = b"|".join(re.escape(p.encode()) for p in sorted(pkgs))
            memo[name] = (re.compile(rb"(?m)^[ \t]*(?:from|import)[ \t]+(?:" + alt + rb")(?![\w])"),
                          tuple(p.encode() for p in sorted(pkgs))) if pkgs else None
        return memo[name]

    def _own_lookalike(self, method: str) -> bool:
        """Whether a project class deriving from no library class defines `method` and spends in it
        (`class OpenAIEmbeddings: def embed_query(...)` calling the SDK): a receiver known only by its
        name may be one, whose request is counted inside it."""
        memo = self.__dict__.setdefault("_lookalike_memo", {})
        got = memo.get(method)
        if got is None:
            got = memo[method] = any(self._spending_lookalike(ms, method) for ms in self._defining(method))
        return got

    def _defining(self, method: str) -> list:
        """The modules defining `method` in a class without bases (from the bytes: one scan of the
        project for every method the catalog infers by name, on first use)."""
        index = self.__dict__.get("_lookalike_index")
        if index is None:
            names = sorted({m for fw in self.catalog.frameworks.values() for _p, ms, _a, _m in fw.inferred for m in ms})
            pattern = re.compile(rb"def[ \t]+(" + b"|".join(re.escape(n.encode()) for n in names) + rb")[ \t]*\(")
            index = self.__dict__["_lookalike_index"] = {}
            sources = self._sources()  # type: ignore[attr-defined]
            # only the modules whose text defines one of the names, as the project's function-name
            # index (built before the workers fork) answers: most modules define none
            defs = self._defs_among(sources)  # type: ignore[attr-defined]
            holding = {id(ms) for n in names for ms in defs.get(n.encode(), ())}
            for ms in sources:
                if id(ms) not in holding:
                    continue
                for m in pattern.finditer(ms.raw):
                    if _plain_class_before(ms.raw, m.start()):
                        index.setdefault(m.group(1).decode(), []).append(ms)
        return list(dict.fromkeys(index.get(method, ())))

    def _spending_lookalike(self, ms: Any, method: str) -> bool:
        """Whether module `ms` holds a concrete wrapper class defining `method` and spending in it. A
        base or mixin the project derives from (`LCChatMixin.ainvoke` over `self._obj.agenerate`, in
        LCChatOpenAI, LCAnthropicChat, ...) is no such look-alike: a call on it is a facade, a site too."""
        info = self.project.module_info(ms)  # type: ignore[attr-defined]
        if info is None:
            return False
        for node, cs in info.class_scopes.items():
            cls = ClassV(node, cs)  # type: ignore[arg-type]
            for m in node.body:
                if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and m.name == method and \
                        not self._library_based(cls) and not self._subclasses(cls):  # type: ignore[attr-defined]
                    targets = self._own_targets(cls, m, 0)[0]  # type: ignore[attr-defined]
                    # a proxy handing the same request to a model object it holds (`return await
                    # self._inner.ainvoke(...)`) is a model object all the same: a call on it is a request
                    if targets and not all(_same_request(t, method) for t in targets):
                        return True
        return False

    def _library_based(self, cls: ClassV) -> bool:
        """Whether `cls` or one of its project bases derives from a class outside the project."""
        for c in self._class_chain(cls):  # type: ignore[attr-defined]
            parent = c.scope.parent or c.scope
            for b in c.node.bases:
                bv = self.infer(b, parent)  # type: ignore[attr-defined]
                if isinstance(bv, Qual) and not bv.called and bv.qual.split(".", 1)[0] not in ("typing", "abc", "builtins"):
                    return True
        return False

    def _request_site(self, rec: CallRecord, r: Runnable, name: str, fw: Any) -> CallSite:
        facts = [self._binding_facts(c, s, con) for c, s, con in r.models]
        first = facts[0] if facts else None
        if first is not None:
            model = replace(first.model, origin=None, origin_source=None)
            if model.kind == "parameter" and enclosing_function(rec.scope) is not enclosing_function(first.scope):
                model.kind, model.param = "dynamic", None  # chosen by the binding's caller, elsewhere
            provider = first.provider
        else:
            model, provider = Arg(None, "dynamic"), r.provider
        site = self._base(rec, provider, r.sdk, r.api, "request", "resolved", model,  # type: ignore[attr-defined]
                          name in fw.is_async, name in fw.stream, True)
        site.tag_style = fw.tag_style if name in fw.config_methods else None
        calls: list[tuple[ast.Call, Scope]] = [(rec.node, rec.scope)] + list(reversed(r.calls))
        self._tags(site, calls, rec)  # type: ignore[attr-defined]
        if site.tag is None and first is not None and first.tag is not None:
            # the first model's constructor tags cover the request (a fallback's tag covers its own runs only)
            site.tag, site.tag_via, site.feature = first.tag, first.tag_via, first.feature
        site.binding_calls = tuple(c for c, _, _ in r.models)
        site.system = self._agent_prompt(r)
        if len(facts) > 1:
            site.alternatives = tuple(f"{f.provider} {f.model.value or '<' + f.model.kind + '>'}" for f in facts)
        site.forwards = self._forwards(site)  # type: ignore[attr-defined]
        # the output cap: the request's own calls (`invoke(..., max_tokens=n)`, `.bind(...)`), else every model's
        site.self_hosted = bool(facts) and all(f.self_hosted for f in facts)  # every model it may run on
        served = {f.serving for f in facts}
        site.serving = served.pop() if len(served) == 1 else None  # ChatOpenAI at an Azure endpoint: Azure's
        site.output_cap = request_cap(output_cap(r.sdk, r.api, provider, calls), [f.output_cap for f in facts])
        if site.output_cap == "missing" and r.passed:
            site.output_cap = None  # a model object its callers hand in: built, and capped or not, elsewhere
        if site.output_cap == "missing":
            site.cap_note = next((f.cap_note for f in facts if f.cap_note), None)
        site.output_tokens = output_tokens(r.api, calls)
        return site

    def _agent_prompt(self, r: Runnable):  # type: ignore[no-untyped-def]
        """The system prompt an agent builder the request runs through was handed (`create_agent(model,
        tools, system_prompt=...)`, also from a `**kwargs` dict built beside it; catalog
        `agent_prompts`): the agent puts it before the messages of every request. The agent may also be
        the request's model object itself, built with its instructions (`Runner.run(Agent(...,
        instructions=...), q)`): its constructor is read after the calls the request runs through.
        None otherwise."""
        for call, scope in [*r.calls, *((c, s) for c, s, _con in r.models[:1])]:
            try:
                v = self.infer(call.func, scope)  # type: ignore[attr-defined]
            except RecursionError:
                continue
            keyword = self.catalog.agent_prompts.get(v.qual) if isinstance(v, Qual) else None
            if keyword is None:
                continue
            expr = next((k.value for k in call.keywords if k.arg == keyword), None)
            if expr is None:
                packed = self.kwargs_dict(call, scope)  # type: ignore[attr-defined]
                expr, scope = (packed[0].get(keyword), packed[1]) if packed is not None else (None, scope)
            if expr is None:
                return None
            name = getattr(expr.func, "id", getattr(expr.func, "attr", "")) if isinstance(expr, ast.Call) else ""
            if name == "SystemMessage":
                expr = message_content(expr)  # SystemMessage(content=...): its text
            return self.prompt(expr, scope, keyword) if expr is not None else None  # type: ignore[attr-defined]
        return None

    def _binding_facts(self, call: ast.Call, scope: Scope, con: "Constructor") -> CallSite:
        """The binding site of a model constructor call (provider, model, tags), memoized per call and
        class (one call may build one of several classes)."""
        memo = self.__dict__.setdefault("_fw_bindings", {})
        got = memo.get((call, id(con)))
        if got is None:
            got = memo[(call, id(con))] = self._constructor(CallRecord(call, scope, False), con)  # type: ignore[attr-defined]
            memo.setdefault(call, got)  # where the call is, for `_binding_id`
        return got

    def _link_bindings(self, sites: list[CallSite]) -> None:
        """Fill each request site's `binding` / `bindings` with the ids of its models' binding sites."""
        for s in sites:
            if not s.binding_calls:
                continue
            ids = []
            for call in s.binding_calls:
                found = self._binding_id(call, sites)
                if found:
                    ids.append(found)
            s.bindings = tuple(ids)
            s.binding = ids[0] if ids else None

    def _binding_id(self, call: ast.Call, here: list[CallSite]) -> Optional[str]:
        for s in here:
            if s.node is call and s.kind == "binding":
                return s.id
        facts = self.__dict__.get("_fw_bindings", {}).get(call)
        if facts is None or facts.scope is None:
            return None
        owner = owner_scope(facts.scope)
        for s in self.function_sites(owner.node, facts.scope.module):  # type: ignore[attr-defined]
            if s.node is call and s.kind == "binding":
                return s.id
        return None


_CLASS_HEADER = re.compile(rb"(?m)^[ \t]*class[ \t]+\w+[ \t]*(?:\(([^)]*)\))?[ \t]*:")
_PLAIN_BASES = {b"", b"object", b"ABC", b"abc.ABC", b"Protocol", b"typing.Protocol"}


def _lacks_request_method(rec: CallRecord, name: str, methods) -> bool:  # type: ignore[no-untyped-def]
    """Is the call made where its receiver is known to lack a request method every object of its
    framework has: the `else` of `if hasattr(llm, "invoke"):`, or the body of `if not hasattr(llm,
    "invoke"):` (duck typing: `llm.invoke(...)` for a LangChain model, `llm(prompt)` for anything
    else)? Any model object built for that name has the method, so none of them runs on this branch."""
    f = rec.node.func
    receiver = f if name == "__call__" else getattr(f, "value", None)
    fn = getattr(rec.scope, "node", None)
    if not isinstance(receiver, ast.Name) or not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    if "hasattr" not in rec.scope.module.source.segment(fn):
        return False  # (cheap: most functions test nothing so)
    for node in ast.walk(fn):
        if not isinstance(node, ast.If):
            continue
        test, negated = node.test, False
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            test, negated = test.operand, True
        if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "hasattr"
                and len(test.args) == 2 and isinstance(test.args[0], ast.Name) and test.args[0].id == receiver.id
                and isinstance(test.args[1], ast.Constant) and test.args[1].value in methods):
            continue
        if any(n is rec.node for st in (node.body if negated else node.orelse) for n in ast.walk(st)):
            return True
    return False


def library_object(v: Value, cat: "SdkCatalog") -> bool:
    """Whether `v` is a test double built by a class of a framework's packages (`FakeListChatModel(...)`,
    `langchain_core.language_models.fake_chat_models`): what it runs is that object, not a paid model.
    A real model the catalog does not know (`ChatCoze(...)`) is not one: it may spend."""
    if not (type(v) is Qual and v.called and v.qual.split(".", 1)[0] in cat.composer_packages):  # type: ignore[attr-defined]
        return False
    return "fake" in v.qual.lower()  # type: ignore[attr-defined]


def _empty_text(args: list[ast.expr]) -> bool:
    """Whether the argument read is the empty string literal."""
    return bool(args) and isinstance(args[0], ast.Constant) and args[0].value == ""


def _same_request(site: CallSite, method: str) -> bool:
    """Whether `site` is a framework request made by calling `method` (`self._inner.ainvoke(...)`)."""
    node = site.node
    return site.kind == "request" and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and node.func.attr == method


def _plain_class_before(raw: bytes, pos: int) -> bool:
    """Whether the last class header before `pos` names no base but `object`, `ABC` or `Protocol`
    (a class of the project's own, not a library model's subclass); read from the bytes."""
    last = None
    for last in _CLASS_HEADER.finditer(raw, 0, pos):
        pass
    if last is None:
        return False
    bases = {b.strip() for b in (last.group(1) or b"").split(b",")}
    return bases <= _PLAIN_BASES


def _assigned_to(call: ast.Call, owner: ast.AST) -> Optional[ast.expr]:
    """The name or `self.attr` that `call`'s value is assigned to in `owner`'s body, else None."""
    for st in ast.walk(owner):
        if isinstance(st, (ast.Assign, ast.AnnAssign)) and st.value is call:
            tgt = st.targets[0] if isinstance(st, ast.Assign) else st.target
            if isinstance(tgt, ast.Name) or (isinstance(tgt, ast.Attribute) and isinstance(tgt.value, ast.Name)):
                return tgt
    return None


def _same_target(e: ast.expr, target: ast.expr) -> bool:
    """Whether `e` names the same variable or attribute as `target` (`p` / `self.p`)."""
    if isinstance(target, ast.Name):
        return isinstance(e, ast.Name) and e.id == target.id
    return isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name) and \
        e.attr == target.attr and e.value.id == target.value.id  # type: ignore[attr-defined]


def _model_default(chain: list[ClassV]) -> Optional[str]:
    """The string a project model class runs when built without a model: its `model` field's default
    (`model_name: str = "glm-4"`) or its `__init__` parameter's, nearest class first."""
    for c in chain:
        for st in c.node.body:
            if isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name) and st.target.id in MODEL_FIELDS \
                    and isinstance(st.value, ast.Constant) and isinstance(st.value.value, str):
                return st.value.value
            if isinstance(st, ast.FunctionDef) and st.name == "__init__":
                a = st.args
                pos = a.posonlyargs + a.args
                pairs = list(zip(pos[len(pos) - len(a.defaults):], a.defaults)) + \
                    [(k, d) for k, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None]
                for arg, d in pairs:
                    if arg.arg in MODEL_FIELDS and isinstance(d, ast.Constant) and isinstance(d.value, str):
                        return d.value
    return None


def _arguments(call: ast.Call, specs: tuple[str, ...]) -> list[ast.expr]:
    """The arguments of `call` named by argument specs: "0".."9" a position, "*" every positional
    (the container of a `*steps`), "**" every keyword (the mapping of a `**chains`), other names a
    keyword."""
    out: list[ast.expr] = []
    for spec in specs:
        if spec == "*":  # `*steps` stands for the items of steps
            out += [a.value if isinstance(a, ast.Starred) else a for a in call.args]
        elif spec == "**":  # `**chains` stands for the values of chains
            out += [k.value for k in call.keywords]
        elif spec.isdigit():
            i = int(spec)
            if i < len(call.args) and not isinstance(call.args[i], ast.Starred):
                out.append(call.args[i])
        else:
            out += [k.value for k in call.keywords if k.arg == spec]
    return out


def _converted(r: Runnable, to: tuple[str, str], call: tuple[ast.Call, Scope]) -> Runnable:
    """`r` as a model object of framework `to[0]` (esperanto `model.to_langchain()`): the same bindings,
    those of api `to[1]` when `r` holds any (a factory's language model among its embedders), plus `call`."""
    calls = (*r.calls, call)[-MAX_CALLS:]
    held = tuple(m for m in r.models if m[2].api == to[1])
    if held or not r.models:
        return Runnable(to[0], to[1], r.provider, held, calls, inferred=r.inferred, partial=r.partial,
                        passed=r.passed)
    return Runnable(to[0], r.api, r.provider, r.models, calls, inferred=r.inferred,  # no model of that api
                    partial=r.partial, passed=r.passed)


def merge_runnables(parts: list[Runnable]) -> Optional[Runnable]:
    """The model objects an expression may be (`return ChatOpenAI(...)` on one path, `ChatOllama(...)`
    on another), as one runnable holding every one's models: requests on it judge them all."""
    return _merge(parts, None)


def _merge(parts: list[Runnable], call: Optional[tuple[ast.Call, Scope]]) -> Optional[Runnable]:
    """One runnable holding the models and configuring calls of `parts` (the first with a model
    decides framework, api and provider), plus `call`; capped by MAX_MODELS / MAX_CALLS."""
    if not parts:
        return None
    # a model leads (decides framework, api, provider and the first binding); a chat model leads the
    # embeddings a retriever holds (`{"context": store.as_retriever(), ...} | prompt | llm`); a language
    # model known only by its type or name (`def chain(llm, store): return prompt | llm | parser |
    # retriever`) leads them too, and the chain is one of that model, chosen elsewhere: the retriever's
    # embeddings are not its model
    lead = next((p for p in parts if p.models and p.api != "embeddings_model"), None) or \
        next((p for p in parts if p.api != "embeddings_model" and not p.no_model), None) or \
        next((p for p in parts if p.models), parts[0])
    models: list = []
    seen: set[tuple[int, int]] = set()
    calls: list = []
    held = [lead] + [p for p in parts if p is not lead and lead.models]
    for p in held:  # the lead's models first
        for m in p.models:  # one call may build one of several classes (`self._lc_class(**params)`)
            if (id(m[0]), id(m[2])) not in seen and len(models) < MAX_MODELS:
                seen.add((id(m[0]), id(m[2])))
                models.append(m)
    for p in parts:
        calls.extend(p.calls)
    if call is not None:
        calls.append(call)
    return Runnable(lead.sdk, lead.api, lead.provider, tuple(models), tuple(calls[-MAX_CALLS:]),
                    inferred=all(p.inferred for p in parts), partial=any(p.partial for p in parts),
                    deferred=all(p.deferred for p in parts),
                    # a model its callers hand in stays theirs in a chain built on it (`prompt | llm | parser`);
                    # a retriever's embeddings handed in say nothing of the chat model built here
                    passed=any(p.passed for p in held if p is lead or p.api == lead.api))


def _filled(name: str, scope: Scope) -> list[tuple[ast.expr, Scope]]:
    """What the function (or module) binding dict `name` in `scope` puts in it by subscript
    (`chains[key] = prompt | llm`, in a loop too), capped like a literal's items."""
    fs = enclosing_function(scope)
    block = fs.node if fs is not None else scope.module.tree
    where = fs if fs is not None else scope.module.scope
    return [(v, where) for _k, v in item_fills(block).get(name, ())[:MAX_MODELS]]


def _dict_call(e: ast.expr) -> bool:
    """`dict(a=x, b=y)` (the builtin's name, as written)."""
    return type(e) is ast.Call and type(e.func) is ast.Name and e.func.id == "dict"  # type: ignore[attr-defined]


def _built_with_double(e: ast.expr, scope: Scope) -> bool:
    """Negative evidence for a receiver known by its name: a local name assigned a call that is handed a
    test double (`agent = create_agent(FakeListChatModel(responses=[...]))`, `chain = prompt | MockLLM()`)."""
    if not isinstance(e, ast.Name):
        return False
    value = resolve(e, scope)[0]
    if not isinstance(value, (ast.Call, ast.BinOp)):
        return False
    for n in ast.walk(value):
        name = n.id if isinstance(n, ast.Name) else n.attr if isinstance(n, ast.Attribute) else ""
        if name[:1].isupper() and name.lower().startswith(MOCK_WORDS):
            return True
    return False


def _param_or_pipe(e: ast.expr, scope: Scope) -> bool:
    """A receiver that is a parameter of the enclosing function, or a local name assigned a pipe
    (`chain = RunnablePassthrough() | fields`): what it holds is read elsewhere, by name it says nothing."""
    if not isinstance(e, ast.Name):
        return False
    b = binding_of(e.id, scope)
    if b is None:
        return False
    return b[0] == "param" or b[0] == "assign" and isinstance(resolve(e, scope)[0], ast.BinOp)


def _overrides_without_super(chain: "list[ClassV]", requests: "Iterable[str]") -> bool:
    """Whether a project class of `chain` defines one of the framework's request methods (`predict`) without
    calling the base's (`super().predict(...)`): its objects then answer that call themselves."""
    names = set(requests)
    for c in chain:
        node = getattr(c, "node", None)
        if not isinstance(node, ast.ClassDef):
            continue
        for f in node.body:
            if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.name in names and not any(
                    isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == f.name
                    and isinstance(n.func.value, ast.Call) and isinstance(n.func.value.func, ast.Name)
                    and n.func.value.func.id == "super" for n in ast.walk(f)):
                return True
    return False
