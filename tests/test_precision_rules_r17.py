"""Rule precision on shapes a judge read in round 17 (2026-12-07): a server the user runs known by a dummy
key held in a name, a model handed in and piped into a chain, a config returned by a method, a request body
that unpacks `**kwargs`, speech recognition and the Claude Agent SDK (TKL501); retries whose request is
chosen on a branch or made by a function returning the response through a name (TKL402); batch advice only
where the provider that answers has a batch API (TKL401); Azure deployment names and a function building
the default model (TKL202). Each case pairs the shape that must stay silent with the near shape that must
still be reported (all fixtures written for these tests)."""

from __future__ import annotations

import pytest

from projects import make, one_file_rows, rule_rows

# ---------------------------------------------------------------- TKL501: a server the user runs

# a dummy key (shorter than any provider's) held in a name every binding of which is that literal
DUMMY_NAME = ("import os\n"
              "from openai import OpenAI\n"
              "def local(host_url, model_name, prompt):\n"
              "    api_key = 'EMPTY'\n"
              "    client = OpenAI(api_key=api_key, base_url=host_url)\n"
              "    return client.chat.completions.create(model=model_name, messages=[{'role': 'user', 'content': prompt}])\n"
              "def overridden(host_url, model_name, prompt):\n"
              "    api_key = 'EMPTY'\n"
              "    if os.environ.get('SERVING_KEY'):\n"
              "        api_key = os.environ['SERVING_KEY']\n"
              "    client = OpenAI(api_key=api_key, base_url=host_url)\n"
              "    return client.chat.completions.create(model=model_name, messages=[{'role': 'user', 'content': prompt}])\n"
              "def hosted(model_name, prompt):\n"
              "    api_key = os.environ['OPENAI_API_KEY']\n"
              "    client = OpenAI(api_key=api_key)\n"
              "    return client.chat.completions.create(model=model_name, messages=[{'role': 'user', 'content': prompt}])\n")

# ---------------------------------------------------------------- TKL501: caps decided elsewhere

# a chain built on a model object the callers hand in is theirs, like the object itself; a retriever
# handed in says nothing of the chat model built beside it
CHAIN = ("from langchain_openai import ChatOpenAI, OpenAIEmbeddings\n"
         "class Answerer:\n"
         "    def __init__(self, llm, prompt, parser):\n"
         "        self.chain = {'question': prompt} | prompt | llm | parser\n"
         "    def answer(self, q):\n"
         "        return self.chain.invoke(q)\n"
         "class Local:\n"
         "    def __init__(self, retriever, prompt, parser):\n"
         "        self.chain = {'context': retriever} | prompt | ChatOpenAI(model='gpt-4o-mini') | parser\n"
         "    def answer(self, q):\n"
         "        return self.chain.invoke(q)\n"
         "a = Answerer(llm=ChatOpenAI(model='gpt-4o-mini'), prompt=None, parser=None)\n"
         "b = Local(retriever=OpenAIEmbeddings(), prompt=None, parser=None)\n")

# a generation config a method returns (`settings.prepare_settings_dict()`) was filled from fields the
# request does not show; one built here by its class, or `dict(...)`, is read
CONFIG = ("import google.generativeai as genai\n"
          "async def from_settings(settings, contents):\n"
          "    model = genai.GenerativeModel('gemini-2.0-flash')\n"
          "    return await model.generate_content_async(contents=contents, generation_config=settings.prepare_settings_dict())\n"
          "async def by_class(contents):\n"
          "    model = genai.GenerativeModel('gemini-2.0-flash')\n"
          "    return await model.generate_content_async(contents=contents, generation_config=genai.types.GenerationConfig(temperature=0))\n"
          "async def as_dict(contents):\n"
          "    model = genai.GenerativeModel('gemini-2.0-flash')\n"
          "    return await model.generate_content_async(contents=contents, generation_config=dict(temperature=0))\n")

