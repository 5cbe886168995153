"""Rule precision and reach on shapes a judge read in round 16 (2026-12-07): loops a hook resumes or a
limit-checking call ends (TKL402), per-request values that are the same on every request of a loop or
that a per-call text follows at once (TKL302), a request's parameter dict written with an annotation
(TKL501), and the model a framework's own agent class is given in its own samples (TKL202, TKL203).
Each case pairs the shape that must stay silent with the near shape that must still be reported (all
fixtures written for these tests)."""

from __future__ import annotations

import pytest

from projects import analysed_sites, make, rule_findings, rule_rows

# ---------------------------------------------------------------- TKL402: hooks, limit-checking calls

LOOPS = ("from openai import OpenAI\n"
         "client = OpenAI()\n"
         "def hooked(hooks, messages):\n"
         "    current = messages\n"
         "    while current is not None:\n"
         "        r = client.chat.completions.create(model='gpt-4o', messages=current, max_tokens=9)\n"
         "        after = hooks.invoke_callbacks(AfterEvent(result=r))\n"
         "        if after.resume is not None:\n"
         "            current = [after.resume]\n"
         "        else:\n"
         "            current = None\n"
         "def checked(state, messages):\n"
         "    while True:\n"
         "        go, why = state.should_continue(max_handoffs=state.max_handoffs, timeout=state.execution_timeout)\n"
         "        if not go:\n"
         "            break\n"
         "        r = client.chat.completions.create(model='gpt-4o', messages=messages, max_tokens=9)\n"
         "        if r.choices[0].message.content == 'DONE':\n"
         "            break\n"
         "def model_decides(messages):\n"
         "    current = messages\n"
         "    while current is not None:\n"
         "        r = client.chat.completions.create(model='gpt-4o', messages=current, max_tokens=9)\n"
         "        nxt = parse(r)\n"
         "        if nxt.resume is not None:\n"
         "            current = [nxt.resume]\n"
         "        else:\n"
         "            current = None\n"
         "def unchecked(state, messages):\n"
         "    while True:\n"
         "        go = state.should_continue(messages, max_tokens=100)\n"
         "        if not go:\n"
         "            break\n"
         "        r = client.chat.completions.create(model='gpt-4o', messages=messages, max_tokens=9)\n"
         "        if r.choices[0].message.content == 'DONE':\n"
         "            break\n")

# the history an item assignment fills (`self.history[-1] = ...`) rebinds no `self`: a method's answer
# (`self.next_input()`) is not the model's output because the loop wrote into one of the object's fields
ITEM = ("from openai import OpenAI\n"
        "client = OpenAI()\n"
        "class Chat:\n"
        "    def run(self):\n"
        "        msgs = self.first_input()\n"
        "        while msgs is not None:\n"
        "            r = client.chat.completions.create(model='gpt-4o', messages=msgs, max_tokens=9)\n"
        "            self.history[-1] = r.choices[0].message.content\n"
        "            msgs = self.next_input()\n"
        "    def run_on_answer(self):\n"
        "        msgs = self.first_input()\n"
        "        while msgs is not None:\n"
        "            r = client.chat.completions.create(model='gpt-4o', messages=msgs, max_tokens=9)\n"
        "            self.history[-1] = r.choices[0].message.content\n"
        "            msgs = self.next_input(r)\n")

# a project function returning the SDK's response as is: `while ret is None: ret = make_request(...)` is a
# retry, as with the request in place; one returning what the model wrote (`.content`, None when empty) is not
RETRY = ("import time\n"
         "from openai import OpenAI\n"
         "client = OpenAI()\n"
         "def make_request(message, model):\n"
         "    return client.chat.completions.create(model=model, messages=[{'role': 'user', 'content': message}], max_tokens=9)\n"
         "def make_auto_request(*args, **kwargs):\n"
         "    ret = None\n"
         "    while ret is None:\n"
         "        try:\n"
         "            ret = make_request(*args, **kwargs)\n"
         "        except Exception:\n"
         "            time.sleep(1)\n"
         "    return ret\n"
         "def ask(message):\n"
         "    r = client.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': message}], max_tokens=9)\n"
         "    return r.choices[0].message.content\n"
         "def until_answered(message):\n"
         "    answer = None\n"
         "    while answer is None:\n"
         "        answer = ask(message)\n"
         "    return answer\n")

