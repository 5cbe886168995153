"""Shapes from a crash hunt on 50 LLM applications tokenlint had not seen (session post21b,
2026-12-07): each either stopped a run or drew a finding plainly false on the code. Every fixture is
made up for these tests; each silent shape is paired with the near shape that must still be reported."""

from __future__ import annotations

import pytest

from projects import analysed_sites, make, rule_rows

# ---------------------------------------------------------------- TKL402: a retry that trims the history

TRIMMED = ("from openai import OpenAI, BadRequestError\n"
           "client = OpenAI()\n"
           "def reply(history, text):\n"
           "    answer = None\n"
           "    while answer is None:\n"
           "        try:\n"
           "            r = client.chat.completions.create(model='gpt-4o', messages=history + [text])\n"
           "            answer = r.choices[0].message.content.strip()\n"
           "        except BadRequestError:\n"
           "            if len(history) == 0:\n"
           "                raise\n"
           "            history = history[1:]\n"
           "    return answer\n"
           "def popped(history, text):\n"
           "    answer = None\n"
           "    while not answer:\n"
           "        try:\n"
           "            answer = client.chat.completions.create(model='gpt-4o', messages=history).choices[0].message.content\n"
           "        except BadRequestError:\n"
           "            if not history:\n"
           "                raise\n"
           "            history.pop(0)\n"
           "    return answer\n"
           "def until_done(history):\n"  # only the model's words end it: reported
           "    answer = ''\n"
           "    while 'DONE' not in answer:\n"
           "        r = client.chat.completions.create(model='gpt-4o', messages=history)\n"
           "        answer = r.choices[0].message.content\n"
           "        history = history[1:] + [answer]\n"
           "    return answer\n"
           "def agent(history, seen):\n"  # takes from a collection, but only the answer ends it: reported
           "    while True:\n"
           "        answer = client.chat.completions.create(model='gpt-4o', messages=history).choices[0].message.content\n"
           "        seen.pop(0)\n"
           "        if answer in seen:\n"
           "            break\n")

# a collection the model refills, or a dict: taking from it is no bound (each loop reported)
REFILLED = ("from openai import OpenAI\n"
            "client = OpenAI()\n"
            "def queue(goal):\n"
            "    todo = [goal]\n"
            "    while True:\n"
            "        item = todo.pop(0)\n"
            "        r = client.chat.completions.create(model='gpt-4o', messages=[item])\n"
            "        todo = r.choices[0].message.content.splitlines()\n"
            "        if not todo:\n"
            "            break\n"
            "def calls(messages, waiting):\n"
            "    while True:\n"
            "        r = client.chat.completions.create(model='gpt-4o', messages=messages)\n"
            "        for c in r.choices[0].message.tool_calls or []:\n"
            "            waiting[c.id] = c\n"
            "        waiting.pop('skip', None)\n"
            "        if not waiting:\n"
            "            break\n"
            "def windowed(history):\n"
            "    while True:\n"
            "        answer = client.chat.completions.create(model='gpt-4o', messages=history).choices[0].message.content\n"
            "        history = history[-4:]\n"
            "        if answer == 'DONE' or not history:\n"
            "            break\n")

# ---------------------------------------------------------------- TKL402: an assert on a counter

ASSERTED = ("from openai import OpenAI\n"
            "client = OpenAI()\n"
            "def judge(q):\n"
            "    return client.chat.completions.create(model='gpt-4o', messages=[q]).choices[0].message.content\n"
            "def pick(q):\n"
            "    ans = judge(q)\n"
            "    k = 0\n"
            "    while 'Answer 1' not in ans and 'Answer 2' not in ans:\n"
            "        assert k < 5\n"
            "        ans = judge(q)\n"
            "        k = k + 1\n"
            "    return ans\n"
            "def pick_unchecked(q):\n"  # an assert on the answer is no bound: reported
            "    ans = judge(q)\n"
            "    while 'Answer' not in ans:\n"
            "        assert ans is not None\n"
            "        ans = judge(q)\n"
            "    return ans\n"
            "def chat(messages):\n"  # an assert on the size of what the loop appends to: no cap, reported
            "    while True:\n"
            "        assert len(messages) > 0\n"
            "        ans = judge(messages)\n"
            "        messages.append(ans)\n"
            "        if 'bye' in ans:\n"
            "            break\n"
            "def worker(queue):\n"  # a worker asserting on each answer: ended by its input, not judged
            "    while True:\n"
            "        ans = judge(queue.get())\n"
            "        assert ans is not None\n")

