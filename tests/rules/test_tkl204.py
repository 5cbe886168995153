"""TKL204 model-tier-policy beyond the fixtures: tiers come from [tool.tokenlint.features.<name>],
a shared constant is judged per calling feature and reported at each call's model argument, an
alias takes its target's tier, and a project catalog can set tiers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ruletools import catalog

from tokenlint.config import load_config
from tokenlint.engine import analyse

TODAY = dt.date(2026, 11, 29)

POLICY = """[tool.tokenlint]
select = ["TKL204"]

[tool.tokenlint.features.ticket-triage]
tiers = ["small"]

[tool.tokenlint.features.reply-drafting]
tiers = ["medium", "large"]
"""

SETTINGS = 'DEFAULT_MODEL = "gpt-6-sol"\n'
VIEWS = """from openai import OpenAI

from app.settings import DEFAULT_MODEL

client = OpenAI()


def triage(ticket):
    client.chat.completions.create(model=DEFAULT_MODEL, messages=[], metadata={"feature": "ticket-triage"})


def draft(ticket):
    client.chat.completions.create(model=DEFAULT_MODEL, messages=[], metadata={"feature": "reply-drafting"})
"""


def findings(root: Path, files: dict[str, str], pyproject: str = POLICY):
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    cfg = load_config(root / "pyproject.toml")
    return [f for f in analyse([root], cfg, root=root, today=TODAY).findings if f.code == "TKL204"]


def test_a_shared_constant_is_judged_per_feature_at_each_call(tmp_path):
    got = findings(tmp_path, {"app/__init__.py": "", "app/settings.py": SETTINGS, "app/views.py": VIEWS})
    assert [(f.path, f.row, f.column) for f in got] == [("app/views.py", 9, 42)]
    assert got[0].message == "Feature 'ticket-triage' may use tiers small; 'gpt-6-sol' is large"


def test_without_tiers_nothing_is_checked(tmp_path):
    pyproject = '[tool.tokenlint]\nselect = ["TKL204"]\nfeatures = ["ticket-triage", "reply-drafting"]\n'
    assert findings(tmp_path, {"app/__init__.py": "", "app/settings.py": SETTINGS, "app/views.py": VIEWS},
                    pyproject) == []


def test_an_alias_takes_its_targets_tier_and_a_project_catalog_sets_tiers(tmp_path):
    models = catalog(tmp_path / "models.toml",
                     {"id": "acme-chat", "kind": "alias", "points_to": "acme-chat-0901"},
                     {"id": "acme-chat-0901", "tier": "frontier"})
    views = VIEWS.replace("DEFAULT_MODEL, messages", "'acme-chat', messages")
    # (a relative `model-catalog` is read from the working directory: give an absolute path)
    pyproject = POLICY.replace('select = ["TKL204"]', f'select = ["TKL204"]\nmodel-catalog = "{models}"')
    got = findings(tmp_path, {"app/__init__.py": "", "app/settings.py": SETTINGS, "app/views.py": views}, pyproject)
    assert [(f.row, f.message) for f in got] == [
        (9, "Feature 'ticket-triage' may use tiers small; 'acme-chat' is frontier"),
        (13, "Feature 'reply-drafting' may use tiers medium, large; 'acme-chat' is frontier")]
