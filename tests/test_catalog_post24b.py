"""Request shapes of the long tail a review of real applications found missing (issue 12 items 5 and 6),
each taught as catalog data with its source: Anthropic's legacy Text Completions API (the SDK resource and the
raw /v1/complete endpoint), the llama.cpp server's own HTTP routes, the pydantic-ai forms not read before,
and azure-ai-generative's QADataGenerator; beside the look-alikes that must stay silent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from projects import make, rule_findings
from test_catalog_census14b import _on, _sites  # the census tests' fixture helpers


def _found(tmp_path: Path, src: str) -> set[tuple]:
    """(line, provider, sdk, api, model value, async, stream) of each site found in `src` that spends."""
    return {(s.line, s.provider, s.sdk, s.api, s.model.value, s.is_async, s.stream)
            for s in _sites(tmp_path, src) if s.spends}


# ---- Anthropic's legacy Text Completions API ----------------------------------------------------

ANTHROPIC_TEXT = '''\
import anthropic
from anthropic import AI_PROMPT, HUMAN_PROMPT, AsyncAnthropic

client = anthropic.Anthropic()
aclient = AsyncAnthropic()

def summary(doc):
    return client.completions.create(model="claude-2.1", max_tokens_to_sample=400,
                                     prompt=f"{HUMAN_PROMPT} Summarise: {doc}{AI_PROMPT}")

async def label(text):
    return await aclient.completions.create(model="claude-instant-1.2", max_tokens_to_sample=5,
                                            prompt=f"{HUMAN_PROMPT} Label: {text}{AI_PROMPT}")

def streamed(doc):
    return client.completions.create(model="claude-2.0", prompt=doc, max_tokens_to_sample=300, stream=True)

def listing():
    return client.models.list()
'''


def test_the_sdk_text_completions_are_anthropic_completions_requests(tmp_path: Path) -> None:
    assert _found(tmp_path, ANTHROPIC_TEXT) == {
        (8, "anthropic", "anthropic", "completions", "claude-2.1", False, False),
        (12, "anthropic", "anthropic", "completions", "claude-instant-1.2", True, False),
        (16, "anthropic", "anthropic", "completions", "claude-2.0", False, True)}


def test_the_retired_claude_2_and_instant_models_are_reported_from_the_catalogs_retirement_data(
        tmp_path: Path) -> None:
    make(tmp_path, {"app.py": ANTHROPIC_TEXT})
    got = {(row, msg) for _p, row, msg in rule_findings(tmp_path, "TKL203", dt.date(2026, 12, 7))}
    assert got == {(8, "Model 'claude-2.1' retired on 2025-07-21"),
                   (12, "Model 'claude-instant-1.2' retired on 2024-11-06"),
                   (16, "Model 'claude-2.0' retired on 2025-07-21")}


def test_a_project_requiring_anthropic_1_never_runs_the_text_completions_resource(tmp_path: Path) -> None:
    """anthropic 1.0.0 dropped `completions`: the call raises, sends nothing ("cannot run")."""
    assert _on(_sites(tmp_path, ANTHROPIC_TEXT), 8, "direct").removed is None
    (tmp_path / "requirements.txt").write_text("anthropic==0.125.0\n", encoding="utf-8")
    assert _on(_sites(tmp_path, ANTHROPIC_TEXT), 8, "direct").removed is None
    (tmp_path / "requirements.txt").write_text("anthropic>=1.0\n", encoding="utf-8")
    sites = _sites(tmp_path, ANTHROPIC_TEXT)
    assert "anthropic 1.0.0" in _on(sites, 8, "direct").removed and _on(sites, 16, "direct").removed


def test_the_openai_completions_resource_stays_openai(tmp_path: Path) -> None:
    src = ('from openai import OpenAI\n'
           'def complete(p):\n'
           '    return OpenAI().completions.create(model="gpt-3.5-turbo-instruct", prompt=p, max_tokens=20)\n')
    assert _found(tmp_path, src) == {(3, "openai", "openai", "completions", "gpt-3.5-turbo-instruct", False, False)}


ANTHROPIC_RAW = '''\
import os
import aiohttp
import httpx
import requests

HEADERS = {"x-api-key": os.environ["ANTHROPIC_API_KEY"], "anthropic-version": "2023-06-01"}

def ask(question):
    body = {"model": "claude-2.1", "max_tokens_to_sample": 256,
            "prompt": f"\\n\\nHuman: {question}\\n\\nAssistant:"}
    return requests.post("https://api.anthropic.com/v1/complete", headers=HEADERS, json=body).json()

def ask_httpx(question):
    return httpx.post("https://api.anthropic.com/v1/complete", headers=HEADERS,
                      json={"model": "claude-instant-1.2", "prompt": question, "max_tokens_to_sample": 64})

async def ask_stream(question):
    async with aiohttp.ClientSession() as session:
        async with session.post("https://api.anthropic.com/v1/complete", headers=HEADERS,
                                json={"model": "claude-2.0", "prompt": question, "max_tokens_to_sample": 64,
                                      "stream": True}) as resp:
            return await resp.text()

def through_gateway(base, payload):
    return requests.post(f"{base}/v1/complete", json=payload)
'''


def test_raw_posts_to_v1_complete_are_anthropic_completions_requests(tmp_path: Path) -> None:
    assert _found(tmp_path, ANTHROPIC_RAW) == {
        (11, "anthropic", "http", "completions", "claude-2.1", False, False),
        (14, "anthropic", "http", "completions", "claude-instant-1.2", False, False),
        (19, "anthropic", "http", "completions", "claude-2.0", True, True)}
    # (line 25, a payload handed in to `{base}/v1/complete`, shows none of the legacy API's own keys: "complete"
    # is too common a REST verb to take it for Anthropic's on an unknown host, the review of post24b found)
    make(tmp_path, {"app.py": ANTHROPIC_RAW})
    assert [row for _p, row, _m in rule_findings(tmp_path, "TKL203", dt.date(2026, 12, 7))] == [9, 15, 20]


def test_v1_complete_look_alikes_are_no_requests(tmp_path: Path) -> None:
    """A task tracker's `/v1/complete` with a body of its own (no `model`) on another host, and a client of
    the project's own route of that path, are not Anthropic's API."""
    src = '''\
import requests
from flask import Flask

app = Flask(__name__)

@app.route("/v1/complete", methods=["POST"])
def complete_route():
    return {"ok": True}

def finish(task_id):
    return requests.post("https://tasks.example.com/v1/complete", json={"task_id": task_id, "status": "done"})

def finish_all(base, ids):
    return requests.post(f"{base}/v1/complete", json={"ids": ids})

def own_server(q):
    return requests.post("http://localhost:5000/v1/complete", json={"model": "m", "prompt": q})
'''
    assert not [s for s in _sites(tmp_path, src) if s.spends]


# ---- the llama.cpp server's own routes ----------------------------------------------------------

def _unresolved(tmp_path: Path, src: str) -> list[tuple[int, str]]:
    """(line, kind) of what `inventory --unresolved` lists for `src` as app.py."""
    from tokenlint.config import Config
    from tokenlint.engine import analyse

    make(tmp_path, {"app.py": src})
    result = analyse([tmp_path], Config(), root=tmp_path, unresolved=True)
    return sorted((u.line, u.kind) for u in result.unresolved)


LLAMA_CPP = '''\
import aiohttp
import httpx
import requests

SERVER = "http://localhost:8080"

def complete(prompt):
    body = {"prompt": prompt, "n_predict": 256, "temperature": 0.2, "stop": ["</s>"]}
    return requests.post("http://127.0.0.1:8080/completion", json=body).json()["content"]

def complete_anywhere(base, prompt):
    return requests.post(f"{base}/completions", json={"prompt": prompt, "n_predict": 64}).json()

def port_only(prompt):
    return requests.post(f"{SERVER}/completion", json={"prompt": prompt, "temperature": 0.7}).json()

def fill(host, before, after):
    return httpx.post(f"http://{host}/infill", json={"input_prefix": before, "input_suffix": after}).json()

def vector(text):
    return httpx.post("http://localhost:8080/embedding", json={"content": text}).json()

class LlamaCppClient:
    def __init__(self, url):
        self.url = url
    def ask(self, prompt):
        return requests.post(f"{self.url}/completion", json={"prompt": prompt, "stream": False}).json()

async def stream(prompt):
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{SERVER}/completion", json={"prompt": prompt, "n_predict": 99, "stream": True}) as r:
            return await r.text()

def chat(messages):
    return requests.post(f"{SERVER}/v1/chat/completions", json={"messages": messages}).json()
'''


def test_llama_cpp_native_routes_are_self_hosted_requests_by_their_evidence(tmp_path: Path) -> None:
    """n_predict (or infill's keys) in the body, the server's default port 8080 in the URL, or llama.cpp named
    around the call; its OpenAI-compatible route keeps an unknown provider (8080 is LocalAI's port too)."""
    assert _found(tmp_path, LLAMA_CPP) == {
        (9, "llama_cpp", "http", "completions", None, False, False),
        (12, "llama_cpp", "http", "completions", None, False, False),
        (15, "llama_cpp", "http", "completions", None, False, False),
        (18, "llama_cpp", "http", "completions", None, False, False),
        (21, "llama_cpp", "http", "embeddings", None, False, False),
        (27, "llama_cpp", "http", "completions", None, False, False),
        (31, "llama_cpp", "http", "completions", None, True, True),
        (35, "unknown", "http", "chat.completions", None, False, False)}


def test_llama_cpp_is_a_local_provider_no_cap_is_asked_of(tmp_path: Path) -> None:
    from tokenlint.resolve.caps import local_providers

    assert "llama_cpp" in local_providers()
    make(tmp_path, {"app.py": LLAMA_CPP})
    assert [row for _p, row, _m in rule_findings(tmp_path, "TKL501")] == []


def test_a_bare_completion_path_is_not_enough(tmp_path: Path) -> None:
    """The project's own /completion route, a non-LLM payload to another host's /completion, a prompt with
    no other evidence, the port without a prompt, an Ollama server's name, and infill / embedding paths with
    other bodies: no site, and a lone `prompt` is not listed as looking like one."""
    own = '''\
import requests
from flask import Flask, request

app = Flask(__name__)

@app.route("/completion", methods=["POST"])
def completion():
    return {"text": request.json["prompt"][::-1]}

def call_own(prompt):
    return requests.post("http://localhost:8080/completion", json={"prompt": prompt}).json()
'''
    (tmp_path / "own").mkdir()
    assert not [s for s in _sites(tmp_path / "own", own) if s.spends]
    src = '''\
import requests

def done(task_id):
    return requests.post("https://example.com/completion", json={"task_id": task_id, "status": "done"})

def store(base, prompt):
    return requests.post(f"{base}/completion", json={"prompt": prompt})

def tick(item):
    return requests.post("http://localhost:8080/completion", json={"item": item, "completed": True})

class OllamaServer:
    def __init__(self, ollama_server_url):
        self.ollama_server_url = ollama_server_url
    def ask(self, prompt):
        return requests.post(self.ollama_server_url, json={"prompt": prompt})

def form(base, form_id):
    return requests.post(f"{base}/infill", json={"form_id": form_id, "values": {}})

def vector(base, text):
    return requests.post(f"{base}/embedding", json={"content": text})
'''
    (tmp_path / "src").mkdir()
    assert not [s for s in _sites(tmp_path / "src", src) if s.spends]
    assert _unresolved(tmp_path / "unresolved", src) == []


def test_apply_template_generates_nothing(tmp_path: Path) -> None:
    """llama.cpp's /apply-template formats a chat into a prompt: no request, though its body is a chat's."""
    src = ('import requests\n'
           'def render(messages):\n'
           '    return requests.post("http://localhost:8080/apply-template", json={"messages": messages})\n'
           'def answer(messages):\n'
           '    return requests.post("http://localhost:8080/v1/chat/completions", json={"messages": messages})\n')
    assert {s.line for s in _sites(tmp_path, src) if s.spends} == {5}


# ---- pydantic-ai: the forms not read before ----------------------------------------------------

def _bindings(tmp_path: Path, src: str) -> set[tuple]:
    """(line, provider, model value, self-hosted) of each binding found in `src`."""
    return {(s.line, s.provider, s.model.value, s.self_hosted) for s in _sites(tmp_path, src) if s.kind == "binding"}


PYDANTIC_AI = '''\
import os
from pydantic_ai import Agent
from pydantic_ai.models import infer_model
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.providers.ollama import OllamaProvider
from pydantic_ai.providers.openai import OpenAIProvider
from pydantic_ai.providers.openrouter import OpenRouterProvider

def build(name: str) -> Agent:
    return Agent(model=f"openai:{name}", instructions="Answer in one line.")

def build_claude(name):
    return Agent("anthropic:" + name)

writer = build("gpt-4.1-mini")
critic = build_claude("claude-sonnet-4-5")
parsed = Agent(infer_model("mistral:mistral-large-latest"))
on_ollama = Agent(OpenAIChatModel("llama3.2", provider=OllamaProvider(base_url="http://localhost:11434/v1")))
routed = Agent(OpenAIChatModel("anthropic/claude-3.5-sonnet",
                               provider=OpenRouterProvider(api_key=os.environ["OPENROUTER_API_KEY"])))
server = OpenAIProvider(base_url="http://127.0.0.1:8000/v1", api_key="EMPTY")
on_vllm = Agent(OpenAIChatModel("qwen2.5-7b-instruct", provider=server))
hosted = Agent(OpenAIChatModel("gpt-4o", provider=OpenAIProvider(api_key=os.environ["OPENAI_API_KEY"])))

def go(q):
    writer.run_sync(q)
    critic.run_sync(q)
    parsed.run_sync(q)
    on_ollama.run_sync(q)
    routed.run_sync(q)
    on_vllm.run_sync(q)
    hosted.run_sync(q)

async def events(q):
    async for event in parsed.run_stream_events(q):
        print(event)
'''


def test_pydantic_ai_provider_of_a_built_model_string_and_of_a_provider_object(tmp_path: Path) -> None:
    """The written head of an f-string or a concatenation names the provider; `infer_model` builds the model
    a "provider:model" string names; a provider object's class names the provider and its base URL / key tell
    a server the user runs."""
    assert _bindings(tmp_path, PYDANTIC_AI) == {
        (10, "openai", None, False),
        (13, "anthropic", None, False),
        (17, "mistral", "mistral-large-latest", False),
        (18, "ollama", "llama3.2", True),
        (19, "openrouter", "anthropic/claude-3.5-sonnet", False),
        (22, "openai", "qwen2.5-7b-instruct", True),
        (23, "openai", "gpt-4o", False)}
    got = {(line, p, api, m, a, st) for line, p, _sdk, api, m, a, st in _found(tmp_path, PYDANTIC_AI)}
    assert got == {(26, "openai", "chat_model", None, False, False),
                   (27, "anthropic", "chat_model", None, False, False),
                   (28, "mistral", "chat_model", "mistral-large-latest", False, False),
                   (29, "ollama", "chat_model", "llama3.2", False, False),
                   (30, "openrouter", "chat_model", "anthropic/claude-3.5-sonnet", False, False),
                   (31, "openai", "chat_model", "qwen2.5-7b-instruct", False, False),
                   (32, "openai", "chat_model", "gpt-4o", False, False),
                   (35, "mistral", "chat_model", "mistral-large-latest", True, True)}


def test_a_model_on_the_users_own_server_is_not_judged_as_a_hosted_one(tmp_path: Path) -> None:
    """TKL202 (hardcoded model) leaves the self-hosted models alone, the hosted one is reported."""
    make(tmp_path, {"app.py": PYDANTIC_AI})
    assert [row for _p, row, _m in rule_findings(tmp_path, "TKL202")] == [17, 19, 23]


def test_pydantic_ai_test_doubles_send_nothing(tmp_path: Path) -> None:
    src = '''\
from pydantic_ai import Agent
from pydantic_ai.models import infer_model
from pydantic_ai.models.function import FunctionModel
from pydantic_ai.models.test import TestModel

def reply(messages, info):
    return None

stub = Agent(TestModel())
named = Agent("test")
scripted = Agent(model=FunctionModel(reply))
double = infer_model("test")

def go(q):
    stub.run_sync(q)
    named.run_sync(q)
    scripted.run_sync(q)
'''
    assert _sites(tmp_path, src) == []


def test_a_provider_head_held_by_a_constant_names_the_provider(tmp_path: Path) -> None:
    src = ('from pydantic_ai import Agent\n'
           'GROQ = "groq:"\n'
           'def build(name):\n'
           '    return Agent(GROQ + name)\n')
    assert {(line, p) for line, p, _m, _h in _bindings(tmp_path, src)} == {(4, "groq")}


def test_a_model_string_without_a_written_provider_head_keeps_the_framework_provider(tmp_path: Path) -> None:
    src = ('from pydantic_ai import Agent\n'
           'def build(spec: str):\n'
           '    return Agent(f"{spec}")\n'
           'def build2(provider, name):\n'
           '    return Agent(provider + ":" + name)\n')
    assert {(line, p) for line, p, _m, _h in _bindings(tmp_path, src)} == {(3, "pydantic_ai"), (5, "pydantic_ai")}


# ---- azure-ai-generative's QADataGenerator --------------------------------------------------------

QA_GENERATOR = '''\
import asyncio
import os
from azure.ai.generative.synthetic.qa import QADataGenerator, QAType

model_config = dict(deployment=os.environ["AZURE_OPENAI_DEPLOYMENT"], model="gpt-4", max_tokens=2000)
generator = QADataGenerator(model_config=model_config)

def make_set(text):
    result = generator.generate(text=text, qa_type=QAType.LONG_ANSWER, num_questions=5)
    generator.export_to_file("qa.jsonl", QAType.LONG_ANSWER, result["question_answers"])
    return result

async def make_many(texts):
    gen = QADataGenerator({"deployment": "qa-gpt35", "model": "gpt-35-turbo"})
    return await asyncio.gather(*[gen.generate_async(t, QAType.SHORT_ANSWER, 3) for t in texts])
'''


def test_qa_data_generator_runs_its_azure_openai_deployment(tmp_path: Path) -> None:
    """generate / generate_async are requests on the deployment of the config dict; export_to_file is none."""
    sites = _sites(tmp_path, QA_GENERATOR)
    assert {(s.line, s.kind, s.provider, s.model.kind, s.model.value, s.is_async) for s in sites} == {
        (6, "binding", "azure_openai", "env", None, False),
        (9, "request", "azure_openai", "env", None, False),
        (14, "binding", "azure_openai", "literal", "qa-gpt35", False),
        (15, "request", "azure_openai", "literal", "qa-gpt35", True)}
    assert _on(sites, 9, "request").binding == _on(sites, 6, "binding").id


def test_a_project_qa_generator_of_its_own_is_no_request(tmp_path: Path) -> None:
    make(tmp_path, {"synth.py": ("class QADataGenerator:\n"
                                 "    def __init__(self, model_config):\n"
                                 "        self.cfg = model_config\n"
                                 "    def generate(self, text, qa_type, num_questions=None):\n"
                                 "        return [(text, text)] * (num_questions or 1)\n")})
    src = ('from synth import QADataGenerator\n'
           'def run(text):\n'
           '    return QADataGenerator({"deployment": "d", "model": "gpt-4"}).generate(text, "short", 2)\n')
    assert not [s for s in _sites(tmp_path, src) if s.spends or s.kind == "binding"]


# ---- the review's cases (merge of post24b) --------------------------------------------------------

def test_a_completions_call_another_imported_sdk_still_has_is_no_removed_call(tmp_path: Path) -> None:
    # anthropic >= 1.0 has no `completions`, openai still has: the call may be OpenAI's, its findings stand
    make(tmp_path, {"llm.py": ("import anthropic\n"
                               "import openai\n"
                               "\n"
                               "\n"
                               "def complete(client, prompt):\n"
                               "    return client.completions.create(model='gpt-3.5-turbo-instruct', prompt=prompt)\n"),
                    "requirements.txt": "anthropic>=1.0\nopenai>=1.0\n"})
    assert [row for _p, row, _m in rule_findings(tmp_path, "TKL202")] == [6]


def test_a_v1_complete_route_of_another_service_is_no_anthropic_request(tmp_path: Path) -> None:
    src = ("import requests\n"
           "\n"
           "\n"
           "def run(job, text):\n"
           "    requests.post('https://jobs.example.com/v1/complete', json={'model': 'resnet50', 'job': job})\n"
           "    return requests.post('https://api.anthropic.com/v1/complete', json={\n"
           "        'model': 'claude-2.1', 'prompt': text, 'max_tokens_to_sample': 300})\n")
    assert {(line, provider, api) for line, provider, _sdk, api, *_ in _found(tmp_path, src)} == {
        (6, "anthropic", "completions")}


def test_a_diffusion_request_of_code_named_for_llama_cpp_is_an_image_request(tmp_path: Path) -> None:
    src = ("import requests\n"
           "\n"
           "\n"
           "class LlamaCppImageBridge:\n"
           "    def __init__(self, url):\n"
           "        self.url = url\n"
           "\n"
           "    def draw(self, prompt):\n"
           "        return requests.post(self.url + '/sdapi/v1/txt2img', json={'prompt': prompt, 'num_inference_steps': 20})\n")
    assert {(provider, api) for _l, provider, _sdk, api, *_ in _found(tmp_path, src)} <= {("unknown", "images")}
    assert not any(provider == "llama_cpp" for _l, provider, *_ in _found(tmp_path, src))
