"""Raw HTTP through a project's own client class and helpers: `api.post("/v1/t2a_v2", json=...)` on a
class whose `post(path)` joins the path to the host it was built with and sends it with a requests
session is a request at each call (the URL built from the caller's path); a function building its own
LLM request posts to the URL its callers in other modules pass (a URL type's default included);
`urljoin(base, "chat/completions")` keeps the base's folder. GETs, uploads and other services' paths
through the same classes are not requests."""

from __future__ import annotations

from pathlib import Path

from tokenlint.config import Config
from tokenlint.engine import analyse


def _sites(root: Path) -> list[tuple[str, int, str, str]]:
    result = analyse([root], Config(), root=root)
    assert not [f.error for f in result.files if f.error]
    return sorted((s.path, s.line, s.provider, s.api) for s in result.sites)


CLIENT = ("import requests\n"
          "class ApiClient:\n"
          "    def __init__(self, key, host):\n"
          "        self.host = host\n"
          "        self.session = requests.Session()\n"
          "    def _send(self, method, path, **kwargs):\n"
          "        url = f'{self.host}{path}'\n"
          "        return self.session.request(method, url, **kwargs).json()\n"
          "    def get(self, path, **kwargs):\n"
          "        return self._send('GET', path, **kwargs)\n"
          "    def post(self, path, **kwargs):\n"
          "        return self._send('POST', path, **kwargs)\n")


def test_a_project_client_joining_the_callers_path_to_its_host_sends_each_post(tmp_path: Path) -> None:
    (tmp_path / "client.py").write_text(CLIENT, encoding="utf-8")
    (tmp_path / "tools.py").write_text(  # (naming an HTTP library, as the prefilter needs of it)
        "import os, requests\n"
        "from client import ApiClient\n"
        "api = ApiClient(os.getenv('KEY'), os.getenv('API_HOST'))\n"
        "chat = ApiClient(os.getenv('KEY'), 'https://api.deepseek.com')\n"
        "def speak(text):\n"
        "    return api.post('/v1/t2a_v2', json={'model': 'speech-01', 'text': text})\n"
        "def status(task):\n"
        "    return api.get(f'/v1/query/video_generation?task_id={task}')\n"
        "def upload(f):\n"
        "    return api.post('/v1/files/upload', files={'file': f})\n"
        "def ask(q):\n"
        "    return chat.post('/chat/completions', json={'model': 'deepseek-chat', 'messages': [q]})\n"
        "def balance():\n"
        "    return chat.post('/user/balance', json={})\n", encoding="utf-8")
    assert _sites(tmp_path) == [("tools.py", 6, "minimax", "audio.speech"),
                                ("tools.py", 12, "deepseek", "chat.completions")]


def test_minimax_native_chat_on_a_host_read_at_run_time_is_minimax(tmp_path: Path) -> None:
    """MiniMax's own chat path (`/v1/text/chatcompletion_v2`) is served by no one else: on a host read
    from the environment it is MiniMax's chat, as its other REST paths are."""
    (tmp_path / "client.py").write_text(CLIENT, encoding="utf-8")
    (tmp_path / "tools.py").write_text(
        "import os, requests\n"
        "from client import ApiClient\n"
        "api = ApiClient(os.getenv('KEY'), os.getenv('API_HOST'))\n"
        "def ask(q):\n"
        "    return api.post('/v1/text/chatcompletion_v2', json={'model': 'MiniMax-M1', 'messages': [q]})\n"
        "def ask_group(q, group):\n"
        "    return api.post(f'/v1/text/chatcompletion_v2?GroupId={group}', json={'messages': [q]})\n",
        encoding="utf-8")
    assert _sites(tmp_path) == [("tools.py", 5, "minimax", "chat.completions"),
                                ("tools.py", 7, "minimax", "chat.completions")]


def test_a_function_posts_to_what_its_callers_elsewhere_pass(tmp_path: Path) -> None:
    (tmp_path / "vision.py").write_text(
        "import requests\n"
        "def describe_image(url, image, prompt, **params):\n"
        "    payload = {'messages': [{'role': 'user', 'content': prompt}], **params}\n"
        "    with requests.Session() as s:\n"
        "        return s.post(str(url), json=payload, timeout=30).json()\n", encoding="utf-8")
    (tmp_path / "options.py").write_text(
        "from pydantic import AnyUrl, BaseModel\n"
        "class VisionOptions(BaseModel):\n"
        "    url: AnyUrl = AnyUrl('http://localhost:11434/v1/chat/completions')\n", encoding="utf-8")
    (tmp_path / "search.py").write_text(  # the same shape posting to a search service: no request
        "import requests\n"
        "def web_search(url, query):\n"
        "    return requests.post(url, json={'q': query, 'count': 5}).json()\n", encoding="utf-8")
    (tmp_path / "stage.py").write_text(
        "from vision import describe_image\n"
        "from options import VisionOptions\n"
        "from search import web_search\n"
        "def run(image, opts: VisionOptions):\n"
        "    return describe_image(url=opts.url, image=image, prompt='Describe it.')\n"
        "def look_up(q):\n"
        "    return web_search('https://search.example.com/v1/search', q)\n", encoding="utf-8")
    assert _sites(tmp_path) == [("vision.py", 5, "ollama", "chat.completions")]


def test_urljoin_keeps_the_folder_of_its_base(tmp_path: Path) -> None:
    (tmp_path / "chat.py").write_text(
        "from urllib.parse import urljoin\n"
        "import requests\n"
        "class Chat:\n"
        "    def __init__(self, base_url, model):\n"
        "        self.base_url, self.model = base_url, model\n"
        "    def forward(self, messages):\n"
        "        url = urljoin(self.base_url, 'chat/completions')\n"
        "        return requests.post(url, json={'model': self.model, 'messages': messages})\n"
        "    def rank(self, docs):\n"
        "        url = urljoin('https://api.example.com/v1/rerankers', 'status')\n"
        "        return requests.post(url, json={'docs': docs})\n"
        "def embed(texts):\n"  # the folder kept: /v1/embeddings (not /v1embeddings, which is no endpoint)
        "    url = urljoin('https://llm.internal.example/v1', 'embeddings')\n"
        "    return requests.post(url, json={'model': 'bge-m3', 'input': texts})\n", encoding="utf-8")
    assert _sites(tmp_path) == [("chat.py", 8, "unknown", "chat.completions"),
                                ("chat.py", 14, "unknown", "embeddings")]


def test_a_url_helper_joins_each_calls_own_path(tmp_path: Path) -> None:
    """`cloud_url(base, path)` returning `urljoin(base, path)`: each call's URL is its own path joined, not
    the paths of the helper's other callers (an event post is no image generation)."""
    (tmp_path / "urls.py").write_text(
        "from urllib.parse import urljoin\n"
        "def cloud_url(base, path):\n"
        "    return urljoin(base, path)\n", encoding="utf-8")
    (tmp_path / "drivers.py").write_text(
        "import os, requests\n"
        "from urls import cloud_url\n"
        "BASE = os.getenv('CLOUD_URL')\n"
        "def draw(prompt):\n"
        "    return requests.post(cloud_url(BASE, 'v1/images/generations'), json={'model': 'm', 'prompt': prompt})\n"
        "def log_event(run_id, event):\n"
        "    return requests.post(url=cloud_url(BASE, f'api/runs/{run_id}/events'), json=event)\n", encoding="utf-8")
    assert _sites(tmp_path) == [("drivers.py", 5, "unknown", "images")]
