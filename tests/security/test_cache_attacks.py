"""Cache files the repository cannot write for the gate: forged or committed ones change nothing.

Each attack commits cache files to a pull request's tree (named as tokenlint would name them: after
the published catalog's hash, the run key, a file's key) and runs the installed console script on a
fresh clone, as CI does. The gate must report exactly what `--no-cache` reports on the clean tree.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import time
from pathlib import Path
from typing import Callable

import pytest

from tests.security.clones import UNTAGGED_APP, Run, clone, gate, repository
from tokenlint import seal
from tokenlint.cache import Cache
from tokenlint.catalog import HERE as CATALOG
from tokenlint.project import Project
from tokenlint.replay import RACY_NS

TODAY = ("--today", "2026-12-01")
TREE = {
    **UNTAGGED_APP,
    "app/views.py": "from app.llm import client\nclient.responses.create(model='gpt-4o-latest', input='hi')\n",
}
CACHE = ".tokenlint_cache"
Forgery = Callable[[Path, bytes], None]  # (the cache folder, the key to seal with)


def new_key(home: Path) -> bytes:
    """A user's cache key, as tokenlint would create it in `home`."""
    folder = home / ".cache" / "tokenlint"
    folder.mkdir(parents=True, exist_ok=True)
    value = os.urandom(32)
    (folder / "key").write_text(value.hex() + "\n", encoding="ascii")
    os.chmod(folder / "key", 0o600)
    return value


def resealed(cache: Path, pattern: str, edit: Callable[[dict], dict], key: bytes) -> int:
    """Rewrite the JSON body of each cache file matching `pattern`, sealed with `key`."""
    n = 0
    for f in sorted(cache.glob(pattern)):
        if f.name.endswith(".state.json"):
            continue  # incremental state beside a run record, not the record
        rel = f.relative_to(cache).as_posix()
        body = f.read_bytes().partition(b"\n")[2]
        f.write_bytes(seal.signed(rel, json.dumps(edit(json.loads(body))).encode(), key))
        n += 1
    return n


def forged_catalogs(cache: Path, key: bytes) -> None:
    """Empty parsed catalogs named after the hash of the published catalog files: old-style (plain
    JSON, what the issue's attack committed) and sealed with `key`."""
    for name in ("sdks.toml", "models.toml"):
        digest = hashlib.sha256((CATALOG / name).read_bytes()).hexdigest()[:40]
        for rel, data in ((f"catalog-v1/{digest}.json", b"{}"),
                          (f"catalog-v2/{digest}.json", seal.signed(f"catalog-v2/{digest}.json", b"{}", key))):
            (cache / rel).parent.mkdir(parents=True, exist_ok=True)
            (cache / rel).write_bytes(data)


def empty_run_record(cache: Path, key: bytes) -> None:
    """The run records of the attacker's own run at the CI path, emptied: nothing seen, nothing found."""
    empty = {"folders": {}, "ignore_files": {}, "files": {}, "order": [], "results": {}}
    assert resealed(cache, "runs-v2/??/*.json", lambda d: {**d, **empty}, key)


def empty_entries(cache: Path, key: bytes) -> None:
    """Each file's result entry emptied (and no run record, so that the entries are what is read)."""
    shutil.rmtree(cache / "runs-v2", ignore_errors=True)
    assert resealed(cache, "v2/??/*.json", lambda d: {**d, "sites": [], "findings": []}, key)


ATTACKS: dict[str, tuple[Forgery, tuple[str, ...]]] = {
    "catalogs": (forged_catalogs, ("check", ".")),
    "empty-run-record": (empty_run_record, ("check", ".")),
    "entries-folder-run": (empty_entries, ("check", ".")),
    "entries-named-files": (empty_entries, ("check", "app/llm.py", "app/views.py")),
}


def settle() -> None:
    """Wait out the racy window: a run records nothing it saw change within it (as git's index),
    and a fresh clone's ctimes cannot be set back."""
    time.sleep(RACY_NS / 1e9 + 0.2)


