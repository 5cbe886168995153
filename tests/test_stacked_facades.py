"""Facades over wrappers (FACADE-DEPTH): a function whose only request is a call of a model facade
is a wrapper of it, a base method whose implementations reach a model through such wrappers or a
declared model object's facade is a facade (unless every implementation runs a model object it
holds, or all of them reach one and the same request), and a module whose class method makes a
request is read for its importers by the prefilter. The project fixtures/resolver/facades/stacked_project holds the
shapes and their look-alikes (its `# site:` markers are checked whole by test_resolver_fixtures);
this table names each shape, so a regression says which one broke."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Optional

import pytest
from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

STACKED = Path(__file__).resolve().parent.parent / "fixtures" / "resolver" / "facades" / "stacked_project"

SHAPES: list[tuple[str, str, str, Optional[str]]] = [
    # (shape, file, text on the line, kind expected there or None)
    ("function-calling-a-facade-on-an-annotated-parameter", "loom/gen/writers.py",
     'return generate_body(model, f"def {signature}")', "wrapper"),
    ("base-method-over-implementations-that-are-wrappers", "loom/app/run.py", "writer.write_body(signature, model)",
     "facade"),
    ("base-method-whose-implementations-spend-nothing", "loom/app/run.py", "writer_for(language).size(signature)", None),
    ("method-calling-a-declared-attributes-facade", "loom/query/rewriters.py",
     'return self._answer(f"Split into steps', "wrapper"),
    # (a user of a model: strategies only running a model object they hold, their names naming no model)
    ("strategies-only-running-a-held-model-object", "loom/app/search.py", "self._rewriter.rewrite(question)", None),
    ("strategy-base-with-one-model-backed-implementation", "loom/app/search.py", "self._planner.plan(question)", None),
    ("base-with-only-plain-implementations", "loom/app/search.py", "self._formatter.render(", None),
    # (every implementation reaching a model object it holds through a helper method of its own, one in
    # a loop: agents, a user of a model; the helper is still a wrapper of the model's facade)
    ("helper-method-over-a-held-model-object", "loom/agents/crew.py", 'return self._think(f"Plan the steps', "wrapper"),
    ("base-over-implementations-stepping-through-a-held-model", "loom/app/crew.py", "worker.handle(task)", None),
    # (the model object handed in by the caller and on to a helper method: counted where it is called)
    ("base-over-implementations-handing-on-the-callers-model", "loom/app/crew.py", "digest.digest(t, model)",
     None),
    # (a method named for models on an interface that is not, every implementation running the engine
    # it holds: stores using a model; the same under a base named for models is a model interface)
    ("model-named-method-of-stores-over-held-engines", "loom/app/index.py", "store.embed_records(texts)", None),
    ("model-named-base-over-held-engines", "loom/app/index.py", "cache.embed_records(texts)", "facade"),
    # (implementations reaching one and the same request: the project's gateway, not a choice of model)
    ("base-over-callers-of-one-gateway", "loom/app/index.py", "retriever.complete_from_context(", None),
    ("base-over-helpers-sending-different-requests", "loom/app/index.py", "drafter.complete_draft(topic)", "facade"),
]


@lru_cache(maxsize=1)
def _sites() -> dict[tuple[str, int], str]:
    result = analyse([STACKED], Config(), root=STACKED)
    return {(s.path, s.line): s.kind for s in result.sites}


def _line(rel: str, text: str) -> int:
    lines = (STACKED / rel).read_text().splitlines()
    hits = [i for i, ln in enumerate(lines, 1) if text in ln]
    assert len(hits) == 1, (rel, text, hits)
    return hits[0]


@pytest.mark.parametrize("shape,rel,text,kind", SHAPES, ids=[s[0] for s in SHAPES])
def test_stacked_shape(shape: str, rel: str, text: str, kind: Optional[str]) -> None:
    assert _sites().get((rel, _line(rel, text))) == kind


def test_a_facade_on_an_untyped_parameter_does_not_make_a_wrapper(tmp_path) -> None:
    """What callers hand an untyped parameter is read from them: the helper is the one site."""
    root = make(tmp_path / "p", {
        "app/__init__.py": "",
        "app/models.py": ("from abc import ABC, abstractmethod\nfrom openai import OpenAI\n\n\n"
                          "class ChatModel(ABC):\n    @abstractmethod\n    def chat(self, text: str) -> str: ...\n\n\n"
                          "class GPT(ChatModel):\n    def chat(self, text: str) -> str:\n"
                          "        return OpenAI().responses.create(model='gpt-4o', input=text).output_text\n"),
        "app/use.py": ("from app.models import GPT\n\n\n"
                       "def ask(model, text):\n    return model.chat(text)\n\n\n"
                       "def run():\n    return ask(GPT(), 'hi')\n"),
    })
    result = analyse([root], Config(), root=root)
    assert [(s.line, s.kind) for s in result.sites if s.path == "app/use.py"] == [(5, "facade")]


def test_the_prefilter_reads_the_importers_of_a_class_making_requests(tmp_path) -> None:
    """A module whose class method sends the request with the model the object holds (nothing
    forwarded, no client exported) is relevant: a file importing it and calling the method of an
    object of that class, naming no SDK, is read (PREFILTER)."""
    root = make(tmp_path / "p", {
        "app/__init__.py": "", "app/engine/__init__.py": "", "app/work/__init__.py": "",
        "app/engine/base.py": ("from abc import ABC, abstractmethod\n\nimport litellm\n\n\n"
                               "class Backend(ABC):\n"
                               "    def __init__(self, name: str) -> None:\n"
                               "        self.name = name\n        self.history: list = []\n\n"
                               "    def respond(self, items: list) -> str:\n"
                               "        self.history.extend(items)\n        return self._execute()\n\n"
                               "    def _execute(self) -> str:\n"
                               "        out = litellm.completion(model=self.name, messages=self.history)\n"
                               "        return self.clean(out.choices[0].message.content)\n\n"
                               "    @abstractmethod\n    def clean(self, text: str) -> str: ...\n\n\n"
                               "class Plain(Backend):\n    def clean(self, text: str) -> str:\n        return text.strip()\n\n\n"
                               "class Upper(Backend):\n    def clean(self, text: str) -> str:\n        return text.upper()\n"),
        "app/work/job.py": ("from app.engine.base import Backend\n\n\n"
                            "class Job:\n    backend: Backend\n\n"
                            "    def go(self, task: str) -> str:\n"
                            "        return self.backend.respond([{'role': 'user', 'content': task}])\n"),
    })
    result = analyse([root], Config(), root=root, prefilter=True)
    assert [(s.line, s.kind) for s in result.sites if s.path == "app/work/job.py"] == [(8, "facade")]
