"""Raw HTTP requests recognised by their JSON body or their endpoint (catalog `[[http.body]]` and `[[http.endpoint]]`
data), each beside a look-alike: vLLM's score body, sampling controls together, a diffusion prompt with its steps,
a chat body to a gateway path naming its app, NVIDIA's hosted visual models and StepFun's streaming ASR; and a
webhook, a search index, a project's own message API, a weather reading and a stored completion's update, which
are not LLM requests.
"""

from __future__ import annotations

from pathlib import Path

from test_http_generic_helpers import _sites
from tokenlint.config import Config
from tokenlint.engine import analyse


def _one(tmp_path: Path, url: str, body: str, verb: str = "post") -> list[tuple[int, str, str]]:
    src = (f"import requests\n"
           f"def send(base, text, index, tid, t):\n"
           f"    return requests.{verb}({url}, json={body})\n")
    return _sites(tmp_path, src)


def test_a_vllm_score_body_is_a_rerank_request(tmp_path: Path) -> None:
    body = "{'model': 'bge-reranker', 'text_1': text, 'text_2': [text]}"
    assert _one(tmp_path, "f'{base}/v1/score'", body) == [(3, "unknown", "rerank")]


def test_sampling_controls_together_are_a_generation_request_of_a_generate_function(tmp_path: Path) -> None:
    src = ("import requests\n"
           "def generate(base, text):\n"
           "    return requests.post(base, json={'text': text, 'temperature': 0.6, 'top_p': 0.9, 'top_k': 20,\n"
           "                                     'max_tokens': 512})\n")
    assert _sites(tmp_path, src) == [(3, "unknown", "completions")]


def test_a_products_own_chat_api_relaying_openai_sampling_options_is_no_generation_request(tmp_path: Path) -> None:
    body = "{'user_id': t, 'query': text, 'temperature': 0.7, 'top_p': 0.95, 'max_tokens': 8192}"
    assert _one(tmp_path, "f'{base}/chat'", body) == []


def test_a_temperature_alone_is_no_generation_request(tmp_path: Path) -> None:
    assert _one(tmp_path, "f'{base}/readings'", "{'city': text, 'temperature': t, 'unit': 'C'}") == []


def test_a_prompt_with_denoising_steps_is_a_diffusion_request(tmp_path: Path) -> None:
    body = "{'prompt': text, 'num_inference_steps': 30, 'guidance_scale': 5.0}"
    assert _one(tmp_path, "f'{base}/v1/videos/sync'", body) == [(3, "unknown", "images")]


def test_a_chat_body_to_a_gateway_path_naming_its_app_is_a_chat_request(tmp_path: Path) -> None:
    url = "'https://gw.example.cn/aiproxy/chat/completions/8005'"
    body = "{'model': 'm', 'messages': [{'role': 'user', 'content': text}]}"
    assert _one(tmp_path, url, body) == [(3, "unknown", "chat.completions")]


def test_updating_a_stored_completion_is_no_chat_request(tmp_path: Path) -> None:
    url = "f'https://api.openai.com/v1/chat/completions/{tid}'"
    assert _one(tmp_path, url, "{'metadata': {'topic': text}}") == []


def test_nvidia_hosted_visual_models_and_stepfun_asr(tmp_path: Path) -> None:
    src = ("import requests\n"
           "def video(model, image, prompt):\n"
           "    return requests.post(f'https://ai.api.nvidia.com/v1/cv/{model}', json={'image': image, 'prompt': prompt})\n"
           "def poll(rid):\n"
           "    return requests.post(f'https://ai.api.nvidia.com/v1/cv/status/{rid}', json={})\n"
           "def asr(audio):\n"
           "    return requests.post('https://api.stepfun.com/v1/audio/asr/sse', json={'audio': {'data': audio}})\n")
    assert _sites(tmp_path, src) == [(3, "nvidia", "inference"), (7, "stepfun", "audio.transcriptions")]


def test_webhooks_search_indexes_and_a_projects_message_api_are_not_llm_requests(tmp_path: Path) -> None:
    src = ("import requests\n"
           "def notify(webhook, text):\n"
           "    return requests.post(webhook, json={'text': text, 'messages': [text]})\n"
           "def search(es, index, q):\n"
           "    return requests.post(f'{es}/{index}/_search', json={'query': {'match': {'body': q}}, 'size': 10})\n"
           "def save(api, tid, msgs, uid):\n"
           "    return requests.post(f'{api}/threads/{tid}/messages', json={'messages': msgs, 'user_id': uid})\n"
           "def slack(text):\n"
           "    return requests.post('https://hooks.slack.com/services/T0/B0/x',\n"
           "                         json={'model': 'bot', 'messages': [{'role': 'user', 'content': text}]})\n")
    assert _sites(tmp_path, src) == []


