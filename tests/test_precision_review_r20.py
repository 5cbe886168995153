"""The review of round 20's precision fixes (2026-12-07): each narrowing silenced a near shape that
must still be reported. Every case pairs the silenced shape the fix was written for with the near shape
the review found (all fixtures written for these tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from projects import make, rule_findings, rule_rows

# ---------------------------------------------------------------- TKL501: logprobs asked for, no cap

ASKED = ("from openai import OpenAI\n"
         "client = OpenAI()\n"
         "def reward(messages):\n"
         "    response = client.chat.completions.create(messages=messages, model='rm-8b')\n"
         "    return [t.logprob for t in response.choices[0].logprobs.content]\n"
         "def next_token_odds(question):\n"
         "    response = client.chat.completions.create(model='gpt-4o-mini', messages=[question],\n"
         "                                              logprobs=True, top_logprobs=5)\n"
         "    return response.choices[0].logprobs.content[0].top_logprobs\n")

CASES = [
    ("a_request_asking_for_logprobs_is_still_capped", "TKL501", ASKED, [7]),
]


@pytest.mark.parametrize("rule,source,rows", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_reports_only_the_lines_expected(tmp_path, rule, source, rows):
    root = make(tmp_path / "p", {"app.py": source})
    assert rule_rows(root, rule) == rows
