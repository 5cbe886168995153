"""Which project interface an object stands for, and which calls on one reach its implementations.

An object that may be any of several project classes (a union annotation, a factory or branches
building different implementations, a registry indexed at run time) stands for the nearest project
base they share when that base is an interface (it declares an abstract method) or a plain base of
the project's own (`class LMMEngine: pass`, no library class above it): a call on it dispatches to
every implementation (`facades`). Beside the abstract-method facades of `facades`:
a method the interface leaves to convention and two or more subclasses define (`hasattr` duck
typing), an abstract method handed to an executor or to a project helper running the callable it is
given (`run_in_pace(func=self._create_chat_completion, ...)`), a declared interface with generic method
names every implementation of which sends a request of its own, an object declared as one
implementation (`llm_model: CachedOpenAI`) whose interface method is called, and an object called as a function
(`self.llm(messages)`), which runs its class's `__call__` or the method a library base's `__call__`
runs (catalog `[facades.call_methods]`).
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Any, Iterable, Optional

from tokenlint.resolve.binder import CallRecord, is_declaration
from tokenlint.resolve.facades import (MAX_SUBCLASSES, code_of, handed_models, is_abstract, is_self, is_stub, methods_of, name_words, named_for_models,
                                      speaks_of_models)
from tokenlint.resolve.evidence import MOCK_WORDS, is_test_path
from tokenlint.resolve.frameworks import merge_runnables
from tokenlint.resolve.handed import HANDED_AT, forwards
from tokenlint.resolve.protocols import is_protocol
from tokenlint.resolve.scope import Scope, assigned, binding_of, declared_annotation, decorator_name, enclosing_function
from tokenlint.resolve.site import CallSite
from tokenlint.resolve.values import ClassV, Client, Func, Instance, OneOf, Qual, Runnable, Value, join, useful

from tokenlint.project import SourceError

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.project import Project

# standard runners of the function handed to them, by the position of that argument: executor and
# event-loop methods, and functions (checked by their qualified names)
# (`map`: an executor's or a process pool's, and the builtin, call the function once per element)
_EXECUTOR_METHODS = {"submit": 0, "map": 0, "run_in_executor": 1}
# the executor methods that run it in a thread of a pool and return no awaitable (a future; `map`: an
# iterator of the results, in the order of the items)
POOL_METHODS = frozenset({"submit", "map"})
_EXECUTORS = frozenset({"concurrent.futures.ThreadPoolExecutor", "concurrent.futures.ProcessPoolExecutor",
                        "concurrent.futures.thread.ThreadPoolExecutor", "multiprocessing.Pool",
                        "multiprocessing.pool.Pool", "multiprocessing.pool.ThreadPool"})
# functions running the function they are given now, and adapters returning a function that does
# (`sync_to_async(fn)(...)`): catalog data (sdks.toml [passthrough] `thread_runners`, `adapters`)


def runner_names(catalog) -> frozenset[str]:  # type: ignore[no-untyped-def]
    """The last names of every runner (executor methods, the catalog's thread runners and adapters): a
    call named otherwise hands nothing to be run now (asked of every call, so kept on the catalog)."""
    got = catalog.__dict__.get("_runner_names")
    if got is None:
        got = catalog.__dict__["_runner_names"] = frozenset(_EXECUTOR_METHODS) | frozenset(
            q.rpartition(".")[2] for q in (*catalog.thread_runners, *catalog.adapters))
    return got


# a plugin interface, not a model's (`_few_implementations_spend`): at least this many implementations,
# fewer than one in FEW_SPENDING of which reach a model
MANY_IMPLEMENTATIONS = 6
FEW_SPENDING = 4
# a composition base (`_composition_base`): at least this many direct subclasses sending nothing of their own
COMPOSERS = 3

# classes an object chosen at run time among unrelated project classes is read as at most (a union's
# method call reads each member's method: a registry of dozens is cut here)
MAX_CHOSEN = 12

# thread and process classes that call their `target=` with `args=` / `kwargs=` when started
_THREAD_QUALS = frozenset({"threading.Thread", "multiprocessing.Process", "multiprocessing.context.Process"})


class InterfaceMixin:
    """The `Resolver`'s reading of interfaces (a mixin: classes, subclasses and implementations'
    targets come from `FacadeMixin`, values from `InferMixin`)."""

    project: "Project"

    def _returned_interface(self, first: Instance, returns: list[ast.expr], scope: Scope) -> Value:
        """A factory returning objects of several project classes (`if kind == "openai": return
        OpenAIBot()` ...): the interface they implement, else the first object (`first`)."""
        if len(returns) < 2:
            return first
        return self.chosen_instance(first, (self.infer(ret, scope) for ret in returns))

    def _declared(self, value: Instance, name: str, bindings: list[tuple[str, Any]],
                  scope: Scope) -> Optional[Instance]:
        """The project class a name is declared as, when it is related to the class of the value
        assigned: a subclass of it (`client: GeminiClient = model.client`: the declaration is the
        narrower, the author's word), or a base of it (`SELECTED_MODEL: Model`, a module global or
        class attribute a setter assigns at run time: the declaration states every value the name
        may hold, another branch or a registry lookup, so calls on it dispatch over the base in
        `facades`, not to the one constructor seen); else None."""
        for kind, data in bindings:
            if kind != "annot":
                continue
            d = self._binding_value(name, kind, data, scope)
            if type(d) is not Instance or d.cls.node is value.cls.node:
                continue
            below = any(c.node is value.cls.node for c in self._class_chain(d.cls))  # type: ignore[attr-defined]
            above = any(c.node is d.cls.node for c in self._class_chain(value.cls))  # type: ignore[attr-defined]
            if below or above:
                return d  # type: ignore[return-value]
        return None

    def _bound_interface(self, first: Instance, name: str, bindings: list[tuple[str, Any]], scope: Scope) -> Value:
        """A name bound to objects of several project classes: the interface they implement, else
        `first` (the binding read last)."""
        return self.chosen_instance(first, (self._binding_value(name, kind, data, scope)
                                            for kind, data in bindings if kind == "assign"))

    def _common_instance(self, first: Instance, values: Iterable[Value]) -> Value:
        """An object of the interface `first` and every other value's classes implement, when the
        values are all objects of project classes of two or more kinds; else `first`."""
        found = {first.cls.node: first.cls}
        for v in values:
            if type(v) is Instance:
                found.setdefault(v.cls.node, v.cls)  # type: ignore[attr-defined]
            elif useful(v):
                return first  # something else besides: not the objects of one interface
        if len(found) < 2:
            return first
        common = self._interface_of(list(found.values()))  # type: ignore[attr-defined]
        return Instance(common) if common is not None else first

    def chosen_instance(self, first: Instance, values: Iterable[Value]) -> Value:
        """An object chosen at run time among objects of project classes (a factory's branches, a
        name or attribute bound on several paths): the interface they implement (`_common_instance`);
        when they share none (duck-typed classes, `OpenaiGenerator` beside `HFCausalLMGenerator` with
        no project base), any of them: a union whose method call reaches what each class's method
        reaches (`wrappers._union_call`: a facade when they reach different requests, no site when
        none reaches one). Anything but objects of project classes among the values gives `first`."""
        values = list(values)
        got = self._common_instance(first, values)
        if got is not first:
            return got
        found = {first.cls.node: Instance(first.cls, first.others, chosen=True)}
        for v in values:
            if type(v) is not Instance:
                if useful(v):
                    return first
                continue
            if v.cls.node not in found:  # type: ignore[attr-defined]
                if len(found) >= MAX_CHOSEN:
                    return first  # more classes than read: a union of some would stand for all of them
                found[v.cls.node] = Instance(v.cls, chosen=True)  # type: ignore[attr-defined]
        return first if len(found) < 2 else OneOf(tuple(found.values()))

    def _every_implementation_spends(self, cls: ClassV, name: str) -> bool:
        """Whether the declared type's method is an LLM interface whatever its names: two or more
        project classes below `cls` implement all it reaches, and most of them (more than half) send
        a request of its own, an SDK or HTTP call or a helper of the project making one
        (`ImageGenerationProvider.generate_image` over OpenAI, Azure and Vertex; a translator family
        of LLM and paid channels beside a free web one), or through a model object, helper or
        framework chain it builds itself (`_built_model_request`: orchestrators each building their
        own helper or agent chain). An interface only a few of whose
        implementations call a model (a channel, a tool) is not; nor one whose
        implementations run a model object they are handed (a vector store embedding its
        documents): they use a model, they are not one. Test doubles (`MockImageGenerationProvider` in
        `tests/`) stand in for an implementation: they are not counted either way. A `typing.Protocol`
        with one implementation, which sends a request itself, is one too: the Protocol is a typing seam
        before that request (`SessionClient.create_session` over its one HTTP client); not one whose
        implementation calls a helper sending it (round 15: one implementation, a plain helper call). A
        composition base is not either (`_composition_base`)."""
        complete = [sub for sub in self._subclasses(cls)
                    if not self._reaches_abstract(sub, name, 0) and not _double(sub)]
        words = self.catalog.facade_words  # type: ignore[attr-defined]
        spenders = [sub for sub in complete if any(_own_request(t) or _built_model_request(t, words)
                                                   for t in self._spend_targets(sub, name, 0)[0])]
        spending = len(spenders)
        if spending == 1 and len(complete) == 1 and any(is_protocol(c.node) for c in self._fchain(cls)):
            # a Protocol with one implementation, which sends a request itself: a call on it is that request;
            # one calling a helper that does (`await step(llm, ...)`) is a user of a model (round 15)
            return any(_sent_by_itself(t) for t in self._spend_targets(spenders[0], name, 0)[0])
        return spending >= 2 and 2 * spending > len(complete) and not self._composition_base(cls, complete, spenders)

    def _composition_base(self, cls: ClassV, complete: list[ClassV], spenders: list[ClassV]) -> bool:
        """Whether `cls` is a composition base (round 7: no facade) rather than a model's interface: every
        implementation sending a request lies below one direct subclass (the model's own branch, an
        interface of its own: `Model(Runnable)` and its providers), while COMPOSERS or more other direct
        subclasses implement the method sending nothing of their own (prompts, parsers, lambdas, and the
        sequences and branches handing the call on to other objects of the base: `passes_through`)."""
        direct = [d for d in self._direct_subclasses(cls) if not _double(d)]  # type: ignore[attr-defined]
        branches: set[ast.AST] = set()
        for s in spenders:
            chain = {c.node for c in self._fchain(s)}  # type: ignore[attr-defined]
            below = {d.node for d in direct if d.node in chain}
            if not below:
                return False  # (a structural implementation of a Protocol: a branch of its own)
            branches |= below
        if len(branches) != 1:
            return False
        done = {c.node for c in complete}
        return sum(d.node in done and d.node not in branches for d in direct) >= COMPOSERS

    def _few_implementations_spend(self, cls: ClassV, name: str, recv: Optional[ast.expr] = None) -> bool:
        """Whether the method is a plugin or strategy interface's rather than a model's. A strategy
        interface (`_strategy_base`): two or more implementations, at most half of which reach a model,
        none by a request of its own; whatever its names when those reaching none are `_inert`
        (`TimeModel.format_time` over a datetime formatter and a model narrating the time through a
        document it builds on the model it holds).
        A plugin interface, while no name on the way is one of a model (the method: `generate_image`;
        the last word of the receiver or of a class of `cls`'s chain, or a model word and a head noun
        of catalog `[facades] roles`: `AbstractModel.query` over one API model beside human, replay and
        test models, `BaseModelClient.predict` over one hosted client beside local pipelines;
        `Embedding.dim`; but `LLMTool` and `llm_tool` are tools): MANY_IMPLEMENTATIONS or more project
        classes below `cls` implement all it reaches, test doubles aside, and fewer than one in
        FEW_SPENDING of them reaches a model at all (a few tools calling an image model among shell,
        file and browser tools)."""
        complete = [sub for sub in self._subclasses(cls)
                    if not self._reaches_abstract(sub, name, 0) and not _double(sub)]
        if len(complete) < 2:
            return False
        reached = [self._spend_targets(sub, name, 0)[0] for sub in complete]
        if _strategy_base(len(complete), reached) and all(
                got or self._inert(sub, name) for sub, got in zip(complete, reached)):
            return True
        words = self.catalog.facade_words  # type: ignore[attr-defined]
        if speaks_of_models(name, words):
            return False
        if isinstance(recv, (ast.Name, ast.Attribute)) and \
                any(speaks_of_models(w, words) for w in name_words(recv.id if isinstance(recv, ast.Name) else recv.attr)[-1:]):
            return False
        chain = list(self._fchain(cls))  # type: ignore[attr-defined]
        roles = self.catalog.facade_roles  # type: ignore[attr-defined]
        models = self.catalog.role_models  # type: ignore[attr-defined]
        named = [named_for_models(c.node.name, words, roles, models) for c in chain]
        top = self._declaring(cls, name)  # type: ignore[attr-defined]
        # the interface's own classes: `cls` up to the class declaring the method (not the data bases
        # the interface derives from: a `KernelBaseModel` is a pydantic model, no LLM)
        upto = next((i for i, c in enumerate(chain) if top is not None and c.node is top.node), len(chain) - 1)
        if any(named[:upto + 1]):
            return False
        spending = sum(bool(got) for got in reached)
        if not any(named) and len(complete) >= MANY_IMPLEMENTATIONS and spending * FEW_SPENDING < len(complete):
            return True
        return _strategy_base(len(complete), reached)

    def _inert(self, cls: ClassV, name: str) -> bool:
        """Whether `cls`'s method `name` works from its arguments alone: it calls nothing on its object
        (`self.x(...)`, `self.x.y(...)`, `super()`), so a model it reaches cannot hide behind plumbing
        tokenlint does not follow (`DatetimeTimeModel.format_time` returning `time.strftime(...)`; not a
        provider's `generate_str` running `self.generate(...)`)."""
        found = self._method_in_chain(cls, name)  # type: ignore[attr-defined]
        if found is None:
            return False
        args = getattr(found[1], "args", None)
        me = args.args[0].arg if args is not None and args.args else "self"
        for n in ast.walk(found[1]):
            if isinstance(n, ast.Call):
                f = n.func
                while isinstance(f, ast.Attribute):
                    f = f.value
                if isinstance(f, ast.Name) and f.id == me or isinstance(f, ast.Call) and \
                        isinstance(f.func, ast.Name) and f.func.id == "super":
                    return False
        return True

    def _duck_facade(self, rec: CallRecord) -> Optional[CallSite]:
        """`bot.call_with_tools(...)` on an object of a project interface (a class declaring an
        abstract method) that does not define the method while two or more of its subclasses do (an
        interface kept by convention, checked with `hasattr`): a facade over those implementations,
        when a name on the way speaks of models. One subclass alone defining it is dispatched to the
        same way (`LMMEngine` objects, only the Anthropic engine has `generate_with_thinking`) when a
        name speaks of models; else, or where the function checks `isinstance(obj, ThatSubclass)`,
        the object is that subclass: the call is read as a call of its method."""
        func = rec.node.func
        if not isinstance(func, ast.Attribute) or func.attr.startswith("__") or is_self(func.value, rec.scope):
            return None
        recv = self.infer(func.value, rec.scope)  # type: ignore[attr-defined]
        if not isinstance(recv, Instance) or self._method_in_chain(recv.cls, func.attr) is not None:
            return None
        if not self._interface_like(list(self._fchain(recv.cls))):
            return None  # a class whose base comes from a library: its methods are not all read
        impls: dict[ast.AST, ClassV] = {}
        for sub in self._subclasses(recv.cls):
            found = self._method_in_chain(sub, func.attr)
            if found is not None:
                impls.setdefault(found[1], sub)
        if len(impls) == 2:  # a mixin's class and the one subclass specialising it (`Agent`, `ImageAgent`)
            owner = next((sub for sub in impls.values() if self._lone_specialisation(sub, func.attr)), None)
            if owner is not None:  # the base's own method runs: its wrapper
                node = self._method_in_chain(owner, func.attr)[1]
                fs = owner.scope.module.func_scopes.get(node)
                return self._wrapper(rec, Func(node, fs, bound=Instance(owner))) if fs is not None else None  # type: ignore[attr-defined]
        if len(impls) == 1 and (not self._names_models(rec, [recv.cls], func.attr) or
                                _narrowed(rec, func.value, next(iter(impls.values())))):
            (node, sub), = impls.items()
            fs = sub.scope.module.func_scopes.get(node)
            f = Func(node, fs, bound=Instance(sub)) if fs is not None else None  # type: ignore[arg-type]
            return (self._wrapper(rec, f) or self._facade(rec, f)) if f is not None else None  # type: ignore[attr-defined]
        if not impls:
            return None
        per_impl = [self._spend_targets(sub, func.attr, 0)[0] for sub in impls.values()]
        if not self._names_models(rec, [recv.cls], func.attr):
            # whatever its names (`LMMEngine.generate`): two or more implementations that each send
            # a request of their own, test doubles aside
            own = [got for sub, got in zip(impls.values(), per_impl) if not _double(sub)]
            if len(own) < 2 or not all(any(_own_request(t) for t in got) for got in own):
                return None
        targets = [t for got in per_impl for t in got]
        seen: set[str] = set()
        targets = [t for t in targets if not (t.id in seen or seen.add(t.id))]  # type: ignore[func-returns-value]
        return self._facade_site(rec, targets, recv.cls, func.attr) if targets else None

    def _implementation_facade(self, rec: CallRecord, f: Func) -> Optional[CallSite]:
        """`self.llm_model.infer(...)` on an object declared as one implementation of a project interface
        (a parameter, a field, an attribute of `self` set from one: `llm_model: CachedOpenAI` where
        `class CachedOpenAI(BaseLLM)`), calling a method of the interface: one a project base above the
        class declares, that there is abstract or reaches (itself or through `self`) a method the
        subclasses override (`BaseLLM.infer`; `BaseLLM.batch_infer` running `self.infer`). Its callers
        read it as a call through the interface (the declaration names one implementation, the values
        may be any): a facade of the base's method over what this class's implementation reaches. Not
        facades: a call on an object built in the code (its class certain: a wrapper, or the request
        the base's own dispatch is counted at), a method the class adds, a class with no project base
        declaring the method (a concrete client: a wrapper), a base method making its own request
        whatever the subclasses fill in (`BaseAgent.inference` asking each agent's role: a wrapper), an
        implementation reaching its model only through a model object it holds, and calls on `self` or
        in the modules of the implementation or the base (the hierarchy's own plumbing)."""
        func = rec.node.func
        if f.bound is None or not isinstance(func, ast.Attribute) or is_self(func.value, rec.scope):
            return None
        cls, name = f.bound.cls, f.node.name
        decl = self._declaring(cls, name)  # type: ignore[attr-defined]
        if decl is None or decl.node is cls.node:
            return None  # the class's own method, declared by no project base above it
        if rec.scope.module in (cls.scope.module, decl.scope.module):
            return None  # a call inside the hierarchy's modules (`aimlapi_generate_stream` beside its client class)
        if not self._declared_receiver(func.value, rec.scope) or self._built_as_declared(func.value, rec.scope, cls):
            # an object built in the code (`OpenAIDalle(key).generate_image(...)`; `self.beta: BetaClient`
            # assigned `BetaClient(key)` alone): its class's method
            return None
        if not self._reaches_override(decl, name, 0):  # type: ignore[attr-defined]
            return None  # a concrete helper of the base that no implementation replaces on the way
        if self._lone_specialisation(decl, name):  # type: ignore[attr-defined]
            return None  # a working class (`ChatMixin.chat` of `Agent`) one subclass specialises: a wrapper
        if self._one_implementation(decl, name) is not None:
            return None  # `llm: ERNIEBot` below a `ChatModel` nothing else implements: the class's own method
        above = {c.node for c in self._fchain(decl)}  # type: ignore[attr-defined]  # the interface's own code
        targets = self._spend_targets(cls, name, 0)[0]  # type: ignore[attr-defined]
        if handed_models(targets):
            return None  # a prompt class running the model its caller hands it: counted where that model is called
        if not any(_holder(t) not in above and _own_request(t) for t in targets):
            # the base's own request, reached through hooks the class fills (a prompt, a role), or a model
            # object the implementation holds (a vector store embedding through an embedding interface)
            return None
        if not (self._names_models(rec, [cls, decl], name)  # type: ignore[attr-defined]
                or self._every_implementation_spends(decl, name)):  # type: ignore[attr-defined]
            return None  # (a plugin interface one of whose implementations happens to call a model)
        return self._facade_site(rec, targets, decl, name)  # type: ignore[attr-defined]

    def _one_implementation(self, decl: ClassV, name: str) -> Optional[ClassV]:
        """The one class the project's classes below `decl` that no other class derives from (the
        concrete leaves, test doubles aside) run method `name` of, when they all run the same
        implementation, one a subclass defines (a `ChatModel` whose one line of subclasses ends in
        `ERNIEBot`), else None: the interface then stands for that class, and an object declared as it
        is one of those."""
        subs = self._subclasses(decl)  # type: ignore[attr-defined]
        if not subs or len(subs) >= MAX_SUBCLASSES:
            return None
        subs = [s for s in subs if not _double(s)]  # (a `FakeBot(HelpBot)` in the tests leaves `HelpBot` a leaf)
        bases = {b.node for s in subs for b in self._fchain(s) if b.node is not s.node}  # type: ignore[attr-defined]
        impls: dict[Optional[ast.AST], ClassV] = {}
        for leaf in subs:
            if leaf.node in bases:
                continue
            found = self._method_in_chain(leaf, name)  # type: ignore[attr-defined]
            impls.setdefault(found[1] if found is not None else None, leaf)
        if len(impls) != 1 or None in impls:
            return None
        (node, leaf), = impls.items()
        owner = self._method_in_chain(leaf, name)[0]  # type: ignore[attr-defined]
        if owner.node in {c.node for c in self._fchain(decl)} or is_abstract(node, owner.node):  # type: ignore[attr-defined]
            return None  # the base's own (template) method, whose hooks the leaves may fill differently
        return leaf

    def _built_as_declared(self, recv: ast.expr, scope: Scope, cls: ClassV) -> bool:
        """Whether `recv` is an attribute of `self` every assignment of which, in the classes of the
        method's class chain, builds an object of class `cls` itself (`self._beta = BetaProvider(key)`;
        `None` aside): its declaration names the one class its values have, not an interface."""
        fs = enclosing_function(scope)
        if fs is None or fs.cls is None or not (isinstance(recv, ast.Attribute) and isinstance(recv.value, ast.Name)
                                                and recv.value.id == fs.self_name):
            return False
        built = False
        for c in self._fchain(ClassV(fs.cls.node, fs.cls)):  # type: ignore[arg-type,attr-defined]
            for expr, sc in c.scope.attrs.get(recv.attr, ()):
                if isinstance(expr, ast.Constant) and expr.value is None:
                    continue
                if not isinstance(expr, ast.Call):
                    return False
                made = self.infer(expr.func, sc)  # type: ignore[attr-defined]
                if not (isinstance(made, ClassV) and made.node is cls.node):
                    return False
                built = True
        return built

    def _declared_receiver(self, recv: ast.expr, scope: Scope) -> bool:
        """Whether `recv` is declared with a type: a name or parameter annotated, an attribute of `self`
        annotated or set from an annotated parameter, also in the class body of a project base of the
        method's class (`llm: OpenAIConnection = None` on a dataclass base its agents derive from)."""
        if declared_annotation(recv, scope)[0] is not None:
            return True
        fs = enclosing_function(scope)
        if not (isinstance(recv, ast.Attribute) and isinstance(recv.value, ast.Name) and fs is not None
                and fs.cls is not None and recv.value.id == fs.self_name):
            return False
        return any(k == "annot" for c in self._fchain(ClassV(fs.cls.node, fs.cls))  # type: ignore[arg-type,attr-defined]
                   for k, _ in c.scope.bindings.get(recv.attr, ()))

    def _object_call(self, rec: CallRecord, obj: Instance) -> Optional[CallSite]:
        """`self.llm(messages)`: calling an object of a project class runs its class's `__call__`, or
        the method a library base's `__call__` runs (catalog `[facades.call_methods]`: theflow's
        `Function.__call__` runs `run`); a wrapper or facade site as a call of that method would be.
        An object whose `__call__` comes from a library not listed there runs nothing known."""
        found = self._method_in_chain(obj.cls, "__call__")
        if found is None:
            name = self._library_call_method(obj.cls)
            found = self._method_in_chain(obj.cls, name) if name is not None else None
        if found is None:
            return None
        fs = found[0].scope.module.func_scopes.get(found[1])
        if fs is None:
            return None
        f = Func(found[1], fs, bound=obj)  # type: ignore[arg-type]
        return self._wrapper(rec, f) or self._facade(rec, f, rec.node.func)  # type: ignore[attr-defined]

    def _sibling_object_call(self, rec: CallRecord) -> Optional[CallSite]:
        """`config_ef(input=texts)` on a name of unknown type (a value read from a config dict) on which
        the same function calls, by name, a method project interfaces declare abstract or lead to an
        abstract one (`config_ef.embed_query(input=texts)`, `EmbeddingFunction.embed_query`) whose classes define
        `__call__`: the object is taken for one of theirs, and calling it runs their `__call__` (a facade
        when `_object_call` finds one; "inferred", as any facade read by a method's name)."""
        func = rec.node.func
        fs = enclosing_function(rec.scope) if type(func) is ast.Name else None
        if fs is None:
            return None
        memo = self.__dict__.setdefault("_name_methods", {})  # function -> name -> methods called on it
        called = memo.get(fs.node)
        if called is None:
            if not _may_call_on(fs.module.source, func.id, self.__dict__.setdefault("_called_on_memo", {})):
                return None  # (the function's walk below was 8% of the benchmark's CPU, for nothing mostly)
            called = memo[fs.node] = {}
            for c in ast.walk(fs.node):
                if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute) and isinstance(c.func.value, ast.Name) \
                        and not c.func.attr.startswith("_"):
                    called.setdefault(c.func.value.id, set()).add(c.func.attr)
        for name in sorted(called.get(func.id, ())):
            # (declared abstract, or a base's default on the way to an abstract method: `embed_query`
            # running `self.__call__`)
            for base in (*self._abstract_declarations(name), *self._concrete_declarations(name)):  # type: ignore[attr-defined]
                if self._method_in_chain(base, "__call__") is None:  # type: ignore[attr-defined]
                    continue
                site = self._object_call(rec, Instance(base))
                if site is not None and site.kind == "facade":
                    site.confidence = "inferred"
                    return site
        return None

    def _called_members(self, callee: OneOf) -> Optional[OneOf]:
        """`actor(messages=...)` with `actor` any of several objects of project classes (chosen on
        branches): the `__call__` each class runs (`_object_call`), bound to its object, so the call is
        read as the same method of several objects (`wrappers._union_call`); None unless every member is
        such an object."""
        funcs: list[Func] = []
        for m in callee.members:  # type: ignore[attr-defined]
            if type(m) is not Instance:
                return None
            found = self._method_in_chain(m.cls, "__call__")
            if found is None:
                name = self._library_call_method(m.cls)
                found = self._method_in_chain(m.cls, name) if name is not None else None
            fs = found[0].scope.module.func_scopes.get(found[1]) if found is not None else None
            if fs is None:
                return None
            funcs.append(Func(found[1], fs, bound=m))  # type: ignore[arg-type,index]
        return OneOf(tuple(funcs))

    def _abstract_return(self, f: Func) -> Optional[Value]:
        """`self._get_lc_class()` or `self.model = self.setup_model()` in a base class or mixin where the
        method is a hook left to the subclasses (abstract, or a stub `pass` / `return None` body its
        project subclasses override): what the overrides in the subclasses of the object's class
        return, any of them, when every override returns a library class (`return ChatOpenAI`, a
        class each subclass chooses for the base to build) or every one a model object or client
        (`return AzureChatOpenAI(...)`, the factory hook each subclass fills); else None."""
        if f.bound is None:
            return None
        found = self._method_in_chain(f.bound.cls, f.node.name)  # type: ignore[attr-defined]
        if found is None or found[1] is not f.node:
            return None
        if not (is_abstract(found[1], found[0].node) or
                is_stub(code_of(found[1]), returning=True) and self._overridden(found[0], f.node.name, found[1])):  # type: ignore[attr-defined]
            return None
        memo = self.__dict__.setdefault("_abstract_return_memo", {})
        key = (f.node, f.bound.cls.node)
        if key in memo:
            return memo[key]
        memo[key] = None  # a subclass's implementation reaching back here: nothing
        classes: dict[str, Qual] = {}
        objects: list[Value] = []
        for sub in self._subclasses(f.bound.cls):  # type: ignore[attr-defined]
            impl = self._method_in_chain(sub, f.node.name)  # type: ignore[attr-defined]
            if impl is None or impl[1] is f.node or is_abstract(impl[1], impl[0].node) or _double(impl[0]):
                continue  # (a test double's override, a stub returning a fake, chooses nothing the app runs)
            fs = impl[0].scope.module.func_scopes.get(impl[1])
            v = self._func_return(Func(impl[1], fs, bound=Instance(sub)), None) if fs is not None else None  # type: ignore[attr-defined,arg-type]
            if isinstance(v, Qual) and not v.called:
                classes.setdefault(v.qual, v)
            elif isinstance(v, (Runnable, Client)):
                objects.append(v)
            else:
                return None  # an implementation returning something else: not a class or model chooser
        if classes and objects:
            return None
        runnables = [v for v in objects if type(v) is Runnable]
        if runnables and len(runnables) == len(objects):  # model objects: one holding every one's models
            got = memo[key] = merge_runnables(runnables)  # type: ignore[arg-type]
        else:
            got = memo[key] = join(list(classes.values()) or objects) if classes or objects else None
        return got

    def runnable_hooks(self, info) -> set[str]:  # type: ignore[no-untyped-def]
        """Names of the abstract methods of project bases that this module's classes implement by
        returning a model object, a runnable holding one or a client (`async def get_graph(self): return
        create_agent(model=...)`): the base's own `self.get_graph()` is read as what they return
        (`_abstract_return`), so the engine reads the modules calling `.get_graph(` too, the base's
        among them, however little it names a library itself."""
        out: set[str] = set()
        for node, cs in info.class_scopes.items():
            cls = ClassV(node, cs)  # type: ignore[arg-type]
            bases = list(self._fchain(cls))[1:]  # type: ignore[attr-defined]
            if not bases:
                continue
            for name, m in methods_of(node).items():
                if name.startswith("__") or is_abstract(m, node):
                    continue
                declared = next((c for c in bases if name in methods_of(c.node)), None)
                if declared is None or not is_abstract(methods_of(declared.node)[name], declared.node):
                    continue
                fs = info.func_scopes.get(m)
                v = self._func_return(Func(m, fs, bound=Instance(cls)), None) if fs is not None else None  # type: ignore[attr-defined]
                if type(v) is Runnable or type(v) is Client:
                    out.add(name)
        return out

    def _library_call_method(self, cls: ClassV) -> Optional[str]:
        """The method the `__call__` of a library base class of `cls` runs, from the catalog, else None."""
        for qual in self._library_bases(self._fchain(cls)):  # type: ignore[attr-defined]  # `Function[T]` too
            name = self.catalog.call_methods.get(qual)  # type: ignore[attr-defined]
            if name is not None:
                return name
        return None

    def run_here(self, call: ast.Call, scope: Scope) -> Optional[tuple[ast.Call, int]]:
        """Where `call` hands a callable to a standard runner that calls it now, in a thread or an
        executor (`asyncio.to_thread(fn, ...)`, `loop.run_in_executor(None, fn, ...)`,
        `executor.submit(fn, ...)`, `executor.map(fn, items)`, `sync_to_async(fn)(...)`): the call holding the callable and its
        position there, else None. A callable handed to anything else (a callback registry, a
        decorator, `functools.partial`) is not run by that call."""
        func = call.func
        names = runner_names(self.catalog)  # type: ignore[attr-defined]
        if decorator_name(func) not in names:
            return None  # most calls: no runner's name, whatever the branch below (asked of every call)
        if isinstance(func, ast.Call) and isinstance(func.func, (ast.Name, ast.Attribute)) and func.args and \
                decorator_name(func.func) in names:  # sync_to_async(fn)(...), make_async(fn)(...)
            q = self.infer(func.func, scope)  # type: ignore[attr-defined]
            ok = isinstance(q, Qual) and not q.called and self.catalog.canonical(q.qual) in self.catalog.adapters  # type: ignore[attr-defined]
            return (func, 0) if ok else None
        at = None
        if isinstance(func, ast.Attribute) and func.attr in _EXECUTOR_METHODS:
            at = _EXECUTOR_METHODS[func.attr]
            if func.attr in POOL_METHODS:  # of an executor only (`df.map(fn)`, `series.map(d)` are not)
                recv = self.infer(func.value, scope)  # type: ignore[attr-defined]
                if not (isinstance(recv, Qual) and recv.called and recv.qual in _EXECUTORS):
                    return None
        elif isinstance(func, ast.Name) and func.id == "map":
            if binding_of("map", scope) is not None:
                return None  # a project's own `map`
            at = 0
        elif isinstance(func, (ast.Name, ast.Attribute)):
            q = self.infer(func, scope)  # type: ignore[attr-defined]
            if isinstance(q, Qual):
                at = self.catalog.thread_runners.get(self.catalog.canonical(q.qual))  # type: ignore[attr-defined]
        if at is None or len(call.args) <= at or isinstance(call.args[at], ast.Starred):
            return None
        return call, at

    def thread_call(self, call: ast.Call, handed: ast.expr, scope: Scope) -> Optional[ast.Call]:
        """`Thread(target=f, args=(agent, q), kwargs={"k": v})` with `handed` its target: the call of
        `f` the thread makes when started (`f(agent, q, k=v)`; `f(*args)` when `args` is not written out),
        else None. A standard thread or process class only (`threading.Thread`, `multiprocessing.Process`)."""
        if not any(k.arg == "target" and k.value is handed for k in call.keywords):
            return None
        q = self.infer(call.func, scope)  # type: ignore[attr-defined]
        if not (isinstance(q, Qual) and self.catalog.canonical(q.qual) in _THREAD_QUALS):  # type: ignore[attr-defined]
            return None
        args: list[ast.expr] = []
        keywords: list[ast.keyword] = []
        for k in call.keywords:
            if k.arg == "args":
                args = list(k.value.elts) if isinstance(k.value, (ast.Tuple, ast.List)) else [ast.Starred(k.value)]
            elif k.arg == "kwargs":
                if isinstance(k.value, ast.Dict) and all(isinstance(key, ast.Constant) and isinstance(key.value, str)
                                                         for key in k.value.keys):
                    keywords = [ast.keyword(arg=key.value, value=v) for key, v in zip(k.value.keys, k.value.values)]  # type: ignore[union-attr]
                else:
                    keywords = [ast.keyword(arg=None, value=k.value)]
        return ast.Call(func=handed, args=args, keywords=keywords)

    def _handed_facade(self, rec: CallRecord) -> Optional[CallSite]:
        """`executor.submit(self._execute_task_sync, task)`, `asyncio.to_thread(self._generate, p)`,
        `loop.run_in_executor(None, self._generate, p)` in a base class: its abstract method handed
        to a standard runner runs now, as `self._generate(p)` would; a facade site like that call."""
        found = self.run_here(rec.node, rec.scope)
        if found is None:
            return self._helper_facade(rec)
        if found[0] is not rec.node:
            return None
        handed = found[0].args[found[1]]
        if not isinstance(handed, ast.Attribute):
            return None
        if not is_self(handed.value, rec.scope):
            return self._handed_other(rec, handed, found[1])
        return self._handed_abstract(rec, handed)

    def _helper_facade(self, rec: CallRecord) -> Optional[CallSite]:
        """`self.endpoint.run_in_pace(func=self._create_chat_completion, messages=m)` in a base class: its
        abstract method handed to a project helper that calls the callable it is given with its own
        `*args` (`def run_in_pace(self, func, *args, **kwargs): ... return func(*args, **kwargs)`) runs
        there, as `self._create_chat_completion(messages=m)` would; a facade site at the helper's call."""
        call, scope = rec.node, rec.scope
        handed = [(i, a) for i, a in enumerate(call.args[:HANDED_AT]) if _self_method(a, scope)] + \
            [(k.arg, k.value) for k in call.keywords if k.arg and _self_method(k.value, scope)]
        if not handed:
            return None  # most calls: no method of `self` handed over (asked of every call with arguments)
        f = self.infer(call.func, scope)  # type: ignore[attr-defined]
        if type(f) is not Func:
            return None
        params = [a.arg for a in (*f.node.args.posonlyargs, *f.node.args.args)]  # type: ignore[attr-defined]
        if params and params[0] in ("self", "cls") and isinstance(call.func, ast.Attribute):
            params = params[1:]  # `self.endpoint.run_in_pace(...)`: the bound method's own parameters
        for at, value in handed:
            param = params[at] if isinstance(at, int) and at < len(params) else at
            if isinstance(param, str) and forwards(f.node, param):
                return self._handed_abstract(rec, value)  # type: ignore[arg-type]
        return None

    def _handed_abstract(self, rec: CallRecord, handed: ast.Attribute) -> Optional[CallSite]:
        """The facade site of `rec`, a call running `self.<handed>` now, when that is an abstract method
        whose implementations in the project's subclasses spend, else None."""
        f = self.infer(handed, rec.scope)  # type: ignore[attr-defined]
        if not isinstance(f, Func) or f.bound is None:
            return None
        found = self._method_in_chain(f.bound.cls, f.node.name)
        if found is None or not is_abstract(found[1], found[0].node):
            return None
        targets, dispatched = self._spend_targets(f.bound.cls, f.node.name, 0)
        root = self._declaring(f.bound.cls, f.node.name) or f.bound.cls
        if not dispatched or not targets or not self._names_models(rec, [f.bound.cls, root], f.node.name):
            return None
        return self._facade_site(rec, targets, root, f.node.name)

    def _handed_other(self, rec: CallRecord, handed: ast.Attribute, at: int) -> Optional[CallSite]:
        """`asyncio.to_thread(self._speech_to_text.transcribe, audio)`, `loop.run_in_executor(None,
        engine.synthesize, text)`: a method of another object, of a type not known here, handed to a
        standard runner that calls it now with the arguments after it. The runner's call is the facade
        site the method's own call (`self._speech_to_text.transcribe(audio)`) would be, found the same
        way (an interface's method, by its name); a project function or a request method handed so is
        read by `_handed_function` and `_handed_request`. A pool's `map` (once per element) is not read."""
        if decorator_name(rec.node.func) == "map":
            return None
        v = self.infer(handed, rec.scope)  # type: ignore[attr-defined]
        if useful(v) and not isinstance(v, Instance):
            return None  # a function, a request method, a client's: their own readers
        inner = ast.copy_location(ast.Call(func=handed, args=list(rec.node.args[at + 1:]),
                                           keywords=list(rec.node.keywords)), rec.node)
        site = self._site_for(CallRecord(inner, rec.scope, rec.in_loop, rec.parent_call, rec.loop))  # type: ignore[attr-defined]
        if site is None or site.kind != "facade":
            return None
        site.node, site.tag_style = rec.node, None  # the runner's call is where it is written; no tag goes through it
        site.is_async = site.is_async or decorator_name(rec.node.func) not in POOL_METHODS
        return site

    def _interface_of(self, classes: list[ClassV]) -> Optional[ClassV]:
        """The nearest project base class all of `classes` derive from, when it can stand for them
        (`_interface_like`: it or a class above declares an abstract method, or it is a plain project
        base), else None. Interfaces of their own under one
        base (`ChatProvider | EmbeddingProvider`, told apart by `isinstance`) give that base: a
        method only one of them declares is found below it (`_duck_facade`)."""
        chains = [list(self._fchain(c)) for c in classes]
        others = [{k.node for k in ch} for ch in chains[1:]]
        for i, k in enumerate(chains[0]):
            if all(k.node in o for o in others):
                above = chains[0][i:]
                return k if self._interface_like(above) else None
        return None

    def _declares_abstract(self, cls: ClassV) -> bool:
        """Whether a project class or one of its project bases declares an abstract method."""
        return any(is_abstract(m, c.node) for c in self._fchain(cls) for m in methods_of(c.node).values())

    def _interface_like(self, chain: list[ClassV]) -> bool:
        """Whether a project class (`chain`: it and its project bases) can stand for its subclasses:
        it or a base declares an abstract method, or it is a plain base of the project's own (`class
        LMMEngine: pass`, no library class above it), a marker its implementations share by convention.
        A base from a library (a pydantic model, a framework class) has methods tokenlint does not read."""
        if any(is_abstract(m, c.node) for c in chain for m in methods_of(c.node).values()):
            return True
        return next(iter(self._library_bases(chain)), None) is None  # type: ignore[attr-defined]