def test_legacy_vendor_completion_endpoints_and_a_baseten_deployment(tmp_path: Path) -> None:
    src = ("import requests\n"
           "def ai21(model, p):\n"
           "    return requests.post(f'https://api.ai21.com/studio/v1/{model}/complete', json={'prompt': p})\n"
           "def together(p):\n"
           "    return requests.post('https://api.together.xyz/api/inference', json={'prompt': p})\n"
           "def baseten(model_id, q):\n"
           "    url = f'https://model-{model_id}.api.baseten.co/environments/production/predict'\n"
           "    return requests.post(url, json={'query': q})\n"
           "def together_job(job_id):\n"
           "    return requests.post(f'https://api.together.xyz/jobs/job/{job_id}', json={})\n")
    assert _sites(tmp_path, src) == [(3, "ai21", "completions"), (5, "together", "completions"),
                                     (8, "baseten", "inference")]


def test_niquests_is_read_as_requests(tmp_path: Path) -> None:
    src = ("import niquests\n"
           "def embed(base, texts, model):\n"
           "    return niquests.post(f'{base}/embeddings', json={'input': texts, 'model': model})\n"
           "def hook(base, texts):\n"
           "    return niquests.post(f'{base}/events', json={'input': texts})\n")
    assert _sites(tmp_path, src) == [(3, "unknown", "embeddings")]


def test_a_path_after_an_empty_default_base_is_sent_to_the_base_set_elsewhere(tmp_path: Path) -> None:
    src = ("import requests\n"
           "from fastapi import FastAPI\n"
           "app = FastAPI()\n"
           "class Valves:\n"
           "    LLM_BASE_URL: str = ''\n"
           "class Pipe:\n"
           "    def __init__(self):\n"
           "        self.valves = Valves()\n"
           "    def pipe(self, messages):\n"
           "        return requests.post(f'{self.valves.LLM_BASE_URL}/v1/chat/completions',\n"
           "                             json={'model': 'm', 'messages': messages})\n"
           "@app.post('/v1/chat/completions')\n"
           "def serve(body: dict):\n"
           "    return Pipe().pipe(body['messages'])\n")
    assert (10, "unknown", "chat.completions") in _sites(tmp_path, src)


def test_a_literal_path_of_a_client_built_elsewhere_to_no_llm_endpoint_is_no_request(tmp_path: Path) -> None:
    src = ("import httpx\n"
           "import requests\n"
           "class Store:\n"
           "    def __init__(self, client: httpx.Client):\n"
           "        self._client = client\n"
           "    def save(self, model, q):\n"
           "        return self._client.post('/api/turns', json={'model': model, 'messages': [q]})\n"
           "def audit(session: requests.Session, model, q):\n"
           "    return session.post('/internal/log', json={'model': model, 'messages': [q]})\n")
    assert _sites(tmp_path, src) == []


def test_an_own_route_withheld_by_its_body_shape_names_its_path(tmp_path: Path) -> None:
    src = ("import httpx\n"
           "from fastapi import FastAPI\n"
           "app = FastAPI()\n"
           "@app.post('/api/turns')\n"
           "def save(body: dict):\n"
           "    return body\n"
           "def client_call(base, model, q):\n"
           "    return httpx.post(f'{base}/api/turns', json={'model': model, 'messages': [q]})\n")
    p = tmp_path / "app.py"
    p.write_text(src, encoding="utf-8")
    result = analyse([p], Config(), root=tmp_path, unresolved=True)
    notes = [u.detail for u in result.unresolved if u.line == 8 and u.kind == 'withheld']
    assert notes and all("None" not in n and "/api/turns" in n for n in notes)


def test_rag_retrieval_options_beside_sampling_controls_are_no_generation_request(tmp_path: Path) -> None:
    body = "{'question': text, 'top_k': 5, 'temperature': 0.2, 'top_p': 0.9, 'max_tokens': 512}"
    assert _one(tmp_path, "f'{base}/kb/{index}/ask'", body) == []


def test_sampling_controls_with_a_generation_word_are_a_generation_request(tmp_path: Path) -> None:
    body = "{'inputs': text, 'temperature': 0.6, 'top_p': 0.9, 'top_k': 20, 'max_tokens': 512}"
    assert _one(tmp_path, "f'{base}/kb/{index}/ask'", body) == [(3, "unknown", "completions")]


def test_niquests_async_functions_and_session(tmp_path: Path) -> None:
    src = ("import niquests\n"
           "async def a(base, texts, model):\n"
           "    return await niquests.apost(f'{base}/embeddings', json={'input': texts, 'model': model})\n"
           "async def b(base, texts, model):\n"
           "    return await niquests.arequest('POST', f'{base}/embeddings', json={'input': texts, 'model': model})\n"
           "async def c(base, texts, model):\n"
           "    async with niquests.AsyncSession() as s:\n"
           "        return await s.post(f'{base}/embeddings', json={'input': texts, 'model': model})\n"
           "async def d(base, texts):\n"
           "    return await niquests.apost(f'{base}/events', json={'input': texts})\n"
           "async def e(base, texts, model):\n"
           "    return await niquests.arequest('DELETE', f'{base}/embeddings', json={'input': texts, 'model': model})\n")
    p = tmp_path / "app.py"
    p.write_text(src, encoding="utf-8")
    sites = [s for s in analyse([p], Config(), root=tmp_path).sites if s.sdk == "http"]
    assert sorted((s.line, s.api, s.is_async) for s in sites) == [
        (3, "embeddings", True), (5, "embeddings", True), (8, "embeddings", True)]
