"""The output does not depend on the number of worker processes: a project large enough to be split
between workers gives byte-identical `inventory --format json` and `check --format json` with `-j 1`
and `-j 2`. Its facades form a loop (an embeddings interface whose remote implementation calls a worker
embedding through the interface), whose answers used to depend on where the loop was entered, which
differs with the files each worker analyses first (resolve/fixpoint.py)."""

from __future__ import annotations

import json
from pathlib import Path

from tokenlint.engine import PARALLEL_MIN_FILES

LOOP = {
    "app/__init__.py": "",
    "app/emb/__init__.py": "",
    "app/users/__init__.py": "",
    "app/emb/base.py": ("from abc import ABC, abstractmethod\n"
                        "\n"
                        "\n"
                        "class Embeddings(ABC):\n"
                        "    @abstractmethod\n"
                        "    def embed_documents(self, texts):\n"
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
                              "        return self.client.embeddings.create(model='text-embedding-3-small', input=texts)\n"),
    "app/emb/remote.py": ("from app.emb.base import Embeddings\n"
                          "from app.emb.worker import Worker\n"
                          "\n"
                          "\n"
                          "class RemoteEmbeddings(Embeddings):\n"
                          "    def __init__(self, worker: Worker):\n"
                          "        self.worker = worker\n"
                          "\n"
                          "    def embed_documents(self, texts):\n"
                          "        return self.worker.embeddings(texts)\n"),
    "app/emb/worker.py": ("from app.emb.base import Embeddings\n"
                          "\n"
                          "\n"
                          "class Worker:\n"
                          "    def __init__(self, model: Embeddings):\n"
                          "        self.model = model\n"
                          "\n"
                          "    def embeddings(self, texts):\n"
                          "        return self.model.embed_documents(texts)\n"),
}

USER = ("from app.emb.base import Embeddings\n"
        "from app.emb.worker import Worker\n"
        "\n"
        "\n"
        "def index_{n}(emb: Embeddings, texts):\n"
        "    return emb.embed_documents(texts)\n"
        "\n"
        "\n"
        "def serve_{n}(worker: Worker, texts):\n"
        "    return worker.embeddings(texts)\n")


def _project(root: Path) -> Path:
    files = dict(LOOP)
    for n in range(PARALLEL_MIN_FILES + 12):  # more candidates than a serial round takes: split between workers
        files[f"app/users/use_{n:03d}.py"] = USER.format(n=n)
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def test_inventory_and_check_are_the_same_with_one_or_two_workers(tmp_path: Path, run) -> None:
    root = _project(tmp_path)
    out = {}
    for jobs in ("1", "2"):
        inv = run(root, "inventory", "--no-cache", "-j", jobs, "--format", "json", ".")
        assert inv.exit_code == 0, inv.stderr
        chk = run(root, "check", "--no-cache", "--exit-zero", "-j", jobs, "--format", "json", ".")
        assert chk.exit_code == 0, chk.stderr
        out[jobs] = (inv.stdout, chk.stdout)
    assert out["1"][0] == out["2"][0]
    assert out["1"][1] == out["2"][1]
    sites = json.loads(out["1"][0])["call_sites"]
    # the loop's answer is its fixpoint: the remote implementation reaches the OpenAI request through
    # the worker and the interface (a wrapper), whichever of them was asked first
    remote = [s for s in sites if s["path"] == "app/emb/remote.py"]
    assert [(s["line"], s["kind"], s["provider"]) for s in remote] == [(10, "wrapper", "openai")]
    assert len([s for s in sites if s["path"].startswith("app/users/")]) == 2 * (PARALLEL_MIN_FILES + 12)