# Azure AI Inference's `complete(body={...})`: the whole request in one dict, which may unpack `**kwargs`
BODY = ("from azure.ai.inference import ChatCompletionsClient\n"
        "class Wrapper:\n"
        "    def __init__(self, client: ChatCompletionsClient):\n"
        "        self.client = client\n"
        "    def spread(self, model, messages, **kwargs):\n"
        "        return self.client.complete(body={'model': model, 'messages': messages, **kwargs})\n"
        "    def plain(self, model, messages):\n"
        "        return self.client.complete(body={'model': model, 'messages': messages})\n"
        "    def capped(self, model, messages):\n"
        "        return self.client.complete(body={'model': model, 'messages': messages, 'max_tokens': 100})\n")

# speech recognition answers with the transcript of the audio sent; the Claude Agent SDK runs Claude
# Code, whose Anthropic requests always carry max_tokens
NOT_JUDGED = ("import dashscope\n"
              "from claude_agent_sdk import ClaudeSDKClient\n"
              "def transcribe(messages):\n"
              "    return dashscope.MultiModalConversation.call(model='qwen3-asr-flash', messages=messages)\n"
              "def transcribe_configured(model, messages):\n"
              "    return dashscope.MultiModalConversation.call(model=model, messages=messages, asr_options={'enable_itn': True})\n"
              "def describe(messages):\n"
              "    return dashscope.MultiModalConversation.call(model='qwen-vl-max', messages=messages)\n"
              "async def agent(prompt):\n"
              "    async with ClaudeSDKClient() as client:\n"
              "        await client.query(prompt)\n")

# ---------------------------------------------------------------- TKL402: retries

# a retry whose request is chosen on a branch (both bind the same name), and one through a function that
# returns the response through a name; a branch binding what was parsed from the answer is the model's output
RETRIES = ("import time\n"
           "import anthropic\n"
           "from google import genai\n"
           "client = anthropic.Anthropic()\n"
           "gclient = genai.Client()\n"
           "def branch_retry(messages, thinking):\n"
           "    ret = None\n"
           "    while ret is None:\n"
           "        try:\n"
           "            if thinking:\n"
           "                ret = client.beta.messages.create(model='claude-haiku-5-5', max_tokens=9, messages=messages, stream=True)\n"
           "            else:\n"
           "                ret = client.messages.create(model='claude-haiku-5-5', max_tokens=9, messages=messages)\n"
           "        except anthropic.RateLimitError:\n"
           "            time.sleep(5)\n"
           "    return ret\n"
           "def make_request(model, message):\n"
           "    response = gclient.models.generate_content(model=model, contents=message)\n"
           "    return response\n"
           "def helper_retry(model, message):\n"
           "    result = None\n"
           "    while result is None:\n"
           "        try:\n"
           "            result = make_request(model, message)\n"
           "        except ConnectionError:\n"
           "            continue\n"
           "    return result\n"
           "def ask(model, message):\n"
           "    response = gclient.models.generate_content(model=model, contents=message)\n"
           "    text = response.text\n"
           "    return text or None\n"
           "def until_answered(model, message):\n"
           "    answer = None\n"
           "    while answer is None:\n"
           "        answer = ask(model, message)\n"
           "    return answer\n"
           "def until_parsed(messages, strict):\n"
           "    ret = None\n"
           "    while ret is None:\n"
           "        if strict:\n"
           "            ret = client.messages.create(model='claude-haiku-5-5', max_tokens=9, messages=messages)\n"
           "        else:\n"
           "            ret = parse(client.messages.create(model='claude-haiku-5-5', max_tokens=9, messages=messages))\n"
           "    return ret\n")

# ---------------------------------------------------------------- TKL202: deployments, the default's builder

MODELS = ("import os\n"
          "from langchain_anthropic import ChatAnthropic\n"
          "from openai import AzureOpenAI, OpenAI\n"
          "azure = AzureOpenAI(azure_endpoint=os.environ['AZURE_OPENAI_ENDPOINT'], api_version='2024-06-01')\n"
          "either = AzureOpenAI() if os.getenv('AZURE') else OpenAI()\n"
          "def embed(queries):\n"
          "    return azure.embeddings.create(input=queries, model='text-embedding-ada-002')\n"
          "def embed_either(queries):\n"
          "    return either.embeddings.create(input=queries, model='text-embedding-3-small')\n"
          "def _build_default_model():\n"
          "    return ChatAnthropic(model_name='claude-sonnet-4-6')\n"
          "def build_reviewer():\n"
          "    return ChatAnthropic(model_name='claude-sonnet-4-6')\n"
          "def test_prefers_default_options_model():\n"
          "    return ChatAnthropic(model_name='claude-sonnet-4-6')\n")


