"""Raw HTTP requests of a class that is one provider among siblings (resolve/families.py, resolve/http.py
`_family_site`): a `tts/` package of one module per vendor, some calling an SDK, the others posting to a URL
from their configuration. Each case beside its look-alike: a helper handed its URL, a token or status
request, a known non-AI host, a class of another base, a package with a single SDK module, the project's
own route, and a test module."""

from __future__ import annotations

from pathlib import Path

from projects import write

from tokenlint.config import Config
from tokenlint.engine import analyse

BASE = ("class TTSBase:\n"
        "    def __init__(self, config):\n"
        "        self.config = config\n"
        "    def speak(self, text):\n"
        "        raise NotImplementedError\n")
OPENAI = ("from openai import OpenAI\n"
          "from tts.base import TTSBase\n"
          "class OpenAITTS(TTSBase):\n"
          "    def speak(self, text):\n"
          "        return OpenAI().audio.speech.create(model='tts-1', voice='alloy', input=text)\n")
AZURE = ("from openai import AzureOpenAI\n"
         "from tts.base import TTSBase\n"
         "class AzureTTS(TTSBase):\n"
         "    def speak(self, text):\n"
         "        return AzureOpenAI().audio.speech.create(model='tts-1', voice='alloy', input=text)\n")


def _tree(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int, str, str]]:
    write(tmp_path, files)
    result = analyse([tmp_path], Config(), root=tmp_path)
    assert not [f.error for f in result.files if f.error]
    return sorted((s.path, s.line, s.provider, s.confidence) for s in result.sites if s.sdk == "http")


def _family(vendor: str, **more: str) -> dict[str, str]:
    return {"tts/__init__.py": "", "tts/base.py": BASE, "tts/openai_tts.py": OPENAI, "tts/azure_tts.py": AZURE,
            "tts/vendor.py": vendor, **more}


def test_a_vendor_class_among_sdk_siblings_posting_to_its_configured_url_is_a_site(tmp_path: Path) -> None:
    vendor = ("import requests, websockets\n"
              "from tts.base import TTSBase\n"
              "class VendorTTS(TTSBase):\n"
              "    def __init__(self, config):\n"
              "        self.api_url = config['api_url']\n"
              "    def speak(self, text):\n"
              "        return requests.post(self.api_url, json={'text': text, 'voice': 'v1'})\n"
              "    async def stream(self, text):\n"
              "        async with websockets.connect(self.config['ws_url']) as ws:\n"
              "            await ws.send(text)\n"
              "    def voices(self):\n"
              "        return requests.get(self.api_url + '/voices')\n")
    assert _tree(tmp_path, _family(vendor)) == [("tts/vendor.py", 7, "unknown", "inferred"),
                                                ("tts/vendor.py", 9, "unknown", "inferred")]


def test_the_requests_around_an_inference_and_helpers_are_not_sites(tmp_path: Path) -> None:
    vendor = ("import requests\n"
              "from tts.base import TTSBase\n"
              "class VendorTTS(TTSBase):\n"
              "    def token(self):\n"
              "        return requests.post(self.config['host'] + '/oauth/token', data={'key': 1})\n"
              "    def poll(self, task):\n"
              "        return requests.post(f\"{self.config['host']}/task/status\", json={'id': task})\n"
              "    def _post(self, url, payload):\n"
              "        return requests.post(url, json=payload)\n"
              "    def _get_token(self):\n"
              "        return requests.post(self.config['auth_url'], json={'key': 1})\n"
              "    def notify(self, text):\n"
              "        return requests.post('https://hooks.slack.com/services/x', json={'text': text})\n"
              "class Cache:\n"
              "    def put(self, key, value):\n"
              "        return requests.post(self.url, json={'k': key, 'v': value})\n")
    assert _tree(tmp_path, _family(vendor)) == []