def _self_method(a: ast.expr, scope: Scope) -> bool:
    """Whether `a` is spelled as a method of `self` handed uncalled (`self._create_chat_completion`)."""
    return isinstance(a, ast.Attribute) and is_self(a.value, scope)


def _narrowed(rec: CallRecord, obj: ast.expr, sub: ClassV) -> bool:
    """Whether the function holding a call checks its receiver `obj` with `isinstance(obj, Sub)`
    (`if not isinstance(caller, UITarsCaller): raise ...`): the object there is that subclass."""
    fs = rec.scope
    while fs is not None and fs.kind != "function":
        fs = fs.parent
    if fs is None:
        return False
    want = ast.dump(obj)
    for n in ast.walk(fs.node):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "isinstance" \
                and len(n.args) == 2 and ast.dump(n.args[0]) == want:
            kinds = n.args[1].elts if isinstance(n.args[1], ast.Tuple) else [n.args[1]]
            if any(decorator_name(k) == sub.node.name for k in kinds):
                return True
    return False


def _double(cls: ClassV) -> bool:
    """Whether a class is a test double: defined in test code or a mock module, or named like one
    (`class FakeImageMaker(ImageMaker)`)."""
    first = name_words(cls.node.name)[:1]
    return is_test_path(cls.scope.module.source.relpath) or bool(first) and first[0] in MOCK_WORDS


