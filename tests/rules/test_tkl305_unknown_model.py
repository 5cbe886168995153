"""TKL305 on a model tokenlint cannot tell: an Anthropic request whose model is configured or passed
in is judged against the largest cache minimum of Anthropic's current models (every Claude model
caches, so a prompt that long is cacheable whichever runs); shorter prompts, Bedrock requests on an
unknown model (it may not cache) and requests with a breakpoint stay silent."""

from __future__ import annotations

import datetime as dt

from ruletools import project

from tokenlint.catalog import load_model_catalog
from tokenlint.config import Config
from tokenlint.engine import analyse

RULE = "Answer billing questions politely, cite the clause of the contract you rely on, never guess. "
LONG = RULE * 200    # ~19,000 characters: ~4,800 tokens, above every current Claude minimum
MEDIUM = RULE * 60   # ~1,450 tokens: above Sonnet's 1,024 but below Haiku 4.5's 4,096

APP = f'''import os

import boto3
from anthropic import Anthropic

claude = Anthropic()
bedrock = boto3.client("bedrock-runtime")
MODEL = os.environ["CLAUDE_MODEL"]

LONG = "{LONG}"
MEDIUM = "{MEDIUM}"


def configured(question):
    return claude.messages.create(model=MODEL, max_tokens=256, system=LONG, messages=[])


def configured_medium(question):
    return claude.messages.create(model=MODEL, max_tokens=256, system=MEDIUM, messages=[])


def configured_cached(question):
    return claude.messages.create(model=MODEL, max_tokens=256, messages=[],
                                  system=[{{"type": "text", "text": LONG, "cache_control": {{"type": "ephemeral"}}}}])


def bedrock_unknown(question):
    return bedrock.converse(modelId=os.environ["BEDROCK_MODEL"], messages=[], system=[{{"text": LONG}}])
'''


def test_an_unknown_claude_model_is_judged_against_the_largest_minimum(tmp_path):
    project(tmp_path, {"app.py": APP})
    found = analyse([tmp_path], Config().with_overrides(select=("TKL305",)), root=tmp_path,
                    today=dt.date(2026, 12, 6)).findings
    assert [(f.row, f.column) for f in found] == [(15, 71)]
    largest = load_model_catalog().largest_cache_minimum("anthropic")
    assert f"{largest:,}-token cache minimum for every current anthropic model" in found[0].message


def test_the_largest_minimum_skips_retired_models_and_other_providers():
    cat = load_model_catalog()
    current = [m.cache_min_tokens for m in cat.models.values()
               if m.provider == "anthropic" and not m.retired and m.cache_min_tokens]
    assert cat.largest_cache_minimum("anthropic") == max(current)
    assert cat.largest_cache_minimum("no-such-provider") is None