CASES = [
    ("a_dummy_key_held_in_a_name_is_a_server_the_user_runs", "TKL501", DUMMY_NAME, [12, 16]),
    ("a_chain_on_a_model_handed_in_is_not_judged_one_built_here_is", "TKL501", CHAIN, [11]),
    ("a_config_a_method_returns_is_unknown_one_built_by_its_class_is_read", "TKL501", CONFIG, [7, 10]),
    ("a_request_body_unpacking_kwargs_may_hold_the_cap", "TKL501", BODY, [8]),
    ("speech_recognition_and_the_claude_agent_sdk_are_not_judged", "TKL501", NOT_JUDGED, [8]),
    ("a_retry_on_a_branch_or_through_a_named_response_is_not_reported", "TKL402", RETRIES, [35, 41]),
    ("an_azure_deployment_name_and_the_default_models_builder_are_not_reported", "TKL202", MODELS, [9, 13, 15]),
]


@pytest.mark.parametrize("rule,source,rows", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_reports_only_the_lines_expected(tmp_path, rule, source, rows):
    assert one_file_rows(tmp_path / "p", source, rule) == rows


# ---------------------------------------------------------------- TKL401: the provider that answers

BATCH = ("import cohere\n"
         "from openai import OpenAI\n"
         "yi = OpenAI(base_url='https://api.lingyiwanwu.com/v1')\n"
         "own = OpenAI(base_url='https://api.openai.com/v1')\n"
         "co = cohere.ClientV2()\n"
         "for t in ['a', 'b']:\n"
         "    yi.chat.completions.create(model='yi-large', max_tokens=9, messages=[{'role': 'user', 'content': t}])\n"
         "for t in ['a', 'b']:\n"
         "    own.chat.completions.create(model='gpt-4o', max_tokens=9, messages=[{'role': 'user', 'content': t}])\n"
         "for t in ['a', 'b']:\n"
         "    co.chat(model='command-a-03-2025', messages=[{'role': 'user', 'content': t}])\n")


def test_batch_advice_only_where_the_provider_that_answers_has_a_batch_api(tmp_path):
    """An OpenAI client aimed at another provider's host (Yi) is that provider's, which has no batch API in
    the catalog, nor has Cohere chat: nothing to move the job to. The OpenAI client aimed at OpenAI's own
    host is reported."""
    root = make(tmp_path / "p", {"scripts/job.py": BATCH})
    assert rule_rows(root, "TKL401", "scripts/job.py") == [9]


def test_a_sagemaker_endpoint_name_is_no_hardcoded_model(tmp_path):
    """`invoke_endpoint(EndpointName="bge-embedder-prod")` names an endpoint (its model is chosen when it is
    created), as an Azure deployment name does: no TKL202; the request is still a site (TKL101 asks a tag)."""
    source = ("import json\n\nimport boto3\n\nruntime = boto3.client(\"sagemaker-runtime\")\n\n\n"
              "def embed(texts):\n"
              "    return runtime.invoke_endpoint(EndpointName=\"bge-embedder-prod\", Body=json.dumps({\"inputs\": texts}))\n")
    assert one_file_rows(tmp_path / "a", source, "TKL202") == []
    assert one_file_rows(tmp_path / "b", source, "TKL101") == [9]


@pytest.mark.parametrize("written, built", [("settings.prepare_settings_dict()", True), ("to_config()", True),
                                            ("to_config(temperature=0)", False), ("to_config(base)", False),
                                            ("types.GenerationConfig()", False), ("dict()", False)])
def test_a_config_returned_by_a_call_with_no_arguments_is_asked_of_the_call(written, built):
    """caps._built_by answers for the whole call, as its docstring says: called with no arguments, of a
    function or method; a call handed any argument is read by them (its caller need not check first)."""
    import ast

    from tokenlint.resolve.caps import _built_by

    assert _built_by(ast.parse(written, mode="eval").body) is built