# ---------------------------------------------------------------- TKL302: reused within a loop, broken anyway

PREFIX = ("import random\n"
          "import uuid\n"
          "from datetime import datetime\n"
          "from litellm import completion\n"
          "WIKI = 'Policy. ' * 2000\n"
          "def episode(examples, env):\n"
          "    shots = '\\n\\n'.join(random.sample(examples, 3))\n"
          "    messages = [{'role': 'system', 'content': f'{WIKI}\\n\\n{shots}'}]\n"
          "    for _ in range(30):\n"
          "        res = completion(model='gpt-4o', messages=messages, max_tokens=100)\n"
          "        messages.append({'role': 'user', 'content': env.step(res)})\n"
          "def every_call(examples, question):\n"
          "    shots = '\\n\\n'.join(random.sample(examples, 3))\n"
          "    messages = [{'role': 'system', 'content': f'{WIKI}\\n\\n{shots}'}, {'role': 'user', 'content': question}]\n"
          "    return completion(model='gpt-4o', messages=messages, max_tokens=100)\n"
          "def inside(examples, env):\n"
          "    for _ in range(30):\n"
          "        shots = '\\n\\n'.join(random.sample(examples, 3))\n"
          "        completion(model='gpt-4o', messages=[{'role': 'system', 'content': f'{WIKI}\\n\\n{shots}'}], max_tokens=100)\n"
          "def tagged(task, summary):\n"
          "    prompt = f'Task: {task}\\nSummary: {summary}\\n' + 'Rules. ' * 2000\n"
          "    return completion(model='gpt-4o', messages=[{'role': 'user', 'content': f'[{uuid.uuid4().hex}] {prompt}'}], max_tokens=100)\n"
          "def tagged_static(task):\n"
          "    prompt = 'Rules. ' * 2000 + f'Task: {task}'\n"
          "    return completion(model='gpt-4o', messages=[{'role': 'user', 'content': f'[{uuid.uuid4().hex}] {prompt}'}], max_tokens=100)\n"
          "def tagged_workspace(workspace, intent):\n"
          "    prompt = f'Workspace: {workspace}\\n' + 'Rules. ' * 2000 + f'Intent: {intent}'\n"
          "    return completion(model='gpt-4o', messages=[{'role': 'user', 'content': f'[{uuid.uuid4().hex}] {prompt}'}], max_tokens=100)\n"
          "def clock(questions):\n"
          "    now = datetime.now()\n"
          "    for q in questions:\n"
          "        completion(model='gpt-4o', messages=[{'role': 'system', 'content': f'Time {now:%H:%M}\\n{WIKI}'}, {'role': 'user', 'content': q}], max_tokens=100)\n"
          "def clock_each(questions):\n"
          "    for q in questions:\n"
          "        now = datetime.now()\n"
          "        completion(model='gpt-4o', messages=[{'role': 'system', 'content': f'Time {now:%H:%M}\\n{WIKI}'}, {'role': 'user', 'content': q}], max_tokens=100)\n"
          "def nested(questions):\n"
          "    def stamp():\n"
          "        return f'Time {datetime.now():%H:%M}'\n"
          "    for q in questions:\n"
          "        completion(model='gpt-4o', messages=[{'role': 'system', 'content': stamp() + WIKI}, {'role': 'user', 'content': q}], max_tokens=100)\n")

# ---------------------------------------------------------------- TKL501: an annotated parameter dict