def _own_request(site: CallSite) -> bool:
    """Whether an implementation sends this request itself: an SDK or HTTP call, or a call of a
    helper of its own (a function, a method of `self`, a module's function) that makes one; not a
    method of a model object it is handed or holds (`self.encoder.encode(docs)`), nor a helper whose
    every request is one on a model object held in `self` (`self._answer(q)` running `self.llm.chat`:
    an agent or a store stepping through its model, FACADE-DEPTH)."""
    if site.held_object:
        return False
    if site.kind == "direct":
        return True
    if site.kind != "wrapper" or not isinstance(site.node, ast.Call):
        return False
    func = site.node.func
    if isinstance(func, ast.Name):
        return True
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)) or site.scope is None:
        return False
    if is_self(func.value, site.scope):
        return True
    bound = binding_of(func.value.id, site.scope)
    return bound is not None and bound[0] in ("import", "from")


def _strategy_base(implementations: int, reached: "list[list[CallSite]]") -> bool:
    """Whether implementations of an interface method are strategies, one of which uses a model
    (`HistoryReducer.reduce` over a truncating and a summarising reducer; a termination strategy over a
    fixed count and a model's verdict; a function base over native and prompt functions): at most half
    of them reach a model at all, and those only through a model object they hold, are handed or build
    on one they hold (a facade, or a wrapper call `_on_held_model`: not a request of their own, nor an
    SDK call, a framework model's request or a helper they build from nothing of theirs, which an
    implementation tokenlint does not follow may make too: a base over a local and a hosted reranker,
    or agents over assistants APIs and framework agents, is a model's interface)."""
    spending = sum(bool(got) for got in reached)
    return 0 < spending and 2 * spending <= implementations and \
        all(t.kind == "facade" or t.kind == "wrapper" and _on_held_model(t) for got in reached for t in got)


