"""TKL205 beyond the fixture: a feature with declared tiers is TKL204's; the resolver's
`output_tokens` fact reads numbers through constants and config objects."""

from __future__ import annotations

import datetime as dt

from ruletools import project

from tokenlint.config import Config, load_config
from tokenlint.engine import analyse

APP = '''from google import genai
from google.genai import types
from openai import OpenAI

client = OpenAI()
gemini = genai.Client()
CAP = 4


def run():
    client.chat.completions.create(model="gpt-6-sol", messages=[], max_tokens=CAP, metadata={"feature": "triage"})
    client.chat.completions.create(model="gpt-6-sol", messages=[], max_tokens=CAP, metadata={"feature": "other"})
    gemini.models.generate_content(model="gemini-3.8-flash", contents="x",
                                   config=types.GenerateContentConfig(max_output_tokens=CAP))
'''


def test_declared_tiers_win_and_the_fact_reads_constants(tmp_path):
    project(tmp_path, {"app.py": APP}, pyproject='[tool.tokenlint]\n[tool.tokenlint.features.triage]\ntiers = ["large"]\n')
    cfg = load_config(start=tmp_path).with_overrides(select=("TKL205",))
    result = analyse([tmp_path], cfg, root=tmp_path, today=dt.date(2026, 12, 4))
    assert [f.row for f in result.findings] == [12]
    sites = sorted(analyse([tmp_path], Config(), rules=[], root=tmp_path).sites, key=lambda s: s.line)
    assert [s.output_tokens for s in sites] == [4, 4, 4]