def public_record(checkout: Path, args: tuple[str, ...]) -> None:
    """A run record under the name the gate will look up, computed from public inputs only (the
    settings, the CI path, the date): what an attacker can forge without a run of their own."""
    import datetime as dt

    from tokenlint.cache import settings_salt
    from tokenlint.config import load_config
    from tokenlint.engine import configured_rules
    from tokenlint.replay import FORMAT, run_key

    config = load_config(start=checkout)
    salt = settings_salt(config, dt.date.fromisoformat(TODAY[1]), [r.code for r in configured_rules(config)])
    paths = [Path(os.path.abspath(checkout / p)) for p in args[1:]]
    key = run_key(salt, checkout.absolute(), paths, True)
    doc = {"key": key, "format": FORMAT, "start_ns": 0, "folders": {}, "ignore_files": {}, "files": {},
           "order": [], "results": {}}
    rel = f"runs-v{FORMAT}/{key[:2]}/{key}.json"
    (checkout / CACHE / rel).parent.mkdir(parents=True, exist_ok=True)
    (checkout / CACHE / rel).write_bytes(seal.signed(rel, json.dumps(doc).encode()))


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class Workspace:
    """The runner's workspace: one fixed path every checkout is cloned to (as CI does, and as an
    attacker can rely on), the attacker's own runs there, and the clean tree's reports."""

    def __init__(self, where: Path) -> None:
        self.where = where
        self.ci = where / "ci" / "repo"
        self._raw: dict[tuple[str, ...], Path] = {}
        self._clean: dict[tuple[str, ...], Run] = {}
        self._n = 0

    def checkout(self, files: dict, cache: Path | None = None, commit_cache: bool = False) -> Path:
        """A fresh clone at the CI path of `files`, with `cache` committed or put back untracked (a CI
        cache restored from a run the attacker influenced)."""
        self._n += 1
        if commit_cache and cache is not None:
            files = {**files, **{f"{CACHE}/{rel}": data for rel, data in files_under(cache).items()}}
        origin = repository(self.where / f"origin{self._n}", files)
        shutil.rmtree(self.ci, ignore_errors=True)
        checkout = clone(origin, self.ci)
        if cache is not None and not commit_cache:
            shutil.copytree(cache, checkout / CACHE)
        return checkout

    def clean_report(self, args: tuple[str, ...]) -> Run:
        if args not in self._clean:
            got = gate(self.checkout(TREE), self.where / "clean-runner", *args, *TODAY, "--no-cache")
            assert got.code == 1 and "TKL101" in got.out
            self._clean[args] = got
        return self._clean[args]

    def forged(self, forge: Forgery, args: tuple[str, ...], key: bytes) -> Path:
        """The cache folder of the attacker's own run at the CI path (so every name is the one the
        gate will look up), forged and sealed with `key`."""
        if args not in self._raw:
            checkout = self.checkout(TREE)
            settle()
            assert gate(checkout, self.where / "attacker-home", *args, *TODAY).code == 1
            if not [p for p in (checkout / CACHE).glob("runs-v*/??/*.json") if not p.name.endswith(".state.json")]:
                # the run recorded nothing (something it saw changed within the racy window): the
                # attacker computes the record's name from public inputs instead, as the issue says
                public_record(checkout, args)
            self._raw[args] = self.where / f"raw{len(self._raw)}"
            shutil.move(str(checkout / CACHE), self._raw[args])
        self._n += 1
        out = self.where / f"forged{self._n}"
        shutil.copytree(self._raw[args], out)
        forge(out, key)
        return out


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return Workspace(tmp_path_factory.mktemp("runner-workspace"))


def warnings_of(run: Run) -> list[str]:
    return [line for line in run.err.splitlines() if "warning" in line]


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_a_committed_cache_is_never_read(workspace, tmp_path, attack):
    forge, args = ATTACKS[attack]
    expected = workspace.clean_report(args)
    checkout = workspace.checkout(TREE, workspace.forged(forge, args, os.urandom(32)), commit_cache=True)
    before = files_under(checkout / CACHE)
    runner = tmp_path / "runner"
    for _ in range(2):
        got = gate(checkout, runner, *args, *TODAY)
        assert (got.code, got.out) == (expected.code, expected.out)
        assert len(warnings_of(got)) == 1 and "git tracks files" in got.err
    assert files_under(checkout / CACHE) == before  # nor written
    assert set(files_under(runner)) <= {".cache/tokenlint/key"}  # nothing else outside the checkout


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_cache_files_sealed_with_another_key_are_ignored(workspace, tmp_path, attack):
    """The same forgeries, untracked: only the MAC stands between them and the gate. Sealed with the
    runner's own key they would pass (so they are aimed right); with any other key they are ignored,
    with one warning line however many files, and replaced by the runner's own."""
    forge, args = ATTACKS[attack]
    expected = workspace.clean_report(args)
    runner = tmp_path / "runner"
    runner_key = new_key(runner)

    control = gate(workspace.checkout(TREE, workspace.forged(forge, args, runner_key)), runner, *args, *TODAY)
    assert control.out != expected.out

    checkout = workspace.checkout(TREE, workspace.forged(forge, args, os.urandom(32)))
    settle()  # so that this run records (and replaces) what it ignored
    got = gate(checkout, runner, *args, *TODAY)
    assert (got.code, got.out) == (expected.code, expected.out)
    assert len(warnings_of(got)) == 1 and "not written by tokenlint with this user's key" in got.err
    again = gate(checkout, runner, *args, *TODAY)
    assert (again.out, warnings_of(again)) == (expected.out, [])  # rewritten under the runner's key


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



