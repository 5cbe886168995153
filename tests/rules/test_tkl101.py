"""TKL101 untagged-llm-call beyond the fixtures: the message says when a tag could be hidden in
`**kwargs` passed through (library-style code), and only then."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tokenlint.config import load_config
from tokenlint.engine import analyse

TODAY = dt.date(2026, 11, 29)


def messages(root: Path, src: str) -> list[str]:
    (root / "pyproject.toml").write_text("[tool.tokenlint]\n", encoding="utf-8")
    (root / "app.py").write_text(src, encoding="utf-8")
    cfg = load_config(root / "pyproject.toml").with_overrides(select=("TKL101",))
    return [f.message for f in analyse([root], cfg, root=root, today=TODAY).findings]


def test_kwargs_passed_through_are_named_in_the_message(tmp_path):
    src = ("from openai import OpenAI\n\nclient = OpenAI()\n\n\n"
           "def ask(q, **params):\n"
           "    client.chat.completions.create(model='gpt-4o-2024-08-06', messages=[q], **params)\n"
           "    client.chat.completions.create(model='gpt-4o-2024-08-06', messages=[q])\n")
    got = messages(tmp_path, src)
    assert got == ["LLM call to openai chat.completions has no 'feature' attribution tag "
                   "(a tag inside **kwargs cannot be seen: pass it by name)",
                   "LLM call to openai chat.completions has no 'feature' attribution tag"]


def test_the_fix_names_the_feature_after_module_and_function_without_repeating_them(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.tokenlint]\n", encoding="utf-8")
    call = "    return client.chat.completions.create(model='gpt-4o-2024-08-06', messages=[])\n"
    (tmp_path / "run_prompt.py").write_text(
        "from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef run_prompt():\n" + call + "\n\ndef other():\n" + call,
        encoding="utf-8")
    cfg = load_config(tmp_path / "pyproject.toml").with_overrides(select=("TKL101",))
    fixes = [f.fix.message for f in analyse([tmp_path], cfg, root=tmp_path, today=TODAY).findings]
    assert fixes == ['Tag the call as feature "run-prompt"', 'Tag the call as feature "run-prompt-other"']
