"""Clients built in one place and used in another through the project's own indirections: a package bound
by a computed name in an optional-dependency shim (`for m in modules: vars()[m] = Wrapper(m)`, then
`from pkg.thirdparty import zhipuai`), and a helper whose declared return type is a project `Protocol`
written for test doubles (`-> ChatClient`) while its body builds the SDK client, also reached through
`client or make_client()`. A computed name that is no catalogued package, and a Protocol-typed helper
returning a project object, stay what they were."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

SHIM = (
    "import importlib\n"
    "\n"
    "\n"
    "class Wrapper:\n"
    "    def __init__(self, name):\n"
    "        self._name = name\n"
    "\n"
    "    def __getattr__(self, attr):\n"
    "        return getattr(importlib.import_module(self._name), attr)\n"
    "\n"
    "\n"
    "for m in ['zhipuai', 'pandas']:\n"
    "    vars()[m] = Wrapper(m)\n"
)
SHIM_USER = (
    "from kit.thirdparty import zhipuai, pandas\n"
    "\n"
    "\n"
    "def _client(key):\n"
    "    return zhipuai.ZhipuAI(api_key=key)\n"
    "\n"
    "\n"
    "def draw(key, prompt):\n"
    "    table = pandas.DataFrame()\n"
    "    return _client(key).images.generations(model='cogview-4', prompt=prompt), table\n"
)
STATIC_SHIM = "class Wrapper:\n    pass\n\n\nzhipuai = Wrapper()\n"

PROTO = (
    "from typing import Protocol\n"
    "\n"
    "import together\n"
    "\n"
    "\n"
    "class ChatClient(Protocol):\n"
    "    @property\n"
    "    def chat(self): ...\n"
    "\n"
    "\n"
    "def _make_client(key: str) -> ChatClient:\n"
    "    return together.Together(api_key=key)\n"
    "\n"
    "\n"
    "class Model:\n"
    "    def __init__(self, key: str, client: ChatClient | None = None):\n"
    "        self._client = client or _make_client(key)\n"
    "\n"
    "    def ask(self, text):\n"
    "        return self._client.chat.completions.create(model='m-1', messages=[{'role': 'user', 'content': text}])\n"
    "\n"
    "\n"
    "def direct(key, text):\n"
    "    return _make_client(key).chat.completions.create(model='m-2', messages=[])\n"
)
PROTO_FAKE = (
    "from typing import Protocol\n"
    "\n"
    "\n"
    "class ChatClient(Protocol):\n"
    "    def create(self, **kw): ...\n"
    "\n"
    "\n"
    "class Fake:\n"
    "    def create(self, **kw):\n"
    "        return 'ok'\n"
    "\n"
    "\n"
    "def _make_client() -> ChatClient:\n"
    "    return Fake()\n"
    "\n"
    "\n"
    "def run(client: ChatClient | None = None):\n"
    "    client = client or _make_client()\n"
    "    return client.create(model='m')\n"
)


def _sites(root):
    return [(s.path, s.line, s.sdk, s.api) for s in analyse([root], Config(), root=root).sites]


def test_a_package_bound_by_a_computed_name_in_a_shim_is_that_package(tmp_path):
    root = make(tmp_path / "proj", {"kit/__init__.py": "", "kit/thirdparty.py": SHIM, "kit/draw.py": SHIM_USER})
    assert _sites(root) == [("kit/draw.py", 10, "zhipuai", "images")]


def test_a_name_the_module_binds_itself_is_not_taken_for_the_package(tmp_path):
    root = make(tmp_path / "proj", {"kit/__init__.py": "", "kit/thirdparty.py": STATIC_SHIM,
                                    "kit/draw.py": SHIM_USER})
    assert [s for s in _sites(root) if s[2] == "zhipuai"] == []


def test_a_protocol_declared_helper_returns_the_client_it_builds(tmp_path):
    root = make(tmp_path / "proj", {"model.py": PROTO})
    assert _sites(root) == [("model.py", 20, "together", "chat.completions"),
                            ("model.py", 24, "together", "chat.completions")]


def test_a_protocol_declared_helper_returning_a_project_object_sends_nothing(tmp_path):
    root = make(tmp_path / "proj", {"run.py": PROTO_FAKE})
    assert _sites(root) == []


HANDED_ON = (
    "from typing import Any\n"
    "\n"
    "import openai\n"
    "\n"
    "\n"
    "def _one_job(*, client: Any, file_id):\n"
    "    return client.batches.create(input_file_id=file_id, endpoint='/v1/chat/completions')\n"
    "\n"
    "\n"
    "def run_batch(client: Any, file_ids):\n"
    "    return [_one_job(client=client, file_id=f) for f in file_ids]\n"
    "\n"
    "\n"
    "class Provider:\n"
    "    def __init__(self):\n"
    "        self._client = openai.OpenAI()\n"
    "\n"
    "    def go(self, ids):\n"
    "        return run_batch(self._client, ids)\n"
)
HANDED_ON_ELSEWHERE = HANDED_ON.replace("return [_one_job(client=client", "return [print(client") \
    .replace("file_id=f) for f", "f) for f")


def test_a_client_parameter_handed_on_to_the_function_that_sends_holds_the_callers_client(tmp_path):
    root = make(tmp_path / "proj", {"batch.py": HANDED_ON})
    assert _sites(root) == [("batch.py", 7, "openai", "batches")]


def test_a_client_parameter_handed_to_no_sending_function_is_not_followed(tmp_path):
    root = make(tmp_path / "proj", {"batch.py": HANDED_ON_ELSEWHERE})
    assert [s[2] for s in _sites(root)] in ([], [None], ["unknown"])


SERVICE_HELPER = (
    "import boto3\n"
    "from botocore.client import BaseClient\n"
    "\n"
    "\n"
    "def make_client(region: str, service_name: str = 'bedrock-runtime') -> BaseClient:\n"
    "    session = boto3.session.Session(region_name=region)\n"
    "    return session.client(service_name)\n"
    "\n"
    "\n"
    "class Bedrock:\n"
    "    def __init__(self, region):\n"
    "        self._client = make_client(region)\n"
    "        self._store = make_client(region, 's3')\n"
    "\n"
    "    def ask(self, body):\n"
    "        self._store.put_object(Bucket='b', Key='k', Body=body)\n"
    "        return self._client.invoke_model(modelId='anthropic.claude-3-haiku-20240307-v1:0', body=body)\n"
)


def test_a_client_helper_taking_the_service_name_builds_the_service_each_call_names(tmp_path):
    root = make(tmp_path / "proj", {"llm.py": SERVICE_HELPER})
    assert [(s.path, s.line, s.api) for s in analyse([root], Config(), root=root).sites] == \
        [("llm.py", 17, "invoke_model")]


OTHER_OBJECT = (
    "import google.generativeai as genai\n"
    "\n"
    "\n"
    "class Analyzer:\n"
    "    def __init__(self):\n"
    "        self._model = genai.GenerativeModel('gemini-1.5-flash')\n"
    "\n"
    "\n"
    "class Review:\n"
    "    def __init__(self, analyzer=None):\n"
    "        self.analyzer = analyzer\n"
    "\n"
    "    def run(self, prompt):\n"
    "        if not self.analyzer:\n"
    "            return None\n"
    "        return self.analyzer._model.generate_content(prompt)\n"
    "\n"
    "\n"
    "def review(analyzer=None):\n"
    "    return Review(analyzer=analyzer).run('x')\n"
    "\n"
    "\n"
    "def main():\n"
    "    review(Analyzer())\n"
    "\n"
    "\n"
    "if __name__ == '__main__':\n"
    "    Review().run('y')\n"
)


def test_a_client_attribute_of_an_object_handed_through_a_function_to_a_constructor_is_followed(tmp_path):
    root = make(tmp_path / "proj", {"review.py": OTHER_OBJECT})
    assert _sites(root) == [("review.py", 16, "google-generativeai", "generate_content")]


def test_an_object_one_caller_passes_and_another_leaves_to_a_non_none_default_is_not_followed(tmp_path):
    root = make(tmp_path / "proj", {"review.py": OTHER_OBJECT.replace("analyzer=None):\n        self", "analyzer=0):\n        self")})
    assert [s for s in _sites(root) if s[2] == "google-generativeai"] == []


SETTINGS_HELPER = (
    "import boto3\n"
    "\n"
    "\n"
    "def make_client(service_name='bedrock-runtime'):\n"
    "    region = 'us-west-2'\n"
    "    endpoint = 'http://localhost:4566'\n"
    "    return boto3.client(service_name, region_name=region, endpoint_url=endpoint)\n"
    "\n"
    "\n"
    "def ask(body):\n"
    "    region = 'eu-central-1'\n"
    "    endpoint = 'https://bedrock-runtime.eu-central-1.amazonaws.com'\n"
    "    return make_client('bedrock-runtime').invoke_model(modelId='anthropic.claude-3-haiku-20240307-v1:0', body=body)\n"
)


def _invoke_settings(root):
    return [(s.line, s.client_args, s.self_hosted) for s in analyse([root], Config(), root=root).sites
            if s.api == "invoke_model"]


def test_a_service_name_helper_keeps_its_own_client_settings(tmp_path):
    root = make(tmp_path / "proj", {"llm.py": SETTINGS_HELPER})
    inline = make(tmp_path / "inline", {"llm.py": SETTINGS_HELPER.replace(
        "make_client('bedrock-runtime')", "boto3.client('bedrock-runtime', region_name=region, endpoint_url=endpoint)")})
    got = _invoke_settings(root)
    assert [(line, hosted) for line, _args, hosted in got] == [(13, True)]
    # the helper's region and endpoint, not the caller's locals of the same names
    assert "us-west-2" in str(got[0][1]) and "localhost" in str(got[0][1]) and "eu-central-1" not in str(got[0][1])
    # and the inline client in the caller reads the caller's
    assert "eu-central-1" in str(_invoke_settings(inline)[0][1])


def test_a_service_name_helper_passing_the_name_by_keyword_builds_that_service(tmp_path):
    src = SERVICE_HELPER.replace("session.client(service_name)", "session.client(service_name=service_name)")
    root = make(tmp_path / "proj", {"llm.py": src})
    assert [(s.path, s.line, s.api) for s in analyse([root], Config(), root=root).sites] == \
        [("llm.py", 17, "invoke_model")]


PROTO_EITHER = PROTO.replace("import together\n", "import os\n\nimport openai\n").replace(
    "return together.Together(api_key=key)",
    "return openai.AzureOpenAI(api_key=key) if os.getenv('AZURE') else openai.OpenAI(api_key=key)")


def test_a_protocol_declared_helper_returning_either_client_returns_both(tmp_path):
    root = make(tmp_path / "proj", {"model.py": PROTO_EITHER})
    sites = analyse([root], Config(), root=root).sites
    assert [(s.line, s.api) for s in sites] == [(22, "chat.completions"), (26, "chat.completions")]
    assert all(len(s.providers) == 2 and s.provider == "multi" for s in sites)