def test_a_package_with_one_sdk_module_is_no_family(tmp_path: Path) -> None:
    vendor = ("import requests\n"
              "from tts.base import TTSBase\n"
              "class VendorTTS(TTSBase):\n"
              "    def speak(self, text):\n"
              "        return requests.post(self.config['url'], json={'text': text})\n")
    files = _family(vendor)
    files["tts/azure_tts.py"] = ("from tts.base import TTSBase\n"
                                 "class SilentTTS(TTSBase):\n"
                                 "    def speak(self, text):\n"
                                 "        return b''\n")
    assert _tree(tmp_path, files) == []


def test_the_projects_own_route_is_not_a_family_request(tmp_path: Path) -> None:
    vendor = ("import requests\n"
              "from tts.base import TTSBase\n"
              "class LocalTTS(TTSBase):\n"
              "    def speak(self, text):\n"
              "        return requests.post(self.config['server'] + '/synthesize', json={'text': text})\n")
    server = ("from fastapi import FastAPI\n"
              "app = FastAPI()\n"
              "@app.post('/synthesize')\n"
              "def synthesize(body: dict):\n"
              "    return {}\n")
    assert _tree(tmp_path, _family(vendor, **{"server.py": server})) == []


def test_a_folder_per_vendor_counts_its_parents_other_folders(tmp_path: Path) -> None:
    base = "class ImageService:\n    pass\n"
    sdk = ("import openai\n"
           "from services.base import ImageService\n"
           "class {name}(ImageService):\n"
           "    def paint(self, prompt):\n"
           "        return openai.OpenAI().images.generate(model='dall-e-3', prompt=prompt)\n")
    vendor = ("import requests\n"
              "from services.base import ImageService\n"
              "class Painter(ImageService):\n"
              "    def paint(self, prompt):\n"
              "        return requests.post('https://api.painter.example/v1/generate', json={'prompt': prompt})\n")
    files = {"services/__init__.py": "", "services/base.py": base,
             "services/zoo/dalle/service.py": sdk.format(name="Dalle"),
             "services/zoo/dalle2/service.py": sdk.format(name="Dalle2"),
             "services/zoo/painter/service.py": vendor}
    assert _tree(tmp_path, files) == [("services/zoo/painter/service.py", 5, "unknown", "inferred")]


def test_a_test_module_of_the_family_is_not_read(tmp_path: Path) -> None:
    vendor = ("import requests\n"
              "from tts.base import TTSBase\n"
              "class FakeTTS(TTSBase):\n"
              "    def speak(self, text):\n"
              "        return requests.post(self.config['url'], json={'text': text})\n")
    files = _family("")
    files["tts/tests/test_vendor.py"] = vendor
    assert _tree(tmp_path, files) == []


def test_a_base_named_for_an_upstream_service_is_not_the_projects_own_server(tmp_path: Path) -> None:
    server = ("from fastapi import FastAPI\n"
              "app = FastAPI()\n"
              "@app.post('/v1/chat/completions')\n"
              "def chat(body: dict):\n"
              "    return {}\n")
    clients = ("import os, requests\n"
               "class Pipe:\n"
               "    def __init__(self, valves):\n"
               "        self.valves = valves\n"
               "    def forward(self, body):\n"
               "        return requests.post(f'{self.valves.OLLAMA_BASE_URL}/v1/chat/completions', json=body)\n"
               "def relay(cfg, payload):\n"
               "    llm_url = cfg['llm_url'].rstrip('/') + '/v1/chat/completions'\n"
               "    return requests.post(llm_url, json=payload)\n"
               "def forward(cfg, payload):\n"
               "    upstream_url = f\"http://{cfg.host}:{cfg.port}/v1/chat/completions\"\n"
               "    return requests.post(upstream_url, json=payload)\n"
               "def ask(server_url, payload):\n"
               "    return requests.post(f'{server_url}/v1/chat/completions', json=payload)\n"
               "def cli(payload):\n"
               "    return requests.post(os.environ['APP_URL'] + '/v1/chat/completions', json=payload)\n")
    got = _tree(tmp_path, {"server.py": server, "clients.py": clients})
    assert [(path, line) for path, line, _p, _c in got] == [("clients.py", 6), ("clients.py", 9), ("clients.py", 12)]


