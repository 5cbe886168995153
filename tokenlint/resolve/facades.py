"""Which calls reach an LLM through a project base class: `self.llm.ask(...)` where `ask` (or a method
it calls on `self`) is abstract, or overridden, and the project's subclasses implement it with different SDKs.

A call of a method on an object of a project class is a facade site when reaching its spend goes
through at least one abstract method (on `self`, only a direct call of the abstract method)
(`@abstractmethod`, a body ending in `raise NotImplementedError`, a `...` / `pass` body in an ABC,
or a `Protocol` member), or, on another object, through a method the project's subclasses override
(Python's method lookup: a stub in a plain base, a default the provider classes replace), resolved
to its implementations in the project's subclasses; the site
carries the union of their providers and models. An implementation's spend includes the functions
it defines and calls. Subclasses are found by reading class headers (never importing); dispatch
depth and subclass counts are capped, and a facade that reaches itself resolves to nothing rather
than looping (a caller resolved while it was open is resolved again, once, afterwards). A facade
reached on `super()` (`super().chat(...)` in a subclass) is the subclass passing its callers' request on
to its base's code: a wrapper call (`on_super`). What an object stands for when it may be several
classes is `interfaces`' question.
"""

from __future__ import annotations

import ast
import re
import weakref
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, Callable, Iterator, Optional

from tokenlint.features import interface_owner
from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.frames import MISSING, place_of
from tokenlint.resolve.guards import Pruned, type_guards, within
from tokenlint.resolve.probes import probe_only
from tokenlint.resolve.protocols import is_protocol, stub_methods
from tokenlint.resolve.scope import assigned, bind_args, decorator_name, enclosing_function, is_property, param_refs
from tokenlint.resolve.site import Arg, CallSite
from tokenlint.resolve.values import Chain, ClassV, Func, Instance, Opaque, Param, Qual, Unknown

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog
    from tokenlint.project import Project
    from tokenlint.resolve.scope import Scope

MAX_DISPATCH = 4  # nested abstract dispatches followed
MAX_SUBCLASSES = 64
# the sites an implementation must hold itself for its base class to be an LLM facade (a class whose
# implementations only reach another facade is one only when a name on the way speaks of models: a
# vector store embedding through an embedding facade is a user of one); a call recognised only by its
# names (confidence "inferred") does not count,
# except an SDK request recognised by its shape (`client.chat.completions.create(...)` on a client the
# base class hands its implementation), which makes the facade "inferred"
SPENDING_KINDS = ("direct", "request", "wrapper")
# what a method a facade dispatches to may reach: those, and a resolved facade of another interface
_TARGET_KINDS = SPENDING_KINDS + ("facade",)
# class headers, name and bases (literal-led patterns: the project's text is scanned once, fast)
_CLASS = re.compile(rb"class[ \t]+(\w+)[ \t]*(?:\(([^)]*)\))?[ \t]*:")
_ABC_BASES = ("ABC", "ABCMeta", "Protocol")


# abstract method names too generic to stand for an LLM facade when the receiver's type is unknown
# (data and I/O verbs among them: stores, clients and serializers declare them abstract far more
# often than LLM facades do), unless the receiver itself is named for a model (`self.llm_model.call`)
# generic names that run something: on a receiver named for a model they are the model's (`model.call(messages)`)
RUN_METHODS = frozenset({"run", "arun", "call", "acall", "execute", "process", "step", "forward"})
# verbs of a data store's interface (a memory provider's add / search over a table it embeds into): a
# method so named whose implementations only embed through models they hold is no facade (_store_verb)
STORE_VERBS = frozenset({"add", "search", "delete", "update", "upsert", "insert", "remove", "save", "store", "put",
                         "get", "set", "clear", "exists", "read", "write", "load"})
GENERIC_METHODS = frozenset({"run", "arun", "execute", "call", "get", "set", "process", "handle", "forward",
                             "apply", "update", "close", "start", "stop", "step", "reset", "build", "create",
                             "load", "save", "invoke", "ainvoke", "stream", "astream", "send", "read", "write",
                             "validate", "parse",
                             "delete", "exists", "search", "query", "serialize", "deserialize", "post", "put",
                             "patch", "find", "add", "clear", "remove", "insert", "upsert", "list", "fetch",
                             "lookup", "to_dict", "from_dict", "to_json", "from_json", "render", "connect",
                             "open", "flush", "commit", "rollback", "filter", "sort", "match", "check", "init",
                             "setup", "teardown", "dispatch", "emit", "publish", "subscribe", "notify"})
# methods of built-in types (`text.translate(table)`): on an unknown receiver they stand for a facade
# only when the receiver is an attribute of `self` (`self.translate_model.translate(...)`) or is
# itself named for a model (`translator.translate(text)`)
BUILTIN_METHODS = frozenset(n for t in (str, bytes, list, dict, set, tuple, int, float) for n in dir(t))
# `@abstractmethod def name(`, and `def name(...): raise NotImplementedError` (a docstring between allowed;
# `raise NotImplemented`, the constant, is the common slip for the exception and means the same stub)
_ABSTRACT_DECORATED = re.compile(rb"abstractmethod\s+(?:async\s+)?def\s+(\w+)")
_NOT_IMPLEMENTED = re.compile(
    rb"def\s+(\w+)\([^)]*\)[^:\n]*:[ \t]*\n\s+(?:(?:\"\"\"|\'\'\')[\s\S]{0,2000}?(?:\"\"\"|\'\'\')\s*)?"
    rb"raise\s+NotImplemented(?:Error)?\b")
# the same pattern in two steps, read by `_not_implemented`: the method's header up to the first
# statement (it can end one way only), then the statement (a docstring at most before the raise)
_NOT_IMPLEMENTED_HEAD = re.compile(rb"def\s+(\w+)\([^)]*\)[^:\n]*:[ \t]*\n\s+")
_NOT_IMPLEMENTED_TAIL = re.compile(
    rb"(?:(?:\"\"\"|\'\'\')[\s\S]{0,2000}?(?:\"\"\"|\'\'\')\s*)?raise\s+NotImplemented(?:Error)?\b")
# what a stub raises: the exception, or the constant written by mistake (`raise NotImplemented()`
# is a TypeError at run time, but the author meant "subclasses implement this")
_NOT_IMPLEMENTED_NAMES = ("NotImplementedError", "NotImplemented")
_SPACE_OR_RAISE = re.compile(rb"[\sraise]*")
# `def name(` as `def\s+<name>\s*\(` finds it: the name is every byte up to the parenthesis (or the
# space before it), so a name written in any script is indexed too
_DEF_ANY = re.compile(rb"def\s+([^\s(]+)\s*\(")


