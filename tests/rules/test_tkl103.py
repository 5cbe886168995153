"""TKL103 undeclared-feature beyond the fixtures: the table form of the registry, a constant
imported from another module, and the suggestion in the message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tokenlint.config import load_config
from tokenlint.engine import analyse

TODAY = dt.date(2026, 11, 29)

TABLES = """[tool.tokenlint.features.faq-bot]
paths = ["app/faq/*"]

[tool.tokenlint.features.ticket-triage]
tiers = ["small"]
"""


def findings(root: Path, files: dict[str, str], pyproject: str = TABLES, check: str | None = None):
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    cfg = load_config(root / "pyproject.toml").with_overrides(select=("TKL103",))
    target = root / check if check else root
    return [f for f in analyse([target], cfg, root=root, today=TODAY).findings if f.code == "TKL103"]


CALLS = ("from openai import OpenAI\n\nfrom app.names import TRIAGE\n\nclient = OpenAI()\n\n\n"
         "def ask(q):\n"
         "    client.chat.completions.create(model='m', messages=[], metadata={'feature': TRIAGE})\n"
         "    client.embeddings.create(model='e', input=q, metadata={'feature': TRIAGE})\n")
FILES = {"app/__init__.py": "", "app/names.py": "TRIAGE = 'ticket_triage'\n", "app/views.py": CALLS}


def test_table_registry_and_suggestion(tmp_path):
    src = ("from openai import OpenAI\n\nclient = OpenAI()\n"
           "client.chat.completions.create(model='m', messages=[], metadata={'feature': 'faq_bot'})\n"
           "client.chat.completions.create(model='m', messages=[], metadata={'feature': 'billing'})\n"
           "client.chat.completions.create(model='m', messages=[], metadata={'feature': 'faq-bot'})\n")
    got = findings(tmp_path, {"app.py": src})
    assert [(f.row, f.column) for f in got] == [(4, 77), (5, 77)]
    assert got[0].message == "Feature 'faq_bot' is not declared in [tool.tokenlint.features]; did you mean 'faq-bot'?"
    assert got[1].message == "Feature 'billing' is not declared in [tool.tokenlint.features]"


def test_constant_from_another_module_is_reported_in_the_checked_file(tmp_path):
    got = findings(tmp_path, FILES, check="app/views.py")
    assert [(f.path, f.row, f.column) for f in got] == [("app/views.py", 9, 81), ("app/views.py", 10, 71)]
    assert "did you mean 'ticket-triage'?" in got[0].message


def test_constant_in_the_same_module_is_reported_once_at_its_assignment(tmp_path):
    src = ("from openai import OpenAI\n\nclient = OpenAI()\nFAQ = 'faq'\n\n\n"
           "def ask(q):\n"
           "    client.chat.completions.create(model='m', messages=[], metadata={'feature': FAQ})\n"
           "    client.embeddings.create(model='e', input=q, metadata={'feature': FAQ})\n")
    got = findings(tmp_path, {"app.py": src})
    assert [(f.row, f.column) for f in got] == [(4, 7)]


def test_plain_list_registry(tmp_path):
    got = findings(tmp_path, FILES, pyproject='[tool.tokenlint]\nfeatures = ["ticket_triage"]\n')
    assert got == []
