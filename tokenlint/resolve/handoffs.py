"""Which calls of a project base's concrete method wrap the base's own hand-off into its abstract method
rather than being facade sites themselves: `provider.chat(q)` where `LLMProvider.chat` (which no
subclass replaces) runs `self._complete(...)`, abstract.

The request varies at the hand-off, not at the call: `self._complete(...)` in `chat` is the facade site
(`facades`), and the callers of `chat` call the base's ordinary code, as they would a wrapper (one site
per way in, never both: the labelling convention since round 3). A method a subclass overrides, or one
reaching through `self` a default a subclass replaces, dispatches at the call: no hand-off. Nor is one
handing the abstract method to a helper (`self._retry(self.chat, ...)`): the hand-off is then no call
of it, and the callers' call stays the facade. Read from the syntax only (memoized per class and method).
"""

from __future__ import annotations

import ast
from typing import Optional

from tokenlint.resolve.facades import MAX_DISPATCH, is_abstract, self_calls
from tokenlint.resolve.values import ClassV


class HandoffMixin:
    """The `Resolver`'s reading of a base's hand-offs (classes and overrides come from `FacadeMixin`
    and `OverrideMixin`)."""

    def hands_off_inside(self, cls: ClassV, name: str) -> bool:
        """Whether a call of `cls`'s method `name` wraps the base's own hand-off into abstract methods
        (see the module's docstring): `name` is concrete and replaced by no subclass, and reaches on
        `self`, by calling them, abstract methods only (no default a subclass replaces)."""
        memo = self.__dict__.setdefault("_handoff_memo", {})
        key = (cls.node, name)
        if key not in memo:
            memo[key] = False  # (a method reaching itself: no hand-off while it is asked)
            memo[key] = self._hand_off(cls, name)
        return memo[key]

    def _hand_off(self, cls: ClassV, name: str) -> bool:
        found = self._method_in_chain(cls, name)  # type: ignore[attr-defined]
        if found is None or is_abstract(found[1], found[0].node):
            return False
        reached = False
        todo: list[tuple[str, int, bool]] = [(name, 0, True)]
        seen: set[str] = set()
        while todo:
            n, depth, called = todo.pop()
            if n in seen or depth > MAX_DISPATCH:
                continue
            seen.add(n)
            got = self._method_in_chain(cls, n)  # type: ignore[attr-defined]
            if got is None:
                continue
            c, fnode = got
            if is_abstract(fnode, c.node):
                if not called:
                    return False  # handed to a helper, or named to `getattr`: no call of it to be the site
                reached = True
                continue
            if self._overridden(c, n, fnode):  # type: ignore[attr-defined]
                return False  # dispatched at the call: a subclass runs its own
            args = fnode.args.args  # type: ignore[attr-defined]
            if args:
                direct = called_on(fnode, args[0].arg)
                todo += [(o, depth + 1, o in direct) for o in self_calls(fnode, args[0].arg)]
        return reached


def called_on(fnode: ast.AST, self_name: str) -> set[str]:
    """The methods `fnode` calls on `self` by name (`self.name(...)`), not those it hands on."""
    return {n.func.attr for n in ast.walk(fnode)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            and isinstance(n.func.value, ast.Name) and n.func.value.id == self_name}
