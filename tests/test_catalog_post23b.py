"""SDK surfaces added on 2026-12-07 (post23b), each checked against the package's source: Reka's first SDK
(module functions), Aleph Alpha's client, Unify's router client, Azure AI Inference's image embeddings and
the clients an Azure AI project hands out, the current OpenAI, Google GenAI and Anthropic SDKs' newer entry
points (beta Responses, Realtime calls and translations, tuning and File Search indexing, message threads,
dreams, deployment runs), IBM RXN's chemistry predictions, Flowise, R2R and Cleanlab's trust scoring; beside
look-alikes that send nothing. g4f stays out (free web chats, see sdks.toml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from projects import make, one_file_rows, rule_rows
from test_catalog_census14b import _sites  # the census tests' fixture helpers


def _found(tmp_path: Path, src: str) -> set[tuple]:
    """(line, provider, api, model value, async) of each site found in `src` that spends."""
    return {(s.line, s.provider, s.api, s.model.value, s.is_async) for s in _sites(tmp_path, src) if s.spends}


def test_reka_module_functions_are_requests_and_its_listings_are_not(tmp_path: Path) -> None:
    src = '''\
import reka
from reka import v2
reka.API_KEY = "k"
def ask(q, history):
    return reka.chat(human=q, conversation_history=history, model_name="reka-flash")
def complete(p):
    return reka.completion(p, model_name="reka-core")
def ask_v2(q):
    return v2.chat(human=q, model_name="reka-edge")
def models():
    return reka.list_models()
'''
    assert _found(tmp_path, src) == {(5, "reka", "chat", "reka-flash", False),
                                     (7, "reka", "completions", "reka-core", False),
                                     (9, "reka", "chat", "reka-edge", False)}


def test_reka_module_kept_on_self_is_the_client(tmp_path: Path) -> None:
    """A wrapper keeping the module as its client (`self.client = reka`) sends through it."""
    src = '''\
import reka
class RekaWrapper:
    def __init__(self, key):
        self.client = reka
        self.client.API_KEY = key
    def run(self, request):
        return self.client.chat(**request)
'''
    assert {(line, p, api) for line, p, api, _m, _a in _found(tmp_path, src)} == {(7, "reka", "chat")}


def test_reka_chat_cap_is_request_output_len(tmp_path: Path) -> None:
    src = '''\
import reka
def capped(q):
    return reka.chat(human=q, model_name="reka-flash", request_output_len=64)
def uncapped(q):
    return reka.chat(human=q, model_name="reka-flash")
'''
    assert one_file_rows(tmp_path, src, "TKL501") == [5]


def test_aleph_alpha_requests_take_the_model_second(tmp_path: Path) -> None:
    src = '''\
from aleph_alpha_client import AsyncClient, Client, CompletionRequest, Prompt
client = Client(token="t")
def complete(text):
    return client.complete(CompletionRequest(prompt=Prompt.from_text(text)), model="luminous-base")
def embed(req):
    return client.semantic_embed(req, "luminous-base")
def count(req):
    return client.tokenize(req, model="luminous-base")
async def stream(req):
    async with AsyncClient(token="t") as aclient:
        async for chunk in aclient.complete_with_streaming(req, model="llama-3.1-8b-instruct"):
            yield chunk
'''
    assert _found(tmp_path, src) == {(4, "aleph_alpha", "completions", "luminous-base", False),
                                     (6, "aleph_alpha", "embeddings", "luminous-base", False),
                                     (11, "aleph_alpha", "completions", "llama-3.1-8b-instruct", True)}


def test_aleph_alpha_chat_is_not_judged_for_a_cap_it_takes_in_its_request_object(tmp_path: Path) -> None:
    src = '''\
from aleph_alpha_client import Client
client = Client(token="t")
def chat(request):
    return client.chat(request, model="llama-3.1-8b-instruct")
'''
    assert {(line, api) for line, _p, api, _m, _a in _found(tmp_path, src)} == {(4, "chat")}
    assert one_file_rows(tmp_path, src, "TKL501") == []


def test_unify_generate_reads_the_model_its_client_was_built_with(tmp_path: Path) -> None:
    src = '''\
from unify import AsyncUnify, Unify
client = Unify(endpoint="llama-3-8b-chat@together-ai")
def ask(q):
    return client.generate(user_prompt=q, system_prompt="Be brief.")
async def ask_async(q):
    return await AsyncUnify(endpoint="gpt-4o@openai").generate(messages=[{"role": "user", "content": q}])
def balance():
    return client.get_credit_balance()
'''
    assert _found(tmp_path, src) == {(4, "unify", "chat.completions", "llama-3-8b-chat@together-ai", False),
                                     (6, "unify", "chat.completions", "gpt-4o@openai", True)}


def test_unify_the_word_is_no_client(tmp_path: Path) -> None:
    """A project's own `unify` helper (the English word) is not the SDK."""
    src = '''\
def unify(a, b):
    return a | b
class Merger:
    def generate(self, x):
        return unify(x, x)
result = Merger().generate({1})
'''
    assert _found(tmp_path, src) == set()


