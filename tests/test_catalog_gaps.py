"""Retired ids the study corpus still sends, known to the catalog: an id flagged retired without a
date is reported once the catalog's check date has passed, and a look-alike id is not."""

from __future__ import annotations

import datetime as dt

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

SOURCE = (
    "import boto3\n"
    "bedrock = boto3.client('bedrock-runtime')\n"
    "bedrock.converse(modelId='anthropic.claude-v2', messages=[])\n"
    "bedrock.converse(modelId='anthropic.claude-v2:1', messages=[])\n"
    "bedrock.converse(modelId='anthropic.claude-instant-v1', messages=[])\n"
    "bedrock.converse(modelId='anthropic.claude-opus-5', messages=[])\n"
)


def _rows(tmp_path, today):
    root = make(tmp_path / "proj", {"app.py": SOURCE})
    result = analyse([root], Config(select=("TKL203",)), root=root, today=today)
    return {f.row: f.message for f in result.findings if f.code == "TKL203"}


def test_bedrock_claude_2_and_instant_are_retired_after_the_catalog_check(tmp_path):
    rows = _rows(tmp_path, dt.date(2026, 12, 5))
    assert sorted(rows) == [3, 4, 5]
    assert all("is retired (as of the catalog check on 2026-12-05" in m for m in rows.values())


def test_an_undated_retirement_is_not_claimed_before_the_catalog_saw_it(tmp_path):
    assert _rows(tmp_path, dt.date(2026, 11, 29)) == {}
