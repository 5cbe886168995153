"""TKL302 volatile-prompt-prefix beyond the fixtures: what the message names, tools versus system
prompt, import forms, and values computed once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tokenlint.config import load_config
from tokenlint.engine import analyse

TODAY = dt.date(2026, 11, 29)


def findings(root: Path, src: str):
    (root / "pyproject.toml").write_text("[tool.tokenlint]\n", encoding="utf-8")
    (root / "app.py").write_text(src, encoding="utf-8")
    cfg = load_config(root / "pyproject.toml").with_overrides(select=("TKL302",))
    return [f for f in analyse([root], cfg, root=root, today=TODAY).findings if f.code == "TKL302"]


HEAD = "from anthropic import Anthropic\n\nclaude = Anthropic()\n\n\n"


def call(system: str = "'x'", tools: str = "[]") -> str:
    return (f"    claude.messages.create(model='claude-sonnet-5', max_tokens=5, system={system}, tools={tools},"
            " messages=[{'role': 'user', 'content': q}])\n")


def test_the_message_names_the_value_its_origin_and_where_it_is(tmp_path):
    src = (HEAD + "from datetime import datetime\n\n\ndef ask(q):\n    now = datetime.now()\n"
           + call(system="f'Rules. Time: {now}'", tools="[{'name': 't', 'description': f'As of {now}'}]"))
    got = findings(tmp_path, src)
    assert [f.message for f in got] == [
        "Per-request value now (from datetime.now()) in the system prompt changes the cached prefix on every call",
        "Per-request value now (from datetime.now()) in the tools changes the cached prefix on every call",
    ]


def test_import_forms_resolve_to_the_volatile_function(tmp_path):
    src = (HEAD + "import secrets\nfrom time import time as clock\nimport uuid as u\n\n\ndef ask(q):\n"
           + call(system="f'{clock()} {u.uuid4()} {secrets.token_hex(4)}'"))
    got = findings(tmp_path, src)
    assert [f.message.split(" in the ")[0] for f in got] == [
        "Per-request value clock()", "Per-request value u.uuid4()", "Per-request value secrets.token_hex(4)"]


def test_a_same_named_local_function_is_not_the_library_one(tmp_path):
    src = (HEAD + "def now():\n    return 'fixed'\n\n\ndef ask(q):\n" + call(system="f'Rules {now()}'"))
    assert findings(tmp_path, src) == []


def test_values_computed_once_at_import_are_silent_unless_the_call_is_at_module_level(tmp_path):
    src = (HEAD + "import time\n\nSTARTED = time.time()\nSYSTEM = f'Rules {time.time()}'\n\n\ndef ask(q):\n"
           + call(system="f'{SYSTEM} {STARTED}'") + "\n\nq = 'hi'\n" + call(system="f'{time.time()}'").lstrip())
    got = findings(tmp_path, src)
    assert [f.row for f in got] == [17]  # the module-level call evaluates the value on each run


def test_an_id_in_the_user_message_or_a_header_is_fine(tmp_path):
    src = (HEAD + "def ask(q, request_id):\n"
           "    claude.messages.create(model='claude-sonnet-5', max_tokens=5, system='Rules.',"
           " messages=[{'role': 'user', 'content': f'{request_id}: {q}'}],"
           " extra_headers={'X-Request-Id': request_id})\n")
    assert findings(tmp_path, src) == []