class FacadeMixin:
    """The `Resolver`'s base-class facades (a mixin: implementation sites come from `function_sites`)."""

    project: "Project"

    def _facade(self, rec: CallRecord, f: Func, recv: Optional[ast.expr] = None) -> Optional[CallSite]:
        """The facade site of `obj.method(...)` on a project object whose spend is reached through an
        abstract method's implementations, else None. Calls on `self` are the facade's own plumbing.
        `recv`: the object when the call names no method (`obj(...)` running `f`, see `_object_call`)."""
        func = rec.node.func
        if recv is None:
            recv = func.value if isinstance(func, ast.Attribute) else _fetched_from(func, rec.scope)
            if recv is None:
                return None
        if f.bound is None:
            return None
        if is_self(recv, rec.scope):
            # on `self`, only a call of the abstract method itself (`self.submit_prompt(...)` in the
            # base class); a concrete helper reaching one is the facade's own plumbing
            found = self._method_in_chain(f.bound.cls, f.node.name)
            if found is None or not is_abstract(found[1], found[0].node):
                return None
        if not self._reaches_override(f.bound.cls, f.node.name, 0):  # type: ignore[attr-defined]
            return None  # from the syntax alone: nothing a subclass may replace on the way, no facade (cheap)
        if self._lone_specialisation(f.bound.cls, f.node.name):  # type: ignore[attr-defined]
            return None  # a working class one subclass specialises (`Agent.chat`, `ImageAgent`): no facade
        targets, dispatched = self._spend_targets(f.bound.cls, f.node.name, 0)
        if not dispatched or not targets or handed_models(targets):
            return None
        root = self._declaring(f.bound.cls, f.node.name) or f.bound.cls
        if not (self._names_models(rec, [f.bound.cls, root], f.node.name, recv)
                or self._every_implementation_spends(f.bound.cls, f.node.name)):
            return None  # a plugin interface one of whose implementations happens to call a model
        if self._few_implementations_spend(f.bound.cls, f.node.name, recv):  # type: ignore[attr-defined]
            return None  # `LLMTool.run`: a tool registry a few of whose tools call a model, named or not
        if self._only_held(targets, [f.bound.cls, root]) or _one_shared_request(targets) or \
                _store_verb(f.node.name, targets) or probe_only(rec.node, self._overrides_of(root, f.node.name)):
            return None  # (the last: `engine.translate(None)`, a probe every implementation returns on)
        return self._facade_site(rec, targets, root, f.node.name)

    def _bound_request(self, rec: CallRecord) -> Optional[CallSite]:
        """`llm.completion(...)` on an object of a project class that stores a request bound ahead of
        its call (`self._completion = partial(litellm.completion, model=...)` in a method) in the
        attribute called, or in the one a property of that name returns (`return self._completion`):
        a facade site over the request sites assigned to it. An attribute holding plain callables
        (a formatter, a `partial` of a project function) has no such site and gives nothing."""
        func = rec.node.func
        if not isinstance(func, ast.Attribute) or is_self(func.value, rec.scope):
            return None
        recv = self.infer(func.value, rec.scope)  # type: ignore[attr-defined]
        if not isinstance(recv, Instance):
            return None
        chain = list(self._fchain(recv.cls))
        attr = _stored_attr(chain, func.attr)
        if attr is None:
            return None
        targets = self._assigned_requests(chain, attr)
        if not targets:
            return None
        return self._facade_site(rec, targets, recv.cls, func.attr)

    def _assigned_requests(self, chain: list[ClassV], attr: str) -> list[CallSite]:
        """The spending sites that are the values assigned to `self.<attr>` in the classes of `chain`."""
        out: list[CallSite] = []
        for c in chain:
            for expr, scope in c.scope.attrs.get(attr, ()):
                if not isinstance(expr, ast.Call) or scope.kind != "function":
                    continue
                out += [s for s in self.function_sites(scope.node, c.scope.module)  # type: ignore[attr-defined]
                        if s.node is expr and s.spends and s.kind in SPENDING_KINDS]
        return out

    def _names_models(self, rec: CallRecord, classes: list[ClassV], name: str,
                      recv: Optional[ast.expr] = None) -> bool:
        """Whether a name on the way to a facade speaks of models (catalog `[facades] words`): the
        method, the receiver (`self.translate_model.translate`, `self.get_bot("chat").reply`), or a
        class of the receiver's or the declaring class's chain (`class TTSProvider(ABC)`)."""
        words = self.catalog.facade_words  # type: ignore[attr-defined]
        names = [name]
        if recv is None:
            recv = rec.node.func.value if isinstance(rec.node.func, ast.Attribute) else None
        if isinstance(recv, ast.Call):
            recv = recv.func
        if isinstance(recv, (ast.Name, ast.Attribute)) and not is_self(recv, rec.scope):
            names.append(recv.id if isinstance(recv, ast.Name) else recv.attr)
        for c in classes:
            names += [k.node.name for k in self._fchain(c)]  # type: ignore[attr-defined]
        return any(speaks_of_models(n, words) for n in names)

    def _only_held(self, targets: list[CallSite], classes: list[ClassV]) -> bool:
        """Whether every implementation reached runs a model object it holds (`self.embedding_engine.
        embed_text(...)`, or a helper of its own doing so: `held_object`) while no class of the interface
        is named for models (`VectorDBInterface.embed_data` over stores embedding through the engine each
        holds): the implementations use a model, the interface is not one, whatever its method's name
        (`LLMModel.call` over a class running the bot it holds is one)."""
        if not all(t.held_object for t in targets):
            return False
        words = self.catalog.facade_words  # type: ignore[attr-defined]
        return not any(speaks_of_models(k.node.name, words) for c in classes for k in self._fchain(c))  # type: ignore[attr-defined]

    def _facade_site(self, rec: CallRecord, targets: list[CallSite], root: ClassV, name: str) -> CallSite:
        # every provider an implementation may reach (an implementation may itself be "multi")
        providers = sorted({p for t in targets for p in (t.providers or (t.provider,)) if p != "multi"}) or ["multi"]
        models = sorted({t.model.value for t in targets if t.model.value})
        # the api the method names (`create_chat_completion`, `embed_texts`), else the one most
        # implementations call: a dispatcher reaching chat and embeddings answers for the method
        apis = Counter(t.api for t in targets)
        said = {w.rstrip("s") for w in name_words(name)}
        first = max(enumerate(targets), key=lambda it: (bool(said & {w.rstrip("s") for w in name_words(it[1].api)}),
                                                         apis[it[1].api], "embed" not in it[1].api, -it[0]))[1]
        if len(models) == 1 and all(t.model.value for t in targets):
            model = replace(first.model, origin=None, origin_source=None, param=None)
        else:
            model = Arg(None, "dynamic")
        # an implementation's request recognised by its SDK shape alone (`client.chat.completions.create`
        # on a client it is handed) makes the facade "inferred" too
        confidence = "resolved" if all(t.confidence == "resolved" for t in targets) else "inferred"
        site = self._base(rec, providers[0] if len(providers) == 1 else "multi", first.sdk,  # type: ignore[attr-defined]
                          first.api, "facade", confidence, model, any(t.is_async for t in targets),
                          first.stream, True)
        site.target = first.id
        if len(providers) > 1:
            site.providers = tuple(providers)
        dotted = root.scope.module.source.dotted
        site.wrapper = f"{dotted}.{root.scope.qualname}.{name}" if dotted else f"{root.scope.qualname}.{name}"
        site.alternatives = tuple(sorted({f"{t.provider} {t.model.value or '<' + t.model.kind + '>'}" for t in targets}))
        site.forwards = self._facade_inputs(rec)
        site.held_object = _on_self_attribute(site)  # `self.llm.chat(...)`: a model object the class holds
        site.handed = all(t.handed for t in targets)  # the hook gives back an SDK method (resolve/returned.py)
        for k in rec.node.keywords:  # a literal feature passed by the caller (`ask(..., feature="x")`)
            if k.arg == self.feature_key:  # type: ignore[attr-defined]
                tag = self._classify(k.value, rec.scope)  # type: ignore[attr-defined]
                site.tag, site.tag_via = tag, k.arg
                site.feature = tag.value if tag.kind in ("literal", "constant") else None
        return site

    def _facade_inputs(self, rec: CallRecord) -> frozenset[str]:
        """Parameters of the function around a facade call that it hands the facade, when the object
        called has a declared type (`def generate_body(model: ModelBase, sig): return
        model.generate_chat(...)`; `self.client.generate(messages)` with `client: LLMClient` given to
        `__init__` or declared on the class): the model object and the arguments, the prompt. Like a
        helper around an SDK call, that function wraps the facade for its callers, who choose the model
        object or write the prompt (a facade call is a request one level up: FACADE-DEPTH). Not a call
        on `self` (a base's own dispatch into its implementations), nor one on an object whose type is
        read from what callers hand in (a store running the vectorizer it was given: a user of a
        model, whose callers are not making requests)."""
        fs = enclosing_function(rec.scope)
        call = rec.node
        if fs is None or not fs.params or not isinstance(call.func, ast.Attribute):
            return frozenset()
        recv = call.func.value
        if isinstance(recv, ast.Call):  # `self._pick(name).chat(...)`: what the accessor returns
            recv = recv.func
        if is_self(recv, rec.scope) or not self._declared_receiver(recv, rec.scope):  # type: ignore[attr-defined]
            return frozenset()
        refs: set[str] = set()
        for a in (*call.args, *(k.value for k in call.keywords)):
            refs |= param_refs(a, rec.scope)
        if isinstance(recv, ast.Name):
            refs.add(recv.id)
        refs.discard(fs.self_name or "")
        return frozenset(r for r in refs if r in fs.params)

    def _facade_by_name(self, rec: CallRecord, classes_known: bool = False) -> Optional[CallSite]:
        """`provider.text_chat(...)` on a receiver of unknown type (an untyped parameter, a registry
        lookup) whose method name is declared abstract in project base classes whose implementations
        spend, or, when the name itself speaks of models, defined by two or more classes below a
        project base that leaves it out (`engine.get_embeddings(...)`): a facade over those
        implementations, with confidence "inferred". Generic names (`run`, `add`, `query`) give
        nothing here: with the receiver's type unknown, the name is all there is to go on.
        `classes_known`: the receiver is one of several project objects whose methods reached no site
        tokenlint follows (resolver.py); read as one of unknown type."""
        func = rec.node.func
        if not isinstance(func, ast.Attribute) or func.attr.startswith("_"):
            return None  # a private method called on another object is plumbing, not a facade's surface
        if func.attr in GENERIC_METHODS and (func.attr not in RUN_METHODS or not self._model_named_receiver(func.value)):
            # `handler.run(...)`; a verb that runs something on a receiver named for a model
            # (`self.llm_model.call(...)`) is the model's; a data verb is not (Django's `self.model.save()`)
            return None
        if func.attr in BUILTIN_METHODS and not (isinstance(func.value, ast.Attribute)
                                                 and is_self(func.value.value, rec.scope)) \
                and not self._model_named_receiver(func.value):
            return None
        indexed = bool(self._index()[1].get(func.attr.encode()))
        if not indexed and not self._names_models(rec, [], func.attr):
            return None  # a concrete method (`self.llm.gen`) is followed only on a model-named call
        recv = self.infer(func.value, rec.scope)  # type: ignore[attr-defined]
        if not classes_known and not (isinstance(recv, (Chain, Param, Unknown)) or
                isinstance(recv, Opaque) and recv.what in ("unknown-call", "attr") or
                isinstance(recv, Qual) and self._own_package(recv.qual)):
            return None  # a string, a number, a known object of another kind
        # a copy: the conventional bases are added below, and the lists are memoized. The text index
        # names stubs of any class in a file naming `Protocol`: a name declared by no interface is
        # read as a concrete one
        bases = list(self._abstract_declarations(func.attr)) if indexed else []
        abstract = bool(bases)
        if not abstract and indexed and not self._names_models(rec, [], func.attr):
            return None
        if not abstract:
            # a concrete base method on the way to an abstract one, or to one the subclasses override
            # (`BaseLLMModel.predict` running the `get_answer_stream_iter` each provider replaces)
            bases = list(self._concrete_declarations(func.attr))
            if func.attr not in BUILTIN_METHODS:  # `self.records.append(...)`: a list's, not a base's default
                bases += [b for b in self._overriding_declarations(func.attr)  # type: ignore[attr-defined]
                          if all(b.node is not c.node for c in bases)]
        # without an abstract declaration: the classes defining the method below a project base that
        # leaves it to convention (`class Engine: pass`; `OpenAIEmbeddingEngine.get_embeddings`), when
        # the weakest evidence is made up for: the method's own name speaks of models and two or more
        # classes implement it (not one class's `send_completion`, not every bot's `reply_text`)
        conventional = [] if abstract or not speaks_of_models(func.attr, self.catalog.facade_words) \
            else self._conventional_declarations(func.attr)  # type: ignore[attr-defined]
        if len({impl.node for impl, _ in conventional}) < 2:
            conventional = []
        if self._delegates(rec, func.attr, bases + [impl for impl, _ in conventional]):
            return None
        declared = bases + [impl for impl, _ in conventional]
        if self._local_inference(rec, func.attr, lambda: declared + [c for b in bases for c in self._subclasses(b)]):
            return None  # `model.generate(**tokenizer(text, return_tensors="pt"))`: a model run in-process
        if _keywords_refused(rec.node, func.attr, declared) and \
                _keywords_refused(rec.node, func.attr, declared + [c for b in bases for c in self._subclasses(b)]):
            # `self.model.generate(ids, max_new_tokens=...)`: no declaration nor implementation takes those
            # keywords, another object's method of that name (the implementations are read only then)
            return None
        if abstract and not self._names_models(rec, bases, func.attr):
            # asked last below, with the same classes (no conventional base joins an abstract one): the
            # answer is None whatever the implementations reach, so they are not read (nor parsed)
            return None
        targets: list[CallSite] = []
        root = None
        for b in bases:
            got, dispatched = self._spend_targets(b, func.attr, 0)
            if dispatched and got:
                targets += got
                root = root or b
        for impl, base in conventional:
            got = self._held_targets(impl, func.attr)  # type: ignore[attr-defined]
            if got:
                targets += got
                root = root or base
                bases.append(base)
        if root is None or not self._names_models(rec, bases, func.attr) or self._only_held(targets, bases) \
                or handed_models(targets):
            return None
        if func.attr in GENERIC_METHODS and not any(speaks_of_models(k.node.name, self.catalog.facade_words)  # type: ignore[attr-defined]
                                                    for k in self._fchain(root)):
            return None  # a common name needs the class declaring it to speak of models too (`LLMModel.call`
            # on an `llm_model`), not only the receiver (`RequestRunner.run` on a `proxy_bot`)
        if isinstance(recv, Param) and self._callers_pass_others(recv, bases):
            return None
        site = self._facade_site(rec, targets, root, func.attr)
        site.confidence = "inferred"
        return site

    def _callers_pass_others(self, p: Param, bases: list[ClassV]) -> bool:
        """Negative evidence on a guess by method name: every caller of the function passes, for the
        untyped parameter `p`, an object of a project class outside the hierarchy of `bases` (a
        `Grounding` role whose `predict` is its own, not the `LlmWrapper.predict` the name suggests).
        The callers are the ones `passed.py` reads (memoized per function); no caller seen, or one
        passing something else, is no evidence."""
        fs = p.scope.module.func_scopes.get(p.func) if p.scope is not None else None
        uses = self._uses(fs) if fs is not None else None  # type: ignore[attr-defined]
        prod = [u for u in uses or () if not u.test]
        if not prod:
            return False
        wanted = {b.node for b in bases}
        for u in prod:
            e = u.bound.get(p.name) if u.bound is not None else None
            v = self.infer(e, u.rec.scope) if e is not None else None  # type: ignore[attr-defined]
            if type(v) is not Instance or any(c.node in wanted for c in self._fchain(v.cls)):  # type: ignore[attr-defined]
                return False
        return True

    def _local_inference(self, rec: CallRecord, name: str, classes: Callable[[], list[ClassV]]) -> bool:
        """Whether a call passes what a tokenizer or processor returns (`input_ids`, `enc.input_ids`,
        `inputs["input_features"]`, or a name assigned from a call with `return_tensors=`, each maybe moved
        to a device: `ids.to("cuda")`, `tokenizer(...).to(model.device)`) or a local engine's settings (`sampling_params=`): catalog `[facades.local_inference]`, a model run in-process.
        A keyword the project's own declarations or implementations of the method name (`classes`, read
        only then: `LLMBase.generate(self, prompt, sampling_params=None)`) is the project's argument."""
        cat = self.catalog  # type: ignore[attr-defined]
        call = rec.node
        local = {k.arg for k in call.keywords if k.arg in cat.local_keywords}
        if local and not local & _accepted_keywords(name, classes())[0]:
            return True
        for a in (*call.args, *(k.value for k in call.keywords)):
            a = _moved_from(a.value if isinstance(a, ast.Starred) else a, cat.local_moves)
            if _tensor_name(a) in cat.local_arguments:
                return True
            got = assigned(a.id, rec.scope) if isinstance(a, ast.Name) else None
            made = _moved_from(got[0], cat.local_moves) if got is not None else None
            if isinstance(made, ast.Call) and any(k.arg in cat.local_keywords for k in made.keywords):
                return True
        return False

    def _model_named_receiver(self, recv: ast.expr) -> bool:
        """Whether a receiver's own name speaks of models (`translator`, `llm_client`, `self.embedder`):
        then a built-in type's method name on it (`translator.translate(text)`) is the project's
        method, not `str.translate`; a string or list is not named so (`text.translate(table)`)."""
        name = recv.id if isinstance(recv, ast.Name) else recv.attr if isinstance(recv, ast.Attribute) else None
        return name is not None and speaks_of_models(name, self.catalog.facade_words)  # type: ignore[attr-defined]

    def _delegates(self, rec: CallRecord, name: str, bases: list[ClassV]) -> bool:
        """An implementation handing the call to a wrapped object (`def encode(...)` of a subclass
        calling `self._model.encode(...)`): the inner object is not the facade itself."""
        fs = rec.scope
        while fs is not None and (fs.kind != "function" or fs.name == "<lambda>"):
            fs = fs.parent
        if fs is None or fs.name != name or fs.cls is None:
            return False
        here = {c.node for c in self._fchain(ClassV(fs.cls.node, fs.cls))}  # type: ignore[arg-type]
        return any(b.node in here for b in bases)

    def _held_sites(self, fnode: ast.AST, info, kinds) -> list[CallSite]:  # type: ignore[no-untyped-def]
        """The spending sites of `kinds` a method holds itself: in its body and in the functions it
        defines and calls (`def _call(opts): return litellm.completion(...)` then `_call(opts)`; one it
        returns is a factory's product), resolved ones or direct SDK calls."""
        return [s for owner in (fnode, *nested_calls(fnode)) for s in self.function_sites(owner, info)  # type: ignore[attr-defined]
                if s.spends and s.kind in kinds and (s.confidence == "resolved" or s.kind == "direct")]

    def _own_package(self, qual: str) -> bool:
        """Whether an external-looking name is the project's own package seen from inside it (the
        root is the package folder, so `from pkg.llms import BaseLlm` does not resolve)."""
        return qual.split(".", 1)[0] == self.project.root.name

    def _project_package(self, qual: str) -> bool:
        """Whether a name that did not resolve to project code may still be the project's (its first
        part names a folder or module of the project: `real_agents.adapters...` imported from a
        sub-folder put on the path), rather than a library's (`langchain...`)."""
        names = self.__dict__.get("_project_part_names")
        if names is None or self.__dict__.get("_project_part_count") != len(self.project.by_path):
            names = {self.project.root.name}
            for ms in list(self.project.by_path.values()):
                parts = ms.relpath.split("/")
                names.update(parts[:-1])
                names.add(parts[-1].rpartition(".")[0])
            self.__dict__["_project_part_names"] = names
            self.__dict__["_project_part_count"] = len(self.project.by_path)
        return qual.split(".", 1)[0] in names

    def _abstract_declarations(self, name: str) -> list[ClassV]:
        """Project classes declaring method `name` abstract (found from the source text, then parsed)."""
        memo = self.__dict__.setdefault("_abstract_memo", {})
        got = memo.get(name)
        if got is not None:
            return got
        out: list[ClassV] = []
        for ms in self._index()[1].get(name.encode(), ()):
            info = self.project.module_info(ms)
            if info is None:
                continue
            for node, cs in info.class_scopes.items():
                m = method_of(ClassV(node, cs), name)  # type: ignore[arg-type]
                if m is not None and is_abstract(m, node):  # type: ignore[arg-type]
                    out.append(ClassV(node, cs))  # type: ignore[arg-type]
        memo[name] = out
        return out

    def _concrete_declarations(self, name: str) -> list[ClassV]:
        """Project base classes defining method `name` concretely on the way to an abstract one
        (`BaseLLM.gen` calling the abstract `_raw_gen`), from the files that declare abstract methods."""
        memo = self.__dict__.setdefault("_concrete_memo", {})
        got = memo.get(name)
        if got is not None:
            return got
        out: list[ClassV] = []
        # only the files whose text defines the name (the function-name index's answer)
        for cls in self._classes_defining(name, self._defining_modules().get(name.encode(), [])):  # type: ignore[attr-defined]
            m = method_of(cls, name)
            if m is not None and not is_abstract(m, cls.node) and self._reaches_abstract(cls, name, 0):
                out.append(cls)
        memo[name] = out
        return out

    def _defining_modules(self) -> dict[bytes, list]:
        """Method name -> the modules that may declare abstract bases (`_index()[2]`) whose text holds
        `def name(`, in that index's order: one scan of those files when first asked (a search per
        name asked read them all again, 44 times on the benchmark corpus)."""
        got = self.__dict__.get("_def_index")
        if got is None:
            got = self._defs_among(dict.fromkeys(ms for mods in self._index()[2].values() for ms in mods))
            self.__dict__["_def_index"] = got
        return got

    def facade_methods(self, info, sites: list[CallSite]) -> set[str]:  # type: ignore[no-untyped-def]
        """Names of the abstract methods this module's classes implement with a spending call (the
        method itself or one it calls on `self`): callers of `.name(...)` elsewhere may be facade
        sites, so the engine reads the files naming them."""
        out = self._stored_request_names(info, sites) | self._conventional_methods(info, sites) | \
            self.overriding_methods(info, sites) | self.runnable_hooks(info) | \
            self.plugin_methods(info, sites)  # type: ignore[attr-defined]
        for _cls, chain, implemented in self._implementations(info, sites):
            out |= implemented
            for c in chain:  # the base's concrete surface reaching them (`gen` calling `_raw_gen`)
                base_methods = methods_of(c.node)
                out |= {name for name, m in base_methods.items() if self._surface_name(name, c)
                        and not is_abstract(m, c.node) and reaching(base_methods, name, implemented)}
        return out

    def facade_modules(self, info, sites: list[CallSite]) -> set[str]:  # type: ignore[no-untyped-def]
        """Paths of the modules declaring the classes of a callable facade this module implements
        (objects called as `self.llm(messages)`, see `_object_call`), or the bases of one implementing two
        or more of their abstract methods with a request (`getattr(lm, kind)(reqs)`, see `fetched`): such
        calls name no method to search for, so the engine reads the files importing those classes instead."""
        out: set[str] = set()
        for cls, chain, implemented in self._implementations(info, sites):
            if implemented and (any(method_of(c, "__call__") is not None for c in [cls, *chain])
                                or self._library_call_method(cls) is not None):  # type: ignore[attr-defined]
                out |= {c.scope.module.source.relpath for c in [cls, *chain]}
            elif len(implemented) >= 2:  # `getattr(lm, kind)(reqs)` on the base names no method (resolve/fetched.py)
                out |= {c.scope.module.source.relpath for c in chain}
        # a class calling a facade it holds (`self.llm(prompt)`), or holding an object of a callable
        # interface (`self.llm_service = llm_service`, declared a `BaseService`): its subclasses
        # elsewhere inherit it and call it
        if any(s.kind == "facade" and _on_self_attribute(s) for s in sites) or self._holds_callable_interface(info):
            out.add(info.source.relpath)
        return out

    def _holds_callable_interface(self, info) -> bool:  # type: ignore[no-untyped-def]
        """Whether a class of this module stores in an attribute of `self` (a value handed to it or
        built: a name or a call) an object of a project class whose `__call__` is or reaches an
        abstract method (a callable interface, whose implementations `_object_call` dispatches to).
        Read from this module alone (files are analysed in separate processes)."""
        for cs in info.class_scopes.values():
            for vals in cs.attrs.values():
                for expr, scope in vals:
                    if not isinstance(expr, (ast.Name, ast.Call)):
                        continue
                    v = self.infer(expr, scope)  # type: ignore[attr-defined]
                    if isinstance(v, Instance) and self._reaches_abstract(v.cls, "__call__", 0):
                        return True
        return False

    def _implementations(self, info, sites: list[CallSite]) -> list[tuple[ClassV, list[ClassV], set[str]]]:  # type: ignore[no-untyped-def]
        """This module's classes holding a spending site below an abstract method, with their project
        base classes and the abstract methods they implement with a spending call (the method itself
        or one it calls on `self`); worked out once per module's sites (three steps of the engine ask)."""
        got = getattr(info, "_implementations", None)
        if got is None or got[0] is not sites:
            got = (sites, list(self._find_implementations(info, sites)))
            info._implementations = got  # type: ignore[attr-defined]
        return got[1]

    def _find_implementations(self, info, sites: list[CallSite]) -> Iterator[tuple[ClassV, list[ClassV], set[str]]]:  # type: ignore[no-untyped-def]
        spending: dict[ast.AST, set[str]] = {}  # class node -> its methods holding a spending site
        for s in sites:
            if not s.spends or s.kind not in SPENDING_KINDS or s.scope is None or s.function is None:
                continue
            fs = s.scope  # the method holding the site, through the functions it defines
            while fs is not None and not (fs.kind == "function" and fs.cls is not None):
                fs = fs.parent
            if fs is not None:
                spending.setdefault(fs.cls.node, set()).add(fs.name)
        for cnode, names in spending.items():
            cs = info.class_scopes.get(cnode)
            if cs is None:
                continue
            cls = ClassV(cnode, cs)  # type: ignore[arg-type]
            chain = list(self._fchain(cls))[1:]
            abstract = {m.name for c in chain for m in c.node.body
                        if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_abstract(m, c.node)}
            abstract |= _undeclared_self_calls(chain)
            if not abstract:
                continue  # no abstract method above this class: nothing for callers to dispatch to
            yield cls, chain, {name for name in abstract if reaching(methods_of(cnode), name, names)}

    def name_implementations(self, info, sites: list[CallSite]) -> None:  # type: ignore[no-untyped-def]
        """Names this module's spending sites in a class implementing an abstract method of a project
        base whose names speak of models (the method's or a base's: `OpenAIClient.generate` under
        `class LLMClient(ABC)`) after the root base declaring it (owner "method:LLMClient.generate"):
        every provider's adapter of one interface is one feature, the one its callers reach it for.
        A plugin interface (`BaseTool._execute`) names nothing of models: its classes keep their names."""
        found = {cls.node: (cls, chain) for cls, chain, implemented in self._implementations(info, sites)
                 if implemented}
        if not found:
            return
        words = self.catalog.facade_words  # type: ignore[attr-defined]
        for s in sites:
            if not s.spends or s.kind not in SPENDING_KINDS or s.scope is None \
                    or not (s.owner or "").startswith(("method:", "class:")):
                continue  # a route, task or command names it better
            fs = s.scope  # the method holding the site, through the functions it defines
            while fs is not None and not (fs.kind == "function" and fs.cls is not None):
                fs = fs.parent
            cls, chain = found.get(fs.cls.node, (None, [])) if fs is not None else (None, [])
            if cls is None:
                continue
            own = methods_of(cls.node)
            bases = [k.node.name for k in chain]
            for c in reversed(chain):  # the root interface first
                name = next((m.name for m in c.node.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))
                             and is_abstract(m, c.node) and reaching(own, m.name, {fs.name})), None)
                if name and any(w in words for n in (name, *bases) for w in name_words(n)):
                    s.owner = interface_owner(c.node.name, name, c.scope.bindings)
                    break

    def _surface_name(self, name: str, cls: ClassV) -> bool:
        """Whether callers of a base's concrete method `name` are worth reading as facade callers:
        a public, specific name (not `search`, `run`, a built-in type's method) on a base whose
        name or the method's speaks of models (`BaseLLM.gen`, not `GraphVectorStore.search`)."""
        if name.startswith("_") or name in GENERIC_METHODS or name in BUILTIN_METHODS:
            return False
        words = self.catalog.facade_words  # type: ignore[attr-defined]
        return speaks_of_models(name, words) or speaks_of_models(cls.node.name, words)

    def _stored_request_names(self, info, sites: list[CallSite]) -> set[str]:  # type: ignore[no-untyped-def]
        """Names callers use to run a request this module's classes store in an attribute
        (`self._completion = partial(...)`): the attribute and the properties returning it."""
        nodes = {s.node for s in sites if s.spends and s.kind in SPENDING_KINDS and s.node is not None}
        out: set[str] = set()
        if not nodes:
            return out
        for cnode, cs in info.class_scopes.items():
            stored = {a for a, vals in cs.attrs.items() if any(v in nodes for v, _ in vals)}
            if not stored:
                continue
            out |= stored
            chain = [ClassV(cnode, cs)]  # type: ignore[arg-type]
            out |= {name for name, m in methods_of(cnode).items() if is_property(m) and _stored_attr(chain, name) in stored}
        return out

    def _reaches_abstract(self, cls: ClassV, name: str, depth: int) -> bool:
        """Whether calling `cls`'s method `name` meets an abstract method, itself or through the
        methods it calls on `self` (read from the syntax only, before anything is resolved)."""
        return self._reaches("_reach_memo", cls, name, depth, lambda c, fnode: is_abstract(fnode, c.node))

    def _reaches(self, memo_name: str, cls: ClassV, name: str, depth: int, test) -> bool:  # type: ignore[no-untyped-def]
        """Whether calling `cls`'s method `name` meets a method passing `test(declaring class,
        function node)`, itself or through the methods it calls on `self` (memoized per `memo_name`;
        a method reaching itself does not)."""
        memo = self.__dict__.setdefault(memo_name, {})
        # the answer at each depth (asked nearer the call, more may be reached): the same whichever
        # was asked first; a method reaching itself is asked again one deeper, till the limit
        key = (cls.node, name, depth)
        if key in memo:
            return memo[key]
        if depth > MAX_DISPATCH:
            return False
        memo[key] = False
        found = self._method_in_chain(cls, name)
        if found is None:  # a method the chain calls on `self` and never declares: its subclasses' own
            hit = depth > 0 and bool(self._undeclared_targets(cls, name, depth)[1])
            memo[key] = hit
            return hit
        c, fnode = found
        hit = test(c, fnode)
        if not hit and fnode.args.args:  # type: ignore[attr-defined]
            self_name = fnode.args.args[0].arg  # type: ignore[attr-defined]
            hit = any(self._reaches(memo_name, cls, other, depth + 1, test)
                      for other in self_calls(fnode, self_name) if other != name)
        memo[key] = hit
        return hit

    def _spend_targets(self, cls: ClassV, name: str, depth: int,
                       pruned: Optional[Pruned] = None) -> tuple[list[CallSite], bool]:
        """The spending sites reached by calling `cls`'s method `name`, and whether an abstract
        method's implementations were needed to reach them. `pruned`: the method's branches (by
        lines) the call's arguments rule out (`guards`), part of the answer's key."""
        if depth > MAX_DISPATCH:
            return [], False
        # the answer at each depth (nearer the call, more nested dispatches are followed): the same
        # whichever depth was asked first. A facade reaching itself through its implementations' sites
        # finds nothing there (frames.py: the same whichever member of the loop was asked first)
        memo = self.__dict__.setdefault("_facade_memo", {})
        key = (cls.node, name, depth) if pruned is None else (cls.node, name, depth, pruned[0], pruned[1])
        got = self.recall("facade", memo, key)  # type: ignore[attr-defined]
        if got is not MISSING:
            return got
        at = f"{name}@{depth}" if pruned is None else f"{name}@{depth}-{sorted(pruned[1])}"
        return self.solve("facade", memo, key, ([], False),  # type: ignore[attr-defined]
                          lambda: self._dispatch_targets(cls, name, depth, pruned),
                          place_of(cls.scope.module, cls.node, at))

    def _dispatch_targets(self, cls: ClassV, name: str, depth: int,
                          pruned: Optional[Pruned] = None) -> tuple[list[CallSite], bool]:
        out: list[CallSite] = []
        dispatched = False
        decl = self._declaring(cls, name)
        fnode = method_of(decl, name) if decl is not None else None
        if decl is None or fnode is None:
            return self._undeclared_targets(cls, name, depth)
        impl_of = self._method_in_chain(cls, name)
        if impl_of is not None and not is_abstract(impl_of[1], impl_of[0].node):
            out, dispatched = self._own_targets(impl_of[0], impl_of[1], depth, cls, pruned)
            if self._reaches_override(cls, name, depth) and \
                    self._defined_besides(name, impl_of[0].scope.module.source):  # type: ignore[attr-defined]
                # a concrete method on the way to an abstract or overridden one (a stub, a default the
                # provider classes replace): a subclass overriding it runs its own
                # (`BaseLLM.run` calls the abstract `invoke`; `class OpenAI(LCCompletionMixin, LLM)` runs
                # the mixin's `run`)
                for sub in self._subclasses(cls):
                    found = self._method_in_chain(sub, name)
                    if found is None or found[1] is impl_of[1] or is_abstract(found[1], found[0].node):
                        continue
                    got = self._own_targets(found[0], found[1], depth, sub)[0]
                    out += got
                    dispatched = dispatched or bool(got)
        else:
            # the implementations an object of `cls` may run: its subclasses', not those of every
            # class below the base declaring the method (`BaseComponent.run` declared for all components)
            for sub in self._subclasses(cls):
                found = self._method_in_chain(sub, name)
                if found is None or is_abstract(found[1], found[0].node):
                    continue
                out += self._own_targets(found[0], found[1], depth, sub)[0]
                dispatched = True
        seen: set[str] = set()
        uniq = [t for t in out if not (t.id in seen or seen.add(t.id))]  # type: ignore[func-returns-value]
        return uniq, dispatched

    def _undeclared_targets(self, cls: ClassV, name: str, depth: int) -> tuple[list[CallSite], bool]:
        """A method `cls` never declares that two or more of its project subclasses define (`LLM.chat`
        calling `self.send_message(...)`, written only in `Claude` and `ChatGPT`): abstract in all but
        name, the base's code runs only on a subclass, so the call runs theirs."""
        if not self._may_define(name.encode()):
            # no project text defines it (a library base's method, `self.assertEqual`): no subclass
            # writes it, and the subclasses need no search (nor their modules a parse)
            return [], False
        subs = self._subclasses(cls)
        below = {id(sub.node) for sub in subs}
        # written in a class below `cls`: not a sibling mixin's (`class Agent(ChatMixin, ExecutionMixin)`,
        # where `ExecutionMixin` calls the `self.chat` that `ChatMixin` brings: one method, no choice)
        found = [(sub, m) for sub in subs for m in [self._method_in_chain(sub, name)]
                 if m is not None and id(m[0].node) in below and not is_abstract(m[1], m[0].node)]
        if len({id(m[1]) for _, m in found}) < 2:
            return [], False
        out: list[CallSite] = []
        for sub, m in found:
            out += self._own_targets(m[0], m[1], depth, sub)[0]
        seen: set[str] = set()
        return [t for t in out if not (t.id in seen or seen.add(t.id))], bool(out)  # type: ignore[func-returns-value]

    def _own_targets(self, cls: ClassV, fnode: ast.AST, depth: int, recv: Optional[ClassV] = None,
                     pruned: Optional[Pruned] = None) -> tuple[list[CallSite], bool]:
        """Spending sites of one concrete method of `cls`, plus what its `self.other(...)` calls reach
        on an object of `recv` (a subclass inheriting it; default `cls`), and whether one of those
        went through an abstract method. `pruned`: branches of `fnode` its caller's arguments rule
        out (`guards`): the sites and `self` calls in them are not on the way."""
        info = cls.scope.module
        # a resolved facade site counts too: an adapter reaching its provider through another
        # interface (`AgentLLMModel.call_stream` running a `Bot`) still spends for its base's callers
        # (whose names must speak of models: a vector store embedding through one does not)
        out = self._held_sites(fnode, info, _TARGET_KINDS)
        spans = pruned[1] if pruned is not None and pruned[0] is fnode else frozenset()
        if spans:
            out = [s for s in out if not within(s.node, spans)]
        dispatched = False
        fs = info.func_scopes.get(fnode)
        self_name = fs.self_name if fs is not None else None
        if self_name and recv is not None and recv.node is not cls.node:
            # a call of a method on `self` here was resolved for an object of `cls` (`self.infer(m)` in
            # `BaseLLM.batch_infer`: a facade over every implementation; `self._chat_completion(...)`: the
            # base's default); on an object of `recv` it runs `recv`'s, which the `self` calls reach below
            out = [s for s in out if not (s.kind in ("facade", "wrapper") and on_self(s.node.func, self_name))]
        if self_name:
            for other in self_calls(fnode, self_name):
                if other == getattr(fnode, "name", None):
                    continue
                guarded = self._guarded_call(recv or cls, other, fnode, fs, spans)  # type: ignore[arg-type]
                if guarded is False:
                    continue  # every call of it here is in a branch ruled out
                got, d = self._spend_targets(recv or cls, other, depth + 1, guarded if guarded is not True else None)
                out += got
                dispatched = dispatched or d
        return out, dispatched

    def _guarded_call(self, cls: ClassV, name: str, fnode: ast.AST, fs: "Scope",
                      spans: frozenset) -> "Pruned | bool":
        """What `fnode`'s calls `self.name(...)` rule out in the method they run on an object of `cls`
        (`guards`: branches guarded by a parameter's class, handed an object of an unrelated one):
        that method and the branches every such call rules out; False when every call lies in a
        branch of `fnode` itself ruled out (`spans`); True when nothing is ruled out."""
        calls = list(self_call_nodes(fnode, fs.self_name or "").get(name, ()))
        if spans:
            kept = [c for c in calls if not within(c, spans)]
            if calls and not kept:
                return False
            calls = kept
        found = self._method_in_chain(cls, name) if calls else None
        if found is None or not type_guards(found[1]):
            return True
        m = found[1]
        mscope = found[0].scope.module.func_scopes.get(m)
        common: Optional[frozenset] = None
        for c in calls:
            got = self.ruled_out(c, fs, m, mscope, skip_self=True)  # type: ignore[attr-defined]
            common = got if common is None else common & got
            if not common:
                return True
        return (m, common) if common else True

    def _fchain(self, cls: ClassV) -> Iterator[ClassV]:
        """`cls` and its project base classes; a base whose import cannot be followed (the project
        root set below the package) is taken by its name when one project class has that name."""
        return self._class_chain(cls, by_name=lambda b: self._named_class(decorator_name(b)))  # type: ignore[attr-defined]

    def _named_class(self, name: str) -> Optional[ClassV]:
        """The one project class called `name` that declares an abstract method, else None."""
        memo = self.__dict__.setdefault("_named_memo", {})
        if name in memo:
            return memo[name]
        found = []
        for ms in self._index()[2].get(name.encode(), ()):
            info = self.project.module_info(ms)
            if info is None:
                continue
            for node, cs in info.class_scopes.items():
                if node.name == name and any(isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))  # type: ignore[attr-defined]
                                             and is_abstract(m, node) for m in node.body):  # type: ignore[attr-defined]
                    found.append(ClassV(node, cs))  # type: ignore[arg-type]
        memo[name] = found[0] if len(found) == 1 else None
        return memo[name]

    def _method_in_chain(self, cls: ClassV, name: str) -> Optional[tuple[ClassV, ast.AST]]:
        for c in self._fchain(cls):
            m = method_of(c, name)
            if m is not None:
                return c, m
        return None

    def _declaring(self, cls: ClassV, name: str) -> Optional[ClassV]:
        """The topmost project class in `cls`'s chain defining method `name`."""
        top = None
        for c in self._fchain(cls):
            if method_of(c, name) is not None:
                top = c
        return top

    def _overrides_of(self, root: ClassV, name: str) -> list[ast.AST]:
        """The definitions of method `name` in the project classes below `root`."""
        return [n for c in self._subclasses(root) for n in c.node.body  # type: ignore[attr-defined]
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name]

    def _subclasses(self, root: ClassV) -> list[ClassV]:
        """Project classes deriving from `root`, transitively (read from class headers, capped)."""
        memo = self.__dict__.setdefault("_subclass_memo", {})
        got = memo.get(root.node)
        if got is not None:
            return got
        memo[root.node] = []
        out: list[ClassV] = []
        todo = [root]
        seen = {root.node}
        while todo and len(out) < MAX_SUBCLASSES:
            base = todo.pop(0)
            # a Protocol's implementations need not name it: those matching its shape derive from it too
            structural = self.structural_implementations(base) if is_protocol(base.node) else []  # type: ignore[attr-defined]
            for c in [*self._direct_subclasses(base), *structural]:
                if c.node not in seen:
                    seen.add(c.node)
                    out.append(c)
                    todo.append(c)
        memo[root.node] = out
        return out

    def _has_subclass(self, root: ClassV) -> bool:
        """Whether `_subclasses(root)` is non-empty, without its whole transitive search: from its memo,
        else from the first direct subclass found (modules naming the base are parsed until one
        derives from it) or a Protocol's structural implementations."""
        got = self.__dict__.get("_subclass_memo", {}).get(root.node)
        if got is not None:
            return bool(got)
        if any(c.node is not root.node for c in self._direct_subclasses(root)):
            return True
        return is_protocol(root.node) and bool(self.structural_implementations(root))  # type: ignore[attr-defined]

    def _defined_besides(self, name: str, ms) -> bool:  # type: ignore[no-untyped-def]
        """Whether the project's text may define a function `name` besides the one definition of it in
        module `ms` (from the project's function-name index, and `ms`'s text): when none does, no
        subclass overrides that method, and the subclasses need no search (nor their modules a parse)."""
        word = name.encode()
        if any(m is not ms for m in self._project_defs().get(word, ())):
            return True
        raw = getattr(ms, "raw", None)
        return raw is None or len(re.findall(rb"def\s+" + re.escape(word) + rb"\s*\(", raw)) > 1

    def _direct_subclasses(self, base: ClassV) -> Iterator[ClassV]:
        name = base.node.name.encode()
        for ms in self._modules_naming_base(name):
            info = self.project.module_info(ms)
            if info is None:
                continue
            for node, cs in info.class_scopes.items():
                parent = cs.parent or cs
                for b in node.bases:  # type: ignore[attr-defined]
                    if decorator_name(b) != base.node.name:
                        continue
                    v = self.infer(b, parent)  # type: ignore[attr-defined]
                    if isinstance(v, ClassV):
                        same = v.node is base.node
                    elif isinstance(v, Qual) and not self._project_package(v.qual):
                        # a library's class of the same name (`langchain...BaseChatModel`, which a project
                        # also copies into its own code): not the project class, whatever the name
                        same = False
                    else:
                        named = self._named_class(decorator_name(b))
                        same = named is not None and named.node is base.node
                    if same:
                        yield ClassV(node, cs)  # type: ignore[arg-type]
                        break

    def _modules_naming_base(self, name: bytes) -> list:
        return list(dict.fromkeys(self._index()[0].get(name, ())))

    def _index(self) -> tuple[dict[bytes, list], dict[bytes, list], dict[bytes, list]]:
        """From the project's source text: base class name -> modules with a class deriving from a
        class of that name (built when first needed); method name -> modules declaring a method of
        that name abstract; class name -> modules that may declare it as an abstract base (read
        once, from the files naming `abstractmethod`, `NotImplementedError` or `Protocol` only)."""
        got = self.__dict__.get("_facade_index")
        if got is None:
            abstract: dict[bytes, list] = {}
            named: dict[bytes, list] = {}
            for ms in self._sources():
                raw = ms.raw
                decorated, raises = b"abstractmethod" in raw, b"NotImplemented" in raw
                if not (decorated or raises or b"Protocol" in raw):
                    continue
                for m in _CLASS.finditer(raw):
                    named.setdefault(m.group(1), []).append(ms)
                if decorated:
                    for m in _ABSTRACT_DECORATED.finditer(raw):
                        abstract.setdefault(m.group(1), []).append(ms)
                if raises:
                    for name in _not_implemented(raw):
                        abstract.setdefault(name, []).append(ms)
                    for name in _raising_after_checks(raw):
                        abstract.setdefault(name, []).append(ms)
                if b"Protocol" in raw:  # a Protocol's members, written as stubs (`def chat(self, req): ...`)
                    for name in stub_methods(raw):
                        abstract.setdefault(name, []).append(ms)
            got = self.__dict__["_facade_index"] = (
                _LazyBases(self), {k: list(dict.fromkeys(v)) for k, v in abstract.items()}, named)
        return got

    def _project_defs(self) -> dict[bytes, list]:
        """Function name -> the project's modules whose text defines it (`def_index` of every readable
        module, built when first asked: one regex pass keyed on `def`, cheaper than a text search per name).
        A module added since (a long-lived Session's file outside its walk) is indexed when next asked,
        as `_project_package` rebuilds on the count of modules: each module is scanned once."""
        got = self.__dict__.get("_project_def_index")
        count = len(self.project.by_path)  # type: ignore[attr-defined]
        if got is None or self.__dict__["_project_def_count"] != count:
            self.__dict__["_project_def_count"] = count  # the modules it looked at
            read = self.__dict__.setdefault("_project_def_read", set())  # the modules it read
            got = self.__dict__.setdefault("_project_def_index", {})
            new = [ms for ms in self._sources() if id(ms) not in read]
            read.update(id(ms) for ms in new)
            for name, modules in def_index(new).items():
                got.setdefault(name, []).extend(modules)
        return got

    def _may_define(self, name: bytes) -> bool:
        """Whether some project module's text may define a function `name` (the function-name index,
        brought up to the modules the project holds, lists it): else no subclass writes it."""
        return name in self._project_defs()

    def _defs_among(self, modules) -> "DefsAmong":  # type: ignore[no-untyped-def]
        """`def_index(modules)`, read from the project's function-name index instead of a scan of its
        own (the facades' and overrides' indexes of a few hundred modules each are views of that one)."""
        return DefsAmong(self._project_defs(), list(modules), self.__dict__["_project_def_read"])

    def _sources(self) -> list:
        """The project's modules whose text can be read (the prefilter has read most already)."""
        out = []
        for ms in list(self.project.by_path.values()):
            if ms.raw is None:
                try:
                    ms.read()
                except Exception:  # noqa: BLE001 - an unreadable file declares nothing
                    continue
            if ms.raw is not None:
                out.append(ms)
        return out


