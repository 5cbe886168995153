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

# ---------------------------------------------------------------- TKL402: a check's limit verdict

VERDICT = ("from openai import OpenAI\n"
           "client = OpenAI()\n"
           "MAX_WORDS = 200\n"
           "def ask(text):\n"
           "    r = client.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': text}], max_tokens=9)\n"
           "    return r.choices[0].message.content\n"
           "def too_long(answer):\n"
           "    if len(answer.split()) > MAX_WORDS:\n"
           "        return False\n"
           "    return 'OK' in answer\n"
           "def long_enough(answer):\n"
           "    if len(answer.split()) >= MAX_WORDS:\n"
           "        return True\n"
           "    return 'OK' in answer\n"
           "def out_of_turns(state):\n"
           "    if state.turn >= state.max_turns:\n"
           "        return True\n"
           "    return False\n"
           "def keep_going(state):\n"
           "    if state.turn >= state.max_turns:\n"
           "        return False\n"
           "    return True\n"
           "def kept_running(text):\n"
           "    while True:\n"
           "        answer = ask(text)\n"
           "        if too_long(answer):\n"
           "            return answer\n"
           "def counted_by_the_answer(text):\n"
           "    while True:\n"
           "        answer = ask(text)\n"
           "        if long_enough(answer):\n"
           "            return answer\n"
           "def capped(state):\n"
           "    while True:\n"
           "        state.last = ask(state.last)\n"
           "        if out_of_turns(state) or 'DONE' in state.last:\n"
           "            return state.last\n"
           "def capped_negated(state):\n"
           "    while True:\n"
           "        state.last = ask(state.last)\n"
           "        if not keep_going(state) or 'DONE' in state.last:\n"
           "            return state.last\n")

CASES = [
    ("a_check_whose_limit_verdict_keeps_the_loop_is_no_bound", "TKL402", VERDICT, [25, 30]),
    ("a_request_asking_for_logprobs_is_still_capped", "TKL501", ASKED, [7]),
]


@pytest.mark.parametrize("rule,source,rows", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_reports_only_the_lines_expected(tmp_path, rule, source, rows):
    root = make(tmp_path / "p", {"app.py": source})
    assert rule_rows(root, rule) == rows
