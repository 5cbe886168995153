"""What an item of a container literal is: a dict entry by key, a list element by index, a loop variable,
an item of the tuples a function returns."""

from __future__ import annotations

import ast
from dataclasses import replace

from tokenlint.resolve.frameworks import merge_runnables
from tokenlint.resolve.scope import (
    Scope,
    assigned,
    binding_of,
    decorator_name,
    declared_annotation,
    item_fills,
    return_values,
    slot_fills,
    statements,
)
from tokenlint.resolve.values import (
    UNKNOWN,
    ClassV,
    Client,
    Func,
    Instance,
    OneOf,
    Param,
    Qual,
    Runnable,
    Str,
    Value,
    first_useful,
    holds_client,
    join,
    returned_through,
    useful,
)

# a loop over (or an index into) a longer literal is not followed: a data table, not a set of clients
MAX_ELEMENTS = 256
# returns of a function read for the item of a tuple it returns
MAX_UNPACKED = 12
# containers whose declared item type an index reads (`dict[str, Generator]`, `list[Generator]`)
_MAPPINGS = frozenset({"dict", "Dict", "Mapping", "MutableMapping", "OrderedDict", "defaultdict"})
_LISTS = frozenset({"list", "List", "Sequence", "MutableSequence"})
_SEQUENCES = (ast.List, ast.Tuple, ast.Set)
# containers a loop over which gives their declared item type (`for r in self.rerankers:`)
_ITERABLES = _LISTS | {"set", "Set", "frozenset", "FrozenSet", "Iterable", "Collection", "tuple", "Tuple"}
# builtins whose result holds the items of their first argument (`for m in reversed(self.models)`)
_SAME_ITEMS = frozenset({"reversed", "sorted", "list", "tuple", "iter", "set", "frozenset"})