# ---------------------------------------------------------------- TKL203: a model object's config holds its model

CONFIGURED = ("from lmi import LiteLLMModel\n"
              "def build(cfg):\n"
              "    return LiteLLMModel(llm_config=cfg)\n"
              "def legacy(name):\n"
              "    return LiteLLMModel(config={'model_list': [{'model_name': name, 'litellm_params': {'model': name}}]})\n"
              "def plain():\n"  # nothing given: the library's default model, reported
              "    return LiteLLMModel()\n"
              "def tuned():\n"  # a config without a model: still the default, reported
              "    return LiteLLMModel(config={'temperature': 0, 'max_tokens': 512})\n"
              "def named(name):\n"
              "    return LiteLLMModel(config={'name': name, 'temperature': 0})\n")

# ---------------------------------------------------------------- TKL202: a role name looked up, or a model id as is

ROLE_OR_ID = ("from google.adk.agents import LlmAgent\n"
              "from google.adk.models import Gemini\n"
              "ROLES = {'intake': 'gemini-2.5-flash', 'planner': 'gemini-2.5-pro'}\n"
              "def make_model(role_or_id):\n"
              "    mid = ROLES[role_or_id] if role_or_id in ROLES else role_or_id\n"
              "    return Gemini(model=mid)\n"
              "def make_plain(model_id):\n"  # the parameter alone: the caller's string is the model, reported
              "    return Gemini(model=model_id if model_id else 'gemini-2.5-flash')\n"
              "intake = LlmAgent(name='intake', model=make_model('intake'))\n"
              "raw = LlmAgent(name='raw', model=make_plain('gemini-3-flash'))\n")

# the same lookup on a name known here: the branch it takes is the model (both retired: reported)
KNOWN_KEY = ("from openai import OpenAI\n"
             "client = OpenAI()\n"
             "ALIASES = {'fast': 'gpt-3.5-turbo-0125', 'smart': 'gpt-4o'}\n"
             "def as_is(q):\n"
             "    name = 'gpt-3.5-turbo'\n"
             "    model = ALIASES[name] if name in ALIASES else name\n"
             "    return client.chat.completions.create(model=model, messages=[q])\n"
             "def looked_up(q):\n"
             "    name = 'fast'\n"
             "    model = ALIASES[name] if name in ALIASES else name\n"
             "    return client.chat.completions.create(model=model, messages=[q])\n")

# ---------------------------------------------------------------- TKL101: a chat platform's /v1/messages

MESSAGES = ("import json\n"
            "import requests\n"
            "def notify(token, chat_id, text):\n"  # a chat platform's message API: no model request
            "    body = {'receive_id': chat_id, 'msg_type': 'text', 'content': json.dumps({'text': text})}\n"
            "    return requests.post('https://open.example-chat.cn/open-apis/im/v1/messages',\n"
            "                         headers={'Authorization': token}, data=json.dumps(body))\n"
            "def relay(base, prompt):\n"  # an Anthropic-shaped body on a gateway: reported
            "    body = {'model': 'claude-sonnet-4-5', 'max_tokens': 512, 'messages': [{'role': 'user', 'content': prompt}]}\n"
            "    return requests.post(base + '/v1/messages', json=body)\n"
            "def direct(prompt):\n"  # Anthropic's own host: reported whatever the body
            "    return requests.post('https://api.anthropic.com/v1/messages', json=make(prompt))\n"
            "def updated(base, prompt, model):\n"  # the model added in place: reported
            "    body = {'max_tokens': 512, 'messages': [{'role': 'user', 'content': prompt}]}\n"
            "    body.update(model=model)\n"
            "    return requests.post(base + '/v1/messages', json=body)\n"
            "def merged(base, prompt, model):\n"
            "    body = {'max_tokens': 512, 'messages': [{'role': 'user', 'content': prompt}]}\n"
            "    body |= {'model': model}\n"
            "    return requests.post(base + '/v1/messages', json=body)\n"
            "def configured(base, prompt, cfg):\n"  # keys the code does not show: not contradicted, reported
            "    body = {'max_tokens': 512, 'messages': [{'role': 'user', 'content': prompt}]}\n"
            "    body.update(cfg)\n"
            "    return requests.post(base + '/v1/messages', json=body)\n")

