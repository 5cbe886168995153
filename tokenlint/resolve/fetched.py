"""Which calls of a method fetched from an interface's object by a name known only at run time reach its
implementations: `getattr(lm, reqtype)(requests)` on an object of a project base class, the name one of
the methods the base leaves to its subclasses.

The call may run any method the base leaves to its subclasses (abstract, not a property): it is a request
when two or more of them, and most, are facades over implementations that spend (an evaluation harness's
`LM` whose `loglikelihood`, `loglikelihood_rolling` and `generate_until` each call the provider, beside an
`apply_chat_template` hook that formats text): a facade site over those. A base most of whose abstract
methods send nothing (a store's `add` / `delete` / `search` over one embedding hook) gives nothing. A
literal name is the method's own call, read elsewhere (`_fetched_from` in facades)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional

from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.facades import is_abstract, methods_of
from tokenlint.resolve.scope import binding_of, is_property
from tokenlint.resolve.values import Instance

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.resolve.site import CallSite

MAX_NAMES = 8  # abstract methods a base may declare for a call by a run-time name to be read


class FetchedMixin:
    """The `Resolver`'s calls of methods fetched by a run-time name (a mixin: `_site_for` resolves the
    call of each candidate method, `_fchain` walks the object's project classes)."""

    def _fetched_by_name(self, rec: CallRecord) -> Optional["CallSite"]:
        """The facade site of `getattr(obj, name)(...)` when `name` is not a literal and most abstract
        methods of `obj`'s project classes (two or more) are facades over spending implementations, else None."""
        func = rec.node.func
        if type(func) is not ast.Call or type(func.func) is not ast.Name or func.func.id != "getattr" or \
                len(func.args) < 2 or isinstance(func.args[1], ast.Constant):
            return None  # most calls: no getattr called at once
        if binding_of("getattr", rec.scope) is not None:
            return None  # a project's own `getattr`
        obj = self.infer(func.args[0], rec.scope)  # type: ignore[attr-defined]
        if type(obj) is not Instance:
            return None
        names = sorted({n for c in self._fchain(obj.cls)  # type: ignore[attr-defined]
                        for n, m in methods_of(c.node).items()
                        if is_abstract(m, c.node) and not is_property(m) and not n.startswith("_")})
        if len(names) < 2 or len(names) > MAX_NAMES:
            return None
        sites = []
        for name in names:
            inner = ast.copy_location(ast.Call(func=ast.copy_location(ast.Attribute(value=func.args[0], attr=name,
                                                                                    ctx=ast.Load()), func),
                                               args=list(rec.node.args), keywords=list(rec.node.keywords)), rec.node)
            site = self._site_for(CallRecord(inner, rec.scope, rec.in_loop, rec.parent_call, rec.loop))  # type: ignore[attr-defined]
            if site is not None and site.kind == "facade":
                sites.append(site)
        if len(sites) < 2 or 2 * len(sites) <= len(names):
            return None  # names most of which may run a method sending nothing: not known to be a request
        site = sites[0]
        providers = sorted({p for s in sites for p in (s.providers or (s.provider,)) if p != "multi"})
        if len(providers) > 1:
            site.provider, site.providers = "multi", tuple(providers)
        site.alternatives = tuple(sorted({a for s in sites for a in s.alternatives}))
        site.node, site.tag_style = rec.node, None  # the name is chosen at run time; no tag goes through it
        # which request runs is chosen here, from the data the function reads (the kind of each queued
        # request): its callers, who hand the object, do not make a request by calling it (no wrapper)
        site.forwards = frozenset()
        return site