def test_azure_image_embeddings_client_embeds(tmp_path: Path) -> None:
    src = '''\
from azure.ai.inference.aio import ImageEmbeddingsClient
from azure.core.credentials import AzureKeyCredential
client = ImageEmbeddingsClient(endpoint="https://x.services.ai.azure.com/models", credential=AzureKeyCredential("k"))
async def vectors(images):
    return await client.embed(input=images, model="Cohere-embed-v3-english")
async def info():
    return await client.get_model_info()
'''
    assert _found(tmp_path, src) == {(5, "azure_ai", "embeddings", "Cohere-embed-v3-english", True)}


def test_clients_handed_out_by_an_azure_ai_project_are_followed(tmp_path: Path) -> None:
    src = '''\
from azure.ai.projects import AIProjectClient
from azure.identity import DefaultAzureCredential
project = AIProjectClient(endpoint="https://x.services.ai.azure.com/api/projects/p", credential=DefaultAzureCredential())
chat = project.inference.get_chat_completions_client()
aoai = project.inference.get_azure_openai_client(api_version="2024-10-21")
oai = project.get_openai_client()
def answer(messages):
    return chat.complete(messages=messages, model="Phi-4")
def answer_aoai(messages):
    return aoai.chat.completions.create(model="gpt-4o-mini", messages=messages)
def answer_v2(text):
    return oai.responses.create(model="gpt-4.1", input=text)
def datasets():
    return project.datasets.list()
'''
    assert _found(tmp_path, src) == {(8, "azure_ai", "chat.completions", "Phi-4", False),
                                     (10, "azure_openai", "chat.completions", "gpt-4o-mini", False),
                                     (12, "azure_openai", "responses", "gpt-4.1", False)}


def test_g4f_client_is_not_listed(tmp_path: Path) -> None:
    """g4f's OpenAI-shaped client sends to free web chats by default: no spend site (see sdks.toml)."""
    src = '''\
from g4f.client import Client
client = Client()
def ask(q):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": q}])
'''
    assert _found(tmp_path, src) == set()


def test_openai_beta_responses_and_realtime_entries(tmp_path: Path) -> None:
    """The Responses API's beta surface and the other ways into a Realtime session are requests; hanging up
    a call or minting a client secret is not."""
    src = '''\
from openai import OpenAI
client = OpenAI()
def answer(text):
    return client.beta.responses.create(model="gpt-5.5", input=text)
def shrink(items):
    return client.beta.responses.compact(model="gpt-5.5", input=items)
def translate():
    return client.realtime.translations.connect("gpt-realtime-translate")
def pick_up(call_id):
    return client.realtime.calls.accept(call_id, type="realtime", model="gpt-realtime")
def offer(sdp):
    return client.realtime.calls.create(sdp=sdp)
def hang_up(call_id):
    return client.realtime.calls.hangup(call_id)
def secret():
    return client.realtime.client_secrets.create()
'''
    assert _found(tmp_path, src) == {(4, "openai", "responses", "gpt-5.5", False),
                                     (6, "openai", "responses", "gpt-5.5", False),
                                     (8, "openai", "realtime", "gpt-realtime-translate", False),
                                     (10, "openai", "realtime", "gpt-realtime", False),
                                     (12, "openai", "realtime", None, False)}