class ContainerMixin:
    """The `Resolver`'s reading of container literals (a mixin: entries are evaluated with `infer`,
    attributes followed with `ImportMixin._attr_def`)."""

    def _dict_item(self, container: ast.expr, key: ast.expr | None, scope: Scope) -> Value:
        """`CLIENTS["claude"]`, `self.clients.get(kind)`, `PROVIDERS[0]`, `REGISTRY[kind]["client"]`: the
        value of the dict (list, tuple) literal the container is bound to, for a key known here; for a
        key known only at run time, any of its entries when they are alike (`_registry_value`), else
        UNKNOWN. A dict's entries are its literal's and those its block adds (`REGISTRY[k] = Cls`)."""
        slot = self._slot_item(container, key, scope)
        if slot is not None:
            return slot
        dicts = self._dicts_of(container, scope)
        if dicts is None:
            found = self._container_node(container, scope)
            if found is None or type(found[0]) is ast.Dict:
                return UNKNOWN
            node, dscope = found
            index = _int_key(key)
            if index is not None:
                elts = node.elts  # type: ignore[attr-defined]
                if -len(elts) <= index < len(elts) and not any(type(e) is ast.Starred for e in elts):
                    return self.infer(elts[index], dscope)  # type: ignore[attr-defined]
                return UNKNOWN
            return self._any_member(node.elts, dscope, models=False)  # type: ignore[attr-defined]
        kv = self.infer(key, scope) if key is not None else UNKNOWN  # type: ignore[attr-defined]
        want = kv.value if isinstance(kv, Str) and kv.kind in ("literal", "constant") else None
        if want is not None and _guarded_key(key, container, scope):
            want = None  # `if kind not in REGISTRY: kind = "openai"`: the fallback is one key among all
        values = []
        for entries, dscope in dicts:
            for k, v in entries:
                if k is None:
                    return UNKNOWN  # {**other}: entries not all known
                if want is not None:
                    kk = self.infer(k, dscope)  # type: ignore[attr-defined]
                    if isinstance(kk, Str) and kk.value == want:
                        if len(dicts) == 1:
                            return self.infer(v, dscope)  # type: ignore[attr-defined]
                        values.append(self.infer(v, dscope))  # type: ignore[attr-defined]
                        break
                else:
                    values.append(self.infer(v, dscope))  # type: ignore[attr-defined]
        return self._registry_value(values)

    def _slot_item(self, container: ast.expr, key: ast.expr | None, scope: Scope) -> Value | None:
        """`self.tools["agent"]` (or `manager.tools["agent"]`) at a key written here: what the class's
        methods put in the dict held on that attribute under that key (`slot_fills`), as an attribute
        assigned in several methods holds (several objects of project classes: their interface, or any
        of them); None when no method puts anything there under that key (the dict is read as a literal).
        At a key known only at run time (`self.clients[name]`, `self.clients.get(name)`), any of the
        entries when every one is a client (`self.clients[name] = OpenAI(...)` in a loop), else None."""
        if type(container) is not ast.Attribute or key is None:
            return None
        kv = self.infer(key, scope)  # type: ignore[attr-defined]
        known = isinstance(kv, Str) and kv.kind in ("literal", "constant") and kv.value is not None
        base = self.infer(container.value, scope)  # type: ignore[attr-defined]
        if type(base) is not Instance:
            return None
        found = []
        for c in self._class_chain(base.cls):  # type: ignore[attr-defined]
            funcs = c.scope.module.func_scopes
            for k, v, fn in slot_fills(c.node).get(container.attr, ()):  # type: ignore[arg-type]
                if not known or type(k) is ast.Constant and k.value == kv.value or type(k) is not ast.Constant and \
                        _same_text(self.infer(k, funcs.get(fn) or c.scope), kv.value):  # type: ignore[attr-defined]
                    found.append((v, funcs.get(fn) or c.scope))
        if not found:
            return None
        values = []
        for v, vscope in found:
            mark = (id(v), "slot")
            if mark in self._in_progress:  # type: ignore[attr-defined]
                continue
            self._in_progress.add(mark)  # type: ignore[attr-defined]
            try:
                values.append(self.infer(v, vscope))  # type: ignore[attr-defined]
            finally:
                self._in_progress.discard(mark)  # type: ignore[attr-defined]
        if not known:
            return join(values) if values and all(isinstance(v, Client) for v in values) else None
        got = first_useful(values, merge_runnables)
        if type(got) is Instance:
            return self._common_instance(got, values)  # type: ignore[attr-defined]
        return UNKNOWN if got is None else got

    def _dicts_of(self, container: ast.expr, scope: Scope,
                  depth: int = 0) -> list[tuple[list[tuple[ast.expr | None, ast.expr]], Scope]] | None:
        """The entries (key, value) of the dict literals `container` may be, each with its scope: the one
        a name or attribute is bound to, with the entries its block adds by `NAME[key] = value`
        (`item_fills`); for an item of a registry of dicts (`REGISTRY[kind]`, `REGISTRY.get(kind)`),
        the dict at that key, or every dict entry when the key is known only at run time, also through a
        name bound to such an item (`conf = REGISTRY.get(kind)`). None when `container` is no dict literal."""
        outer: ast.expr | None = None
        if type(container) is ast.Subscript:
            outer, key = container.value, container.slice  # type: ignore[attr-defined]
        elif type(container) is ast.Call and type(container.func) is ast.Attribute \
                and container.func.attr == "get" and container.args:  # type: ignore[attr-defined]
            outer, key = container.func.value, container.args[0]  # type: ignore[attr-defined]
        if outer is not None:  # a registry of dicts: {"openai": {"client": ChatOpenAI, ...}, ...}
            above = self._dicts_of(outer, scope, depth + 1) if depth < 2 else None
            if above is None:
                return None
            kv = self.infer(key, scope)  # type: ignore[attr-defined]
            want = kv.value if isinstance(kv, Str) and kv.kind in ("literal", "constant") else None
            out = []
            for entries, dscope in above:
                for k, v in entries:
                    if k is None or want is not None and not (type(k) is ast.Constant and k.value == want):
                        continue
                    inner = (v, dscope) if type(v) is ast.Dict else self._container_node(v, dscope)
                    if inner is None or type(inner[0]) is not ast.Dict:
                        return None  # an entry that is no dict: not a registry of dicts
                    out.append((list(zip(inner[0].keys, inner[0].values)), inner[1]))  # type: ignore[attr-defined]
            return out or None
        if type(container) is ast.Name and depth < 2:  # conf = REGISTRY.get(kind); conf["client"]
            item = assigned(container.id, scope)
            if item is not None and (type(item[0]) is ast.Subscript or type(item[0]) is ast.Call):
                return self._dicts_of(item[0], item[1], depth + 1)
        found = self._container_node(container, scope)
        if found is None or type(found[0]) is not ast.Dict:
            return None
        node, dscope = found
        entries: list[tuple[ast.expr | None, ast.expr]] = list(zip(node.keys, node.values))  # type: ignore[attr-defined]
        if type(container) is ast.Name and dscope.node is not None:
            entries += item_fills(dscope.node).get(container.id, ())
            if dscope.kind == "module":
                return [(entries, dscope), *self._registered(container.id, dscope)]
        if type(container) is ast.Attribute and dscope.kind == "class":  # `cls._providers[kind]`
            return [(entries, dscope), *self._registered_in_class(container.attr, dscope)]
        return [(entries, dscope)]

    def _registered(self, name: str, mscope: Scope) -> list[tuple[list[tuple[ast.expr | None, ast.expr]], Scope]]:
        """The entries a module-level dict `name` gets through the module's registration functions, each
        with the scope of the call that registers it: `def register_client(kind, client): _clients[kind]
        = client` called as `register_client("openai", OpenAIClient())` (anywhere in the project), and a
        decorator factory `def register(kind): def add(cls): _clients[kind] = cls; ...` applied as
        `@register("openai")` to a class or function (the entry is the decorated definition). The calls
        are those the callers' index finds (`_uses`, memoized per function); memoized per dict."""
        memo = self.__dict__.setdefault("_registered_memo", {})
        key = (mscope.node, name)
        got = memo.get(key)
        if got is not None:
            return got
        got = memo[key] = []  # (a registration read again while its callers are inferred: nothing more)
        funcs = mscope.module.func_scopes
        for st in mscope.node.body:  # type: ignore[attr-defined]
            if type(st) is not ast.FunctionDef and type(st) is not ast.AsyncFunctionDef:
                continue
            inner = [n for n in st.body if type(n) is ast.FunctionDef or type(n) is ast.AsyncFunctionDef]
            for fn in (st, *inner):
                fills = item_fills(fn).get(name)
                fs = funcs.get(fn)
                if not fills or fs is None or name in fs.bindings:
                    continue  # no fill, or one of a local dict of that name
                outer = funcs.get(st)
                params = _param_names(fn)
                for k, v in fills:
                    if type(v) is not ast.Name or v.id not in params:
                        continue
                    if fn is st:  # register_client(kind, client): the value is an argument of the call
                        got += self._registered_by_calls(fs, k, v.id)
                    elif params and v.id == params[0] and outer is not None:  # @register(kind) on a definition
                        got += self._registered_by_decorators(outer, k)
        return got

    def _registered_in_class(self, attr: str, cscope: Scope) -> list[tuple[list[tuple[ast.expr | None, ast.expr]], Scope]]:
        """The entries a class attribute dict `attr` gets through the class's own registration methods,
        as `_registered` reads a module dict's: `cls._providers[kind] = provider_cls` in a classmethod
        called as `Registry.register_provider("openai", OpenAIProvider)`, or in the function a decorator
        factory method defines (`@Registry.register(Provider.MISTRAL)` on a class). The slot is the
        method's first parameter's attribute (`cls.` / `self.`) or the class's own name's. Memoized per dict."""
        memo = self.__dict__.setdefault("_registered_memo", {})
        key = (cscope.node, "." + attr)
        got = memo.get(key)
        if got is not None:
            return got
        got = memo[key] = []
        funcs = cscope.module.func_scopes
        cname = getattr(cscope.node, "name", "")
        for st in cscope.node.body:  # type: ignore[attr-defined]
            if type(st) is not ast.FunctionDef and type(st) is not ast.AsyncFunctionDef or not st.args.args:
                continue
            owners = {st.args.args[0].arg, cname}  # `cls._providers` / `self._providers` / `Registry._providers`
            inner = [n for n in st.body if type(n) is ast.FunctionDef or type(n) is ast.AsyncFunctionDef]
            for fn in (st, *inner):
                params = _param_names(fn)
                for node in statements(fn.body):
                    if type(node) is not ast.Assign:
                        continue
                    for t in node.targets:
                        slot = t.value if type(t) is ast.Subscript else None  # type: ignore[attr-defined]
                        v = node.value
                        if type(slot) is not ast.Attribute or slot.attr != attr or type(slot.value) is not ast.Name \
                                or slot.value.id not in owners or type(v) is not ast.Name or v.id not in params:
                            continue
                        fs = funcs.get(st)
                        if fs is None:
                            continue
                        if fn is st:  # register_provider(cls, kind, provider_cls): an argument of the call
                            got += self._registered_by_calls(fs, t.slice, v.id)  # type: ignore[attr-defined]
                        elif v.id == params[0]:  # @Registry.register(kind) on a definition
                            got += self._registered_by_decorators(fs, t.slice)  # type: ignore[attr-defined]
        return got

    def _registry_object_item(self, base: Instance, container: ast.expr, key: ast.expr, scope: Scope) -> Value:
        """`MODELS[kind]` on an object of a project registry class: its `__getitem__` returns an item of
        a dict attribute (`return self.entries[key]`) that its own methods fill from their arguments
        (`def register(self, key, cls): self.entries[key] = cls`), so the item is one of the entries the
        project's registration calls on that same object make (`MODELS.register("openai", ChatOpenAI)`,
        in a module or a class body; through a relay, what the relay's callers hand it): at a key written
        here, that entry; else any of them (`_registry_value`). UNKNOWN when the class defines no such
        `__getitem__`, the object's definition is not found, or a registration is not known (a relay
        nothing here calls adds nothing; one handed on out of sight, or too many calls: anything)."""
        target = self._bound_node(container, scope)
        if target is None:
            return UNKNOWN
        for c in self._class_chain(base.cls):  # type: ignore[attr-defined]
            getter = next((d for d in c.node.body if type(d) is ast.FunctionDef and d.name == "__getitem__"), None)
            if getter is None:
                continue
            attr = _returned_slot(getter)
            if attr is None:
                return UNKNOWN
            kv = self.infer(key, scope)  # type: ignore[attr-defined]
            want = kv.value if isinstance(kv, Str) and kv.kind in ("literal", "constant") else None
            values: list[Value] = []
            for fs, k, v in self._slot_setters(c, attr):
                uses = self._uses(fs)  # type: ignore[attr-defined]
                if uses is None:
                    return UNKNOWN
                for u in uses:
                    rec = u.rec.node
                    if type(rec) is not ast.Call or type(rec.func) is not ast.Attribute:
                        return UNKNOWN  # the method handed on, or called another way
                    bound = self._bound_node(rec.func.value, u.rec.scope)
                    if bound is None:
                        return UNKNOWN
                    if bound[0] is not target[0]:
                        continue  # another registry object of that class
                    if u.bound is None or u.starred or v not in u.bound:
                        return UNKNOWN
                    kexpr = u.bound.get(k.id) if type(k) is ast.Name else k
                    if want is not None and (kexpr is None or not _same_text(self.infer(kexpr, u.rec.scope), want)):  # type: ignore[attr-defined]
                        continue
                    got = self.infer(u.bound[v], u.rec.scope)  # type: ignore[attr-defined]
                    if type(got) is Param:  # a relay (`def register_model(cls, name, model_class)`):
                        relayed = self._relayed(got)  # what its callers hand it, when they are known
                        if relayed is None:
                            return UNKNOWN
                        values += relayed
                    else:
                        values.append(got)
            if not values or any(not useful(v) for v in values):
                return UNKNOWN
            return values[0] if len(values) == 1 else self._registry_value(values)
        return UNKNOWN

    @staticmethod
    def _slot_setters(c: ClassV, attr: str) -> list[tuple[Scope, ast.expr, str]]:
        """The methods of class `c` storing one of their parameters in `self.<attr>[key]`, each with the
        key expression and the stored parameter's name (`def register(self, key, cls): self.entries[key] = cls`)."""
        out = []
        funcs = c.scope.module.func_scopes
        for st in c.node.body:
            if type(st) is not ast.FunctionDef or len(st.args.args) < 2:
                continue
            me, params = st.args.args[0].arg, _param_names(st)
            fs = funcs.get(st)
            for node in statements(st.body):
                if type(node) is not ast.Assign or fs is None:
                    continue
                for t in node.targets:
                    slot = t.value if type(t) is ast.Subscript else None
                    if type(slot) is ast.Attribute and slot.attr == attr and type(slot.value) is ast.Name and \
                            slot.value.id == me and type(node.value) is ast.Name and node.value.id in params:
                        out.append((fs, t.slice, node.value.id))  # type: ignore[union-attr]
        return out

    def _bound_node(self, e: ast.expr, scope: Scope) -> tuple[ast.expr, Scope] | None:
        """The expression a name (through imports) or attribute is bound to, with its scope."""
        if isinstance(e, ast.Name):
            found = assigned(e.id, scope)
            if found is None:
                b = binding_of(e.id, scope)
                if b is not None and b[0] == "from":
                    found = self._import_def(b[0], b[1], b[2])  # type: ignore[attr-defined]
            return found
        if isinstance(e, ast.Attribute):
            return self._attr_def(e, scope)  # type: ignore[attr-defined]
        return None

    def _relayed(self, p: Param) -> list[Value] | None:
        """What the calls of the function whose parameter `p` is hand it (none when nothing calls it);
        None when its uses are not all known (handed on out of sight, too many, or the name too common)."""
        fs = p.scope
        if fs.kind != "function" or type(fs.node) not in (ast.FunctionDef, ast.AsyncFunctionDef):
            return None
        uses = self._uses(fs)  # type: ignore[attr-defined]
        if uses is None or any(u.bound is None or u.starred for u in uses):
            return None
        out = []
        for u in uses:
            if p.name in u.bound:
                out.append(self.infer(u.bound[p.name], u.rec.scope))  # type: ignore[attr-defined]
        return out

    def registering_modules(self, info, sites: list) -> set[str]:  # type: ignore[no-untyped-def]
        """Paths of the other project modules whose decorator factories register this module's spending
        classes or functions in a module dict (`@backend("openai") class OpenAIBackend` with `backend`
        filling `_backends`): their factories (`make_backend()`) return them, so the files importing those
        modules, which name no provider, are read too (the engine's prefilter). Read from this module's
        top-level definitions holding a site."""
        out: set[str] = set()
        lines = [s.line for s in sites if s.spends]
        if not lines:
            return out
        calls = []  # registration calls at the module's top level, and decorator calls on definitions
        for d in info.tree.body:  # holding a site
            if type(d) is ast.Expr and type(d.value) is ast.Call:
                calls.append(d.value)
            elif type(d) in (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef) and d.decorator_list and \
                    any(d.lineno <= ln <= (d.end_lineno or d.lineno) for ln in lines):
                calls += [dec for dec in d.decorator_list if type(dec) is ast.Call]
        for call in calls:
            f = self.infer(call.func, info.scope)  # type: ignore[attr-defined]
            if type(f) is not Func or f.scope.module is info or f.scope.parent is None or \
                    f.scope.parent.kind != "module":  # type: ignore[attr-defined]
                continue
            if self._fills_module_dict(f.node, f.scope.parent):  # type: ignore[attr-defined]
                out.add(f.scope.module.source.relpath)  # type: ignore[attr-defined]
        return out

    @staticmethod
    def _fills_module_dict(outer: ast.AST, mscope: Scope) -> bool:
        """Whether `outer` stores one of its parameters in a dict its module binds (`def register_client(
        kind, client): _clients[kind] = client`), or, a decorator factory, defines a function storing its
        first parameter so (`def add(cls): _backends[kind] = cls`)."""
        for fn in (outer, *getattr(outer, "body", ())):
            if type(fn) not in (ast.FunctionDef, ast.AsyncFunctionDef) or not fn.args.args:
                continue
            params = set(_param_names(fn)) if fn is outer else {fn.args.args[0].arg}
            for name, fills in item_fills(fn).items():
                if name in mscope.bindings and any(type(v) is ast.Name and v.id in params for _k, v in fills):
                    return True
        return False

    def _registered_by_calls(self, fs: Scope, k: ast.expr, value: str) -> list:
        """The (key, value) entries the calls of registration function `fs` make (see `_registered`)."""
        out = []
        for use in self._uses(fs) or ():  # type: ignore[attr-defined]
            if use.bound is None or value not in use.bound:
                continue
            kexpr = use.bound.get(k.id, k) if type(k) is ast.Name else k
            out.append(([(kexpr, use.bound[value])], use.rec.scope))
        return out

    def _registered_by_decorators(self, fs: Scope, k: ast.expr) -> list:
        """The (key, definition name) entries `@register(kind)` decorations make (see `_registered`)."""
        out = []
        for use in self._uses(fs) or ():  # type: ignore[attr-defined]
            if use.bound is None:
                continue
            for d in getattr(use.rec.scope.node, "body", ()):
                if type(d) in (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef) and \
                        any(x is use.rec.node for x in d.decorator_list):  # type: ignore[attr-defined]
                    kexpr = use.bound.get(k.id, k) if type(k) is ast.Name else k
                    ref = ast.Name(id=d.name, ctx=ast.Load())  # type: ignore[attr-defined]
                    ref.lineno, ref.col_offset = d.end_lineno or d.lineno, 0  # read after the definition
                    ref.end_lineno, ref.end_col_offset = ref.lineno, 0
                    out.append(([(kexpr, ref)], use.rec.scope))
        return out

    def _registry_value(self, values: list[Value]) -> Value:
        """The value of an item of a dict read at a key known only at run time, from its entries'
        `values`: any of them when all are clients; their interface when all are objects of project
        classes; the model classes among classes (a registry of classes, `REGISTRY[kind](**params)`: one
        binding over the catalogued ones); any of them when all are project classes or all project
        functions (a registry of classes, a table of handlers or bound methods, `self.handlers[name]`):
        a union whose call reaches what each member reaches; else the model objects among objects."""
        if values and all(isinstance(v, Client) for v in values):  # CLIENTS[kind]: any of them
            return join(values)
        if len(values) > 1 and all(type(v) is Instance for v in values):  # PROVIDERS[kind]: their interface,
            # or, for duck-typed classes sharing none (`{"openai": OpenAIClient(), "ollama": OllamaClient()}`),
            # any of them: a union whose method call reaches each class's method
            got = self._common_instance(values[0], values)  # type: ignore[attr-defined]
            return got if got is not values[0] else join(values)
        models = [v for v in values if self._model_class(v)]
        if models and all(type(v) is ClassV or type(v) is Qual and not v.called for v in values):
            # MODEL_CLASSES[kind]: a table of classes, called to build one of its model classes
            # (`{"openai": OpenAIEmbeddings, "debug": FakeEmbeddings}[name](**kw)`): one binding over
            # those, as for a class chosen on several branches (the others, a project's fake or
            # local class, send nothing counted)
            return join(models)
        if values and len(values) <= MAX_ELEMENTS and (all(type(v) is ClassV for v in values)
                                                       or all(type(v) is Func for v in values)):
            return join(values)  # REGISTRY[kind](...), self.handlers[name](...): any of them
        return _any_runnable(values)

    def _model_class(self, v: Value) -> bool:
        """Whether calling `v` builds a catalogued framework model object (a library model class)."""
        if type(v) is not Qual or v.called:  # type: ignore[attr-defined]
            return False
        con = self.catalog.constructors.get(self.catalog.canonical(v.qual))  # type: ignore[attr-defined]
        return con is not None and con.sdk in self.catalog.frameworks  # type: ignore[attr-defined]

    def _unpacked(self, call: ast.Call, index: int, scope: Scope) -> Value:
        """Item `index` of what a project function returns as a tuple (`return self.client, model`
        on each path: every client among them, as for a name bound on several branches)."""
        f = self.infer(call.func, scope)  # type: ignore[attr-defined]
        if not isinstance(f, Func):
            return UNKNOWN
        key = (f.node, index)
        if key in self._in_progress:  # type: ignore[attr-defined]
            return UNKNOWN
        self._in_progress.add(key)  # type: ignore[attr-defined]
        try:
            items = [r.elts[index] for r in list(return_values(f.node))[:MAX_UNPACKED]
                     if isinstance(r, ast.Tuple) and len(r.elts) > index and not any(type(x) is ast.Starred for x in r.elts)]
            got = first_useful((self.infer(item, f.scope) for item in items), merge_runnables)  # type: ignore[attr-defined]
        finally:
            self._in_progress.discard(key)  # type: ignore[attr-defined]
        if type(got) is Func or type(got) is OneOf:  # `complete, acomplete = make_pair(config)`: closures it made
            got = returned_through(got, f, call, scope)  # type: ignore[arg-type]
        return UNKNOWN if got is None else got

    def _declared_item(self, container: ast.expr, scope: Scope) -> Value:
        """`self.generators[name]` where `self.generators: dict[str, Generator]` (or a name declared
        `list[Generator]`): an object of the declared item type, else UNKNOWN."""
        ann, ascope = declared_annotation(container, scope)
        if not isinstance(ann, ast.Subscript):
            return UNKNOWN
        kind = decorator_name(ann.value).rpartition(".")[2]
        parts = ann.slice.elts if isinstance(ann.slice, ast.Tuple) else [ann.slice]
        if kind in _MAPPINGS and len(parts) == 2:
            return self._annotation(parts[1], ascope)  # type: ignore[attr-defined]
        if kind in _LISTS and len(parts) == 1:
            return self._annotation(parts[0], ascope)  # type: ignore[attr-defined]
        return UNKNOWN

    def _element(self, it: ast.expr, scope: Scope, path: tuple[int, ...] = ()) -> Value:
        """The value of a loop variable over `it` (`path`: its place in a tuple target, `for i, m in
        enumerate(models)` is (1,)): any of the clients or model objects of a list, tuple or set literal
        or of a dict literal's `.values()` / `.items()`, written there or bound to a name or attribute,
        else an object of the item type the container is declared with (`models: list[BaseChatModel]`);
        through the builtins that hand on the items (`enumerate`, `zip`, `reversed`, `sorted`, ...);
        else UNKNOWN."""
        if type(it) is ast.Call and it.args and type(it.func) is ast.Name and \
                not any(type(a) is ast.Starred for a in it.args) and binding_of(it.func.id, scope) is None:
            name = it.func.id
            if name == "enumerate":  # (index, item)
                return self._element(it.args[0], scope, path[1:]) if path[:1] == (1,) else UNKNOWN
            if name == "zip":  # (item of the first, item of the second, ...)
                return self._element(it.args[path[0]], scope, path[1:]) if path and path[0] < len(it.args) \
                    else UNKNOWN
            if name in _SAME_ITEMS:
                return self._element(it.args[0], scope, path)
        if type(it) is ast.Call and type(it.func) is ast.Attribute and it.func.attr in ("values", "items") \
                and not it.args and not it.keywords:
            if it.func.attr == "items":  # (key, value)
                if path[:1] != (1,):
                    return UNKNOWN
                path = path[1:]
            return UNKNOWN if path else self._mapping_value(it.func.value, scope)
        if path:
            return UNKNOWN  # an item unpacked further: not followed
        found = (it, scope) if type(it) in _SEQUENCES else self._container_node(it, scope)
        got = UNKNOWN
        if found is not None and type(found[0]) in _SEQUENCES:
            got = self._any_member(found[0].elts, found[1], objects=True)  # type: ignore[attr-defined]
        return got if got is not UNKNOWN else self._declared_element(it, scope)

    def _mapping_value(self, container: ast.expr, scope: Scope) -> Value:
        """Any value of the dict `container` stands for: of the dict literal it is bound to, else of the
        value type it is declared with (`models: dict[str, BaseChatModel]`)."""
        found = self._container_node(container, scope)
        if found is not None:
            return self._any_member(found[0].values, found[1]) if type(found[0]) is ast.Dict else UNKNOWN  # type: ignore[attr-defined]
        ann, ascope = declared_annotation(container, scope)
        parts = _declared_parts(ann, _MAPPINGS)
        return _held(self._annotation(parts[1], ascope)) if len(parts) == 2 else UNKNOWN  # type: ignore[attr-defined]

    def _declared_element(self, it: ast.expr, scope: Scope) -> Value:
        """A loop variable over a name or attribute declared a sequence (`rerankers: Sequence[BaseReranking]
        = []`, `stores: List[VectorStore]`, whatever its default, on a parameter, a class attribute or
        field, or `self.x` set from such a parameter): an object of the item type (a project class, a
        framework model object, a client), else UNKNOWN (the literal written as the default is one value
        among those set at run time)."""
        ann, ascope = declared_annotation(it, scope)
        parts = _declared_parts(ann, _ITERABLES)
        return _held(self._annotation(parts[0], ascope)) if len(parts) == 1 else UNKNOWN  # type: ignore[attr-defined]

    def _any_member(self, elts: list[ast.expr], scope: Scope, models: bool = True, objects: bool = False) -> Value:
        """Any of the clients, or (`models`) any of the framework model objects (merged), `elts`
        evaluate to, when every one is of that kind (`self.judges = [ChatOpenAI(...), ChatAnthropic(...)]`);
        (`objects`) an object of the project class they all are, or of the interface they share
        (`[self.model, self.fallback_model]`, both declared `ChatModelBase`); else UNKNOWN, as soon as
        one is none of these."""
        if not elts or len(elts) > MAX_ELEMENTS or any(type(e) is ast.Starred for e in elts):
            return UNKNOWN
        values = []
        for e in elts:
            v = self.infer(e, scope)  # type: ignore[attr-defined]
            if not (holds_client(v) or models and type(v) is Runnable or objects and type(v) is Instance):
                return UNKNOWN
            values.append(v)
        if all(holds_client(v) for v in values):
            return join(values)
        if all(type(v) is Runnable for v in values):
            return (merge_runnables(values) if len(values) > 1 else None) or values[0]  # type: ignore[arg-type]
        if all(type(v) is Instance for v in values):
            if len({v.cls.node for v in values}) == 1:  # type: ignore[attr-defined]
                return values[0]
            common = self._interface_of([v.cls for v in values])  # type: ignore[attr-defined]
            return Instance(common) if common is not None else UNKNOWN
        return UNKNOWN

    def _container_node(self, e: ast.expr, scope: Scope) -> tuple[ast.expr, Scope] | None:
        """The dict, list, tuple or set literal a name or attribute is bound to, with its scope."""
        if isinstance(e, ast.Name):
            found = assigned(e.id, scope)  # `table: dict[str, type] = {...}` too
            if found is None:  # `from app.registry import REGISTRY`: the literal where it is defined
                b = binding_of(e.id, scope)
                if b is not None and b[0] == "from":
                    found = self._import_def(b[0], b[1], b[2])  # type: ignore[attr-defined]
        elif isinstance(e, ast.Attribute):
            found = self._attr_def(e, scope)  # type: ignore[attr-defined]
        else:
            return None
        return found if found is not None and type(found[0]) in (ast.Dict,) + _SEQUENCES else None