def _fetched_from(func: ast.expr, scope: "Scope") -> Optional[ast.expr]:
    """The object a method called through a local was taken from: `x` of `stream = getattr(x,
    "chat_stream", None)` or `stream = x.chat_stream`, then `stream(...)` in the same function; else
    None. Called from a function nested there, it is the original a replacement wraps (`original =
    llm.ainvoke`, then `async def tracked(...): await original(...)` patched onto the object): the
    requests are the calls of the patched method, not this one."""
    if type(func) is not ast.Name:
        return None
    got = assigned(func.id, scope)  # type: ignore[attr-defined]
    if got is None or got[1] is not scope:
        return None
    v = got[0]
    if type(v) is ast.Attribute:
        return v.value  # type: ignore[attr-defined]
    if type(v) is ast.Call and type(v.func) is ast.Name and v.func.id == "getattr" and len(v.args) >= 2:  # type: ignore[attr-defined]
        return v.args[0]  # type: ignore[attr-defined]
    return None


def _not_implemented(raw: bytes) -> list[bytes]:
    """The names `_NOT_IMPLEMENTED.finditer(raw)` matches, found about four times faster: each header
    found, its statement is matched only where it can reach a `raise NotImplementedError` (a docstring
    followed by code far from any took the pattern 2,000 steps a method)."""
    out: list[bytes] = []
    pos = 0
    while True:
        m = _NOT_IMPLEMENTED_HEAD.search(raw, pos)
        if m is None:
            return out
        at = m.end()
        tail = None
        if raw.startswith(b"raise", at):
            tail = _NOT_IMPLEMENTED_TAIL.match(raw, at)
        elif raw.startswith((b'"""', b"'''"), at):
            # the raise follows a docstring closing 6 to 2,006 bytes on, then spaces only
            found = raw.find(b"NotImplemented", at + 12)
            if found >= 0 and (found <= at + 2012 or _SPACE_OR_RAISE.match(raw, at + 2006).end() >= found):
                tail = _NOT_IMPLEMENTED_TAIL.match(raw, at)
        if tail is None:
            pos = m.start() + 1  # as a search resumes: the next header may start inside this one
        else:
            out.append(m.group(1))
            pos = tail.end()


