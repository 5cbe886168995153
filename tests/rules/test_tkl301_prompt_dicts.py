"""TKL301 reads a module's dict of prompts, as RAG libraries keep them: an empty dict filled by
module-level `PROMPTS["rag_response"] = "..."` statements, or a dict literal, read by a constant
key (`PROMPTS["rag_response"].format(context=...)`, also imported from another module). Look-alikes
stay silent: the field after the static text, a key chosen at run time, a key the module never
writes, and a dict rebound in its module. Lines marked `# 301` are where a finding must be."""

from __future__ import annotations

import datetime as dt

from ruletools import project

from tokenlint.config import Config
from tokenlint.engine import analyse

POLICY = "Follow the support policy carefully. " * 120  # 4,440 characters, ~1,110 tokens

PROMPTS = f'''PROMPTS = {{}}

PROMPTS["rag_response"] = """Context:
{{context}}
{POLICY}"""

PROMPTS["late"] = """{POLICY}
Context: {{context}}"""

TABLE = {{"ticket": "Ticket {{ticket}}.\\n{POLICY}"}}

REBOUND = {{"ticket": "Ticket {{ticket}}.\\n{POLICY}"}}
REBOUND = {{}}
'''

APP = '''from openai import OpenAI

from prompts import PROMPTS, REBOUND, TABLE

client = OpenAI()


def ask(system, question):
    return client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "system", "content": system}, {"role": "user", "content": question}])


def filled(context):
    return ask(PROMPTS["rag_response"].format(context=context), "hi")  # 301


def literal(ticket):
    return ask(TABLE["ticket"].format(ticket=ticket), "hi")  # 301


# ---------------------------------------------------------------- look-alikes: no finding


def late(context):
    return ask(PROMPTS["late"].format(context=context), "hi")


def chosen(name, context):
    return ask(PROMPTS[name].format(context=context), "hi")


def never_written(context):
    return ask(PROMPTS["missing"].format(context=context), "hi")


def rebound(ticket):
    return ask(REBOUND["ticket"].format(ticket=ticket), "hi")
'''


def test_module_dicts_of_prompts(tmp_path):
    project(tmp_path, {"app.py": APP, "prompts.py": PROMPTS})
    got = analyse([tmp_path], Config().with_overrides(select=("TKL301",)), root=tmp_path,
                  today=dt.date(2026, 12, 6)).findings
    want = [n for n, line in enumerate(APP.splitlines(), 1) if line.rstrip().endswith("# 301")]
    assert sorted(f.row for f in got) == want and {f.path for f in got} == {"app.py"}
    assert all("~1,110 tokens" in f.message or "~1,111 tokens" in f.message for f in got)