def _param_names(fn: ast.AST) -> list[str]:
    """The names of a function's parameters, positional ones first in order."""
    a = fn.args  # type: ignore[attr-defined]
    return [p.arg for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)]


def _declared_parts(ann: ast.expr | None, kinds: frozenset[str]) -> list[ast.expr]:
    """The item types of a container annotation of one of `kinds` (`List[X]` -> [X], `dict[str, X]` ->
    [str, X]), through `Optional[...]` and a string annotation; [] for another annotation."""
    if isinstance(ann, ast.Constant) and isinstance(ann.value, str):
        try:
            ann = ast.parse(ann.value, mode="eval").body
        except SyntaxError:
            return []
    if isinstance(ann, ast.Subscript) and decorator_name(ann.value).rpartition(".")[2] == "Optional":
        ann = ann.slice
    if not isinstance(ann, ast.Subscript) or decorator_name(ann.value).rpartition(".")[2] not in kinds:
        return []
    parts = list(ann.slice.elts) if isinstance(ann.slice, ast.Tuple) else [ann.slice]
    if len(parts) == 2 and type(parts[1]) is ast.Constant and parts[1].value is Ellipsis:
        parts = parts[:1]  # `Tuple[X, ...]`
    return parts


def _held(v: Value) -> Value:
    """The item a declared container holds, when it is one a request can be made on (an object of a
    project class, a framework model object, a client); else UNKNOWN."""
    return v if type(v) in (Instance, Runnable, Client, OneOf) else UNKNOWN


