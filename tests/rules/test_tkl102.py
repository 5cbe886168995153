"""TKL102 dynamic-feature-tag beyond the fixtures: the configured feature key, tags set on the
client, and the message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tokenlint.config import load_config
from tokenlint.engine import analyse

TODAY = dt.date(2026, 11, 29)


def findings(root: Path, files: dict[str, str], pyproject: str = "[tool.tokenlint]\n"):
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    cfg = load_config(root / "pyproject.toml").with_overrides(select=("TKL102",))
    return [f for f in analyse([root], cfg, root=root, today=TODAY).findings if f.code == "TKL102"]


def test_the_configured_feature_key_is_the_one_checked(tmp_path):
    src = ("from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef view(request):\n"
           "    client.chat.completions.create(model='m', messages=[], metadata={'product': request.path,"
           " 'feature': request.path})\n")
    got = findings(tmp_path, {"app.py": src}, '[tool.tokenlint]\nfeature-key = "product"\n')
    assert [(f.row, f.column) for f in got] == [(7, 81)]
    assert findings(tmp_path, {"app.py": src}) != []  # with the default key the 'feature' value is found


def test_a_dynamic_tag_on_the_client_is_reported_at_each_call(tmp_path):
    src = ("from openai import OpenAI\n\nfrom app.ctx import current_feature\n\n"
           "client = OpenAI(default_headers={'X-Feature': current_feature()})\n\n\n"
           "def ask(q):\n"
           "    client.chat.completions.create(model='m', messages=[{'role': 'user', 'content': q}])\n"
           "    client.embeddings.create(model='e', input=q)\n")
    got = findings(tmp_path, {"svc.py": src})
    assert [(f.row, f.column) for f in got] == [(9, 5), (10, 5)]
    assert "current_feature()" in got[0].message


def test_message_names_provider_api_and_a_shortened_tag(tmp_path):
    long = "f\"{request.user.organisation.name}-{request.user.team.name}-{request.resolver_match.url_name}\""
    src = ("from anthropic import Anthropic\n\nclaude = Anthropic()\n\n\ndef view(request):\n"
           f"    claude.messages.create(model='m', max_tokens=5, messages=[], extra_headers={{'X-Feature': {long}}})\n")
    (msg,) = [f.message for f in findings(tmp_path, {"app.py": src})]
    assert msg.startswith("Feature tag of anthropic messages call is computed per request: f\"{request.user")
    assert msg.endswith("...") and len(msg) < 140


def test_literal_constant_env_and_parameter_tags_are_silent(tmp_path):
    src = ("import os\n\nfrom openai import OpenAI\n\nfrom app.features import SEARCH\n\nclient = OpenAI()\n"
           "FEATURE = 'faq'\n\n\n"
           "def ask(q, feature):\n"
           "    client.chat.completions.create(model='m', messages=[], metadata={'feature': 'faq'})\n"
           "    client.chat.completions.create(model='m', messages=[], metadata={'feature': FEATURE})\n"
           "    client.chat.completions.create(model='m', messages=[], metadata={'feature': SEARCH})\n"
           "    client.chat.completions.create(model='m', messages=[], metadata={'feature': f'{SEARCH}-v2'})\n"
           "    client.chat.completions.create(model='m', messages=[], metadata={'feature': os.getenv('F')})\n"
           "    client.chat.completions.create(model='m', messages=[], metadata={'feature': feature})\n")
    files = {"app/__init__.py": "", "app/features.py": "SEARCH = 'kb-search'\n", "app/svc.py": src}
    assert findings(tmp_path, files) == []