def test_a_family_of_other_services_whose_members_call_an_llm_is_no_ai_family(tmp_path: Path) -> None:
    base = "class Channel:\n    pass\n"
    sdk = ("from openai import OpenAI\n"
           "from channels.base import Channel\n"
           "class {name}(Channel):\n"
           "    def reply(self, text):\n"
           "        return OpenAI().chat.completions.create(model='gpt-4o', messages=[])\n")
    other = ("import requests\n"
             "from channels.base import Channel\n"
             "class Chatroom(Channel):\n"
             "    def send(self, text):\n"
             "        return requests.post(self.webhook, json={'text': text})\n")
    files = {"channels/__init__.py": "", "channels/base.py": base, "channels/a.py": sdk.format(name="A"),
             "channels/b.py": sdk.format(name="B"), "channels/room.py": other}
    assert _tree(tmp_path, files) == []


def test_a_class_of_no_base_in_a_folder_of_vendor_modules_most_calling_sdks(tmp_path: Path) -> None:
    sdk = ("from openai import OpenAI\n"
           "class {name}:\n"
           "    def chat(self, text):\n"
           "        return OpenAI().chat.completions.create(model='gpt-4o', messages=[])\n")
    vendor = ("import requests\n"
              "class Kobold:\n"
              "    def __init__(self, cfg):\n"
              "        self.url = cfg['url']\n"
              "    def chat(self, text):\n"
              "        return requests.post(self.url, json={'text': text})\n")
    files = {f"gpt_model/v{i}.py": sdk.format(name=f"V{i}") for i in range(3)}
    files["gpt_model/kobold.py"] = vendor
    assert _tree(tmp_path, files) == [("gpt_model/kobold.py", 6, "unknown", "inferred")]
    plain = {f"gpt_model/p{i}.py": "X = 1\n" for i in range(4)}  # most modules of the folder call none
    other = tmp_path / "other"
    assert _tree(other, {**files, **plain}) == []


def test_a_changed_family_member_is_read_again_by_an_incremental_run(tmp_path: Path) -> None:
    vendor = ("import requests\n"
              "from tts.base import TTSBase\n"
              "class VendorTTS(TTSBase):\n"
              "    def speak(self, text):\n"
              "        return requests.post(self.config['url'], json={{'text': text, 'speed': {speed}}})\n")
    app, cache = tmp_path / "app", tmp_path / "cache"
    for rel, src in _family(vendor.format(speed=1)).items():
        (app / rel).parent.mkdir(parents=True, exist_ok=True)
        (app / rel).write_text(src, encoding="utf-8")
    first = analyse([app], Config(), root=app, cache_dir=cache)
    (app / "tts/vendor.py").write_text("\n" + vendor.format(speed=2), encoding="utf-8")
    again = analyse([app], Config(), root=app, cache_dir=cache)
    assert [(s.path, s.line) for s in first.sites if s.sdk == "http"] == [("tts/vendor.py", 5)]
    assert [(s.path, s.line) for s in again.sites if s.sdk == "http"] == [("tts/vendor.py", 6)]


def test_a_folder_named_for_nothing_ai_under_a_project_named_for_it_is_no_family(tmp_path: Path) -> None:
    sdk = ("from openai import OpenAI\n"
           "class {name}():\n"
           "    def run(self, text):\n"
           "        return OpenAI().chat.completions.create(model='gpt-4o', messages=[])\n")
    search = ("import requests\n"
              "class SearchTools():\n"
              "    def search(self, query):\n"
              "        return requests.post('https://search.example.com/q', json={'q': query})\n")
    files = {f"page_generator/tools/t{i}.py": sdk.format(name=f"T{i}") for i in range(3)}
    files["page_generator/tools/search.py"] = search
    assert _tree(tmp_path, files) == []