BEDROCK = ("import boto3\n"
           "async def _call(client, fn, params, headers):\n"
           "    return fn(**params)\n"
           "class Model:\n"
           "    def __init__(self):\n"
           "        self.client = boto3.client('bedrock-runtime')\n"
           "    async def request(self, messages, model_settings):\n"
           "        settings = model_settings or {}\n"
           "        inference_config = self._map_inference_config(settings)\n"
           "        params: dict = {'modelId': 'm', 'messages': messages, 'inferenceConfig': inference_config}\n"
           "        if tool_config := settings.get('tools'):\n"
           "            params['toolConfig'] = tool_config\n"
           "        return await _call(self.client, self.client.converse, params, settings.get('extra_headers'))\n"
           "    async def plain(self, messages):\n"
           "        params: dict = {'modelId': 'm', 'messages': messages, 'inferenceConfig': {'temperature': 0}}\n"
           "        return await _call(self.client, self.client.converse, params, None)\n"
           "    @staticmethod\n"
           "    def _map_inference_config(settings):\n"
           "        config = {}\n"
           "        if settings.get('max_tokens'):\n"
           "            config['maxTokens'] = settings['max_tokens']\n"
           "        return config\n")

# the near shapes a merge review found lost by the first cut: a call wrapping the request
# (`wait_for(create(...), timeout=60)`), a callback handed the model's text, a call handed what the model
# wrote and a limit only inside it, a call of `self` handed a timeout, a flag filled on `self.state`
STILL_LOOPS = "import asyncio\nfrom openai import OpenAI, AsyncOpenAI\nclient = OpenAI()\naclient = AsyncOpenAI()\n\n\nasync def waited(messages):\n    while True:\n        r = await asyncio.wait_for(aclient.chat.completions.create(model='gpt-4o', messages=messages, max_tokens=9), timeout=60)\n        if r.choices[0].message.content == 'DONE':\n            break\n        messages.append({'role': 'user', 'content': 'go on'})\n\n\ndef hooked_answer(hooks, messages):\n    while True:\n        r = client.chat.completions.create(model='gpt-4o', messages=messages, max_tokens=9)\n        text = hooks.on_response(r.choices[0].message.content)\n        if text == 'DONE':\n            break\n        messages.append({'role': 'user', 'content': text})\n\n\ndef parsed_max(messages, scores):\n    while True:\n        r = client.chat.completions.create(model='gpt-4o', messages=messages, max_tokens=9)\n        verdict = judge(r.choices[0].message.content, max(scores))\n        if verdict == 'DONE':\n            break\n        messages.append({'role': 'user', 'content': 'more'})\n\n\ndef control(messages):\n    while True:\n        r = client.chat.completions.create(model='gpt-4o', messages=messages, max_tokens=9)\n        text = r.choices[0].message.content\n        if text == 'DONE':\n            break\n        messages.append({'role': 'user', 'content': text})\n"
SELF_LOOP = "from openai import OpenAI\nclient = OpenAI()\n\n\nclass Agent:\n    def run(self, messages):\n        while True:\n            r = client.chat.completions.create(model='gpt-4o', messages=messages, max_tokens=9)\n            self.last = r.choices[0].message.content\n            self.obs = self.tools.execute(self.last, timeout=30)\n            if self.last == 'DONE':\n                break\n            messages.append({'role': 'user', 'content': self.obs})\n"
STATE_LOOP = "from openai import OpenAI\nclient = OpenAI()\n\n\nclass Agent:\n    def run(self, messages):\n        while not self.state.done:\n            r = client.chat.completions.create(model='gpt-4o', messages=messages, max_tokens=9)\n            self.state.done = 'DONE' in r.choices[0].message.content\n            messages.append({'role': 'user', 'content': 'go on'})\n\n\ndef run2(state, messages):\n    while not state.done:\n        r = client.chat.completions.create(model='gpt-4o', messages=messages, max_tokens=9)\n        state.done = 'DONE' in r.choices[0].message.content\n        messages.append({'role': 'user', 'content': 'go on'})\n"
# a value computed before a retry loop that returns the request's result: one request per call, each
# with a fresh value; a fixed `{base_prompt}` before the static text does not end the reused prefix
STILL_PREFIX = "from datetime import datetime\nfrom litellm import completion\nWIKI = 'Policy. ' * 2000\n\n\ndef retry(question):\n    now = datetime.now()\n    for attempt in range(3):\n        try:\n            return completion(model='gpt-4o', messages=[{'role': 'system', 'content': f'Time {now:%H:%M:%S}\\n{WIKI}'}, {'role': 'user', 'content': question}], max_tokens=100)\n        except Exception:\n            pass\n\n\ndef retry_inline(question):\n    for attempt in range(3):\n        try:\n            return completion(model='gpt-4o', messages=[{'role': 'system', 'content': f'Time {datetime.now():%H:%M:%S}\\n{WIKI}'}, {'role': 'user', 'content': question}], max_tokens=100)\n        except Exception:\n            pass\n\n\ndef first_message(question, base_prompt):\n    return completion(model='gpt-4o', messages=[{'role': 'user', 'content': f'[{datetime.now():%H:%M:%S}] {base_prompt}\\n{WIKI}\\n{question}'}], max_tokens=100)\n\n\ndef first_message_ws(question, workspace):\n    return completion(model='gpt-4o', messages=[{'role': 'user', 'content': f'[{datetime.now():%H:%M:%S}] {workspace}\\n{WIKI}\\n{question}'}], max_tokens=100)\n"