def _on_held_model(site: CallSite) -> bool:
    """Whether a wrapper call runs a model object the class holds: on that object (`held_object`), or on
    an object the function builds on it (`doc = Transcript(self._model)`, then `doc.ask(...)`); not on a
    helper it builds from nothing of its own (`helper = OpenAIHelper()`: the class's own request)."""
    if site.held_object:
        return True
    func = site.node.func if isinstance(site.node, ast.Call) else None
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)) or site.scope is None:
        return False
    got = assigned(func.value.id, site.scope)
    if got is None or not isinstance(got[0], ast.Call):
        return False
    return any(isinstance(a, ast.Attribute) and is_self(a.value, got[1])
               for a in (*got[0].args, *(k.value for k in got[0].keywords)))


def _sent_by_itself(site: CallSite) -> bool:
    """Whether a class sends this request itself: an SDK or HTTP call in its code, or a call of one of
    its own methods making one (`self._post(...)`); not a module's helper it calls (`_own_request` counts
    those too)."""
    if site.held_object:
        return False
    if site.kind == "direct":
        return True
    func = site.node.func if site.kind == "wrapper" and isinstance(site.node, ast.Call) else None
    return isinstance(func, ast.Attribute) and site.scope is not None and is_self(func.value, site.scope)


def _built_model_request(site: CallSite, words: "frozenset[str]") -> bool:
    """Whether an implementation reaches a model through an object it builds itself: a wrapper or a
    framework request called on a construction (`LLMHelper().chat(...)`), a local assigned one
    (`helper = LLMHelper()`, `chain = AgentExecutor.from_agent_and_tools(...)`), or an attribute of
    `self` its class assigns one, also as the default of a parameter (`self._llm = llm or OpenAILLM()`,
    `llm if llm is not None else OpenAILLM()`): the class chooses a model when none is handed in. Not an
    object only handed in (`self._engine = engine`: a user of the model it is given), nor an embedding
    request (a store embedding its documents uses a model, it is not one), nor a facade of another
    project interface (a knowledge base running the reranker it defaults to, a chat engine its LLM
    object: layers above a model interface, measured as extra sites on the tune corpus)."""
    if site.kind not in ("wrapper", "request") or "embed" in (site.api or "") or site.scope is None \
            or not isinstance(site.node, ast.Call) or not isinstance(site.node.func, ast.Attribute):
        return False
    recv = site.node.func.value
    if isinstance(recv, ast.Name):
        bound = binding_of(recv.id, site.scope)
        return bound is not None and bound[0] == "assign" and _builds(bound[1], bound[2], words)
    if isinstance(recv, ast.Attribute) and isinstance(recv.value, ast.Name) and is_self(recv.value, site.scope):
        fs = enclosing_function(site.scope)
        return fs is not None and fs.cls is not None and \
            any(_builds(v, sc, words) for v, sc in fs.cls.attrs.get(recv.attr, ()))
    return _builds(recv, site.scope, words)


