"""Which memoized facade answers are final: the same whichever facade of a loop was asked first.

A facade's spending targets (`FacadeMixin._spend_targets`) are found by following its implementations,
which may reach the facade again (an embeddings interface whose remote implementation calls a worker
that embeds through the interface). The facade asked again while still open answers what it had then
(nothing), so the answers worked out inside the loop depend on where the loop was entered: on the
order files are analysed in, which differs with the number of worker processes. The answers are made
independent of it as Tarjan's strongly connected components are found: a facade whose answer read an
open facade above it (or was cut by the nesting limit) is provisional, forgotten when that facade is
done; a facade that read its own open answer is worked out again from the answer it found until that
stops changing (a fixpoint), with the provisional answers and function sites of the round before
forgotten each time.
"""

from __future__ import annotations

from typing import Any, Callable

MAX_ROUNDS = 4  # rounds a loop's head is worked out again at most (answers usually settle in one)


class FacadeFixpoint:
    """The bookkeeping of the open facades (a mixin of the `Resolver`)."""

    _func_sites: dict
    _provisional: set

    def _fp_state(self) -> tuple[list, list, dict, set, list]:
        st = self.__dict__.get("_fp")
        if st is None:
            # open facades (a stack), the lowest stack index each one's answer read, each key's index,
            # the heads that read their own open answer, the provisional keys each index forgets at its end
            st = self.__dict__["_fp"] = ([], [], {}, set(), [])
        return st

    def fp_read_open(self, key: Any) -> None:
        """The facade on top of the stack read `key`'s answer while `key` is still open."""
        stack, low, at, heads, _ = self._fp_state()
        i = at.get(key)
        if i is None or not stack:
            return
        heads.add(key)
        low[-1] = min(low[-1], i)

    def fp_cut(self) -> None:
        """The facade on top of the stack was cut by the nesting limit: its answer, and those of the
        facades down to the one asked at depth 0, depend on how deep they were asked."""
        stack, low, _, _, _ = self._fp_state()
        for i in range(len(stack) - 1, -1, -1):
            if stack[i][1] == 0:
                low[-1] = min(low[-1], i)
                return

    def fp_solve(self, key: Any, memo: dict, compute: Callable[[], Any], signature: Callable[[Any], Any],
                 depth: int) -> Any:
        """`compute()` for the facade `key` (its stub answer already in `memo`), as a fixpoint when it
        reached itself; the answer is left in `memo` (provisional ones are forgotten later)."""
        stack, low, at, heads, pending = self._fp_state()
        idx = len(stack)
        stack.append((key, depth))
        low.append(idx)
        at[key] = idx
        pending.append([])
        prov_before = set(self._provisional)
        try:
            found = compute()
            rounds = 0
            while key in heads and low[idx] == idx and rounds < MAX_ROUNDS:
                heads.discard(key)
                if signature(found) == signature(memo[key]):
                    break
                memo[key] = found
                self._fp_forget(pending[idx], prov_before)
                found = compute()
                rounds += 1
        finally:
            stack.pop()
            mine = low.pop()
            del at[key]
            heads.discard(key)
            forget = pending.pop()
        memo[key] = found
        if mine < idx:  # read an open answer above: provisional until that one is done
            pending[mine].append((memo, key))
            pending[mine].extend(forget)
            low[-1] = min(low[-1], mine)
        else:
            self._fp_forget(forget, prov_before)
        return found

    def _fp_forget(self, keys: list, prov_before: set) -> None:
        """Forget the provisional answers `keys` ((memo, key) pairs), and the function sites worked out
        provisionally since `prov_before` (they read those answers): asked again, they are worked out
        from final ones."""
        for memo, k in keys:
            memo.pop(k, None)
        keys.clear()
        for owner in self._provisional - prov_before:
            self._func_sites.pop(owner, None)
            self._provisional.discard(owner)