# ---------------------------------------------------------------- TKL302: a date format kept in a constant

DATED = ("from datetime import datetime\n"
         "from openai import OpenAI\n"
         "DATE_PROMPT = 'Today is %Y-%m-%d.'\n"
         "TIME_PROMPT = 'It is %H:%M.'\n"
         "client = OpenAI()\n"
         "def dated():\n"
         "    return 'You are a careful assistant.' + datetime.now().strftime(DATE_PROMPT)\n"
         "def timed():\n"  # a format to the minute: a new prefix on every call, reported
         "    return 'You are a careful assistant.' + datetime.now().strftime(TIME_PROMPT)\n"
         "def ask(q):\n"
         "    return client.chat.completions.create(model='gpt-4o', max_tokens=64, user='u', messages=[\n"
         "        {'role': 'system', 'content': dated()}, {'role': 'user', 'content': q}])\n"
         "def ask_timed(q):\n"
         "    return client.chat.completions.create(model='gpt-4o', max_tokens=64, user='u', messages=[\n"
         "        {'role': 'system', 'content': timed()}, {'role': 'user', 'content': q}])\n")

# a day-level format later extended (`+=`) or rebound from a function (`global`): reported
EXTENDED = ("import os\n"
            "from datetime import datetime\n"
            "from openai import OpenAI\n"
            "STAMP = 'Today is %Y-%m-%d'\n"
            "if os.environ.get('PRECISE'):\n"
            "    STAMP += ' %H:%M:%S'\n"
            "DAY = 'Day %d'\n"
            "def precise(fmt):\n"
            "    global DAY\n"
            "    DAY = fmt\n"
            "client = OpenAI()\n"
            "def ask(q):\n"
            "    return client.chat.completions.create(model='gpt-4o', max_tokens=64, user='u', messages=[\n"
            "        {'role': 'system', 'content': 'Be brief. ' + datetime.now().strftime(STAMP)}, {'role': 'user', 'content': q}])\n"
            "def ask_day(q):\n"
            "    return client.chat.completions.create(model='gpt-4o', max_tokens=64, user='u', messages=[\n"
            "        {'role': 'system', 'content': 'Be brief. ' + datetime.now().strftime(DAY)}, {'role': 'user', 'content': q}])\n")

CASES = [
    ("a_retry_that_trims_the_history_until_empty_is_bounded", "TKL402", TRIMMED, [27, 33]),
    ("a_collection_the_model_refills_or_a_dict_bounds_nothing", "TKL402", REFILLED, [7, 13, 21]),
    ("an_assert_on_a_counter_bounds_the_loop", "TKL402", ASSERTED, [17, 22]),
    ("a_config_handed_to_a_model_object_holds_its_model_not_the_default", "TKL203", CONFIGURED, [7, 9]),
    ("a_role_name_a_wrapper_looks_up_is_no_model", "TKL202", ROLE_OR_ID, [10]),
    ("a_known_name_looked_up_or_as_is_is_the_branch_it_takes", "TKL203", KNOWN_KEY, [3, 5]),
    ("a_chat_platforms_messages_path_is_no_anthropic_request", "TKL101", MESSAGES, [9, 11, 15, 19, 23]),
    ("a_date_format_kept_in_a_constant_changes_once_a_day", "TKL302", DATED, [15]),
    ("a_date_format_extended_or_rebound_keeps_the_time", "TKL302", EXTENDED, [14, 17]),
]


@pytest.mark.parametrize("rule,source,rows", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_reports_only_the_lines_expected(tmp_path, rule, source, rows):
    root = make(tmp_path / "p", {"app.py": source})
    assert rule_rows(root, rule) == rows


def test_a_model_added_in_place_keeps_a_messages_body_anthropics(tmp_path):
    # `body.update(model=m)`, `body |= {"model": m}`, `body.update(cfg)`: the body holds (or may hold) a
    # model, so /v1/messages on a base URL stays an Anthropic messages request
    sites = {s.function: (s.provider, s.api) for s in analysed_sites(tmp_path / "p", {"app.py": MESSAGES})}
    assert {f: sites.get(f) for f in ("relay", "updated", "merged", "configured")} == \
        dict.fromkeys(("relay", "updated", "merged", "configured"), ("anthropic", "messages"))
    assert "notify" not in sites