_RAISE_NOT_IMPLEMENTED = re.compile(rb"\n[ \t]+raise\s+NotImplemented(?:Error)?\b")
_DEF_HEAD = re.compile(rb"def\s+(\w+)\s*\(")


def _raising_after_checks(raw: bytes) -> list[bytes]:
    """Names of the methods whose body raises NotImplementedError after other statements (`message =
    "..."; raise NotImplementedError(message)`, argument checks), which `is_abstract` reads as stubs but
    `_not_implemented` (the raise first) does not see: the nearest `def` before each such raise. A
    superset: `_abstract_declarations` keeps only the methods the syntax tree shows abstract."""
    out: list[bytes] = []
    for m in _RAISE_NOT_IMPLEMENTED.finditer(raw):
        at = raw.rfind(b"def ", 0, m.start())
        head = _DEF_HEAD.match(raw, at) if at >= 0 else None
        if head is not None and head.group(1) not in out:
            out.append(head.group(1))
    return out


def def_index(modules) -> dict[bytes, list]:  # type: ignore[no-untyped-def]
    """Function name -> the modules (in the given order) whose text defines it (`def name(`), from one
    scan of each; the same names a per-name `def\\s+name\\s*\\(` search finds (non-ASCII ones too)."""
    got: dict[bytes, list] = {}
    for ms in modules:
        for m in _DEF_ANY.finditer(ms.raw):
            found = got.setdefault(m.group(1), [])
            if not found or found[-1] is not ms:
                found.append(ms)
    return got


