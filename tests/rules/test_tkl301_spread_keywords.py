"""TKL301 reads a request's system prompt and messages when they are passed in a `**params` dict
built for the request, as many SDK wrappers do: a dict literal in the function, a key added with
`params["system"] = ...` (also on a branch), or the dict a project function builds and returns
(`**self._build_request(...)`). Look-alikes stay silent: the static text first, and a dict that is
the function's parameter (what it holds is not written here). Lines marked `# 301` are where a
finding must be, and nowhere else."""

from __future__ import annotations

import datetime as dt

from ruletools import project

from tokenlint.config import Config
from tokenlint.engine import analyse

POLICY = "Follow the support policy carefully. " * 120  # 4,440 characters, ~1,110 tokens

APP = f'''import anthropic
from openai import OpenAI

POLICY = "{POLICY}"
client = anthropic.Anthropic()
oai = OpenAI()


def literal_dict(question, today):
    params = {{
        "model": "claude-sonnet-4-5",
        "max_tokens": 512,
        "system": f"Today is {{today}}.\\n{{POLICY}}",  # 301
        "messages": [{{"role": "user", "content": question}}],
    }}
    return client.messages.create(**params)


def item_added(question, user, extra):
    create_params = {{"model": "claude-sonnet-4-5", "max_tokens": 512,
                      "messages": [{{"role": "user", "content": question}}], **extra}}
    if user:
        create_params["system"] = f"You help {{user}}.\\n" + POLICY  # 301
    return client.messages.create(**create_params)


class Service:
    def _build_request(self, user, question):
        return {{"model": "gpt-4o", "messages": [
            {{"role": "system", "content": f"You help {{user}}.\\n{{POLICY}}"}},  # 301
            {{"role": "user", "content": question}}]}}

    def ask(self, user, question):
        return oai.chat.completions.create(**self._build_request(user, question))


# ---------------------------------------------------------------- look-alikes: no finding


def static_first(question, user):
    params = {{"model": "claude-sonnet-4-5", "max_tokens": 512,
              "messages": [{{"role": "user", "content": question}}]}}
    params["system"] = f"{{POLICY}}\\nYou help {{user}}."
    return client.messages.create(**params)


def from_parameter(params):
    return client.messages.create(**params)
'''


def test_prompts_spread_from_a_params_dict(tmp_path):
    project(tmp_path, {"app.py": APP})
    got = analyse([tmp_path], Config().with_overrides(select=("TKL301",)), root=tmp_path,
                  today=dt.date(2026, 12, 6)).findings
    want = [n for n, line in enumerate(APP.splitlines(), 1) if line.rstrip().endswith("# 301")]
    assert sorted(f.row for f in got) == want and {f.path for f in got} == {"app.py"}
    assert all("~1,110 tokens" in f.message or "~1,111 tokens" in f.message for f in got)


VOLATILE = f'''from datetime import datetime

import anthropic

POLICY = "{POLICY}"
client = anthropic.Anthropic()


def stamped(question):
    params = {{"model": "claude-sonnet-4-5", "max_tokens": 512,
              "messages": [{{"role": "user", "content": question}}]}}
    params["system"] = f"Now: {{datetime.now()}}.\\n{{POLICY}}"  # 302
    return client.messages.create(**params)


def stamped_in_the_question(question):
    params = {{"model": "claude-sonnet-4-5", "max_tokens": 512, "system": POLICY,
              "messages": [{{"role": "user", "content": f"Now: {{datetime.now()}}. {{question}}"}}]}}
    return client.messages.create(**params)
'''


def test_volatile_prefix_read_from_a_params_dict(tmp_path):
    """The prompt read from the dict is the one record every prompt-cache rule reads: TKL302 too
    (the time in the system prompt; the time in the user's message, after it, is not reported)."""
    project(tmp_path, {"app.py": VOLATILE})
    got = analyse([tmp_path], Config().with_overrides(select=("TKL302",)), root=tmp_path,
                  today=dt.date(2026, 12, 6)).findings
    want = [n for n, line in enumerate(VOLATILE.splitlines(), 1) if line.rstrip().endswith("# 302")]
    assert sorted(f.row for f in got) == want
