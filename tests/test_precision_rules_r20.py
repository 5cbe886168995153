"""Rule precision on shapes a judge read in round 20 (2026-12-07): a loop whose bound lives in the
completion check it calls (TKL402), a default every caller overrides when another class has a method of
the same name (TKL203), a reward model's scoring request (TKL501), a model object built only to be saved
with a program (TKL202, TKL203), a per-model preset class or module (TKL202) and a loop in an evaluator
callback (TKL401). Each case pairs the shape that must stay silent with the near shape that must still
be reported (all fixtures written for these tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from projects import make, rule_findings, rule_rows

# ---------------------------------------------------------------- TKL402: the bound in a completion check

CHECKED = ("from openai import OpenAI\n"
           "client = OpenAI()\n"
           "def ask(text):\n"
           "    return client.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': text}], max_tokens=9)\n"
           "def finished(state):\n"
           "    if state.turns > state.config.max_turns:\n"
           "        return True\n"
           "    return 'DONE' in state.last\n"
           "class Manager:\n"
           "    def check(self, stage, nodes):\n"
           "        if len(nodes) >= stage.max_iterations:\n"
           "            return True, 'reached max iterations'\n"
           "        r = ask(str(nodes))\n"
           "        return r.choices[0].message.content == 'yes', 'judged'\n"
           "    def judge(self, nodes):\n"
           "        r = ask(str(nodes))\n"
           "        return r.choices[0].message.content == 'yes', 'judged'\n"
           "    def run(self, stage, nodes):\n"
           "        while True:\n"
           "            done, why = self.check(stage, nodes)\n"
           "            if done:\n"
           "                break\n"
           "    def run_unchecked(self, nodes):\n"
           "        while True:\n"
           "            done, why = self.judge(nodes)\n"
           "            if done:\n"
           "                break\n"
           "def agent(state):\n"
           "    while True:\n"
           "        r = ask(state.last)\n"
           "        state.last = r.choices[0].message.content\n"
           "        if finished(state):\n"
           "            break\n"
           "def agent_unbounded(state):\n"
           "    while True:\n"
           "        r = ask(state.last)\n"
           "        state.last = r.choices[0].message.content\n"
           "        if 'DONE' in state.last:\n"
           "            break\n")

# ---------------------------------------------------------------- TKL501: a reward model's scores

SCORES = ("from openai import OpenAI\n"
          "client = OpenAI()\n"
          "def reward(messages, model):\n"
          "    response = client.chat.completions.create(messages=messages, model=model)\n"
          "    if response.choices[0].logprobs is None:\n"
          "        raise ValueError('not a reward model')\n"
          "    return {t.token: t.logprob for t in response.choices[0].logprobs.content}\n"
          "def reward_and_text(messages, model):\n"
          "    response = client.chat.completions.create(messages=messages, model=model, logprobs=True)\n"
          "    scores = response.choices[0].logprobs.content\n"
          "    return response.choices[0].message.content, scores\n"
          "def passed_on(messages, model):\n"
          "    response = client.chat.completions.create(messages=messages, model=model, logprobs=True)\n"
          "    keep(response.choices[0].logprobs)\n"
          "    return response\n")

# ---------------------------------------------------------------- TKL202 / TKL203: a model only saved

SAVED = ("import dspy\n"
         "from program import Decompose\n"
         "def export():\n"
         "    lm = dspy.LM(model='gpt-3.5-turbo-0613')\n"
         "    module = Decompose(lm)\n"
         "    module.save('program.json')\n"
         "def export_and_run(query):\n"
         "    lm = dspy.LM(model='gpt-3.5-turbo-0613')\n"
         "    module = Decompose(lm)\n"
         "    module.save('program.json')\n"
         "    return module(query=query)\n"
         "def configure_and_save(program):\n"
         "    lm = dspy.LM(model='gpt-3.5-turbo-0613')\n"
         "    dspy.configure(lm=lm)\n"
         "    program.save('program.json')\n")

PROGRAM = ("import dspy\n"
           "class Decompose(dspy.Module):\n"
           "    def __init__(self, lm):\n"
           "        super().__init__()\n"
           "        self.lm = lm\n"
           "        self.prog = dspy.Predict('query -> parts')\n"
           "    def forward(self, query):\n"
           "        with dspy.settings.context(lm=self.lm):\n"
           "            return self.prog(query=query)\n")

# ---------------------------------------------------------------- TKL202: a preset class or module

PRESET = ("import openai\n"
          "class GPT_4o_Mini:\n"
          "    def __call__(self, prompt):\n"
          "        return openai.OpenAI().chat.completions.create(model='gpt-4o-mini', messages=[prompt])\n"
          "class ClaudeAnswers:\n"
          "    def __call__(self, prompt):\n"
          "        return openai.OpenAI().chat.completions.create(model='claude-3-opus-20240229', messages=[prompt])\n"
          "class Summarizer:\n"
          "    def __call__(self, prompt):\n"
          "        return openai.OpenAI().chat.completions.create(model='gpt-4o-mini', messages=[prompt])\n")

MODULE_PRESET = ("import openai\n"
                 "def answer(prompt):\n"
                 "    return openai.OpenAI().chat.completions.create(model='gpt-4o', messages=[prompt])\n"
                 "def answer_small(prompt):\n"
                 "    return openai.OpenAI().chat.completions.create(model='gpt-3.5-turbo', messages=[prompt])\n")

# ---------------------------------------------------------------- TKL401: an evaluator callback

EVALUATOR = ("from openai import OpenAI\n"
             "from langsmith.evaluation import EvaluationResult, EvaluationResults\n"
             "client = OpenAI()\n"
             "def judge(a, b):\n"
             "    return client.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': a + b}], max_tokens=3)\n"
             "def compare(run_outputs: dict, example_outputs: dict) -> EvaluationResults:\n"
             "    score = 1\n"
             "    for tool in example_outputs['reference']:\n"
             "        score *= judge(tool['query'], run_outputs['query']).choices[0].message.content == 'YES'\n"
             "    return {'results': [EvaluationResult(key='correct', score=score)]}\n"
             "def per_arg(run, example):\n"
             "    score = 1\n"
             "    for arg in example.outputs['args']:\n"
             "        score *= judge(arg, run.outputs[arg]).choices[0].message.content == 'YES'\n"
             "    return EvaluationResult(key='args', score=score)\n"
             "def grade_all(rows):\n"
             "    return [judge(r['a'], r['b']) for r in rows]\n"
             "if __name__ == '__main__':\n"
             "    grade_all([])\n")

CASES = [
    ("a_loop_a_completion_check_bounds_is_not_reported", "TKL402", CHECKED, [25, 36]),
    ("a_request_read_only_through_its_logprobs_is_not_reported", "TKL501", SCORES, [9, 13]),
    ("a_class_named_with_the_whole_model_id_is_a_preset", "TKL202", PRESET, [7, 10]),
    ("a_loop_in_an_evaluator_callback_is_no_batch_candidate", "TKL401", EVALUATOR, [17]),
]


@pytest.mark.parametrize("rule,source,rows", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_reports_only_the_lines_expected(tmp_path, rule, source, rows):
    root = make(tmp_path / "p", {"app.py": source})
    assert rule_rows(root, rule) == rows


def test_a_module_named_with_the_whole_model_id_is_a_preset(tmp_path):
    root = make(tmp_path / "p", {"gpt_4o.py": MODULE_PRESET, "app.py": MODULE_PRESET})
    assert rule_rows(root, "TKL202", "gpt_4o.py") == [5]  # its own model is its identity; another is a choice
    assert rule_rows(root, "TKL202", "app.py") == [3, 5]


@pytest.mark.parametrize("code", ["TKL202", "TKL203"])
def test_a_model_object_only_saved_with_a_program_never_runs(tmp_path, code):
    root = make(tmp_path / "p", {"app.py": SAVED, "program.py": PROGRAM})
    rows = [row for path, row, _ in rule_findings(root, code, dt.date(2026, 12, 5)) if path == "app.py"]
    assert rows == [8, 13]


# ---------------------------------------------------------------- TKL203: another class's method of the name

CHAT = ("from openai import OpenAI\n"
        "client = OpenAI()\n"
        "class Inference:\n"
        "    def inference(self, prompt, model='gpt-3.5-turbo-0613'):\n"
        "        return client.chat.completions.create(model=model, messages=[prompt])\n")
CALLER = ("from app.chat import Inference\n"
          "def run(settings, prompt):\n"
          "    return Inference().inference(prompt, settings.model)\n")
ONNX = ("class OnnxVoice:\n"
        "    def inference(self, wav, sid=0):\n"
        "        return wav\n")
DEMO = ("from app.voice import OnnxVoice\n"
        "model = OnnxVoice()\n"
        "audio = model.inference('a.wav')\n")
SAME_CLASS_DEMO = ("from app.chat import Inference\n"
                   "model = Inference()\n"
                   "out = model.inference('hi')\n")


def _retired(tmp_path, files):
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/chat.py": CHAT, "app/routes.py": CALLER, **files})
    return [(p, row) for p, row, _ in rule_findings(root, "TKL203", dt.date(2026, 12, 5))]


def test_another_classes_method_of_the_same_name_does_not_keep_the_default(tmp_path):
    assert _retired(tmp_path, {"app/voice.py": ONNX, "app/demo.py": DEMO}) == []


def test_a_call_on_an_object_of_the_class_itself_keeps_the_default(tmp_path):
    assert _retired(tmp_path, {"app/demo.py": SAME_CLASS_DEMO}) == [("app/chat.py", 4)]