def _recording_worker(paths):  # type: ignore[no-untyped-def]
    """engine._worker, leaving the worker's pid behind (module level: the pool pickles it by name)."""
    (_recording_worker.pids / str(os.getpid())).touch()  # type: ignore[attr-defined]
    return _recording_worker.real(paths)  # type: ignore[attr-defined]


def test_results_from_worker_processes_are_sealed_with_the_same_key(tmp_path, monkeypatch):
    """Forked workers analyse, the parent seals: a later run verifies every entry (no warning) and
    restores all of them instead of analysing again."""
    import tokenlint.engine as engine
    from tokenlint.config import load_config

    app = tmp_path / "app"
    app.mkdir()
    (app / "pyproject.toml").write_text("[tool.tokenlint]\n", encoding="utf-8")
    for i in range(engine.PARALLEL_MIN_FILES + 4):
        (app / f"m{i}.py").write_text(f"import openai\nopenai.OpenAI().responses.create(model='gpt-4o', input='{i}')\n",
                                      encoding="utf-8")
    pids = tmp_path / "pids"
    pids.mkdir()
    monkeypatch.setattr(_recording_worker, "pids", pids, raising=False)
    monkeypatch.setattr(_recording_worker, "real", engine._worker, raising=False)
    monkeypatch.setattr(engine, "_worker", _recording_worker)
    cache, cfg = app / CACHE, load_config(start=app)
    cold = engine.analyse([app], cfg, root=app, cache_dir=cache, jobs=2)
    assert os.getpid() not in {int(p.name) for p in pids.iterdir()} and any(pids.iterdir())
    assert seal.warnings() == []
    shutil.rmtree(cache / "runs-v2")  # no replay: each file's entry is read
    monkeypatch.setattr(engine._Run, "file", lambda *a: pytest.fail("analysed again"))
    warm = engine.analyse([app], cfg, root=app, cache_dir=cache, jobs=2)
    assert [(f.path, f.code, f.row) for f in warm.findings] == [(f.path, f.code, f.row) for f in cold.findings]
    assert len(cold.findings) > engine.PARALLEL_MIN_FILES and seal.warnings() == []


def test_the_key_is_private_and_a_doubtful_key_means_no_cache(tmp_path, monkeypatch):
    def fresh_key(home: Path):  # type: ignore[no-untyped-def]
        monkeypatch.setenv("XDG_CACHE_HOME", str(home))
        monkeypatch.setattr(seal, "_key", None)
        monkeypatch.setattr(seal, "_key_problem", None)
        return seal.key()

    made = fresh_key(tmp_path / "a")
    path = tmp_path / "a" / "tokenlint" / "key"
    assert made is not None and len(made) == 32 and path.stat().st_mode & 0o777 == 0o600
    assert fresh_key(tmp_path / "a") == made  # read again, not made again
    (tmp_path / "b" / "tokenlint").mkdir(parents=True)
    os.symlink(path, tmp_path / "b" / "tokenlint" / "key")  # a link to a key: not this folder's key
    assert fresh_key(tmp_path / "b") is None and seal.key_problem()
    os.chmod(path, 0o620)
    assert fresh_key(tmp_path / "a") is None and "writable by you alone" in str(seal.key_problem())
    assert seal.read(tmp_path, "v2/ab/x.json") is None  # no key: no cache at all
