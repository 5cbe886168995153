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

# ---------------------------------------------------------------- TKL401: an evaluator's result class

EVALUATORS = ("from openai import OpenAI\n"
              "from langsmith.evaluation import EvaluationResult\n"
              "from scoring.types import EvaluatorResult\n"
              "client = OpenAI()\n"
              "def judge(a, b):\n"
              "    return client.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': a + b}], max_tokens=3)\n"
              "def per_example(run, example) -> EvaluationResult:\n"
              "    votes = [judge(q, run.outputs['answer']) for q in example.outputs['checks']]\n"
              "    return EvaluationResult(key='checks', score=len(votes))\n"
              "def summary(runs, examples) -> EvaluationResult:\n"
              "    votes = [judge(r.outputs['answer'], e.outputs['answer']) for r, e in zip(runs, examples)]\n"
              "    return EvaluationResult(key='all', score=len(votes))\n"
              "def project_result(rows):\n"
              "    votes = [judge(r['a'], r['b']) for r in rows]\n"
              "    return EvaluatorResult(score=len(votes))\n"
              "if __name__ == '__main__':\n"
              "    summary([], [])\n")

# ---------------------------------------------------------------- TKL202 / TKL203: a holder that runs the model

EXPORT = ("import dspy\n"
          "from holders import Keeper, Warmed, Handed\n"
          "def keep_named():\n"
          "    lm = dspy.LM(model='gpt-3.5-turbo-0613')\n"
          "    holder = Keeper(lm)\n"
          "    holder.save('keeper.json')\n"
          "def warm():\n"
          "    lm = dspy.LM(model='gpt-3.5-turbo-0613')\n"
          "    holder = Warmed(lm, ['a', 'b'])\n"
          "    holder.save('warmed.json')\n"
          "def handed():\n"
          "    lm = dspy.LM(model='gpt-3.5-turbo-0613')\n"
          "    holder = Handed(model=lm)\n"
          "    holder.save('handed.json')\n")

HOLDERS = ("class Keeper:\n"
           "    def __init__(self, lm):\n"
           "        self.lm = lm\n"
           "    def save(self, path):\n"
           "        open(path, 'w').write(repr(self))\n"
           "class Warmed(Keeper):\n"
           "    def __init__(self, lm, questions):\n"
           "        self.lm = lm\n"
           "        self.items = [self.lm(q) for q in questions]\n"
           "class Handed(Keeper):\n"
           "    def __init__(self, model):\n"
           "        self.answers = [model(messages=[{'role': 'user', 'content': 'hi'}])]\n")

# ---------------------------------------------------------------- TKL202: the id as whole name words

LONGER = ("import openai\n"
          "class GPT4oMiniClient:\n"
          "    def __call__(self, prompt):\n"
          "        return openai.OpenAI().chat.completions.create(model='gpt-4o', messages=[prompt])\n"
          "class GPT4oClient:\n"
          "    def __call__(self, prompt):\n"
          "        return openai.OpenAI().chat.completions.create(model='gpt-4o', messages=[prompt])\n"
          "def gpt4o_mini_answer(prompt):\n"
          "    return openai.OpenAI().chat.completions.create(model='gpt-4o', messages=[prompt])\n"
          "def answer_gpt4o(prompt):\n"
          "    return openai.OpenAI().chat.completions.create(model='gpt-4o', messages=[prompt])\n")

MIGRATE = ("import openai\n"
           "def answer(prompt):\n"
           "    return openai.OpenAI().chat.completions.create(model='gpt-4', messages=[prompt])\n")

CASES = [
    ("a_name_holding_more_of_a_longer_id_is_no_preset", "TKL202", LONGER, [4, 9]),
    ("an_evaluator_result_needs_its_framework_and_no_dataset_loop", "TKL401", EVALUATORS, [11, 14]),
    ("a_check_whose_limit_verdict_keeps_the_loop_is_no_bound", "TKL402", VERDICT, [25, 30]),
    ("a_request_asking_for_logprobs_is_still_capped", "TKL501", ASKED, [7]),
]


@pytest.mark.parametrize("rule,source,rows", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_reports_only_the_lines_expected(tmp_path, rule, source, rows):
    root = make(tmp_path / "p", {"app.py": source})
    assert rule_rows(root, rule) == rows


@pytest.mark.parametrize("code", ["TKL202", "TKL203"])
def test_a_holder_whose_constructor_runs_the_model_keeps_it(tmp_path, code):
    root = make(tmp_path / "p", {"app.py": EXPORT, "holders.py": HOLDERS})
    rows = [row for path, row, _ in rule_findings(root, code, dt.date(2026, 12, 5)) if path == "app.py"]
    assert rows == [8, 12]


def test_a_module_naming_the_model_after_other_words_is_no_preset(tmp_path):
    root = make(tmp_path / "p", {"migrate_from_gpt4.py": MIGRATE, "gpt4.py": MIGRATE})
    assert rule_rows(root, "TKL202", "migrate_from_gpt4.py") == [3]
    assert rule_rows(root, "TKL202", "gpt4.py") == []
