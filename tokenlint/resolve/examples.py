"""Whether a call of the project's own function is a library's example running the framework as its users do.

A framework analysed as itself ships example code beside its package (`examples/`, `contributing/samples/`,
`playground/`: folders named by catalog `[examples] words`). A call there of a public method of an object of
the package that reaches a request (`agent.run(...)`, `Runner(...).run()`, `rails.generate(...)`) is how a
user spends through the framework: a framework request site (study decision, round 13), not a wrapper of the
project's own code. A call of another example file's helper stays a wrapper call (the helper's own call of
the framework is the site), and so does a call into a private name (`_send`), which no user calls. A
module-level convenience function (`lib.run("task")`) stays a wrapper call too: the study's labels of
frameworks analysed as themselves count their examples' method calls on agents, runners and clients, and
leave such functions out (marvin's `marvin.run`: "public entry point, no extra site"; controlflow's `cf.run`).
"""

from __future__ import annotations

import re
from typing import Optional

_SPLIT = re.compile(r"[-_.\s]+")


def example_folder(relpath: str, words: frozenset[str]) -> Optional[str]:
    """The folder prefix of `relpath` (a "/"-separated project path) that is example code: the path up to
    and including the first folder one of whose words (split at `-`, `_`, `.`) is in `words`; None when no
    folder of the path is one."""
    parts = relpath.split("/")[:-1]
    for i, part in enumerate(parts):
        if any(w in words for w in _SPLIT.split(part.lower()) if w):
            return "/".join(parts[:i + 1])
    return None


def runs_the_framework(caller: str, callee: str, callee_is_package_module: bool, qualname: str, method: bool,
                       words: frozenset[str]) -> bool:
    """Whether a call in the file `caller` of the project function `qualname` defined in the file
    `callee` (both project-relative paths) is an example's call of its library's public entry: the caller
    is in an example folder, the callee a method (`method`) in a regular package outside every example
    folder, and no part of its qualified name is private."""
    if not method or not words or example_folder(caller, words) is None or example_folder(callee, words) is not None:
        return False
    if not callee_is_package_module:
        return False  # a script beside the examples (`run_demo.py` at the root) is no library
    return not any(part.startswith("_") and not part.startswith("__") for part in qualname.split("."))