def spending_method(site: CallSite):  # type: ignore[no-untyped-def]
    """The method scope holding a spending site (through the functions it defines), else None."""
    if not site.spends or site.kind not in SPENDING_KINDS or site.scope is None:
        return None
    fs = site.scope
    while fs is not None and not (fs.kind == "function" and fs.cls is not None):
        fs = fs.parent
    return fs


def on_super(call: ast.Call) -> bool:
    """Whether `call` calls a method on `super()` / `super(Cls, self)` (`super().chat(...)`)."""
    recv = call.func.value if isinstance(call.func, ast.Attribute) else None
    return isinstance(recv, ast.Call) and isinstance(recv.func, ast.Name) and recv.func.id == "super"


def is_self(e: ast.expr, scope) -> bool:  # type: ignore[no-untyped-def]
    s = scope
    while s is not None and (s.kind != "function" or s.name == "<lambda>"):
        s = s.parent
    return isinstance(e, ast.Name) and s is not None and e.id == s.self_name


def _one_shared_request(targets: list[CallSite]) -> bool:
    """Whether the implementations reached are two or more classes' wrappers of one and the same SDK
    request (retrievers each calling the project's one LLM gateway): they do not differ by provider or
    model, so their base dispatches to callers of that request, not to models (as objects of several
    classes sharing one request make a wrapper of it, `_union_call`). A facade below them
    (implementations handing the caller's model to one model interface) dispatches on its own: no."""
    reached = {(t.request.path, t.request.line, t.request.column) if t.kind == "wrapper" and t.request is not None
               else None for t in targets}
    return len({t.cls for t in targets}) >= 2 and len(reached) == 1 and None not in reached


