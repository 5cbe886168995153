"""Model names that are no hard-coded choice (round-12 findings judged false, each cause made generic):
a model id picked by the user's labelled option or held in a table of model objects by name (TKL202), a
model run in process (TKL202), and a web form's default model name, which is no model object (TKL203
then reports the model once, where it is written)."""

from __future__ import annotations

import datetime as dt

from projects import make, rule_findings, rule_rows

from tokenlint.config import Config
from tokenlint.engine import analyse

TODAY = dt.date(2026, 12, 6)


# ---------------------------------------------------------------- TKL202: chosen models and registries

CHOICE = (
    "from openai import OpenAI\n"
    "client = OpenAI()\n"
    "def answer(llm_choice, provider, q):\n"
    "    if llm_choice == 'OpenAI GPT-4o':\n"
    "        client.chat.completions.create(model='gpt-4o', messages=q)\n"                 # 5: exempt
    "    elif llm_choice in ('Claude Sonnet 3.5', 'Sonnet'):\n"
    "        client.chat.completions.create(model='claude-3-5-sonnet-20240620', messages=q)\n"  # 7: exempt
    "    else:\n"
    "        client.chat.completions.create(model='gpt-4o-mini', messages=q)\n"            # 9: a default
    "    if provider == 'OpenAI':\n"
    "        client.chat.completions.create(model='gpt-4.1', messages=q)\n"                # 11: provider only
    "    if llm_choice == 'OpenAI GPT-4o':\n"
    "        client.chat.completions.create(model='gpt-4o-mini', messages=q)\n"            # 13: another model
)


def test_a_branch_on_an_option_naming_the_model_translates_the_users_choice(tmp_path):
    root = make(tmp_path / "p", {"app.py": CHOICE})
    assert rule_rows(root, "TKL202") == [9, 11, 13]


ENUM_CHOICE = (
    "from enum import Enum\n"
    "from openai import OpenAI\n"
    "client = OpenAI()\n"
    "class Kind(str, Enum):\n"
    "    FAST = 'GPT 4o mini'\n"
    "    GPT_4 = 'GPT 4 Turbo'\n"
    "    GPT_4O = 'Assistant'\n"
    "    OTHER = 'Other'\n"
    "def answer(kind, q):\n"
    "    if kind == Kind.FAST:\n"
    "        client.chat.completions.create(model='gpt-4o-mini', messages=q)\n"    # 11: the member's value
    "    elif kind == Kind.GPT_4:\n"
    "        client.chat.completions.create(model='gpt-4-turbo', messages=q)\n"    # 13: the member's value
    "    elif kind == Kind.GPT_4O:\n"
    "        client.chat.completions.create(model='gpt-4o', messages=q)\n"         # 15: the member's name
    "    elif kind == Kind.OTHER:\n"
    "        client.chat.completions.create(model='gpt-4.1', messages=q)\n"        # 17: names no model: reported
)


def test_a_branch_on_an_enum_member_naming_the_model_translates_the_users_choice(tmp_path):
    """`if llm_type == LLMType.GPT_4O:`: the enum member is the user's labelled option, by its string
    value (`"GPT 4 Turbo"` names "gpt-4-turbo") or by its own name."""
    root = make(tmp_path / "p", {"app.py": ENUM_CHOICE})
    assert rule_rows(root, "TKL202") == [17]


REGISTRY = (
    "from langchain_openai import ChatOpenAI\n"
    "from langchain_anthropic import ChatAnthropic\n"
    "def supported():\n"
    "    models = {}\n"
    "    models['fast'] = {'chat_model': ChatOpenAI(model='gpt-4o-mini'), 'description': 'Fast'}\n"  # 5
    "    models['smart'] = ChatAnthropic(model='claude-sonnet-4-5', max_tokens=100)\n"               # 6
    "    return models\n"
    "TABLE = {'a': ChatOpenAI(model='gpt-4.1'), 'b': ChatOpenAI(model='gpt-4.1-mini')}\n"             # 8
    "ONE = {'llm': ChatOpenAI(model='gpt-4o')}\n"                                                     # 9: reported
    "plain = ChatOpenAI(model='gpt-4.1-nano')\n"                                                      # 10: reported
)


def test_a_table_of_model_objects_by_name_is_the_configuration(tmp_path):
    root = make(tmp_path / "p", {"app.py": REGISTRY})
    assert rule_rows(root, "TKL202") == [9, 10]