def test_a_family_answer_follows_its_siblings_through_the_cache_and_incremental_runs(tmp_path):
    """Whether a vendor class is one provider among siblings rests on modules it does not import: a
    sibling that stops calling an SDK, or one added, changes the answer in a cached run as in a full one."""
    base = "class TTSBase:\n    def __init__(self, config):\n        self.config = config\n"
    sdk = ("from openai import {c}\nfrom tts.base import TTSBase\n\n\nclass {n}(TTSBase):\n    def speak(self, text):\n"
           "        return {c}().audio.speech.create(model='tts-1', voice='alloy', input=text)\n")
    vendor = ("import requests\nfrom openai import OpenAIError\nfrom tts.base import TTSBase\n\n\nclass VendorTTS(TTSBase):\n"
              "    def speak(self, text):\n        return requests.post(self.config['url'], json={'text': text})\n")
    app, cache = tmp_path / "app", tmp_path / "cache"
    write(app, {"tts/__init__.py": "", "tts/base.py": base, "tts/openai_tts.py": sdk.format(c="OpenAI", n="OpenAITTS"),
                "tts/vendor.py": vendor})

    def http_sites():
        return [(s.path, s.line) for s in analyse([app], Config(), root=app, cache_dir=cache).sites if s.sdk == "http"]

    assert http_sites() == []  # one SDK sibling: no family yet
    (app / "tts/azure_tts.py").write_text(sdk.format(c="AzureOpenAI", n="AzureTTS"))
    assert http_sites() == [("tts/vendor.py", 8)]  # a second one added: the vendor's request is a site
    (app / "tts/azure_tts.py").write_text("class AzureTTS:\n    pass\n")
    assert http_sites() == []  # it stops calling an SDK: not a family any more


def test_skip_words_are_whole_words_and_generic_bases_are_read():
    """`list` names no part of `listen` (a speech-to-text request), while `_get_tokens` still names a
    token; `class X(TTSBase[dict])` derives from TTSBase, and `Generic[T]` is no family base."""
    from tokenlint.resolve.families import class_bases
    from tokenlint.resolve.families import names_any as _names_any

    assert not _names_any("listen", ["list"]) and _names_any("list_voices", ["list"])
    assert _names_any("_get_tokens", ["token"]) and _names_any("/v1/task/status", ["status"])
    assert class_bases(b"class X(TTSBase[dict], Generic[T]):\n    pass\n") == {"X": ("TTSBase",)}


def test_a_family_request_to_an_upstream_base_is_a_site_though_the_project_serves_the_path(tmp_path):
    """The project serves `/synthesize` itself, but the vendor class posts to `f"{upstream_url}/synthesize"`,
    a base named for an upstream service: the own-route rule (resolve/routes.py) lets it through here too."""
    base = "class TTSBase:\n    def __init__(self, config):\n        self.config = config\n"
    sdk = ("from openai import {c}\nfrom tts.base import TTSBase\n\n\nclass {n}(TTSBase):\n    def speak(self, text):\n"
           "        return {c}().audio.speech.create(model='tts-1', voice='alloy', input=text)\n")
    vendor = ("import requests\nfrom openai import OpenAIError\nfrom tts.base import TTSBase\n\n\nclass VendorTTS(TTSBase):\n"
              "    def speak(self, text):\n        upstream_url = self.config['upstream_url']\n"
              "        return requests.post(f\"{upstream_url}/synthesize\", json={'text': text})\n")
    server = ("from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.post(\"/synthesize\")\n"
              "def synthesize(body: dict):\n    return {}\n")
    files = {"tts/__init__.py": "", "tts/base.py": base, "tts/openai_tts.py": sdk.format(c="OpenAI", n="OpenAITTS"),
             "tts/azure_tts.py": sdk.format(c="AzureOpenAI", n="AzureTTS"), "tts/vendor.py": vendor, "server.py": server}
    assert [(path, line) for path, line, _, _ in _tree(tmp_path, files)] == [("tts/vendor.py", 9)]


