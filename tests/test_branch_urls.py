"""A URL name assigned on two branches, each branch sending its own request (`if web: url = A;
post(url)` / `else: url = B; post(url)`): each request reads the assignments reaching it, its own
branch's URL, never the other's (urls.py `_name_texts` over reaching.py). And the endpoints a request
found before only through the other branch's URL, recognised by their own paths: Stability AI's
generation paths on a base read at run time, Azure OpenAI's DALL-E 2 `images/generations:submit`, the
blocking APIs of text generation servers (`/api/v1/generate`, `/api/v1/chat`, with their bodies)."""

from __future__ import annotations

from pathlib import Path

from test_format_urls import _sites


BRANCHES = (
    "import requests\n"
    "\n"
    "\n"
    "class Bot:\n"
    "    def __init__(self, config):\n"
    "        self.config = config\n"
    "\n"
    "    def ask(self, prompt):\n"
    "        if self.config['type'] == 'web':\n"
    "            url = self.config['relay'] + '/headless'\n"
    "            r = requests.post(url=url, data={'prompt': prompt})\n"
    "        else:\n"
    "            url = 'https://api.openai.com/v1/chat/completions'\n"
    "            r = requests.post(url, json={'model': 'gpt-4o-mini', 'messages': [{'role': 'user', 'content': prompt}]})\n"
    "        return r.json()\n"
)


def test_each_branch_request_reads_its_own_branch_url(tmp_path: Path) -> None:
    # the relay's request (line 11) does not take the other branch's OpenAI URL
    assert _sites(tmp_path, BRANCHES) == [(14, "openai", "chat.completions")]


AFTER_BRANCHES = (
    "import requests\n"
    "\n"
    "\n"
    "def ask(azure, prompt):\n"
    "    if azure:\n"
    "        url = 'https://example.openai.azure.com/openai/deployments/d/chat/completions'\n"
    "    else:\n"
    "        url = 'https://api.openai.com/v1/chat/completions'\n"
    "    return requests.post(url, json={'model': 'gpt-4o-mini', 'messages': [{'role': 'user', 'content': prompt}]})\n"
)


def test_a_request_after_the_branches_reads_both_urls(tmp_path: Path) -> None:
    got = _sites(tmp_path, AFTER_BRANCHES)
    assert [line for line, _p, _a in got] == [9]


def test_a_url_read_as_a_parameter_and_reassigned_keeps_every_binding(tmp_path: Path) -> None:
    # a parameter rebound in the body is not a plain set of assignments: every binding is read, as before
    src = ("import requests\n"
           "\n"
           "\n"
           "def ask(prompt, url='https://api.openai.com/v1/chat/completions'):\n"
           "    if not url:\n"
           "        url = 'https://api.openai.com/v1/chat/completions'\n"
           "    return requests.post(url, json={'model': 'gpt-4o-mini', 'messages': []})\n")
    assert _sites(tmp_path, src) == [(7, "openai", "chat.completions")]


STABILITY = (
    "import requests\n"
    "\n"
    "\n"
    "class Images:\n"
    "    def __init__(self, client):\n"
    "        self._client = client\n"
    "\n"
    "    def generate(self, prompt, model):\n"
    "        if model == 'core':\n"
    "            path = f'v2beta/stable-image/generate/{model}'\n"
    "        else:\n"
    "            path = f'v1/generation/{model}/text-to-image'\n"
    "        return requests.post(url=f'{self._client.base_url}{path}', data={'prompt': prompt})\n"
    "\n"
    "    def balance(self):\n"
    "        return requests.post(url=f'{self._client.base_url}v1/user/balance')\n"
)


def test_stability_generation_paths_reach_stability_on_a_base_read_at_run_time(tmp_path: Path) -> None:
    assert _sites(tmp_path, STABILITY) == [(13, "stability", "images")]


DALLE2 = (
    "import requests\n"
    "\n"
    "\n"
    "def create_image(endpoint, key, prompt):\n"
    "    url = '{}openai/images/generations:submit?api-version={}'.format(endpoint, '2023-06-01-preview')\n"
    "    return requests.post(url, headers={'api-key': key}, json={'prompt': prompt, 'n': 1})\n"
)


def test_azure_dalle2_submission_is_an_azure_openai_image_request(tmp_path: Path) -> None:
    assert _sites(tmp_path, DALLE2) == [(6, "azure_openai", "images")]


SERVERS = (
    "import requests\n"
    "from urllib.parse import urljoin\n"
    "\n"
    "\n"
    "def complete(base, prompt):\n"
    "    return requests.post(urljoin(base, '/api/v1/generate'), json={'prompt': prompt, 'max_length': 80})\n"
    "\n"
    "\n"
    "def chat(base, text, history):\n"
    "    return requests.post(urljoin(base, '/api/v1/chat'), json={'user_input': text, 'history': history})\n"
    "\n"
    "\n"
    "def publish(base, text):\n"
    "    return requests.post(urljoin(base, '/api/v1/chat'), json={'channel': 'general', 'text': text})\n"
)


def test_text_generation_server_apis_are_requests_only_with_their_bodies(tmp_path: Path) -> None:
    assert _sites(tmp_path, SERVERS) == [(6, "unknown", "completions"), (10, "unknown", "chat")]


MANY_ALTERNATIVES = (
    "import os\n"
    "import aiohttp\n"
    "\n"
    "HOST = os.getenv('TTS_HOST', 'api.deepgram.com')\n"
    "SPEAK = f'https://{HOST}/v1/speak'\n"
    "\n"
    "\n"
    "class Speaker:\n"
    "    def __init__(self, model=None, encoding=None, rate=None, container=None):\n"
    "        self.model = model or os.getenv('TTS_MODEL') or 'aura-asteria-en'\n"
    "        self.container = container or os.getenv('TTS_CONTAINER') or 'none'\n"
    "        self.encoding = encoding or os.getenv('TTS_ENCODING') or 'mulaw'\n"
    "        self.rate = rate or os.getenv('TTS_RATE') or '8000'\n"
    "\n"
    "    async def speak(self, text):\n"
    "        url = f'{SPEAK}?container={self.container}&encoding={self.encoding}&sample_rate={self.rate}&model={self.model}'\n"
    "        async with aiohttp.ClientSession() as session:\n"
    "            async with session.post(url, json={'text': text}) as r:\n"
    "                return await r.read()\n"
)


def test_a_host_chosen_from_the_environment_or_its_default_survives_many_query_alternatives(tmp_path: Path) -> None:
    # the environment's host (unknown) and its default each keep a text, whatever the query adds
    assert _sites(tmp_path, MANY_ALTERNATIVES) == [(18, "deepgram", "audio.speech")]


def test_texts_naming_their_host_come_first() -> None:
    from tokenlint.resolve.urls import HOLE, _hosts_first, _product

    got = _product([HOLE, "https://api.x.com"], [f"/v1/a?{i}" for i in range(20)])
    assert f"https://api.x.com/v1/a?0" in got and len(got) == 12
    texts = [f"{HOLE}/v1/speak", f"https://{HOLE}/v1/speak", "https://api.x.com/v1/speak", "/v1/speak"]
    assert _hosts_first(texts) == ["https://api.x.com/v1/speak", f"{HOLE}/v1/speak", f"https://{HOLE}/v1/speak",
                                   "/v1/speak"]