def _any_runnable(values: list[Value]) -> Value:
    """An entry of a registry of objects of one role, some of them model objects or runners and the rest
    objects known here (`METRICS = {"judge": GEval(...), "exact": ExactMatchMetric()}`, read at a key known
    only at run time): the model objects, merged; a request on the item spends when the key picks one, so
    with others beside them it is "inferred" (`partial`). UNKNOWN when none is, or when an entry is not
    known (a parameter, a value read elsewhere: the registry may hold anything)."""
    held = [v for v in values if type(v) is Runnable]
    if not held or not all(type(v) is Runnable or type(v) is Instance or (type(v) is Qual and v.called)  # type: ignore[attr-defined]
                           for v in values):
        return UNKNOWN
    got = merge_runnables(held)  # type: ignore[arg-type]
    if got is None:
        return UNKNOWN
    return replace(got, partial=True) if len(held) < len(values) else got


def _guarded_key(key: ast.expr | None, container: ast.expr, scope: Scope) -> bool:
    """Whether the function reading `container[key]` first sends a key the container lacks to a default
    (`if provider not in PROVIDERS: provider = "openai"`, `PROVIDERS.keys()` too): the key is then any
    of the container's, the default being only the one an unknown name gets."""
    if type(key) is not ast.Name or scope.kind != "function":
        return False
    want = ast.dump(container)
    for st in statements(scope.node.body):  # type: ignore[attr-defined]
        if type(st) is not ast.If or type(st.test) is not ast.Compare or len(st.test.ops) != 1 or \
                type(st.test.ops[0]) is not ast.NotIn or type(st.test.left) is not ast.Name or st.test.left.id != key.id:
            continue
        where = st.test.comparators[0]
        if type(where) is ast.Call and type(where.func) is ast.Attribute and where.func.attr == "keys" and not where.args:
            where = where.func.value
        if ast.dump(where) == want and any(type(b) is ast.Assign and any(type(t) is ast.Name and t.id == key.id
                                                                          for t in b.targets) for b in st.body):
            return True
    return False


