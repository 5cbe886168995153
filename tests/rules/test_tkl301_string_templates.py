"""TKL301 reads string templates the way real prompt modules write them: `.format` on a constant
reached as an attribute of a project module (`prompts.SYSTEM.format(...)`), a triple-quoted constant
with `.strip()` filled with `.format`, and `str.replace` of a placeholder in a constant
(`PROMPT.replace("{query}", query)`: the value stands at every occurrence). Look-alikes stay silent:
the placeholder after the static text, a placeholder that is not a constant, and a `.strip()` with
an argument (not followed). Lines marked `# 301` are where a finding must be, and nowhere else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ruletools import project

from tokenlint.config import Config
from tokenlint.engine import analyse

POLICY = "Follow the support policy carefully. " * 120  # 4,440 characters, ~1,110 tokens

PROMPTS = f'''SYSTEM = "You help {{user}}.\\n{POLICY}"
LATE = "{POLICY}\\nYou help {{user}}."
STRIPPED = """
Ticket {{ticket}}.
{POLICY}
""".strip()
REPLACED = "Query: {{query}}\\n" + "{POLICY}"
REPLACED_LATE = "{POLICY}" + "\\nQuery: {{query}}"
STRIPPED_CHARS = """xx Ticket {{ticket}}.
{POLICY}""".strip("x")
'''

APP = '''from openai import OpenAI

import prompts
from prompts import REPLACED, REPLACED_LATE, STRIPPED, STRIPPED_CHARS

client = OpenAI()


def ask(system, question):
    return client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "system", "content": system}, {"role": "user", "content": question}])


def attribute(user):
    return ask(prompts.SYSTEM.format(user=user), "hi")  # 301


def stripped(ticket):
    return ask(STRIPPED.format(ticket=ticket), "hi")  # 301


def replaced(query):
    return ask(REPLACED.replace("{query}", query), "hi")  # 301


# ---------------------------------------------------------------- look-alikes: no finding


def attribute_late(user):
    return ask(prompts.LATE.format(user=user), "hi")


def replaced_late(query):
    return ask(REPLACED_LATE.replace("{query}", query), "hi")


def replaced_unknown(marker, query):
    return ask(REPLACED.replace(marker, query), "hi")


def stripped_chars(ticket):
    return ask(STRIPPED_CHARS.format(ticket=ticket), "hi")
'''


def test_string_templates_of_prompt_modules(tmp_path):
    project(tmp_path, {"app.py": APP, "prompts.py": PROMPTS})
    got = analyse([tmp_path], Config().with_overrides(select=("TKL301",)), root=tmp_path,
                  today=dt.date(2026, 12, 5)).findings
    want = [n for n, line in enumerate(APP.splitlines(), 1) if line.rstrip().endswith("# 301")]
    assert sorted(f.row for f in got) == want and {f.path for f in got} == {"app.py"}
    assert all("~1,110 tokens" in f.message or "~1,111 tokens" in f.message for f in got)
