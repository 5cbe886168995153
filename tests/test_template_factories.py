"""A base class that builds its client through a method its subclasses override (`self.client = client or
self.create_client()`, the base's `create_client` only raising) holds, on an object of a subclass, what
THAT subclass's override returns, as Python's method lookup would: a request on `self.client` in the
subclass's methods resolves through its own factory (a module, a client built with imports inside the
function), also when the SDK method is handed to a retry helper. An override building no SDK client
gives no site."""

from __future__ import annotations

from projects import analysed_sites

MODELS = '''\
class Model:
    def __init__(self, model_id):
        self.model_id = model_id


class ApiModel(Model):
    def __init__(self, model_id, client=None):
        super().__init__(model_id)
        self.client = client or self.create_client()

    def create_client(self):
        raise NotImplementedError("subclasses build the client")

    def retry(self, fn, **kwargs):
        return fn(**kwargs)


class LiteModel(ApiModel):
    def create_client(self):
        import litellm
        return litellm

    def generate(self, messages):
        return self.retry(self.client.completion, model=self.model_id, messages=messages)


class OpenAIModel(ApiModel):
    def __init__(self, model_id, api_key=None):
        self.api_key = api_key
        super().__init__(model_id)

    def create_client(self):
        import openai
        return openai.OpenAI(api_key=self.api_key)

    def generate(self, messages):
        return self.client.chat.completions.create(model=self.model_id, messages=messages)


class AzureModel(OpenAIModel):
    def create_client(self):
        import openai
        return openai.AzureOpenAI(api_key=self.api_key, api_version="2024-06-01")


class StoreModel(ApiModel):
    def create_client(self):
        import sqlite3
        return sqlite3.connect(":memory:")

    def generate(self, messages):
        return self.client.execute("select 1")
'''


def _sites(tmp_path, files):
    return sorted((s.path, s.line, s.sdk, s.api) for s in analysed_sites(tmp_path / "proj", files))


def test_each_subclass_reads_the_client_its_own_factory_builds(tmp_path):
    sites = _sites(tmp_path, {"pkg/__init__.py": "", "pkg/models.py": MODELS})
    lines = MODELS.splitlines()
    lite = lines.index("        return self.retry(self.client.completion, model=self.model_id, messages=messages)") + 1
    chat = lines.index("        return self.client.chat.completions.create(model=self.model_id, messages=messages)") + 1
    assert sites == [("pkg/models.py", lite, "litellm", "completion"), ("pkg/models.py", chat, "openai", "chat.completions")]


def test_the_base_alone_reads_no_client(tmp_path):
    # without the subclasses' overrides the base's factory only raises: nothing is a request
    base = MODELS[:MODELS.index("class LiteModel")] + (
        "class Local(ApiModel):\n"
        "    def generate(self, messages):\n"
        "        return self.client.completion(messages=messages)\n")
    assert _sites(tmp_path, {"pkg/__init__.py": "", "pkg/models.py": base}) == []


def test_an_override_building_no_sdk_client_gives_no_site(tmp_path):
    only_store = MODELS[:MODELS.index("class LiteModel")] + MODELS[MODELS.index("class StoreModel"):]
    assert _sites(tmp_path, {"pkg/__init__.py": "", "pkg/models.py": only_store}) == []

