"""A model fix leaves a name alone when the module tests for it by value.

`if not model or model == "gpt-4o": model = os.getenv("APP_MODEL", "gpt-4o")` reads the environment
only while the default is "gpt-4o": swapping the defaults (TKL203's successor, TKL201's snapshot)
without the comparison would silently stop reading it. Neither fix rewrites the comparison (a
branch such as `if model == "o1":` may exist for that model alone), so neither is offered.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tokenlint.config import Config
from tokenlint.engine import fix

TODAY = dt.date(2026, 12, 4)

COMPARED = '''import os

from openai import OpenAI

client = OpenAI()


class Assistant:
    def __init__(self, model: str = "gpt-4o"):
        if not model or model == "gpt-4o":
            model = os.getenv("APP_MODEL", "gpt-4o")
        self.model = model

    def ask(self, text):
        return client.chat.completions.create(model=self.model, messages=[{"role": "user", "content": text}])
'''

MATCHED = '''from openai import OpenAI

client = OpenAI()


def ask(text, model="gpt-5.4"):
    match model:
        case "gpt-5.4":
            effort = "low"
        case _:
            effort = "high"
    return client.chat.completions.create(model=model, reasoning_effort=effort,
                                          messages=[{"role": "user", "content": text}])
'''


def _run(tmp_path: Path, text: str, codes: tuple[str, ...]) -> str:
    src = tmp_path / "app.py"
    src.write_text(text, encoding="utf-8")
    run = fix([src], Config().with_overrides(select=codes), unsafe=True, today=TODAY, root=tmp_path)
    return run.fixed[src].decode("utf-8") if src in run.fixed else text


def test_a_compared_model_name_is_not_swapped_for_its_successor(tmp_path):
    assert _run(tmp_path, COMPARED, ("TKL203",)) == COMPARED


def test_the_same_module_without_the_comparison_is_fixed(tmp_path):
    plain = COMPARED.replace('not model or model == "gpt-4o"', "not model")
    fixed = _run(tmp_path, plain, ("TKL203",))
    assert fixed.count('"gpt-6-luna"') == 2 and '"gpt-4o"' not in fixed


def test_a_match_case_on_the_alias_keeps_it_unpinned(tmp_path):
    assert _run(tmp_path, MATCHED, ("TKL201",)) == MATCHED
    fixed = _run(tmp_path, MATCHED.replace('case "gpt-5.4":', 'case "gpt-5.2":'), ("TKL201",))
    assert 'model="gpt-5.4-2026-03-05"' in fixed
