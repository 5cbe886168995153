"""Which calls run a method a project subclass overrides, as Python's method lookup would: the
dispatch `facades` follows besides abstract methods.

On an object known to be of a project class (not `self`), a method the base writes as a stub (`pass`,
`return None`, a docstring) or as a default the provider classes replace runs the subclass's own; a
call of it, or of a method reaching it through `self`, is a facade over what the overrides reach,
asked before the base's code is read as a wrapper. On a receiver of unknown type, a method the base
leaves out and two or more classes define below it (`class Engine: pass`, each engine's
`get_embeddings`) stands for them when its own name speaks of models. Overrides are found from the
project's text first (the modules deriving from the base, those defining the name), so a method
overridden nowhere costs no parse.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator, Optional

from tokenlint.features import without_vendor
from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.facades import (BUILTIN_METHODS, GENERIC_METHODS, SPENDING_KINDS, code_of, is_abstract,
                                       is_self, is_stub, method_of, methods_of, name_words, reaching,
                                       self_calls, spending_method)
from tokenlint.resolve.scope import Scope, enclosing_function
from tokenlint.resolve.site import CallSite
from tokenlint.resolve.values import ClassV, Func, Instance, Value

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.project import Project


class OverrideMixin:
    """The `Resolver`'s reading of overridden methods (a mixin: classes, subclasses, indexes and
    facade sites come from `FacadeMixin`, interfaces from `InterfaceMixin`)."""

    project: "Project"

    def _overriding_facade(self, rec: CallRecord, f: Func) -> Optional[CallSite]:
        """`llm.send_message(...)` on an object of a project class (not `self`) whose method, concrete
        in the base, runs (or calls on `self`) a method the project's subclasses override: a facade
        over what they reach, asked before the base's own code is read as a wrapper (Python runs the
        override). An abstract method on the way is `_facade`'s usual case, asked after wrappers."""
        func = rec.node.func
        if f.bound is None or not isinstance(func, ast.Attribute):
            return None
        if is_self(func.value, rec.scope):
            return self._overridden_self_call(rec, f)
        cls, name = f.bound.cls, f.node.name
        if self._reaches_abstract(cls, name, 0) or not self._reaches_override(cls, name, 0):  # type: ignore[attr-defined]
            return None
        if self._lone_specialisation(cls, name):
            return None  # a working class one subclass specialises: the base's own code runs (a wrapper)
        return self._facade(rec, f)  # type: ignore[attr-defined]

    def _lone_specialisation(self, cls: ClassV, name: str) -> bool:
        """Whether method `name` of `cls` is working code (more than a stub) that a single project
        subclass replaces, one not named after a provider (praisonai's `Agent.chat`, which
        `ImageAgent` alone overrides): an object of the base runs the base's own requests and the
        subclass is a specialisation, not one of several provider variants, so a call of it is the
        base's wrapper, not a facade. `AzureClient(OpenAIClient)` replacing `chat` is a variant.
        Memoized: every call of the method asks the same question."""
        memo = self.__dict__.setdefault("_lone_memo", {})
        key = (cls.node, name)
        got = memo.get(key)
        if got is None:
            got = memo[key] = self._specialised_once(cls, name)
        return got

    def _specialised_once(self, cls: ClassV, name: str) -> bool:
        """`_lone_specialisation`, unmemoized."""
        found = self._method_in_chain(cls, name)  # type: ignore[attr-defined]
        if found is None or is_abstract(found[1], found[0].node) or is_stub(code_of(found[1]), returning=True):
            return False  # an interface's declaration: its one implementation is the facade's
        if self._reaches_abstract(found[0], name, 0):  # type: ignore[attr-defined]
            return False  # a template method dispatching into an abstract one: the subclasses' variants
        args = getattr(found[1], "args", None)
        me = args.args[0].arg if args is not None and args.args else "self"
        if any(m != name and self._reaches_override(found[0], m, 1) for m in self_calls(found[1], me)):
            return False  # it runs a hook the provider classes replace (`send_message` -> `_chat_completion`)
        overriders = {}
        for sub in self._subclasses(found[0]):  # type: ignore[attr-defined]
            m = self._method_in_chain(sub, name)  # type: ignore[attr-defined]
            if m is not None and m[1] is not found[1]:
                overriders[id(m[1])] = m[0]
        if len(overriders) != 1:
            return False
        (owner,) = overriders.values()
        return without_vendor("_".join(name_words(owner.node.name))) is None

    def _overridden_self_call(self, rec: CallRecord, f: Func) -> Optional[CallSite]:
        """`self._create_completion(kwargs)` in a base whose own method sends a request and which a
        project subclass overrides with its own (`LiteLLMTranslator._create_completion` calling
        litellm): on an object of a subclass, Python runs the override, so the call reaches the base's
        request and the overrides': a wrapper site whose providers are all of theirs (the facade sites
        are the callers of the class's surface, which reach the overrides the same way), a facade when
        the private method implements an abstract one of a base (`_item_task`: no caller names it). A method
        reaching no request itself (a text hook a subclass replaces) or an abstract one (`_facade`'s
        case) gives nothing here. Only from a private method (`_item_task`, run by the base's own
        plumbing): a public one's self-call is the base's wrapper of its own request, as written."""
        owner = enclosing_function(rec.scope)
        if owner is None or not owner.name.startswith("_") or owner.name.endswith("__"):
            return None
        cls, name = f.bound.cls, f.node.name  # type: ignore[union-attr]
        found = self._method_in_chain(cls, name)  # type: ignore[attr-defined]
        if found is None or is_abstract(found[1], found[0].node):
            return None
        if not self._overridden(found[0], name, found[1]):  # (from the text first: most methods are not)
            return None
        if not self._held_sites(found[1], found[0].scope.module, SPENDING_KINDS):  # type: ignore[attr-defined]
            return None  # the base's own method sends nothing: a hook, not a request with variants
        targets, dispatched = self._spend_targets(cls, name, 0)  # type: ignore[attr-defined]
        if not dispatched or not targets:
            return None  # the overrides reach no request of their own
        site = self._facade_site(rec, targets, found[0], name)  # type: ignore[attr-defined]
        if not self._implements_abstract(owner):
            site.kind = "wrapper"
        return site

    def overridden_factory_value(self, chain: list[ClassV], owner: ClassV, value: ast.expr,
                                 scope: Scope) -> Optional[Value]:
        """`self.client = client or self.create_client()` written in a base `owner` and read on an object of
        the subclass `chain[0]` (its class chain): the template-method factory runs the subclass's own
        override (`create_client` returning `litellm`, `OpenAI(...)`), as Python's method lookup would,
        so the attribute holds what that override returns. None when the value calls no method on
        `self` that a class below `owner` in `chain` replaces (the base's own reading then stands)."""
        for e in _operands(value):
            if not (isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and is_self(e.func.value, scope)):
                continue
            found = self._method_in_chain(chain[0], e.func.attr)  # type: ignore[attr-defined]
            base = self._method_in_chain(owner, e.func.attr)  # type: ignore[attr-defined]
            if found is None or base is None or found[1] is base[1]:
                continue
            fs = found[0].scope.module.func_scopes.get(found[1])
            if fs is not None:
                return self._func_return(Func(found[1], fs, bound=Instance(chain[0])), e)  # type: ignore[attr-defined]
        return None

    def _implements_abstract(self, fs) -> bool:  # type: ignore[no-untyped-def]
        """Whether method scope `fs` implements a method a project base of its class declares abstract
        (`OpenAICampat._item_task` for `BaseTrans._item_task`): the base's own dispatch is the only way
        into it, so a request variant chosen inside it is a facade of its own."""
        if fs.cls is None:
            return False
        for c in list(self._fchain(ClassV(fs.cls.node, fs.cls)))[1:]:  # type: ignore[attr-defined]
            m = method_of(c, fs.name)
            if m is not None:
                return is_abstract(m, c.node)
        return False

    def _conventional_declarations(self, name: str) -> list[tuple[ClassV, ClassV]]:
        """Project classes defining method `name` below a project base that leaves it to convention
        (an empty marker `class Engine: pass`, or an interface not declaring it), each with the root
        of its project bases: an object of unknown type called `.name(...)` may be any of them."""
        memo = self.__dict__.setdefault("_conventional_memo", {})
        got = memo.get(name)
        if got is not None:
            return got
        out: list[tuple[ClassV, ClassV]] = []
        for cls in self._classes_defining(name, self._index()[0].derived_defining(name.encode())):  # type: ignore[attr-defined]
            chain = list(self._fchain(cls))  # type: ignore[attr-defined]
            if self._left_to_convention(chain, name):
                out.append((cls, chain[-1]))
        memo[name] = out
        return out

    def _conventional_methods(self, info, sites: list[CallSite]) -> set[str]:  # type: ignore[no-untyped-def]
        """Public methods holding a spending site in a class below a plain project base that leaves
        them to convention (`class Engine:` with no `generate`; `OpenAIEngine.generate` calls the SDK):
        a call on an object of the base may dispatch to them (`interfaces._duck_facade`)."""
        out: set[str] = set()
        for s in sites:
            fs = spending_method(s)
            if fs is None or fs.name in out or fs.name.startswith("_") or fs.name in GENERIC_METHODS \
                    or fs.name in BUILTIN_METHODS:
                continue
            chain = list(self._fchain(ClassV(fs.cls.node, fs.cls)))  # type: ignore[arg-type,attr-defined]
            if self._left_to_convention(chain, fs.name):
                out.add(fs.name)
        return out

    def _left_to_convention(self, chain: list[ClassV], name: str) -> bool:
        """Whether the project bases above a class (`chain`: it, then its bases) leave method `name`
        to convention: none defines it, and they are an interface (`_interface_like`: a plain base,
        or one declaring abstract methods)."""
        return len(chain) > 1 and all(method_of(c, name) is None for c in chain[1:]) and \
            self._interface_like(chain[1:])  # type: ignore[attr-defined]

    def _overriding_declarations(self, name: str) -> list[ClassV]:
        """Root project base classes (no project base above) defining method `name` concretely, whose call
        runs a method their project subclasses override (`BaseLLMModel.predict` calls
        `self.get_answer_stream_iter()`, a default each provider class replaces): an object of unknown
        type called `.name(...)` may be any of their subclasses. From the text of the modules declaring
        a class something derives from; memoized."""
        memo = self.__dict__.setdefault("_overriding_memo", {})
        got = memo.get(name)
        if got is not None:
            return got
        out: list[ClassV] = []
        for cls in self._classes_defining(name, self._index()[0].bases_defining(name.encode())):  # type: ignore[attr-defined]
            if len(list(self._fchain(cls))) > 1:  # type: ignore[attr-defined]
                continue  # not the root of its hierarchy: a method one branch adds (or overrides) is its own
            if self._has_subclass(cls) and self._reaches_override(cls, name, 0) \
                    and not self._lone_specialisation(cls, name):  # type: ignore[attr-defined]
                out.append(cls)
        memo[name] = out
        return out

    def _held_targets(self, cls: ClassV, name: str) -> list[CallSite]:
        """The spending sites method `name` of `cls` holds itself (in its body and the functions it
        defines and calls), not those of the other methods it calls on `self`: a conventional
        implementation is the request's own place (`get_embeddings` calling the SDK), not a setter
        or a batch driver that happens to reach one."""
        fnode = method_of(cls, name)
        if fnode is None:
            return []
        return self._held_sites(fnode, cls.scope.module, SPENDING_KINDS)  # type: ignore[attr-defined]

    def _classes_defining(self, name: str, modules: list) -> list[ClassV]:
        """The project classes defining a method `name` in `modules`: those whose text defines it, as
        a function-name index answers (`def_index`), each parsed here."""
        out: list[ClassV] = []
        for ms in modules:
            info = self.project.module_info(ms)
            if info is None:
                continue
            for node, cs in info.class_scopes.items():
                cls = ClassV(node, cs)  # type: ignore[arg-type]
                if method_of(cls, name) is not None:
                    out.append(cls)
        return out

    def _reaches_override(self, cls: ClassV, name: str, depth: int) -> bool:
        """Whether calling `cls`'s method `name` may run code of a project subclass, as Python's method
        lookup would: it meets an abstract method, or one a subclass of `cls` overrides (a stub body
        `pass` / `return None` / a docstring, or a default the provider classes replace), itself or
        through the methods it calls on `self` (read from the syntax, memoized)."""
        if self._reaches_abstract(cls, name, depth):  # type: ignore[attr-defined]
            return True
        return self._reaches("_override_memo", cls, name, depth,  # type: ignore[attr-defined]
                             lambda c, fnode: self._overridden(cls, fnode.name, fnode, c))

    def _overridden(self, cls: ClassV, name: str, fnode: ast.AST, holder: Optional[ClassV] = None) -> bool:
        """Whether a project subclass of `cls` defines its own method `name` (replacing `fnode`). The
        text of the modules deriving from a class of that name is asked first: most methods are
        overridden nowhere, and those modules are then not parsed for it. A subclass of a subclass is
        found only when a module deriving from `cls` itself names the method too."""
        word = name.encode()
        if not any(word in ms.raw for ms in self._modules_naming_base(cls.node.name.encode())):  # type: ignore[attr-defined]
            return False
        if not self._defined_besides(name, (holder or cls).scope.module.source):  # type: ignore[attr-defined]
            return False  # `fnode` (of `holder`, default `cls`) is the project's only method `name`
        for sub in self._subclasses(cls):  # type: ignore[attr-defined]
            found = self._method_in_chain(sub, name)  # type: ignore[attr-defined]
            if found is not None and found[1] is not fnode:
                return True
        return False

    def spending_classes(self, info,  # type: ignore[no-untyped-def]
                         sites: list[CallSite]) -> Iterator[tuple[list[ClassV], dict[str, ast.AST], set[str]]]:
        """For each class of this module with a method holding a spending site: its project bases (above
        it, nearest first), its own methods by name, and the names of those holding one."""
        spending: dict[ast.AST, set[str]] = {}  # class node -> its methods holding a spending site
        for s in sites:
            fs = spending_method(s)
            if fs is not None:
                spending.setdefault(fs.cls.node, set()).add(fs.name)
        for cnode, names in spending.items():
            cs = info.class_scopes.get(cnode)
            if cs is not None:
                yield list(self._fchain(ClassV(cnode, cs)))[1:], methods_of(cnode), names  # type: ignore[arg-type,attr-defined]

    def overriding_methods(self, info, sites: list[CallSite]) -> set[str]:  # type: ignore[no-untyped-def]
        """Names callers may use to reach this module's spending overrides of a project base's
        methods (`ClaudeAPI._chat_completion` replacing `LLMAPI`'s): the public, model-named ones, and
        the base's concrete surface reaching them (`LLMAPI.send_message`). The engine reads the files
        calling `.name(...)` for facade sites (files are analysed apart: this module alone is read)."""
        out: set[str] = set()
        for chain, own, names in self.spending_classes(info, sites):
            implemented = {n for n in own if any(method_of(c, n) is not None for c in chain)
                           and reaching(own, n, names)}
            for c in chain:
                base = methods_of(c.node)
                out |= {n for n in base if self._surface_name(n, c)  # type: ignore[attr-defined]
                        and (n in implemented or reaching(base, n, implemented))}
        return out


def _operands(e: ast.expr) -> list[ast.expr]:
    """`e` and, through `a or b` and `a if t else b`, the values it may take."""
    if isinstance(e, ast.BoolOp) and isinstance(e.op, ast.Or):
        return [x for v in e.values for x in _operands(v)]
    if isinstance(e, ast.IfExp):
        return _operands(e.body) + _operands(e.orelse)
    return [e]
