"""Calls of a method fetched from an interface's object by a name known only at run time (post17c):
`getattr(lm, kind)(requests)` on an object of a project base whose abstract methods mostly send a
request in every implementation is a facade site; one whose abstract methods mostly send nothing is not."""

from __future__ import annotations

from pathlib import Path

from projects import line_of, make

from tokenlint.config import Config
from tokenlint.engine import analyse


def _sites(root: Path, rel: str) -> dict[int, tuple[str, tuple[str, ...]]]:
    result = analyse([root], Config(), root=root)
    return {s.line: (s.kind, tuple(sorted(s.providers or (s.provider,)))) for s in result.sites if s.path == rel}


_LM = ("import abc\n\n\n"
       "class LM(abc.ABC):\n"
       "    @abc.abstractmethod\n"
       "    def generate(self, requests):\n        ...\n\n"
       "    @abc.abstractmethod\n"
       "    def score(self, requests):\n        ...\n\n"
       "    @abc.abstractmethod\n"
       "    def render(self, history):\n        ...\n\n"
       "    @property\n"
       "    @abc.abstractmethod\n"
       "    def name(self):\n        ...\n")
_OPENAI = ("from openai import OpenAI\n\nfrom ev.lm import LM\n\n\n"
           "class OpenAILM(LM):\n"
           "    def generate(self, requests):\n"
           "        return [OpenAI().completions.create(model='gpt-3.5-turbo-instruct', prompt=r) for r in requests]\n\n"
           "    def score(self, requests):\n"
           "        return [OpenAI().completions.create(model='davinci-002', prompt=r, logprobs=1) for r in requests]\n\n"
           "    def render(self, history):\n        return '\\n'.join(history)\n\n"
           "    @property\n    def name(self):\n        return 'openai'\n")
_CLAUDE = ("import anthropic\n\nfrom ev.lm import LM\n\n\n"
           "class ClaudeLM(LM):\n"
           "    def generate(self, requests):\n"
           "        return [anthropic.Anthropic().completions.create(model='claude-2.1', prompt=r,\n"
           "                                                         max_tokens_to_sample=64) for r in requests]\n\n"
           "    def score(self, requests):\n"
           "        return [anthropic.Anthropic().completions.create(model='claude-2.1', prompt=r,\n"
           "                                                         max_tokens_to_sample=1) for r in requests]\n\n"
           "    def render(self, history):\n        return ' '.join(history)\n\n"
           "    @property\n    def name(self):\n        return 'claude'\n")
_RUN = ("from ev.lm import LM\n\n\n"
        "def evaluate(lm: LM, requests: dict):\n"
        "    out = {}\n"
        "    for kind, reqs in requests.items():\n"
        "        out[kind] = getattr(lm, kind)(reqs)\n"
        "    return out\n\n\n"
        "def main(lm: LM):\n"
        "    return evaluate(lm=lm, requests={'generate': ['hi']})\n")


def test_a_method_fetched_by_a_run_time_name_from_a_model_interface_is_a_facade(tmp_path) -> None:
    root = make(tmp_path / "p", {"ev/__init__.py": "", "ev/lm.py": _LM, "ev/openai_lm.py": _OPENAI,
                                 "ev/claude_lm.py": _CLAUDE, "ev/run.py": _RUN})
    sites = _sites(root, "ev/run.py")
    assert sites.get(line_of(root / "ev/run.py", "getattr(lm, kind)(reqs)")) == ("facade", ("anthropic", "openai"))
    # the request is chosen inside `evaluate` from the data it reads: its caller makes none by calling it
    assert line_of(root / "ev/run.py", "return evaluate(lm=lm") not in sites


def test_an_interface_most_of_whose_methods_send_nothing_gives_no_site(tmp_path) -> None:
    """Only `generate` sends; `score` and `render` are local in every implementation: the name read
    at run time is more likely one of those."""
    local = ("from openai import OpenAI\n\nfrom ev.lm import LM\n\n\n"
             "class Mixed(LM):\n"
             "    def generate(self, requests):\n"
             "        return [OpenAI().completions.create(model='gpt-3.5-turbo-instruct', prompt=r) for r in requests]\n\n"
             "    def score(self, requests):\n        return [len(r) for r in requests]\n\n"
             "    def render(self, history):\n        return ''.join(history)\n\n"
             "    @property\n    def name(self):\n        return 'mixed'\n")
    root = make(tmp_path / "p", {"ev/__init__.py": "", "ev/lm.py": _LM, "ev/mixed_lm.py": local, "ev/run.py": _RUN})
    assert line_of(root / "ev/run.py", "getattr(lm, kind)(reqs)") not in _sites(root, "ev/run.py")


def test_getattr_on_an_object_of_unknown_type_gives_no_site(tmp_path) -> None:
    run = ("def evaluate(lm, requests: dict):\n"
           "    return {kind: getattr(lm, kind)(reqs) for kind, reqs in requests.items()}\n")
    root = make(tmp_path / "p", {"ev/__init__.py": "", "ev/lm.py": _LM, "ev/openai_lm.py": _OPENAI,
                                 "ev/claude_lm.py": _CLAUDE, "ev/run.py": run})
    assert _sites(root, "ev/run.py") == {}