CASES = [
    ("a_loop_a_hook_resumes_or_a_limit_checking_call_ends_is_not_reported", "TKL402", LOOPS, [23, 34]),
    ("a_retry_of_a_function_returning_the_response_as_is_is_not_reported", "TKL402", RETRY, [20]),
    ("an_item_assigned_on_self_does_not_make_every_method_answer_the_models", "TKL402", ITEM, [13]),
    ("a_value_fixed_before_the_loop_or_followed_by_per_call_text_is_not_reported", "TKL302", PREFIX,
     [13, 18, 25, 28, 36, 41]),
    ("an_annotated_parameter_dict_carrying_a_helper_built_config_is_not_read_as_uncapped", "TKL501", BEDROCK, [16]),
    ("a_limit_inside_the_request_or_a_callback_handed_the_answer_is_no_bound", "TKL402", STILL_LOOPS, [9, 17, 26, 35]),
    ("a_call_of_self_handed_the_models_text_and_a_timeout_is_no_bound", "TKL402", SELF_LOOP, [8]),
    ("a_flag_filled_on_an_attribute_of_self_is_the_models_output", "TKL402", STATE_LOOP, [8, 15]),
    ("a_value_before_a_retry_loop_and_a_fixed_part_before_the_static_text_are_reported", "TKL302", STILL_PREFIX,
     [10, 18, 24, 28]),
]


@pytest.mark.parametrize("rule,source,rows", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_reports_only_the_lines_expected(tmp_path, rule, source, rows):
    root = make(tmp_path / "p", {"app.py": source})
    assert rule_rows(root, rule) == rows


# ---------------------------------------------------------------- TKL202 / TKL203: the framework's own agent

OWN_AGENT = ("class Agent:\n"
             "    def __init__(self, name, model='', instruction=''):\n"
             "        self.name, self.model, self.instruction = name, model, instruction\n")
OWN_SOURCE = {
    "src/google/adk/__init__.py": "",
    "src/google/adk/agents/__init__.py": "from google.adk.agents.agent import Agent\n",
    "src/google/adk/agents/agent.py": OWN_AGENT,
}
SAMPLE = ("from google.adk.agents import Agent\n"
          "\n"
          "root_agent = Agent(name='helper', model='gemini-2.0-flash', instruction='Be brief.')\n"
          "plain_agent = Agent(name='plain', instruction='Be brief.')\n")


def test_the_model_a_framework_gives_its_own_agent_in_its_samples_is_judged_without_a_binding(tmp_path):
    """A framework analysed as itself (a portion of a shared namespace, as ADK's `src/google/adk`): its
    samples' `Agent(model='gemini-2.0-flash')` is no binding and stays out of the inventory, but the model
    it chooses is what runs: TKL202 and TKL203 read it, at the literal; an agent handed no model is silent."""
    files = {**OWN_SOURCE, "samples/hello/agent.py": SAMPLE}
    own = analysed_sites(tmp_path / "sites", files)
    assert not [s for s in own if s.kind == "binding"]
    root = make(tmp_path / "p", files)
    for code in ("TKL202", "TKL203"):
        got = [(p, row) for p, row, _ in rule_findings(root, code)]
        assert got == [("samples/hello/agent.py", 3)], code
    assert rule_findings(root, "TKL501") == []  # no request, no binding: the cap rule has nothing to read
