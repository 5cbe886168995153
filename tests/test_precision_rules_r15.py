"""Rule precision on shapes a judge found reported wrongly (round 15, 2026-12-07): requests to a model
server the user runs (TKL501, TKL401), retry loops and loops bounded by a growing collection (TKL402),
model defaults that never run and Azure deployment names (TKL202, TKL203), caps sent where the request
does not show them (TKL501). Each case pairs the shape that must stay silent with the near shape that
must still be reported (all fixtures written for these tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from projects import make, rule_rows

from tokenlint.config import Config
from tokenlint.engine import analyse


# ---------------------------------------------------------------- TKL501: LiteLLM prefix in a formatted string

LITELLM = ("from litellm import completion\n"
           "def local(name, prompt):\n"
           "    return completion(model='ollama_chat/{}'.format(name), messages=[{'role': 'user', 'content': prompt}])\n"
           "def local_percent(name, prompt):\n"
           "    return completion(model='ollama/%s' % name, messages=[{'role': 'user', 'content': prompt}])\n"
           "def hosted(name, prompt):\n"
           "    return completion(model='openai/{}'.format(name), messages=[{'role': 'user', 'content': prompt}])\n")


# ---------------------------------------------------------------- TKL501: a class named after a local server

NAMED = ("from openai import OpenAI\n"
         "class OllamaBackend:\n"
         "    def __init__(self, cfg):\n"
         "        self.client = OpenAI(base_url=cfg.base_url, api_key=cfg.api_key)\n"
         "    def ask(self, prompt):\n"
         "        return self.client.chat.completions.create(model='llama3', messages=[{'role': 'user', 'content': prompt}])\n"
         "class VLLMClient:\n"
         "    def ask(self, cfg, prompt):\n"
         "        client = OpenAI(base_url=cfg.url)\n"
         "        return client.chat.completions.create(model=cfg.model, messages=[{'role': 'user', 'content': prompt}])\n"
         "class OllamaFallback:\n"  # no base URL set: the client goes to OpenAI
         "    def ask(self, prompt):\n"
         "        return OpenAI().chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': prompt}])\n"
         "class AdvancedAgent:\n"  # 'advanced' holds the letters of no server's name as a word
         "    def ask(self, cfg, prompt):\n"
         "        client = OpenAI(base_url=cfg.url)\n"
         "        return client.chat.completions.create(model=cfg.model, messages=[{'role': 'user', 'content': prompt}])\n"
         "class OllamaProxy:\n"  # a billed model through a gateway: reported
         "    def ask(self, cfg, prompt):\n"
         "        client = OpenAI(base_url=cfg.url)\n"
         "        return client.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': prompt}])\n")


# ---------------------------------------------------------------- TKL401: a local client handed to a wrapper

HANDED = ("import openai\n"
          "def ask(client: openai.OpenAI, text, model):\n"
          "    return client.completions.create(model=model, prompt=text, max_tokens=100)\n"
          "if __name__ == '__main__':\n"
          "    base_url = f'http://localhost:{8000}/v1'\n"
          "    local = openai.OpenAI(api_key='none', base_url=base_url)\n"
          "    hosted = openai.OpenAI()\n"
          "    for doc in ['a', 'b']:\n"
          "        ask(client=local, text=doc, model='m')\n"
          "    for doc in ['a', 'b']:\n"
          "        ask(hosted, doc, 'gpt-4o-mini')\n")


# ---------------------------------------------------------------- TKL402: retry loops, growing collections

LOOPS = ("import time\n"
         "from openai import OpenAI\n"
         "client = OpenAI()\n"
         "def retry(messages):\n"
         "    ret = None\n"
         "    while ret is None:\n"
         "        try:\n"
         "            ret = client.chat.completions.create(model='gpt-4o', messages=messages, max_tokens=9)\n"
         "        except Exception:\n"
         "            time.sleep(5)\n"
         "    return ret\n"
         "def retry_break(messages):\n"
         "    while True:\n"
         "        try:\n"
         "            ret = client.chat.completions.create(model='gpt-4o', messages=messages, max_tokens=9)\n"
         "        except Exception:\n"
         "            continue\n"
         "        if ret:\n"
         "            break\n"
         "    return ret\n"
         "def capped_events(messages):\n"
         "    events = []\n"
         "    while True:\n"
         "        r = client.chat.completions.create(model='gpt-4o', messages=messages, max_tokens=9)\n"
         "        events.extend(r.choices)\n"
         "        if r.choices[0].message.content == 'DONE':\n"
         "            break\n"
         "        if len(events) > 100:\n"
         "            raise RuntimeError('too many events')\n"
         "def until_text(messages):\n"  # the answer's content ends it: reported
         "    text = None\n"
         "    while text is None:\n"
         "        r = client.chat.completions.create(model='gpt-4o', messages=messages, max_tokens=9)\n"
         "        text = r.choices[0].message.content if 'DONE' in r.choices[0].message.content else None\n"
         "def grown_but_not_counted(messages):\n"  # a grown list read otherwise than by its size: reported
         "    events = []\n"
         "    while True:\n"
         "        r = client.chat.completions.create(model='gpt-4o', messages=messages, max_tokens=9)\n"
         "        events.append(r.choices[0].message.content)\n"
         "        if 'DONE' in events or r.choices[0].message.content == 'DONE':\n"
         "            break\n")


# ---------------------------------------------------------------- TKL203: a model object aimed at an Azure endpoint

AZURE = ("import os\n"
         "from agent_framework.openai import OpenAIChatClient\n"
         "azure = OpenAIChatClient(azure_endpoint=os.environ['AZURE_OPENAI_ENDPOINT'],\n"
         "                         model=os.environ.get('AZURE_OPENAI_DEPLOYMENT', 'gpt-4'))\n"
         "hosted = OpenAIChatClient(api_key=os.environ['OPENAI_API_KEY'],\n"
         "                          model=os.environ.get('OPENAI_MODEL', 'gpt-4'))\n"
         "async def ask(q):\n"
         "    return await azure.get_response(q), await hosted.get_response(q)\n")


def test_a_model_named_on_a_client_given_an_azure_endpoint_is_a_deployment_not_judged(tmp_path):
    root = make(tmp_path / "p", {"app.py": AZURE})
    # (the file itself analysed: an uncatalogued library's guessed model object, as `tokenlint check app.py`)
    result = analyse([root / "app.py"], Config(select=("TKL203",)), root=root, today=dt.date(2026, 12, 6))
    assert [f.row for f in result.findings] == [6]


# ---------------------------------------------------------------- TKL202/TKL203: defaults that never run

TYPED = ("import google.generativeai as genai\n"
         "def ask(client: genai.GenerativeModel, text):\n"  # built elsewhere, with its builder's model
         "    return client.generate_content(text)\n"
         "def ask_default(text):\n"  # built here with no model: the SDK default runs
         "    return genai.GenerativeModel().generate_content(text)\n")


PARTIAL = ("import functools\n"
           "from openai import OpenAI\n"
           "def ask(prompt, model='gpt-3.5-turbo', max_tokens=20):\n"
           "    return OpenAI().chat.completions.create(model=model, messages=[{'role': 'user', 'content': prompt}],\n"
           "                                            max_tokens=max_tokens)\n"
           "def main(name):\n"
           "    fn = functools.partial(ask, model=name.lower(), max_tokens=50)\n"
           "    return fn('hello')\n")
PARTIAL_UNBOUND = PARTIAL.replace("model=name.lower(), ", "")


FALLBACK = ("from langchain.chat_models import init_chat_model\n"
            "class Reflector:\n"
            "    def __init__(self, model=None):\n"
            "        if model is None:\n"
            "            model = init_chat_model('claude-3-5-sonnet-latest', model_provider='anthropic')\n"
            "        self.model = model\n"
            "    def run(self, text):\n"
            "        return self.model.invoke(text)\n"
            "def build(model):\n"
            "    return Reflector(model).run('x')\n")
FALLBACK_REACHED = FALLBACK.replace("Reflector(model)", "Reflector()")
# a model object built in a lambda (its body one expression, no `if model is None:` to read)
FALLBACK_LAMBDA = ("from langchain_openai import ChatOpenAI\n"
                   "make = lambda model=None: ChatOpenAI(model='gpt-3.5-turbo')\n"
                   "def run(text):\n"
                   "    return make().invoke(text)\n")


# ---------------------------------------------------------------- TKL501: caps sent where the request does not show them

HELPER_CONFIG = ("from google import genai\n"
                 "from google.genai import types\n"
                 "client = genai.Client()\n"
                 "def build_config(max_tokens):\n"
                 "    kwargs = {'max_output_tokens': int(max_tokens)}\n"
                 "    return types.GenerateContentConfig(**kwargs)\n"
                 "def ask(text):\n"
                 "    config = build_config(max_tokens=2048)\n"
                 "    return client.models.generate_content(model='gemini-2.5-flash', contents=text, config=config)\n"
                 "def ask_plain(text):\n"
                 "    config = types.GenerateContentConfig(temperature=0.2)\n"
                 "    return client.models.generate_content(model='gemini-2.5-flash', contents=text, config=config)\n")


FILLED = ("import json\n"
          "from tencentcloud.hunyuan.v20230901 import hunyuan_client, models\n"
          "def ask(cred, request_data):\n"
          "    client = hunyuan_client.HunyuanClient(cred, '')\n"
          "    request = models.ChatCompletionsRequest()\n"
          "    request.from_json_string(json.dumps(request_data))\n"
          "    return client.ChatCompletions(request)\n"
          "def ask_written(cred, messages):\n"
          "    client = hunyuan_client.HunyuanClient(cred, '')\n"
          "    request = models.ChatCompletionsRequest()\n"
          "    request.Messages = messages\n"
          "    return client.ChatCompletions(request)\n")


ADK = ("from google.adk import Agent\n"
       "from google.adk.models.anthropic_llm import Claude\n"
       "from google.adk.models.lite_llm import LiteLlm\n"
       "from google.adk.runners import InMemoryRunner\n"
       "claude = Agent(name='a', model=Claude(model='claude-3-5-sonnet-v2@20241022'), instruction='Help.')\n"
       "lite = Agent(name='b', model=LiteLlm(model='openai/gpt-4o'), instruction='Help.')\n"
       "async def main(msg):\n"
       "    async for e in InMemoryRunner(agent=claude).run_async(user_id='u', session_id='s', new_message=msg):\n"
       "        print(e)\n"
       "    async for e in InMemoryRunner(agent=lite).run_async(user_id='u', session_id='s', new_message=msg):\n"
       "        print(e)\n")


# ---------------------------------------------------------------- the cases: (id, rule, source, lines reported)

CASES = [
    ("a_litellm_model_formatted_from_a_local_server_prefix_is_not_judged", "TKL501", LITELLM, [7]),
    ("a_request_in_a_class_named_after_a_local_server_on_a_configured_base_url_is_not_judged", "TKL501", NAMED, [13, 17, 21]),
    ("a_wrapper_handed_a_client_for_a_local_server_is_no_batch_candidate", "TKL401", HANDED, [11]),
    ("retry_loops_and_loops_bounded_by_a_grown_collection_are_not_reported", "TKL402", LOOPS, [33, 38]),
    ("a_client_known_only_by_its_annotation_is_not_judged_for_the_sdk_default_model", "TKL203", TYPED, [5]),
    ("a_config_a_project_helper_builds_is_not_read_as_uncapped", "TKL501", HELPER_CONFIG, [12]),
    ("a_request_object_filled_from_data_not_written_here_is_not_judged", "TKL501", FILLED, [12]),
    ("an_adk_agent_on_claude_is_capped_by_the_model_class", "TKL501", ADK, [10]),
    ("a_partial_binding_the_model_ahead_gives_it_to_the_later_call", "TKL203", PARTIAL, []),
    ("a_partial_leaving_the_model_out_keeps_the_default", "TKL203", PARTIAL_UNBOUND, [3]),
    ("a_none_fallback_every_caller_bypasses_is_not_judged", "TKL203", FALLBACK, []),
    ("a_none_fallback_a_caller_reaches_is_judged", "TKL203", FALLBACK_REACHED, [5]),
    ("a_model_object_built_in_a_lambda_is_judged", "TKL203", FALLBACK_LAMBDA, [2]),
]


@pytest.mark.parametrize("rule,source,rows", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_reports_only_the_lines_expected(tmp_path, rule, source, rows):
    root = make(tmp_path / "p", {"app.py": source})
    assert rule_rows(root, rule) == rows
