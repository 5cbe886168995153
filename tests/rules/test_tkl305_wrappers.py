"""TKL305 through wrappers: a system prompt that is a wrapper function's parameter is read from what
each caller passes (through every wrapper in between); a caller handing a long static prompt to a
wrapped Anthropic request with no breakpoint is reported at its argument, naming the wrapper. The
look-alikes stay silent: a short or dynamic prompt, a request that sets a breakpoint, a model the
catalog cannot tell, a provider with automatic caching, a prompt the wrapper writes itself."""

from __future__ import annotations

import datetime as dt

from ruletools import project

from tokenlint.config import Config
from tokenlint.engine import analyse

POLICY = "Follow the support policy carefully and cite the relevant rule for every answer. " * 60

LLM = '''import os

from anthropic import Anthropic
from openai import OpenAI

claude = Anthropic()
gpt = OpenAI()


def ask(system, question, model="claude-sonnet-4-5"):
    """A generic helper: the caller decides the system prompt."""
    reply = claude.messages.create(model=model, max_tokens=512, system=system,
                                   messages=[{"role": "user", "content": question}])
    return reply.content[0].text


def ask_cached(system, question):
    return claude.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=[],
                                  system=[{"type": "text", "text": system, "cache_control": {"type": "ephemeral"}}])


def ask_env(system, question):
    return claude.messages.create(model=os.environ["MODEL"], max_tokens=512, system=system, messages=[])


def ask_gpt(system, question):
    return gpt.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system}])


def relay(system, question):
    return ask(system, question)


def ask_fixed(question):
    return claude.messages.create(model="claude-sonnet-4-5", max_tokens=512, system=SUPPORT, messages=[])


SUPPORT = "x"
'''.replace('SUPPORT = "x"', f'SUPPORT = "{POLICY}"')

APP = f'''from llm import ask, ask_cached, ask_env, ask_fixed, ask_gpt, relay

REVIEWER = "{POLICY}"


def review(paper):
    return ask(REVIEWER, paper)


def review_on_haiku(paper):
    return ask(REVIEWER, paper, model="claude-haiku-4-5")


def deeper(paper):
    return relay(REVIEWER, paper)


def short(paper):
    return ask("You are terse.", paper)


def personal(user, paper):
    return ask(f"Hello {{user}}. " + REVIEWER, paper)


def cached(paper):
    return ask_cached(REVIEWER, paper)


def unknown_model(paper):
    return ask_env(REVIEWER, paper)


def other_provider(paper):
    return ask_gpt(REVIEWER, paper)


def written_inside(paper):
    return ask_fixed(paper)
'''

CFG = Config().with_overrides(select=("TKL305",))


def _findings(tmp_path):
    project(tmp_path, {"llm.py": LLM, "app.py": APP})
    return analyse([tmp_path], CFG, root=tmp_path, today=dt.date(2026, 12, 6)).findings


def test_reported_at_the_callers_static_argument_naming_the_wrapper(tmp_path):
    got = sorted((f.path, f.row, f.column, "through llm.ask()" in f.message or "through llm.relay()" in f.message)
                 for f in _findings(tmp_path))
    assert got == [
        ("app.py", 7, 16, True),   # ask(REVIEWER, ...): the long static prompt, at the caller's argument
        ("app.py", 15, 18, True),  # through two wrappers: once, at the outer caller
        ("llm.py", 35, 85, False),  # the prompt the wrapper writes itself: at the request, not at callers
    ]


def test_the_model_is_the_one_the_call_reaches(tmp_path):
    # claude-haiku-4-5 caches from 4,096 tokens: the ~1,200-token prompt is below its minimum
    msgs = [f.message for f in _findings(tmp_path) if f.path == "app.py"]
    assert all("claude-sonnet-4-5" in m and "llm.py:12" in m for m in msgs if "llm.ask()" in m)
    assert not any("claude-haiku" in m for m in msgs)