def handed_models(targets: list[CallSite]) -> bool:
    """Whether every implementation reached runs a model object its caller hands it (`async def
    generate(self, llm, data): return await llm.agenerate_text(...)`, a prompt class over the LLM it
    is given), or hands that model on to a helper (`self.generate_multiple(llm=llm, ...)`): the
    implementations differ by prompt, not by provider, and the request is counted where the handed
    model is called (a facade or framework request), not again at each call of the prompt."""
    if not any(t.kind in ("facade", "request") for t in targets):
        return False
    by_id = {t.id: t for t in targets}
    for t in targets:
        if t.kind in ("facade", "request"):
            ok = isinstance(t.node, ast.Call) and isinstance(t.node.func, ast.Attribute) \
                and _handed_param(t.node.func.value, t) is not None
        else:  # a helper handed the model: the argument bound to the helper's own handed parameter
            ok = t.kind == "wrapper" and _hands_on(t, by_id)
        if not ok:
            return False
    return True


def _hands_on(t: CallSite, by_id: dict[str, CallSite]) -> bool:
    """Whether the helper call `t` (`self.generate_many(llm, data)`) binds a parameter of its own function
    to the parameter of the helper that the helper's request runs on (`async def generate_many(self, model,
    data): ... model.agenerate_text(...)`), by the helper's own signature, not by name."""
    under = by_id.get(t.target or "")
    if under is None or under.kind not in ("facade", "request") or not isinstance(t.node, ast.Call) \
            or not isinstance(under.node, ast.Call) or not isinstance(under.node.func, ast.Attribute):
        return False
    helper = enclosing_function(under.scope) if under.scope is not None else None
    param = _handed_param(under.node.func.value, under)
    dotted = helper.module.source.dotted if helper is not None else ""
    if helper is None or param is None or t.wrapper not in (helper.qualname, f"{dotted}.{helper.qualname}"):
        return False
    got = bind_args(helper.node, t.node, skip_self=helper.self_name is not None).get(param)
    return got is not None and _handed_param(got, t, bare=True) is not None