def test_a_helper_whose_url_is_built_on_a_parameter_is_a_helper_too(tmp_path):
    """A URL whose host comes from the method's parameter (`base + "/v1/tts"`, f"{base}/v1/tts", a local
    assigned so) that callers hand written URLs is theirs to tell, as a bare parameter is; a URL on the
    instance's own host stays a site."""
    vendor = ("import requests\n"
              "from tts.base import TTSBase\n"
              "class VendorTTS(TTSBase):\n"
              "    def _post(self, base, payload):\n"
              "        return requests.post(base + '/v1/tts', json=payload)\n"
              "    def _send(self, base, payload):\n"
              "        return requests.post(f'{base}/v1/tts', json=payload)\n"
              "    def _call(self, host, payload):\n"
              "        url = f'https://{host}/v1/tts'\n"
              "        return requests.post(url, json=payload)\n"
              "    def speak(self, text):\n"
              "        return requests.post(self.config['host'] + '/v1/tts', json={'text': text})\n"
              "    def say(self, text):\n"
              "        self._post(EU, {'text': text})\n"
              "        self._send(f'https://eu.tts.example', {'text': text})\n"
              "        self._call('tts.example', {'text': text})\n"
              "EU = 'https://eu.tts.example'\n")
    assert _tree(tmp_path, _family(vendor)) == [("tts/vendor.py", 12, "unknown", "inferred")]


def test_a_member_posting_through_its_bases_session_is_picked_by_the_prefilter(tmp_path):
    """The member's file names no HTTP library (the session is built in the base class's module): the
    prefilter picks it all the same, so the site does not depend on an unrelated word in the file."""
    base = ("import requests\n"
            "class TTSBase:\n"
            "    def __init__(self, config):\n"
            "        self.config = config\n"
            "        self.session = requests.Session()\n")
    vendor = ("from tts.base import TTSBase\n"
              "class VendorTTS(TTSBase):\n"
              "    def speak(self, text):\n"
              "        return self.session.post(self.config['url'], json={'text': text})\n")
    files = _family(vendor, **{"tts/base.py": base})
    assert _tree(tmp_path / "a", files) == [("tts/vendor.py", 4, "unknown", "inferred")]
    named = dict(files, **{"tts/vendor.py": "# uses requests\n" + vendor})  # a word that made the file picked
    assert _tree(tmp_path / "b", named) == [("tts/vendor.py", 5, "unknown", "inferred")]


def test_a_parameter_naming_part_of_the_host_leaves_the_url_the_methods_own(tmp_path):
    """f"https://{region}.api.vendor-tts.com/..." writes the host in its literal (the parameter picks a
    region): a site, unlike f"https://{host}/..." or f"https://{host}:8443/...", whose whole host is handed."""
    vendor = ("import requests\n"
              "from tts.base import TTSBase\n"
              "class VendorTTS(TTSBase):\n"
              "    def speak(self, text, region):\n"
              "        return requests.post(f'https://{region}.api.vendor-tts.com/v1/synthesize', json={'text': text})\n"
              "    def _call(self, host, payload):\n"
              "        return requests.post(f'https://{host}:8443/v1/tts', json=payload)\n"
              "    def _send(self, host, payload):\n"
              "        return requests.post(f'https://{host}', json=payload)\n"
              "    def say(self, text):\n"
              "        return self._call('tts.vendor.example', {'text': text}), self._send(HOST, {'text': text})\n"
              "HOST = 'tts.vendor.example'\n")
    assert _tree(tmp_path, _family(vendor)) == [("tts/vendor.py", 5, "unknown", "inferred")]


def test_a_helper_building_on_a_url_no_caller_writes_is_the_site(tmp_path):
    """`_post(base, payload)` posting to `base + "/v1/tts"` is a helper only when some caller hands it a
    URL written as a literal or constant; handed the instance's configured URL, it is the class's request."""
    vendor = ("import requests\n"
              "from tts.base import TTSBase\n"
              "class VendorTTS(TTSBase):\n"
              "    def _post(self, base, payload):\n"
              "        return requests.post(base + '/v1/tts', json=payload)\n"
              "    def speak(self, text):\n"
              "        return self._post(self.config['api_url'], {'text': text})\n")
    assert _tree(tmp_path / "a", _family(vendor)) == [("tts/vendor.py", 5, "unknown", "inferred")]
    written = vendor + "    def say(self, text):\n        return self._post(API, {'text': text})\nAPI = 'https://tts.vendor.example'\n"
    assert _tree(tmp_path / "b", _family(written)) == []
