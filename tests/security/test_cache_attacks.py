"""Cache files the repository cannot write for the gate: forged or committed ones change nothing.

Each attack commits cache files to a pull request's tree (named as tokenlint would name them: after
the published catalog's hash, the run key, a file's key) and runs the installed console script on a
fresh clone, as CI does. The gate must report exactly what `--no-cache` reports on the clean tree.
"""

from __future__ import annotations

import contextlib
import signal
from pathlib import Path

import pytest

from tokenlint.cache import Cache
from tokenlint.project import Project


@contextlib.contextmanager
def within(seconds: float):
    """Fail when the block takes longer than `seconds` (a bound on one call, to prove linear time)."""
    if not hasattr(signal, "setitimer"):
        pytest.skip("needs POSIX interval timers")

    def expired(signum, frame):  # type: ignore[no-untyped-def]
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def chain(root: Path, n: int, cycle_at: int = -1) -> Project:
    """m0 imports m1 imports ... m{n-1}; with `cycle_at`, the last module imports that one back."""
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        last = i + 1 == n
        body = f"import m{i + 1}\n" if not last else (f"import m{cycle_at}\n" if cycle_at >= 0 else "")
        (root / f"m{i}.py").write_text(body + f"X = {i}\n", encoding="utf-8")
    return Project(root, sorted(root.glob("m*.py")))


def keys(project: Project) -> dict[str, str]:
    cache = Cache(project.root / ".cache", "salt")
    return {ms.relpath: cache.key(ms, project) for ms in project.by_path.values()}  # type: ignore[misc]


def test_the_key_of_a_long_import_chain_takes_linear_time(tmp_path):
    """Hashing each file's whole closure took 3.7 s for a 2,000-module chain and grew with its square
    (10k files: 54 s); one digest per strongly connected component takes 0.2 s for 5,000."""
    project = chain(tmp_path / "app", 5000)
    with within(10):
        got = keys(project)
    assert len(set(got.values())) == 5000


def test_the_key_follows_every_module_of_the_closure_and_cycles(tmp_path):
    project = chain(tmp_path / "app", 6, cycle_at=3)  # m3 -> m4 -> m5 -> m3
    before = keys(project)
    assert len(set(before.values())) == 6  # a cycle's members share a closure, not a key
    (tmp_path / "app" / "m5.py").write_text("import m3\nX = 'changed'\n", encoding="utf-8")
    after = keys(Project(project.root, sorted(project.root.glob("m*.py"))))
    assert all(after[k] != before[k] for k in before)  # every module reaches m5
    (tmp_path / "app" / "m0.py").write_text("import m1\nX = 'changed'\n", encoding="utf-8")
    again = keys(Project(project.root, sorted(project.root.glob("m*.py"))))
    assert again["m0.py"] != after["m0.py"]
    assert all(again[k] == after[k] for k in after if k != "m0.py")  # nothing imports m0