def _builds(e: ast.expr, scope: Scope, words: "frozenset[str]") -> bool:
    """Whether `e` (written in `scope`) builds an object where it is written: a call, or one as the
    fallback of a parameter (`llm or OpenAILLM()`, `llm if llm is not None else OpenAILLM()`), handed
    no model the function or class was itself handed (`CollectionRouter(llm=self.llm)` with `self.llm =
    llm`: a wrapper around the caller's model; `words`: the catalog's `[facades] words`). The call the
    binder writes for an attribute's declaration (`self.llm: BaseLLM`) has no position: not a
    construction; nor is `cast(T, self.llm)`."""
    if isinstance(e, ast.Await):
        e = e.value
    if isinstance(e, ast.BoolOp) and isinstance(e.op, ast.Or):
        return _builds(e.values[-1], scope, words)
    if isinstance(e, ast.IfExp):
        return _builds(e.body, scope, words) or _builds(e.orelse, scope, words)
    return isinstance(e, ast.Call) and not is_declaration(e) and decorator_name(e.func).rpartition(".")[2] != "cast" \
        and not any(_handed(a, scope, words) for a in (*e.args, *(k.value for k in e.keywords)))


def _handed(a: ast.expr, scope: Scope, words: "frozenset[str]") -> bool:
    """Whether argument `a` is a model the function around `scope` or its class was handed: a parameter
    of the function, or an attribute of `self` the class only ever sets from elsewhere (never builds),
    named for a model (`llm`, `self.embedding_model`; not `database_connection`)."""
    if isinstance(a, ast.Starred):
        a = a.value
    fs = enclosing_function(scope)
    if fs is None:
        return False
    if isinstance(a, ast.Name):
        return a.id in fs.params and a.id != fs.self_name and speaks_of_models(a.id, words)
    if isinstance(a, ast.Attribute) and isinstance(a.value, ast.Name) and a.value.id == fs.self_name \
            and fs.cls is not None and speaks_of_models(a.attr, words):
        values = fs.cls.attrs.get(a.attr, ())
        return bool(values) and not any(isinstance(v, (ast.Call, ast.BoolOp, ast.IfExp)) for v, _ in values)
    return False


