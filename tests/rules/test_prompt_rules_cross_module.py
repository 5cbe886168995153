"""Prompt rules follow prompt text imported from another module of the project."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tokenlint.config import Config
from tokenlint.engine import analyse

GUIDELINES = "You are a careful support assistant. " * 120  # ~4,300 characters: over 1,024 tokens


def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.tokenlint]\n", encoding="utf-8")
    pkg = tmp_path / "app"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "prompts.py").write_text(f'GUIDELINES = "{GUIDELINES}"\nSHORT = "Be brief."\n', encoding="utf-8")
    (pkg / "replies.py").write_text(
        "from anthropic import Anthropic\n"
        "from app.prompts import GUIDELINES, SHORT\n"
        "from app import prompts\n\n"
        "client = Anthropic()\n\n\n"
        "def draft(customer, text):\n"
        "    return client.messages.create(model='claude-sonnet-5', max_tokens=300,\n"
        "        system=f'Customer: {customer}\\n\\n{GUIDELINES}',\n"
        "        messages=[{'role': 'user', 'content': text}], extra_headers={'X-Feature': 'replies'})\n\n\n"
        "def polish(text):\n"
        "    return client.messages.create(model='claude-sonnet-5', max_tokens=300,\n"
        "        system=[{'type': 'text', 'text': prompts.SHORT, 'cache_control': {'type': 'ephemeral'}}],\n"
        "        messages=[{'role': 'user', 'content': text}], extra_headers={'X-Feature': 'polish'})\n",
        encoding="utf-8")
    return tmp_path


def test_imported_constant_counts_as_static_text(tmp_path):
    root = project(tmp_path)
    result = analyse([root], Config().with_overrides(select=("TKL301", "TKL304")), root=root,
                     today=dt.date(2026, 11, 29))
    got = {(f.code, f.path, f.row) for f in result.findings}
    assert ("TKL301", "app/replies.py", 10) in got  # dynamic customer name before the imported guidelines
    assert ("TKL304", "app/replies.py", 16) in got  # "Be brief." is far below Sonnet 5's cache minimum