def _handed_param(e: ast.expr, site: CallSite, bare: bool = False) -> Optional[str]:
    """The parameter (not `self`) of the function around `site` that the receiver `e` is, or is an
    attribute of, directly or through one local name assigned from it (`ragas_llm = cast(BaseLLM,
    llm)`), else None. `bare`: `e` itself must be the name (an argument handing the model on)."""
    fs = enclosing_function(site.scope) if site.scope is not None else None
    while isinstance(e, ast.Attribute) and not bare:
        e = e.value
    if fs is None or not isinstance(e, ast.Name) or e.id == fs.self_name:
        return None
    if e.id in fs.params:
        return e.id
    got = assigned(e.id, fs)
    value = got[0] if got is not None and got[1] is fs else None
    if isinstance(value, ast.Call) and value.args and decorator_name(value.func) == "cast":
        value = value.args[-1]  # `cast(BaseLLM, llm)`
    ok = isinstance(value, ast.Name) and value.id in fs.params and value.id != fs.self_name
    return value.id if ok else None  # type: ignore[union-attr]


def _moved_from(e: ast.expr, moves: frozenset[str]) -> ast.expr:
    """The value a chain of device moves starts from (`tokenizer(text, ...).to("cuda")`, `ids.cuda()`)."""
    while isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr in moves:
        e = e.func.value
    return e


def _tensor_name(e: ast.expr) -> Optional[str]:
    """The name a passed value goes by: `input_ids`, `enc.input_ids`, `inputs["input_features"]`."""
    if isinstance(e, ast.Name):
        return e.id
    if isinstance(e, ast.Attribute):
        return e.attr
    if isinstance(e, ast.Subscript) and isinstance(e.slice, ast.Constant) and isinstance(e.slice.value, str):
        return e.slice.value
    return None


def _store_verb(name: str, targets: list[CallSite]) -> bool:
    """Whether `name` is a data verb (`add`, `search`, `delete`) whose implementations reach only embedding
    requests of model objects they hold: a store's interface (memory providers over a Postgres table
    embedding through the embedder it holds, a local Chroma), whose requests are counted inside."""
    return name in STORE_VERBS and all((t.held_object or _on_self_attribute(t)) and "embed" in t.api for t in targets)


def _on_self_attribute(site: CallSite) -> bool:
    """Whether a call site's receiver is an attribute of `self` (`self.llm(...)`, `self.llm.invoke(...)`)."""
    func = site.node.func if isinstance(site.node, ast.Call) else None
    for e in (func, func.value if isinstance(func, ast.Attribute) else None):
        if isinstance(e, ast.Attribute) and site.scope is not None and is_self(e.value, site.scope):
            return True
    return False


_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def name_words(name: str) -> list[str]:
    """`TTSProvider` -> ["tts", "provider"], `get_embedding` -> ["get", "embedding"]."""
    return [w.lower() for w in _WORD.findall(name)]


def counts_tokens(name: str, catalog: "SdkCatalog") -> bool:
    """Whether a method's name says it counts or splits tokens (catalog `[facades.token_counting]`:
    `get_num_tokens`, `count_tokens`, `get_token_ids`, `tokenize`): no request, whatever its
    implementations reach."""
    words = set(name_words(name))
    return bool(words & catalog.tokenizing_words) or \
        bool(words & catalog.token_words) and bool(words & catalog.counting_words)


def speaks_of_models(name: str, words: "frozenset[str]") -> bool:
    """Whether a name has a word of `words` (catalog `[facades] words`), also with an async "a"
    prefix (`aask`, `achat`) or at either end of a run of capitals (`LLMAPI`)."""
    return any(w in words or (w[:1] == "a" and w[1:] in words) for w in name_words(name) + acronym_words(name, words))


def named_for_models(name: str, words: "frozenset[str]", roles: "frozenset[str]", models: "frozenset[str]") -> bool:
    """Whether a class's name ends in a word of `words` (`ChatModel`, `BaseLLM`), or in a head noun of
    `roles` right after a word of `models`, one naming models and nothing else (`BaseModelClient`,
    `BaseVlmEngine`: a client of models, an engine running them; catalog `[facades] roles` and
    `role_models`), rather than merely holding one (`LLMTool`, `ModelRegistry`) or naming a messaging
    interface (`ChatAdapter`, `BotConnector`, `VoiceService`)."""
    got = name_words(name)
    return bool(got) and (speaks_of_models(got[-1], words) or len(got) > 1 and got[-1] in roles and got[-2] in models)


_ACRONYMS = re.compile(r"[A-Z]{4,}")


def acronym_words(name: str, words: "frozenset[str] | set[str]") -> list[str]:
    """The words of `words` (three letters or more) that begin or end a run of capitals naming two
    acronyms at once (`LLMAPI` -> ["llm"], `GPTClient`'s `GPTC` nothing): `name_words` keeps such a
    run whole."""
    out = []
    for run in _ACRONYMS.findall(name):
        low = run.lower()
        out += [w for w in words if len(w) >= 3 and len(low) - len(w) >= 2 and (low.startswith(w) or low.endswith(w))]
    return out


def methods_of(cnode: ast.AST) -> dict[str, ast.AST]:
    return {m.name: m for m in cnode.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))}  # type: ignore[attr-defined]


def reaching(methods: dict[str, ast.AST], start: str, targets: set[str]) -> bool:
    """Whether method `start` of a class (`methods`: its own, by name) is or reaches one of
    `targets` through the methods it calls on `self` (syntax only)."""
    seen, todo = set(), [start]
    while todo:
        cur = todo.pop()
        if cur in targets:
            return True
        m = methods.get(cur)
        if cur in seen or m is None or not m.args.args:  # type: ignore[attr-defined]
            continue
        seen.add(cur)
        todo.extend(self_calls(m, m.args.args[0].arg))  # type: ignore[attr-defined]
    return False


def _stored_attr(chain: list[ClassV], name: str) -> Optional[str]:
    """The instance attribute a call of `obj.name(...)` runs: `name` itself when no class of `chain`
    defines a method of that name, the attribute a `@property` returns (`return self._completion`),
    else None (a method is not a stored callable)."""
    for c in chain:
        m = method_of(c, name)
        if m is None:
            continue
        if not is_property(m) or not m.args.args:  # type: ignore[attr-defined]
            return None
        body = [st for st in m.body if not (isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant))]  # type: ignore[attr-defined]
        if len(body) == 1 and isinstance(body[0], ast.Return) and isinstance(body[0].value, ast.Attribute) \
                and isinstance(body[0].value.value, ast.Name) and body[0].value.value.id == m.args.args[0].arg:  # type: ignore[attr-defined]
            return body[0].value.attr
        return None
    return name


def method_of(cls: ClassV, name: str) -> Optional[ast.AST]:
    """The method `name` of a class: its last definition, the one Python keeps (the `@overload`
    stubs before an implementation declare signatures only)."""
    found = None
    for s in cls.node.body:
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == name:
            found = s
    return found


def is_abstract(fnode: ast.AST, cls: ast.ClassDef) -> bool:
    """`@abstractmethod`, or a body that ends by raising NotImplementedError with no `return` before,
    or a stub (`...`, `pass`, a docstring) in a class deriving from ABC or Protocol."""
    if any(decorator_name(d) == "abstractmethod" for d in fnode.decorator_list):  # type: ignore[attr-defined]
        return True
    body = code_of(fnode)
    if body and isinstance(body[-1], ast.Raise):
        # `raise NotImplementedError`, after some argument checks at most (no `return` on the way)
        exc = body[-1].exc
        exc = exc.func if isinstance(exc, ast.Call) else exc
        if (decorator_name(exc) in _NOT_IMPLEMENTED_NAMES if exc is not None else False) and \
                (len(body) == 1 or not any(isinstance(n, ast.Return) for st in body for n in ast.walk(st))):
            return True
    if is_stub(body):
        return any(decorator_name(b) in _ABC_BASES for b in cls.bases) or \
            any(k.arg == "metaclass" and decorator_name(k.value) == "ABCMeta" for k in cls.keywords)
    return False


def code_of(fnode: ast.AST) -> list[ast.stmt]:
    """A function's statements, its docstrings (string expressions) aside."""
    return [s for s in fnode.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)  # type: ignore[attr-defined]
                                          and isinstance(s.value.value, str))]


def is_stub(body: list[ast.stmt], returning: bool = False) -> bool:
    """Whether a function's code (`code_of`) does nothing: none, `pass` or `...`; with `returning`,
    also `return` / `return None` (a hook a base leaves for its subclasses to fill)."""
    if len(body) != 1:
        return not body
    st = body[0]
    return isinstance(st, ast.Pass) or (isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant)
                                        and st.value.value is Ellipsis) or \
        (returning and isinstance(st, ast.Return)
         and (st.value is None or isinstance(st.value, ast.Constant) and st.value.value is None))


# computed once per function node; weak keys: the entries go with the module's tree
_SELF_CALLS: "weakref.WeakKeyDictionary[ast.AST, list[str]]" = weakref.WeakKeyDictionary()


def _undeclared_self_calls(chain: list[ClassV]) -> set[str]:
    """Methods the bases in `chain` call on `self` that none of them declares (`LLM.chat` calling
    `self.send_message`, written only in subclasses): abstract in all but name (`_undeclared_targets`)."""
    declared: set[str] = set()
    called: set[str] = set()
    for c in chain:
        for m in c.node.body:  # type: ignore[attr-defined]
            if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)):
                declared.add(m.name)
                if m.args.args:
                    called.update(self_calls(m, m.args.args[0].arg))
    return called - declared


