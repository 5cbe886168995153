"""The output is a function of the project alone: a project large enough to be split between workers
gives byte-identical `inventory --format json` and `check --format json` with `-j 1`, `-j 2`, and with
its files analysed in any order. Its facades form a loop (an embeddings interface whose remote
implementation asks a worker manager, whose manager calls one of its own methods that runs a model
worker, which embeds through the interface again), whose answers used to depend on where the loop was
entered first, which differs with the files each worker process analyses first (resolve/frames.py).
The shape is the loop seen on db-gpt, in code of our own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from projects import shuffle_analysis

from tokenlint import engine
from tokenlint.engine import PARALLEL_MIN_FILES

LOOP = {
    "app/__init__.py": "",
    "app/emb/__init__.py": "",
    "app/cluster/__init__.py": "",
    "app/users/__init__.py": "",
    "app/emb/base.py": ("from abc import ABC, abstractmethod\n"
                        "\n"
                        "\n"
                        "class Embeddings(ABC):\n"
                        "    @abstractmethod\n"
                        "    def embed_documents(self, texts):\n"
                        "        ...\n"
                        "\n"
                        "    @abstractmethod\n"
                        "    def embed_query(self, text):\n"
                        "        ...\n"),
    "app/emb/openai_emb.py": ("from openai import OpenAI\n"
                              "\n"
                              "from app.emb.base import Embeddings\n"
                              "\n"
                              "\n"
                              "class OpenAIEmbeddings(Embeddings):\n"
                              "    def __init__(self):\n"
                              "        self.client = OpenAI()\n"
                              "\n"
                              "    def embed_documents(self, texts):\n"
                              "        return self.client.embeddings.create(model='text-embedding-3-small', input=texts)\n"
                              "\n"
                              "    def embed_query(self, text):\n"
                              "        return self.embed_documents([text])[0]\n"),
    # the remote embeddings ask a manager, whose worker embeds through the interface again: a loop
    "app/emb/remote.py": ("from app.cluster.manager import WorkerManager\n"
                          "from app.emb.base import Embeddings\n"
                          "\n"
                          "\n"
                          "class RemoteEmbeddings(Embeddings):\n"
                          "    def __init__(self, manager: WorkerManager):\n"
                          "        self.manager = manager\n"
                          "\n"
                          "    def embed_documents(self, texts):\n"
                          "        return self.manager.sync_embeddings({'input': texts})\n"
                          "\n"
                          "    def embed_query(self, text):\n"
                          "        return self.embed_documents([text])[0]\n"),
    "app/cluster/manager.py": ("from abc import ABC, abstractmethod\n"
                               "\n"
                               "\n"
                               "class WorkerManager(ABC):\n"
                               "    @abstractmethod\n"
                               "    def sync_embeddings(self, params):\n"
                               "        ...\n"
                               "\n"
                               "    @abstractmethod\n"
                               "    def embeddings(self, params):\n"
                               "        ...\n"),
    "app/cluster/local.py": ("from app.cluster.manager import WorkerManager\n"
                             "from app.cluster.worker import ModelWorker\n"
                             "\n"
                             "\n"
                             "class LocalWorkerManager(WorkerManager):\n"
                             "    def __init__(self, worker: ModelWorker):\n"
                             "        self.worker = worker\n"
                             "\n"
                             "    def sync_embeddings(self, params):\n"
                             "        return self.embeddings(params)\n"
                             "\n"
                             "    def embeddings(self, params):\n"
                             "        return self.worker.embeddings(params)\n"),
    "app/cluster/worker.py": ("from abc import ABC, abstractmethod\n"
                              "\n"
                              "\n"
                              "class ModelWorker(ABC):\n"
                              "    @abstractmethod\n"
                              "    def embeddings(self, params):\n"
                              "        ...\n"),
    "app/cluster/emb_worker.py": ("from app.cluster.worker import ModelWorker\n"
                                  "from app.emb.base import Embeddings\n"
                                  "\n"
                                  "\n"
                                  "class EmbeddingsWorker(ModelWorker):\n"
                                  "    def __init__(self, model: Embeddings):\n"
                                  "        self.model = model\n"
                                  "\n"
                                  "    def embeddings(self, params):\n"
                                  "        return self.model.embed_documents(params['input'])\n"),
}

USER = ("from app.cluster.manager import WorkerManager\n"
        "from app.cluster.worker import ModelWorker\n"
        "from app.emb.base import Embeddings\n"
        "\n"
        "\n"
        "def index_{n}(emb: Embeddings, texts):\n"
        "    return emb.embed_documents(texts)\n"
        "\n"
        "\n"
        "def ask_{n}(emb: Embeddings, text):\n"
        "    return emb.embed_query(text)\n"
        "\n"
        "\n"
        "def sync_{n}(manager: WorkerManager, texts):\n"
        "    return manager.sync_embeddings({{'input': texts}})\n"
        "\n"
        "\n"
        "def work_{n}(worker: ModelWorker, texts):\n"
        "    return worker.embeddings({{'input': texts}})\n")

USERS = PARALLEL_MIN_FILES + 12  # more candidates than a serial round takes: split between workers


def _project(root: Path) -> Path:
    files = dict(LOOP)
    for n in range(USERS):
        files[f"app/users/use_{n:03d}.py"] = USER.format(n=n)
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def _outputs(run, root: Path, jobs: str) -> tuple[str, str]:
    inv = run(root, "inventory", "--no-cache", "-j", jobs, "--format", "json", ".")
    assert inv.exit_code == 0, inv.stderr
    chk = run(root, "check", "--no-cache", "--exit-zero", "-j", jobs, "--format", "json", ".")
    assert chk.exit_code == 0, chk.stderr
    return inv.stdout, chk.stdout


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> tuple[Path, tuple[str, str]]:
    """The project and its output with one process, files in path order."""
    from click.testing import CliRunner

    from tokenlint.cli import main

    root = _project(tmp_path_factory.mktemp("loop"))
    mp = pytest.MonkeyPatch()
    try:
        mp.chdir(root)
        out = []
        for args in (["inventory", "--no-cache", "-j", "1", "--format", "json", "."],
                     ["check", "--no-cache", "--exit-zero", "-j", "1", "--format", "json", "."]):
            got = CliRunner().invoke(main, args, catch_exceptions=False)
            assert got.exit_code == 0, got.stderr
            out.append(got.stdout)
    finally:
        mp.undo()
    return root, (out[0], out[1])


def test_the_loop_reaches_the_request_from_every_entry(expected) -> None:
    _, (inv, _chk) = expected
    sites = json.loads(inv)["call_sites"]
    request = [s for s in sites if s["kind"] == "direct"]
    assert [(s["path"], s["line"], s["provider"]) for s in request] == [("app/emb/openai_emb.py", 11, "openai")]
    # every caller of the interface and of the model worker reaches that request through the loop,
    # whichever member of the loop was asked first (the worker's callers were found only when a worker
    # process happened to meet the loop through them)
    users = [(s["function"].split("_")[0], s["provider"]) for s in sites if s["path"].startswith("app/users/")]
    assert sorted(set(users)) == [("ask", "openai"), ("index", "openai"), ("work", "openai")]
    assert len(users) == 3 * USERS


@pytest.mark.parametrize("attempt", range(4))
def test_two_workers_give_the_same_output_as_one(expected, run, attempt: int) -> None:
    # (which worker takes which files varies from run to run: asked several times)
    root, want = expected
    assert _outputs(run, root, "2") == want


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_order_files_are_analysed_in_changes_nothing(expected, run, monkeypatch, jobs: str, seed: int) -> None:
    root, want = expected
    shuffle_analysis(monkeypatch, seed)
    assert _outputs(run, root, jobs) == want


def _first(monkeypatch, name: str) -> None:
    """Analyse the file `name` (a path ending) first in every round holding it."""
    original = engine._Batch.analyse

    def analyse(self, paths):  # type: ignore[no-untyped-def]
        paths = sorted(paths, key=lambda p: not p.as_posix().endswith(name))
        return original(self, paths)

    monkeypatch.setattr(engine._Batch, "analyse", analyse)


@pytest.mark.parametrize("name", ["app/emb/remote.py", "app/cluster/local.py", "app/cluster/emb_worker.py",
                                  "app/users/use_139.py"])
def test_the_member_of_the_loop_met_first_changes_nothing(expected, run, monkeypatch, name: str) -> None:
    root, want = expected
    _first(monkeypatch, name)
    assert _outputs(run, root, "1") == want


def _audit(run, root: Path, out: Path) -> tuple[bytes, bytes]:
    got = run(root, "audit", "--today", "2026-12-07", "-o", str(out), ".")
    assert got.exit_code == 0, got.stderr
    return (out / "report.md").read_bytes(), (out / "index.html").read_bytes()


def test_the_audit_is_the_same_whichever_member_is_met_first(expected, run, monkeypatch, tmp_path: Path) -> None:
    root, _ = expected
    want = _audit(run, root, tmp_path / "sorted")
    _first(monkeypatch, "app/emb/remote.py")
    assert _audit(run, root, tmp_path / "remote_first") == want
