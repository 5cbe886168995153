"""TKL303 system-prompt-not-first beyond the fixtures: the message names the role, the fix keeps
a multi-line layout, and only literal lists are judged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tokenlint.config import load_config
from tokenlint.engine import analyse, fix

TODAY = dt.date(2026, 11, 29)
HEAD = "from openai import OpenAI\n\nclient = OpenAI()\n\n\n"


def _setup(root: Path, src: str):
    (root / "pyproject.toml").write_text("[tool.tokenlint]\n", encoding="utf-8")
    (root / "app.py").write_text(src, encoding="utf-8")
    return load_config(root / "pyproject.toml").with_overrides(select=("TKL303",))


def findings(root: Path, src: str):
    cfg = _setup(root, src)
    return [f for f in analyse([root], cfg, root=root, today=TODAY).findings if f.code == "TKL303"]


def test_the_message_names_the_role(tmp_path):
    src = HEAD + ("def ask(q):\n    client.responses.create(model='m', input=[{'role': 'user', 'content': q},"
                  " {'role': 'developer', 'content': 'Be brief.'}])\n")
    (f,) = findings(tmp_path, src)
    assert f.message == "The developer message is not the first message"


def test_the_fix_moves_a_multi_line_message_and_keeps_the_layout(tmp_path):
    src = HEAD + ("def ask(q, history):\n"
                  "    client.chat.completions.create(\n"
                  "        model='m',\n"
                  "        messages=[\n"
                  "            *history,  # earlier turns\n"
                  "            {\n"
                  "                'role': 'system',\n"
                  "                'content': 'Be brief.',\n"
                  "            },\n"
                  "        ],\n"
                  "    )\n")
    cfg = _setup(tmp_path, src)
    run = fix([tmp_path / "app.py"], cfg, unsafe=True, today=TODAY, root=tmp_path)
    assert run.fixed[tmp_path / "app.py"].decode() == HEAD + (
        "def ask(q, history):\n"
        "    client.chat.completions.create(\n"
        "        model='m',\n"
        "        messages=[\n"
        "            {\n"
        "                'role': 'system',\n"
        "                'content': 'Be brief.',\n"
        "            },  # earlier turns\n"
        "            *history,\n"
        "        ],\n"
        "    )\n")


def test_lists_built_elsewhere_or_by_append_are_not_judged(tmp_path):
    src = HEAD + ("from app_prompts import MESSAGES\n\n\ndef ask(q, history):\n"
                  "    client.chat.completions.create(model='m', messages=MESSAGES)\n"
                  "    msgs = history + [{'role': 'system', 'content': 'x'}]\n"
                  "    client.chat.completions.create(model='m', messages=msgs)\n")
    assert findings(tmp_path, src) == []


LC = ("from langchain_anthropic import ChatAnthropic\n"
      "from langchain_core.messages import HumanMessage, SystemMessage\n"
      "from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder\n\n"
      "llm = ChatAnthropic(model='claude-sonnet-4-5', max_tokens=64)\n"
      "late = ChatPromptTemplate.from_messages([MessagesPlaceholder('history'), ('system', 'Be brief.')]) | llm\n"
      "first = ChatPromptTemplate.from_messages([('system', 'Be brief.'), MessagesPlaceholder('history')]) | llm\n\n\n")


def test_langchain_request_sites_are_read(tmp_path):
    src = LC + ("def ask(q, history):\n"
                "    llm.invoke([HumanMessage(content=q), SystemMessage(content='Be brief.')])\n"
                "    llm.invoke([SystemMessage(content='Be brief.'), HumanMessage(content=q)])\n"
                "    late.invoke({'history': history})\n"
                "    first.invoke({'history': history})\n")
    got = sorted((f.row, f.column) for f in findings(tmp_path, src))
    assert got == [(6, 74), (11, 42)]  # the system tuple of `late`, the SystemMessage after the question