def test_google_genai_tuning_and_file_search_indexing_are_requests(tmp_path: Path) -> None:
    src = '''\
from google import genai
client = genai.Client()
def train(data):
    return client.tunings.tune(base_model="gemini-2.5-flash", training_dataset=data)
def index(store, path):
    return client.file_search_stores.upload_to_file_search_store(file_search_store_name=store, file=path)
async def index_async(store, name):
    return await client.aio.file_search_stores.import_file(file_search_store_name=store, file_name=name)
def make_store():
    return client.file_search_stores.create(config={"display_name": "docs"})
def jobs():
    return client.tunings.list()
'''
    assert _found(tmp_path, src) == {(4, "google", "fine_tuning", "gemini-2.5-flash", False),
                                     (6, "google", "embeddings", None, False),
                                     (8, "google", "embeddings", None, True)}


def test_anthropic_message_thread_turns_carry_the_threads_model(tmp_path: Path) -> None:
    src = '''\
import anthropic
client = anthropic.Anthropic()
thread = client.beta.messages.thread(model="claude-sonnet-4-5", max_tokens=1024)
def turn(text):
    return thread.send({"role": "user", "content": text})
def turn_stream(text):
    return thread.stream({"role": "user", "content": text})
def dream(store, sessions):
    return client.beta.dreams.create(inputs=[store, sessions], model="claude-opus-4-1")
def run_now(dep):
    return client.beta.deployments.run(dep)
def pause(dep):
    return client.beta.deployments.pause(dep)
def staged(text):
    thread.append({"role": "user", "content": text})
'''
    assert _found(tmp_path, src) == {(5, "anthropic", "messages.thread", "claude-sonnet-4-5", False),
                                     (7, "anthropic", "messages.thread", "claude-sonnet-4-5", False),
                                     (9, "anthropic", "agents", "claude-opus-4-1", False),
                                     (11, "anthropic", "agents", None, False)}


def test_rxn_predictions_are_requests_and_polling_is_not(tmp_path: Path) -> None:
    src = '''\
from rxn4chemistry import RXN4ChemistryWrapper
rxn = RXN4ChemistryWrapper(api_key="k")
def forward(smiles):
    return rxn.predict_reaction(smiles, ai_model="2020-08-10")
def backward(product):
    return rxn.predict_automatic_retrosynthesis(product=product)
def poll(pid):
    return rxn.get_predict_reaction_results(pid)
def projects():
    return rxn.list_all_projects()
'''
    assert _found(tmp_path, src) == {(4, "ibm_rxn", "predictions", "2020-08-10", False),
                                     (6, "ibm_rxn", "predictions", None, False)}


def test_flowise_and_r2r_requests(tmp_path: Path) -> None:
    src = '''\
from flowise import Flowise, PredictionData
from r2r import R2RAsyncClient, R2RClient
flow = Flowise(base_url="https://flows.example.com", api_key="k")
r2r = R2RClient("https://api.sciphi.ai")
def run_flow(q):
    return flow.create_prediction(PredictionData(chatflowId="abc", question=q))
def answer(q):
    return r2r.retrieval.rag(query=q, rag_generation_config={"model": "openai/gpt-4o-mini"})
def find(q):
    return r2r.retrieval.search(query=q)
async def research(msg):
    return await R2RAsyncClient().retrieval.agent(message=msg)
'''
    assert _found(tmp_path, src) == {(6, "flowise", "application", None, False),
                                     (8, "r2r", "rag", None, False),
                                     (12, "r2r", "agents", None, True)}


def test_cleanlab_trust_scores_are_requests(tmp_path: Path) -> None:
    src = '''\
from cleanlab_studio import Studio
from cleanlab_tlm import TLM
from cleanlab_codex import Client, Project
tlm = TLM(options={"model": "gpt-4.1-mini"})
def answer(q):
    return tlm.prompt(q)
async def score(q, a):
    studio_tlm = Studio("k").TLM()
    return await studio_tlm.get_trustworthiness_score_async(q, a)
def check(messages, response, query, context):
    project = Project.from_access_key("key")
    return project.validate(messages=messages, response=response, query=query, context=context)
def check_by_id(pid, **kw):
    return Client().get_project(pid).validate(**kw)
def remember(project, q, a):
    project.add_expert_answer(q, a)
'''
    assert {(line, p, api, a) for line, p, api, _m, a in _found(tmp_path, src)} == {
        (6, "cleanlab", "chat", False), (9, "cleanlab", "chat", True),
        (12, "cleanlab", "evaluation", False), (14, "cleanlab", "evaluation", False)}


