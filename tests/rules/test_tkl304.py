"""TKL304 ineffective-cache-breakpoint beyond the fixtures: minimums come from the model catalog
(a configured catalog, an alias's snapshot), models known only at run time stay silent, and the
reasons a message gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tokenlint.config import load_config
from tokenlint.engine import analyse

TODAY = dt.date(2026, 11, 29)
CATALOG = """
[[model]]
id = "acme-claude"
provider = "anthropic"
kind = "alias"
points_to = "acme-claude-2026"
source = "test"
checked = "2026-11-29"

[[model]]
id = "acme-claude-2026"
provider = "anthropic"
kind = "snapshot"
cache_min_tokens = 30
source = "test"
checked = "2026-11-29"
"""


def findings(root: Path, src: str, catalog: bool = False):
    pyproject = "[tool.tokenlint]\n"
    if catalog:
        (root / "models.toml").write_text(CATALOG, encoding="utf-8")
        pyproject += f"model-catalog = {str(root / 'models.toml')!r}\n"
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (root / "app.py").write_text(src, encoding="utf-8")
    cfg = load_config(root / "pyproject.toml").with_overrides(select=("TKL304",))
    return [f for f in analyse([root], cfg, root=root, today=TODAY).findings if f.code == "TKL304"]


def request(model: str, text: str) -> str:
    return ("import os\n\nfrom anthropic import Anthropic\n\nclaude = Anthropic()\n\n\ndef ask(q):\n"
            f"    claude.messages.create(model={model}, max_tokens=5, messages=[{{'role': 'user', 'content': q}}],\n"
            f"                           system=[{{'type': 'text', 'text': {text!r},\n"
            "                                    'cache_control': {'type': 'ephemeral'}}])\n")


def test_the_minimum_comes_from_the_configured_catalog_through_the_alias(tmp_path):
    # acme-claude points to a snapshot that needs 30 tokens: about 120 characters
    (f,) = findings(tmp_path, request("'acme-claude'", "x" * 100), catalog=True)
    assert f.message == ("Cache breakpoint cannot work: the prefix up to it is about 25 tokens (estimated), "
                         "below the 30 tokens acme-claude needs before it caches anything")
    assert findings(tmp_path, request("'acme-claude'", "x" * 130), catalog=True) == []


def test_models_known_only_at_run_time_or_unknown_to_the_catalog_are_silent(tmp_path):
    assert findings(tmp_path, request("os.environ['MODEL']", "short")) == []
    assert findings(tmp_path, request("'acme-unknown-model'", "short")) == []


def test_the_builtin_catalog_minimum_is_used(tmp_path):
    (f,) = findings(tmp_path, request("'claude-haiku-4-5'", "x" * 4000))
    assert "about 1000 tokens (estimated), below the 4096 tokens claude-haiku-4-5" in f.message


def test_breakpoints_in_tools_system_and_messages_count_together(tmp_path):
    src = ("from anthropic import Anthropic\n\nclaude = Anthropic()\nCC = {'type': 'ephemeral'}\n\n\n"
           "def ask(model, q):\n"
           "    claude.messages.create(\n"
           "        model=model, max_tokens=5,\n"
           "        tools=[{'name': 'a', 'input_schema': {}, 'cache_control': CC},\n"
           "               {'name': 'b', 'input_schema': {}, 'cache_control': CC}],\n"
           "        system=[{'type': 'text', 'text': 'rules', 'cache_control': CC}],\n"
           "        messages=[{'role': 'user', 'content': [{'type': 'text', 'text': q, 'cache_control': CC}]}],\n"
           "        cache_control={'type': 'ephemeral', 'ttl': '1h'},\n"
           "    )\n")
    got = findings(tmp_path, src)
    assert [(f.row, f.message.split(": ", 1)[1]) for f in got] == [
        (14, "breakpoint 5 of 5, the API allows at most 4")]