def _holder(site: CallSite) -> Optional[ast.AST]:
    """The class node of the method holding `site` (through the functions it defines), else None."""
    fs = site.scope
    while fs is not None and not (fs.kind == "function" and fs.cls is not None):
        fs = fs.parent
    return fs.cls.node if fs is not None else None


def _may_call_on(ms: Any, name: str, memo: dict) -> bool:
    """Whether module `ms`'s text may call a method on the bare name `name` (`name.method(...)`): it
    writes `name` as a word followed by a dot, past what may stand between a name and its attribute's
    dot (spaces, closing parentheses, line continuations), or by a comment (taken for a possible call,
    which is safe: the function is then walked); any non-ASCII text may, as
    an identifier written with other characters can mean `name` (NFKC). Memoised per module and name."""
    key = (ms.path, name)
    got = memo.get(key)
    if got is None:
        try:
            text = ms.read()
        except SourceError:
            text = ""
        got = not text.isascii()
        at = text.find(name) if not got else -1
        while at >= 0 and not got:
            got = (at == 0 or not _WORD_CHAR.match(text, at - 1)) and _TO_DOT.match(text, at + len(name)) is not None
            at = text.find(name, at + 1)
        memo[key] = got
    return got


_WORD_CHAR = re.compile(r"\w")
# what may stand between a name and its attribute's dot (spaces, closing parentheses, line continuations),
# and the dot; a comment counts as a dot (the function is walked), as reading it to its line's end at each
# occurrence of the name was quadratic on a long line naming it often (`"cb #" * 60_000`: 28.8 s)
_TO_DOT = re.compile(r"[\s)\\]*[.#]")