def test_anthropic_thread_turn_chooses_its_own_model(tmp_path: Path) -> None:
    """A turn's own `model=` overrides the thread's for that turn (ThreadSendParams.model); without one the
    turn runs on the thread's model, as does a fork's."""
    src = '''\
import anthropic
client = anthropic.AsyncAnthropic()
thread = client.beta.messages.thread(model="claude-sonnet-4-5", max_tokens=800)
async def plain(text):
    return await thread.send(text)
async def cheap(text):
    return await thread.send(text, model="claude-haiku-4-5")
async def forked(text):
    other = thread.fork()
    return await other.parse(text)
'''
    assert _found(tmp_path, src) == {(5, "anthropic", "messages.thread", "claude-sonnet-4-5", True),
                                     (7, "anthropic", "messages.thread", "claude-haiku-4-5", True),
                                     (10, "anthropic", "messages.thread", "claude-sonnet-4-5", True)}


def test_anthropic_thread_turns_in_an_offline_loop_are_no_batch_candidates(tmp_path: Path) -> None:
    """Each turn continues the server-held conversation of the turns before it: no batch holds them. A
    standalone messages.create in the same loop still is one."""
    src = '''\
import anthropic
client = anthropic.Anthropic()
thread = client.beta.messages.thread(model="claude-sonnet-4-5", max_tokens=600)
def main(parts):
    for part in parts:
        thread.send({"role": "user", "content": part})
        client.messages.create(model="claude-sonnet-4-5", max_tokens=600,
                               messages=[{"role": "user", "content": part}])
if __name__ == "__main__":
    main(open("notes.txt").read().split("\\n\\n"))
'''
    assert one_file_rows(tmp_path, src, "TKL401") == [7]
    assert one_file_rows(tmp_path / "cap", src, "TKL501") == []


def test_unify_sync_client_is_capped_by_default_and_the_async_one_is_not(tmp_path: Path) -> None:
    """Unify.generate defaults to max_tokens=1024, AsyncUnify.generate to None (unifyai 0.8.5): TKL501 judges
    the async client only, and an async request giving the cap is silent."""
    src = '''\
from unify import AsyncUnify, Unify
sync_client = Unify("mixtral-8x7b@fireworks-ai")
async_client = AsyncUnify("mixtral-8x7b@fireworks-ai")
def ask(q):
    return sync_client.generate(user_prompt=q)
async def ask_async(q):
    return await async_client.generate(user_prompt=q)
async def ask_short(q):
    return await async_client.generate(user_prompt=q, max_tokens=200)
'''
    assert {(line, a) for line, _p, _api, _m, a in _found(tmp_path, src)} == {(5, False), (7, True), (9, True)}
    assert one_file_rows(tmp_path / "cap", src, "TKL501") == [7]


REKA_CHAT = '''\
import reka
def ask(q):
    return reka.chat(q, model_name="reka-flash")
'''


@pytest.mark.parametrize("pin, rows", [("reka-api==1.0.0", []), ("reka-api>=2,<3", [3]), (None, [3])],
                         ids=["1.x-capped-by-default", "2.x-uncapped", "unpinned-reported"])
def test_reka_module_chat_cap_follows_the_pinned_release(tmp_path: Path, pin: str | None, rows: list[int]) -> None:
    """reka-api 1.x's reka.chat sends request_output_len=256 when the code gives none, 2.x sends none: TKL501
    reads which release the project's requirements pin (unpinned: reported, with a note)."""
    files = {"app.py": REKA_CHAT, **({"requirements.txt": pin + "\n"} if pin else {})}
    assert rule_rows(make(tmp_path, files), "TKL501") == rows


def test_cleanlab_codex_validate_messages_are_no_prompt(tmp_path: Path) -> None:
    """Project.validate(messages=...) scores a copy of a conversation already sent: TKL302 judges the request
    that sent it, not the copy; validate is still a request."""
    src = '''\
import time
from cleanlab_codex import Project
project = Project.from_access_key("key")
def check(query, answer):
    convo = [{"role": "system", "content": f"Now: {time.time()}. You help with billing."},
             {"role": "user", "content": query}]
    return project.validate(messages=convo, response=answer, query=query, context="")
'''
    assert {(line, api) for line, _p, api, _m, _a in _found(tmp_path, src)} == {(7, "evaluation")}
    assert one_file_rows(tmp_path / "rules", src, "TKL302") == []
