"""`CachePrefix.system`: whether the prompt opening a request's cached prefix is a system prompt, set
where the prefix's opening message is found (TKL302 words its finding after it)."""

from __future__ import annotations

import datetime as dt

from projects import make
from tokenlint.config import load_config
from tokenlint.engine import analyse
from tokenlint.resolve.prompts import cache_prefix, caller_prefix

APP = '''
from anthropic import Anthropic
from openai import OpenAI

client = OpenAI()
claude = Anthropic()


def system_first(question):
    history = [{"role": "user", "content": question}]
    return client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "system", "content": "You answer briefly."}] + history)


def developer_first(question):
    return client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "developer", "content": "Rules."}, {"role": "user", "content": question}])


def system_argument(question):
    return claude.messages.create(model="claude-sonnet-4-5", max_tokens=100, system="You answer briefly.",
                                  messages=[{"role": "user", "content": question}])


def user_first(question):
    return client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "Context: the manual."}, {"role": "user", "content": question}])


def ask(messages):
    return client.chat.completions.create(model="gpt-4o", messages=messages)


def caller(question):
    return ask([{"role": "system", "content": "You answer briefly."}, {"role": "user", "content": question}])
'''


def _sites(tmp_path):
    root = make(tmp_path / "p", {"app.py": APP})
    return analyse([root], load_config(root / "pyproject.toml"), root=root, today=dt.date(2026, 12, 6)).sites


def test_a_system_prompt_opens_the_prefix_as_argument_or_first_message(tmp_path):
    by_function = {s.function: s for s in _sites(tmp_path) if s.kind == "direct"}
    assert cache_prefix(by_function["system_first"]).system
    assert cache_prefix(by_function["developer_first"]).system
    assert cache_prefix(by_function["system_argument"]).system
    assert not cache_prefix(by_function["user_first"]).system  # no system prompt: the first message opens it


def test_a_message_list_the_wrappers_caller_passes_is_not_read_for_its_roles(tmp_path):
    # as TKL302 has always read it: the caller's list opens with its first message, whatever its role
    wrapper = next(s for s in _sites(tmp_path) if s.kind == "wrapper" and s.function == "caller")
    found = caller_prefix(wrapper)
    assert found is not None and not found.system