def self_calls(fnode: ast.AST, self_name: str) -> list[str]:
    """Names of the methods `fnode` calls on `self` (`self.name(...)`; `self(...)` is `__call__`), in order, once each; the
    methods of `self` it hands to a call, which runs them (`run_in_executor(None, self.embed, x)`,
    `Thread(target=self.generate)`);
    and names handed as a literal to a method of `self` or to `getattr(self, ...)`, which dispatch by
    name (`self._with_fallback("_raw_gen", ...)` whose body calls `getattr(self, method_name)`);
    and the methods a local name picks before it is handed on or called (`call = self._safe_stream if
    stream else self._safe_chat` ... `self._retry(call, kw)`).
    A literal naming no method of the class reaches nothing, so it costs only a lookup."""
    got = _SELF_CALLS.get(fnode)
    if got is not None:
        return got
    out: list[str] = []
    picked = _picked_methods(fnode, self_name)
    for n in ast.walk(fnode):
        if not isinstance(n, ast.Call):
            continue
        # a method of `self` handed to a call runs there (`run_in_executor(None, self.embed, texts)`,
        # `threading.Thread(target=self.generate, ...)`), also through a local name picking it
        handed = [a.attr for a in (*n.args, *(k.value for k in n.keywords))
                  if isinstance(a, ast.Attribute) and isinstance(a.value, ast.Name) and a.value.id == self_name]
        if picked:
            handed += [m for a in (*n.args, *(k.value for k in n.keywords), n.func)
                       if isinstance(a, ast.Name) for m in picked.get(a.id, ())]
        if isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name) and n.func.value.id == self_name:
            names = [n.func.attr] + _literal_names(n.args) + handed
        elif isinstance(n.func, ast.Name) and n.func.id == self_name:
            # `self(prompt)`: calling the object runs its class's `__call__`, as `self.__call__(prompt)`
            # would (a base's `invoke` reaching the `__call__` its subclasses implement)
            names = ["__call__"] + handed
        elif isinstance(n.func, ast.Name) and n.func.id == "getattr" and len(n.args) >= 2 \
                and isinstance(n.args[0], ast.Name) and n.args[0].id == self_name:
            names = _literal_names(n.args[1:2])
        elif handed:
            names = handed
        else:
            continue
        out.extend(name for name in names if name not in out)
    _SELF_CALLS[fnode] = out
    return out


def _picked_methods(fnode: ast.AST, self_name: str) -> dict[str, list[str]]:
    """Local names `fnode` binds only to methods of `self` (`call = self._safe_stream if stream else
    self._safe_chat`, `fn = self.embed`), with the methods each may hold; a name bound to anything
    else too is left out."""
    out: dict[str, list[str]] = {}
    other: set[str] = set()
    for n in ast.walk(fnode):
        if not (isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)):
            continue
        name = n.targets[0].id
        values = [n.value.body, n.value.orelse] if isinstance(n.value, ast.IfExp) else [n.value]
        attrs = [v.attr for v in values if isinstance(v, ast.Attribute) and isinstance(v.value, ast.Name)
                 and v.value.id == self_name]
        if len(attrs) == len(values):
            out.setdefault(name, []).extend(a for a in attrs if a not in out.get(name, ()))
        else:
            other.add(name)
    return {k: v for k, v in out.items() if k not in other}


_NESTED: "weakref.WeakKeyDictionary[ast.AST, list[ast.AST]]" = weakref.WeakKeyDictionary()


_SELF_CALL_NODES: "weakref.WeakKeyDictionary[ast.AST, dict[str, list[ast.Call]]]" = weakref.WeakKeyDictionary()


def self_call_nodes(fnode: ast.AST, self_name: str) -> dict[str, list[ast.Call]]:
    """The calls `self.name(...)` written in `fnode`, by method name (computed once per function node)."""
    got = _SELF_CALL_NODES.get(fnode)
    if got is None:
        got = {}
        for n in ast.walk(fnode):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name) \
                    and n.func.value.id == self_name:
                got.setdefault(n.func.attr, []).append(n)
        _SELF_CALL_NODES[fnode] = got
    return got


def nested_calls(fnode: ast.AST) -> list[ast.AST]:
    """The functions defined inside `fnode` (at any depth) that it calls by name and does not
    return (computed once per function node)."""
    got = _NESTED.get(fnode)
    if got is None and not _defines_functions(fnode):
        got = _NESTED[fnode] = []  # (most functions: no statement of theirs is a `def`, no walk)
    if got is None:
        defs, called, returned = [], set(), set()
        for n in ast.walk(fnode):
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n is not fnode:
                defs.append(n)
            elif isinstance(n, ast.Call) and isinstance(n.func, ast.Name):
                called.add(n.func.id)
            elif isinstance(n, ast.Return) and isinstance(n.value, ast.Name):
                returned.add(n.value.id)
        got = _NESTED[fnode] = [d for d in defs if d.name in called and d.name not in returned]  # type: ignore[attr-defined]
    return got


# the fields of a compound statement holding statements (or the handlers and cases that hold them)
_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def _defines_functions(fnode: ast.AST) -> bool:
    """Whether a `def` is among the statements inside function `fnode`, at any depth (in its blocks,
    those of its nested classes and functions, `except` handlers and `match` cases). A `def` is a
    statement, so the statements are all that is read: a fraction of the nodes `ast.walk` visits."""
    body = getattr(fnode, "body", None)
    todo = list(body) if isinstance(body, list) else []  # (a lambda's body is one expression)
    while todo:
        st = todo.pop()
        t = type(st)
        if t is ast.FunctionDef or t is ast.AsyncFunctionDef:
            return True
        for name in _BLOCKS:
            block = getattr(st, name, None)
            if block:
                todo.extend(block)
    return False


def on_self(func: ast.expr, self_name: str) -> bool:
    """Whether a call's callee runs a method of `self`: `self.name(...)`, or `self(...)` (its `__call__`)."""
    if isinstance(func, ast.Attribute):
        func = func.value
    return isinstance(func, ast.Name) and func.id == self_name


def _literal_names(args: list[ast.expr]) -> list[str]:
    """The string literals among `args` that could name a method (`"_raw_gen"`, not `"a b"`)."""
    return [a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)
            and a.value.isidentifier()]


class _LazyBases:
    """Base class name -> modules deriving from a class of that name, scanned on first use; with
    the names of the classes each module declares, read in the same scan."""

    def __init__(self, resolver: FacadeMixin) -> None:
        self._resolver = resolver
        self._index: Optional[dict[bytes, list]] = None
        self._declares: dict = {}  # module -> names of the classes it declares
        self._derived_defs: Optional[DefsAmong] = None
        self._base_defs: Optional[DefsAmong] = None

    def get(self, name: bytes, default=()):  # type: ignore[no-untyped-def]
        if self._index is None:
            index: dict[bytes, list] = {}
            for ms in self._resolver._sources():
                if b"class" not in ms.raw:
                    continue
                names = self._declares[ms] = []
                for m in _CLASS.finditer(ms.raw):
                    names.append(m.group(1))
                    for part in re.split(rb"[,\s]+", m.group(2) or b""):
                        last = part.rsplit(b".", 1)[-1].split(b"[", 1)[0]
                        if last:
                            index.setdefault(last, []).append(ms)
            self._index = index
        return self._index.get(name, default)

    def build(self) -> None:
        """Scan the class headers and index the derived modules' function names now: the engine calls
        this before it forks its workers, which then share one index instead of each building it."""
        self.derived_defining(b"")

    def derived_defining(self, name: bytes) -> list:
        """The modules declaring a class that derives from a class of a name the project declares,
        those whose text defines a function `name` (a function-name index of them, built once)."""
        if self._derived_defs is None:
            self.get(b"")
            declared = {n for names in self._declares.values() for n in names}
            derived = dict.fromkeys(ms for n in declared for ms in self._index.get(n, ()))  # type: ignore[union-attr]
            self._derived_defs = self._resolver._defs_among(derived)
        return self._derived_defs.get(name, [])

    def bases_defining(self, name: bytes) -> list:
        """The modules declaring a class some project class derives from (by name) whose text defines a
        function `name`: where a base's concrete method may be (a function-name index of those
        modules, built once from the class headers already read)."""
        if self._base_defs is None:
            self.get(b"")
            index = self._index or {}
            self._base_defs = self._resolver._defs_among(
                [ms for ms, names in self._declares.items() if any(n in index for n in names)])
        return self._base_defs.get(name, [])


class DefsAmong:
    """`def_index(modules)` as a view of the project's function-name index (`project_defs`, a
    `def_index` of every readable module): a name's modules are those of the project's among
    `modules`, in their order, listed when first asked. When `modules` holds one the project index
    did not read (added to the project since), it is `def_index(modules)` itself."""

    def __init__(self, project_defs: dict[bytes, list], modules: list, covered: set[int]) -> None:
        self._pos = {id(ms): i for i, ms in enumerate(modules)}
        if all(i in covered for i in self._pos):
            self._defs, self._memo = project_defs, {}
        else:
            self._defs, self._memo = {}, def_index(modules)

    def get(self, name: bytes, default=None):  # type: ignore[no-untyped-def]
        got = self._memo.get(name)
        if got is None and self._defs:
            pos = self._pos
            got = self._memo[name] = sorted((ms for ms in self._defs.get(name, ()) if id(ms) in pos),
                                            key=lambda ms: pos[id(ms)])
        return got if got else default

    def __contains__(self, name: bytes) -> bool:
        return bool(self.get(name))


def _keywords_refused(call: ast.Call, name: str, classes: list[ClassV]) -> bool:
    """Whether `call` passes a keyword that no definition of method `name` in `classes` (the declaring
    bases and their implementations) accepts, none taking `**kwargs`: a guess by the method's name alone
    is then wrong, the receiver is some other object with a method of that name (a Hugging Face model's
    `generate(..., max_new_tokens=...)`, not the project's `ModelBase.generate(prompt, max_tokens)`). No
    definition found is no evidence."""
    given = [k.arg for k in call.keywords if k.arg is not None]
    if not given:
        return False
    accepted, found, open_ended = _accepted_keywords(name, classes)
    return found and not open_ended and any(k not in accepted for k in given)


def _accepted_keywords(name: str, classes: list[ClassV]) -> tuple[set[str], bool, bool]:
    """The parameter names the definitions of method `name` in `classes` name, whether there is one,
    and whether one takes `**kwargs`."""
    accepted: set[str] = set()
    found = open_ended = False
    for c in classes:
        for st in c.node.body:
            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)) and st.name == name:
                open_ended = open_ended or st.args.kwarg is not None
                found = True
                accepted |= {a.arg for a in (*st.args.posonlyargs, *st.args.args, *st.args.kwonlyargs)}
    return accepted, found, open_ended