def _returned_slot(getter: ast.FunctionDef) -> str | None:
    """The attribute `a` of `def __getitem__(self, key): ... return self.a[key]` (its only return), else None."""
    if len(getter.args.args) != 2:
        return None
    me, param = getter.args.args[0].arg, getter.args.args[1].arg
    rets = [n for n in statements(getter.body) if type(n) is ast.Return]
    if len(rets) != 1:
        return None
    r = rets[0].value
    if type(r) is ast.Subscript and type(r.value) is ast.Attribute and type(r.value.value) is ast.Name \
            and r.value.value.id == me and type(r.slice) is ast.Name and r.slice.id == param:
        return r.value.attr
    return None


def _same_text(v: Value, text: str) -> bool:
    """Whether `v` is the literal or constant string `text` (a key written as a constant's name)."""
    return isinstance(v, Str) and v.kind in ("literal", "constant") and v.value == text


def _int_key(key: ast.expr | None) -> int | None:
    """The value of an integer index written here (`0`, `-1`), else None."""
    sign = 1
    if type(key) is ast.UnaryOp and type(key.op) is ast.USub:  # type: ignore[union-attr]
        key, sign = key.operand, -1  # type: ignore[union-attr]
    if type(key) is ast.Constant and type(key.value) is int:  # type: ignore[union-attr]
        return sign * key.value  # type: ignore[union-attr]
    return None
