"""TKL301 reads string prompt template objects the way prompt modules build them and direct SDK
calls send them: a LangChain `PromptTemplate.from_template(text)` or `PromptTemplate(template=text)`
(and LlamaIndex's `PromptTemplate(text)`) filled with `.format(name=...)` is its text with each
`{name}` field filled as `str.format` does -- also reached as `prompts.SYSTEM`. Look-alikes stay
silent: the field after the static text, a template of another `template_format` (jinja2: not
read), and a project class that happens to be called `PromptTemplate` (its `format` is not known).
Lines marked `# 301` are where a finding must be, and nowhere else."""

from __future__ import annotations

import datetime as dt

from ruletools import project

from tokenlint.config import Config
from tokenlint.engine import analyse

POLICY = "Follow the support policy carefully. " * 120  # 4,440 characters, ~1,110 tokens

PROMPTS = f'''from langchain_core.prompts import PromptTemplate
from llama_index.core import PromptTemplate as LlamaTemplate

SYSTEM = PromptTemplate.from_template("You help {{user}}.\\n{POLICY}")
BUILT = PromptTemplate(input_variables=["ticket"], template="Ticket {{ticket}}.\\n{POLICY}")
LLAMA = LlamaTemplate("Context: {{context}}\\n{POLICY}")
LATE = PromptTemplate.from_template("{POLICY}\\nYou help {{user}}.")
JINJA = PromptTemplate.from_template("You help {{{{ user }}}}.\\n{POLICY}", template_format="jinja2")
'''

OWN = f'''class PromptTemplate:
    """A project's own template class: its `format` may do anything."""

    def __init__(self, text):
        self.text = text

    @classmethod
    def from_template(cls, text):
        return cls(text)

    def format(self, **values):
        return self.text


OWN = PromptTemplate.from_template("You help {{user}}.\\n{POLICY}")
'''

APP = '''from openai import OpenAI

import prompts
from own import OWN
from prompts import BUILT, JINJA, LATE, LLAMA

client = OpenAI()


def ask(system, question):
    return client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "system", "content": system}, {"role": "user", "content": question}])


def from_template(user):
    return ask(prompts.SYSTEM.format(user=user), "hi")  # 301


def constructed(ticket):
    return ask(BUILT.format(ticket=ticket), "hi")  # 301


def llama(context):
    return ask(LLAMA.format(context=context), "hi")  # 301


# ---------------------------------------------------------------- look-alikes: no finding


def late(user):
    return ask(LATE.format(user=user), "hi")


def jinja(user):
    return ask(JINJA.format(user=user), "hi")


def own_class(user):
    return ask(OWN.format(user=user), "hi")
'''


def test_prompt_template_objects_filled_with_format(tmp_path):
    project(tmp_path, {"app.py": APP, "prompts.py": PROMPTS, "own.py": OWN})
    got = analyse([tmp_path], Config().with_overrides(select=("TKL301",)), root=tmp_path,
                  today=dt.date(2026, 12, 6)).findings
    want = [n for n, line in enumerate(APP.splitlines(), 1) if line.rstrip().endswith("# 301")]
    assert sorted(f.row for f in got) == want and {f.path for f in got} == {"app.py"}
    assert all("~1,110 tokens" in f.message or "~1,111 tokens" in f.message for f in got)
    assert all("`user`" in f.message or "`ticket`" in f.message or "`context`" in f.message for f in got)
