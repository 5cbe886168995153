"""`first_user_prefix`: the first user message continues a request's cached prefix when all before it
is a wholly static system prompt (TKL301's first-user-message case)."""

from __future__ import annotations

import datetime as dt

from projects import make
from tokenlint.config import load_config
from tokenlint.engine import analyse
from tokenlint.resolve.pieces import DYNAMIC, STATIC
from tokenlint.resolve.prompts import first_user_prefix

RULES = "Answer from the documents only and cite each one by number. " * 80  # ~1,200 tokens

APP = f'''
from anthropic import Anthropic
from openai import OpenAI

client = OpenAI()
claude = Anthropic()
RULES = {RULES!r}


def openai_static_system(docs):
    return client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[
        {{"role": "system", "content": "You answer from documents."}},
        {{"role": "user", "content": f"{{docs}}\\n\\n{{RULES}}"}}])


def anthropic_static_system(docs):
    return claude.messages.create(model="claude-sonnet-4-5-20250929", max_tokens=100, system="You answer.",
                                  messages=[{{"role": "user", "content": docs + RULES}}])


def dynamic_system(name, docs):
    return claude.messages.create(model="claude-sonnet-4-5-20250929", max_tokens=100, system=f"Hi {{name}}.",
                                  messages=[{{"role": "user", "content": docs + RULES}}])


def no_system(docs):
    return client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[
        {{"role": "user", "content": f"{{docs}}\\n\\n{{RULES}}"}}])


def assistant_first(docs):
    return client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[
        {{"role": "system", "content": "You answer from documents."}},
        {{"role": "assistant", "content": "Send the documents."}},
        {{"role": "user", "content": f"{{docs}}\\n\\n{{RULES}}"}}])


def content_blocks(docs):
    return claude.messages.create(model="claude-sonnet-4-5-20250929", max_tokens=100, system="You answer.",
                                  messages=[{{"role": "user", "content": [{{"type": "text", "text": docs + RULES}}]}}])
'''


def _run(tmp_path):
    root = make(tmp_path / "p", {"app.py": APP})
    return analyse([root], load_config(root / "pyproject.toml").with_overrides(select=("TKL301",)), root=root,
                   today=dt.date(2026, 12, 6))


def test_the_first_user_message_is_read_after_a_static_system_prompt(tmp_path):
    by_function = {s.function: s for s in _run(tmp_path).sites if s.kind == "direct"}
    for name in ("openai_static_system", "anthropic_static_system"):
        found = first_user_prefix(by_function[name])
        assert found is not None, name
        assert [p.kind for p in found.pieces][0] == DYNAMIC and STATIC in [p.kind for p in found.pieces]
    for name in ("dynamic_system", "no_system", "assistant_first", "content_blocks"):
        assert first_user_prefix(by_function[name]) is None, name


def test_the_finding_names_the_user_message_and_where_the_text_could_go(tmp_path):
    findings = [f for f in _run(tmp_path).findings if f.code == "TKL301"]
    # no_system is the rule's first case (the first message opens the prefix), not this one
    assert len(findings) == 3
    user = [f for f in findings if "first user message" in f.message]
    assert len(user) == 2 and all("system prompt" in f.message for f in user)