def test_a_model_run_in_process_is_never_a_hardcoded_choice(tmp_path):
    src = ("from llama_index.embeddings.huggingface import HuggingFaceEmbedding\n"
           "from langchain_openai import ChatOpenAI\n"
           "embed_model = HuggingFaceEmbedding(model_name='sentence-transformers/all-MiniLM-L6-v2')\n"
           "llm = ChatOpenAI(model='gpt-4o')\n"
           "def run(q):\n"
           "    embed_model.get_text_embedding(q)\n"
           "    return llm.invoke(q)\n")
    root = make(tmp_path / "p", {"app.py": src})
    assert rule_rows(root, "TKL202") == [4]


def test_a_sentence_transformers_model_named_without_its_organisation_runs_in_process(tmp_path):
    # the library completes "all-MiniLM-L6-v2" to "sentence-transformers/all-MiniLM-L6-v2" (catalog
    # `local_model_names`); a hosted embedding model written the same way is still reported
    src = ("from chonkie import AutoEmbeddings\n"
           "local = AutoEmbeddings.get_embeddings('all-MiniLM-L6-v2')\n"
           "hosted = AutoEmbeddings.get_embeddings('openai://text-embedding-3-large')\n"
           "def run(texts):\n"
           "    local.embed_batch(texts)\n"
           "    return hosted.embed_batch(texts)\n")
    root = make(tmp_path / "p", {"app.py": src})
    assert rule_rows(root, "TKL202") == [3]


# ---------------------------------------------------------------- TKL203: a form default is no model object

def test_a_web_form_default_model_name_is_not_a_model_object(tmp_path):
    models = ("from langchain_openai import ChatOpenAI\n"
              "MODELS = {'gpt-3.5-turbo': ChatOpenAI(model='gpt-3.5-turbo')}\n"
              "DEFAULT_MODEL = 'gpt-3.5-turbo'\n")
    api = ("from fastapi import FastAPI, Form\n"
           "from models import DEFAULT_MODEL, MODELS\n"
           "app = FastAPI()\n"
           "@app.post('/extract')\n"
           "def extract(text: str = Form(...), model_name: str = Form(DEFAULT_MODEL)):\n"
           "    return MODELS[model_name].invoke(text)\n")
    root = make(tmp_path / "p", {"models.py": models, "api.py": api})
    got = rule_findings(root, "TKL203")
    assert [(p, row) for p, row, _ in got] == [("models.py", 2)]
    inventory = analyse([root], Config(select=("TKL101",)), root=root, today=TODAY)
    assert not [s for s in inventory.sites if s.sdk.startswith("library:")]


# ---------------------------------------------------------------- TKL201: a plan's backend has no snapshots

PLAN = (
    "import httpx\n"
    "PLAN_URL = 'https://chatgpt.com/backend-api/codex/responses'\n"
    "API_URL = 'https://api.openai.com/v1/responses'\n"
    "def plan(text):\n"
    "    return httpx.post(PLAN_URL, json={'model': 'gpt-5.4', 'input': text})\n"    # 5: the plan's name
    "def metered(text):\n"
    "    return httpx.post(API_URL, json={'model': 'gpt-5.4', 'input': text})\n"    # 7: pin it
)


def test_a_model_name_sent_to_a_chatgpt_plan_backend_is_not_a_floating_alias(tmp_path):
    """The codex backend of a ChatGPT plan (catalog `backend = "chatgpt-plan"`) serves bare model names
    only: there is no dated snapshot to pin, so TKL201 is silent there and still fires on the API."""
    root = make(tmp_path / "p", {"app.py": PLAN})
    assert rule_rows(root, "TKL201") == [7]
    sites = analyse([root], Config(), rules=[], root=root).sites
    assert sorted((s.line, s.backend) for s in sites) == [(5, "chatgpt-plan"), (7, None)]


# ---------------------------------------------------------------- TKL202: a configured value's fallback

FALLBACK = (
    "from openai import AsyncOpenAI\n"
    "client = AsyncOpenAI()\n"
    "async def speak(config, q):\n"
    "    await client.chat.completions.create(model=await config.get('tts.model') or 'gpt-4o-mini', messages=q)\n"  # 4
    "    await client.chat.completions.create(model='gpt-4o-mini', messages=q)\n"                                   # 5
)


def test_the_fallback_of_a_configured_model_is_a_default_not_an_inline_choice(tmp_path):
    """`config.get("tts.model") or "gpt-4o-mini"`: the model comes from the settings; the literal is only
    its fallback, not a choice written at the call."""
    root = make(tmp_path / "p", {"app.py": FALLBACK})
    assert rule_rows(root, "TKL202") == [5]
