"""Which calls of a project base's concrete method wrap the base's own hand-off into its abstract method
rather than being facade sites themselves: `provider.chat(q)` where `LLMProvider.chat` (which no
subclass replaces) runs `self._complete(...)`, abstract, which nothing outside the base calls.

The request varies at the hand-off, not at the call: `self._complete(...)` in `chat` is then the only way
into the implementations, and it is the facade site (`facades`); the callers of `chat` call the base's
ordinary code, as they would a wrapper. Where something else calls `_complete` on another object, the
hand-off is not the only way in and the callers' calls stay facades. A method a subclass overrides, or
one reaching (through `self`) a default a subclass replaces, dispatches at the call: not a hand-off.
Read from the syntax and the project's text only (memoized per class and method, per abstract name).
"""

from __future__ import annotations

import re
from typing import Optional

from tokenlint.resolve.facades import MAX_DISPATCH, is_abstract, self_calls
from tokenlint.resolve.values import ClassV


class HandoffMixin:
    """The `Resolver`'s reading of a base's hand-offs (classes, overrides and the project's text come
    from `FacadeMixin` and `OverrideMixin`)."""

    def hands_off_inside(self, cls: ClassV, name: str) -> bool:
        """Whether a call of `cls`'s method `name` wraps the base's own hand-off into abstract methods
        (see the module's docstring): `name` is concrete and replaced by no subclass, reaches on `self`
        at least one abstract method and no default a subclass replaces, and no abstract method it
        reaches is called on another object anywhere in the project."""
        memo = self.__dict__.setdefault("_handoff_memo", {})
        key = (cls.node, name)
        if key not in memo:
            memo[key] = False  # (a method reaching itself: no hand-off while it is asked)
            reached = self._abstract_reached(cls, name)
            memo[key] = bool(reached) and not any(self._called_on_others(a) for a in reached)
        return memo[key]

    def _abstract_reached(self, cls: ClassV, name: str) -> Optional[set[str]]:
        """The abstract methods calling `cls`'s concrete method `name` reaches on `self`; None when the
        method is abstract itself, or it or a method it reaches on the way is one a subclass replaces."""
        found = self._method_in_chain(cls, name)  # type: ignore[attr-defined]
        if found is None or is_abstract(found[1], found[0].node):
            return None
        out: set[str] = set()
        todo, seen = [(name, 0)], set()
        while todo:
            n, depth = todo.pop()
            if n in seen or depth > MAX_DISPATCH:
                continue
            seen.add(n)
            got = self._method_in_chain(cls, n)  # type: ignore[attr-defined]
            if got is None:
                continue
            c, fnode = got
            if is_abstract(fnode, c.node):
                out.add(n)
                continue
            if self._overridden(c, n, fnode):  # type: ignore[attr-defined]
                return None  # dispatched at the call: a subclass runs its own
            args = fnode.args.args  # type: ignore[attr-defined]
            if args:
                todo += [(o, depth + 1) for o in self_calls(fnode, args[0].arg)]
        return out

    def _called_on_others(self, name: str) -> bool:
        """Whether the project's text calls a method `name` on something other than `self`, `cls` or
        `super()` (`provider._complete(...)`, `get_llm()._complete(...)`). Memoized per name."""
        memo = self.__dict__.setdefault("_called_on_others_memo", {})
        if name in memo:
            return memo[name]
        word = name.encode()
        call = re.compile(rb"(super\(\)|\w+|[)\]])\s*\.\s*" + re.escape(word) + rb"\s*\(")
        memo[name] = any(m.group(1) not in _OWN_RECEIVERS
                         for ms in self._sources() if word in ms.raw  # type: ignore[attr-defined]
                         for m in call.finditer(ms.raw))
        return memo[name]


# receivers whose call of a method is the class's own plumbing, not an outside caller's
_OWN_RECEIVERS = (b"self", b"cls", b"super()")
