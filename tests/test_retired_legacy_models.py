"""The legacy completions models OpenAI shut down on 2024-01-04 and the early Claude aliases Anthropic retired on
2024-11-06 are retired models (TKL203): code still naming them fails at run time (found missing on 2026-12-07)."""

from __future__ import annotations

import datetime as dt

from tokenlint.config import Config
from tokenlint.engine import analyse

APP = '''\
import anthropic
import openai

client = openai.OpenAI()


def old_completion(prompt):
    return client.completions.create(model="text-davinci-003", prompt=prompt, max_tokens=64)


def old_claude(prompt):
    return anthropic.Anthropic().completions.create(model="claude-v1", prompt=prompt, max_tokens_to_sample=64)


def current(prompt):
    return client.completions.create(model="davinci-002", prompt=prompt, max_tokens=64)
'''


def test_legacy_completions_models_and_claude_v1_are_retired(tmp_path) -> None:
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    result = analyse([tmp_path / "app.py"], Config().with_overrides(select=("TKL203",)), root=tmp_path,
                     today=dt.date(2026, 12, 7))
    got = sorted((f.row, f.message) for f in result.findings)
    assert [row for row, _ in got] == [8, 12]
    assert "text-davinci-003" in got[0][1] and "2024-01-04" in got[0][1]
    assert "claude-v1" in got[1][1] and "2024-11-06" in got[1][1]
