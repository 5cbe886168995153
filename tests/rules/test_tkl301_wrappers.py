"""TKL301 through wrappers (issue 16, item 1): a prompt that is a wrapper's parameter is read from each
caller's argument and reported there, naming the wrapper; the wrapper's own dynamic-first text is
reported once, where it is written; the fix at the caller is exact and a second fix changes nothing."""

from __future__ import annotations

import datetime as dt

from ruletools import project

from tokenlint.config import Config
from tokenlint.engine import analyse, fix

LLM = '''from anthropic import Anthropic

client = Anthropic()


def complete(system, question):
    return client.messages.create(model="claude-sonnet-5", max_tokens=64, system=system,
                                  messages=[{"role": "user", "content": question}])


def chat(messages):
    return client.messages.create(model="claude-sonnet-5", max_tokens=64, messages=messages)


def relay(system, question):
    return complete(system, question)


def greeting(user, question):
    return complete(f"Hi {user}. " + POLICY, question)


def personal(user, question):
    return client.messages.create(model="claude-sonnet-5", max_tokens=64, system=f"Hi {user}. {POLICY}",
                                  messages=[{"role": "user", "content": question}])


POLICY = "Follow the policy. " * 1
'''.replace('"Follow the policy. " * 1', '"' + "Follow the support policy carefully. " * 8 + '"')

APP = '''from llm import chat, complete, greeting, personal, relay
from llm import POLICY


def answer(user, question):
    system = f"Hello {user}. " + POLICY
    return complete(system, question)


def deeper(user, question):
    return relay(f"Hello {user}. " + POLICY, question)


def fine(user, question):
    return complete(POLICY + f" Hello {user}.", question)


def listed(user, q):
    return chat([{"role": "user", "content": f"Hello {user}. " + POLICY}])


def greeted(user, q):
    return greeting(user, q)


def personally(user, q):
    return personal(user, q)
'''

CFG = Config().with_overrides(select=("TKL301",), min_static_chars=200)


def test_reported_at_each_callers_argument_and_once_at_a_dynamic_first_wrapper(tmp_path):
    project(tmp_path, {"llm.py": LLM, "app.py": APP})
    got = sorted((f.path, f.row, f.column, "complete()" in f.message or "relay()" in f.message or "chat()" in f.message)
                 for f in analyse([tmp_path], CFG, root=tmp_path, today=dt.date(2026, 12, 4)).findings)
    assert got == [
        ("app.py", 7, 21, True),   # the caller's variable: the prompt it holds reaches the request
        ("app.py", 11, 18, True),  # through two wrappers
        ("app.py", 19, 46, True),  # a message list handed to the wrapper: at the message's content
        ("llm.py", 20, 21, True),  # written in greeting(): there, not again at greeting's callers
        ("llm.py", 24, 82, False),  # the wrapped request's own text: at the request, not at callers
    ]


def test_the_fix_at_the_caller_is_exact_and_idempotent(tmp_path):
    project(tmp_path, {"llm.py": LLM, "app.py": APP})
    run = fix([tmp_path], CFG, unsafe=True, today=dt.date(2026, 12, 4), root=tmp_path)
    new = run.fixed[tmp_path / "app.py"].decode()
    assert new == (APP.replace('system = f"Hello {user}. " + POLICY', 'system = POLICY + f" Hello {user}."')
                   .replace('relay(f"Hello {user}. " + POLICY, question)', 'relay(POLICY + f" Hello {user}.", question)')
                   .replace('"content": f"Hello {user}. " + POLICY}', '"content": POLICY + f" Hello {user}."}'))
    (tmp_path / "app.py").write_text(new)
    (tmp_path / "llm.py").write_text(run.fixed[tmp_path / "llm.py"].decode())
    assert fix([tmp_path], CFG, unsafe=True, today=dt.date(2026, 12, 4), root=tmp_path).fixed == {}
