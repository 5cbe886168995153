"""A request-shaped call on a receiver of unknown type whose file imports no SDK with that method
("fail open, with evidence"): the project's dependency files declaring such an SDK (pyproject.toml,
requirements*.txt, requirements/*.txt, setup.py, read as data) make it a site with confidence "inferred"
and that SDK's provider; `chat.completions.create` is evidence enough on its own (catalog `alone`); a
chain no declared SDK has stays withheld, and negative evidence (a forbidden keyword, a positional
argument, a test double) wins over both. Also tokenlint.pins.declared_packages itself."""

from __future__ import annotations

from pathlib import Path

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.pins import declared_packages

RELAY = '''\
class Relay:
    def __init__(self, client):
        self.client = client

    def send(self, params):
        return self.client.messages.create(**params)

    def send_copy(self, kwargs):
        retry = dict(kwargs)
        retry.pop("tools", None)
        return self.client.messages.create(**retry)
'''

TWILIO_LIKE = '''\
def notify(client, to, text):
    return client.messages.create(body=text, to=to, **extra())

def ordered(client, params):
    return client.messages.create("+1555", **params)
'''


def _run(root: Path, files: dict[str, str]) -> tuple[list, list]:
    make(root, files)
    result = analyse([root], Config(), root=root, unresolved=True)
    assert not [f.error for f in result.files if f.error]
    sites = sorted((s.path, s.line, s.provider, s.api, s.confidence) for s in result.sites)
    withheld = sorted((u.path, u.line) for u in result.unresolved if u.kind == "withheld")
    return sites, withheld


def test_without_evidence_a_messages_request_shape_is_withheld(tmp_path: Path) -> None:
    sites, withheld = _run(tmp_path / "p", {"relay.py": RELAY})
    assert sites == [] and withheld == [("relay.py", 6), ("relay.py", 11)]


def test_a_declared_sdk_in_pyproject_makes_it_an_inferred_site_of_that_provider(tmp_path: Path) -> None:
    pyproject = '[project]\nname = "relay"\ndependencies = ["anthropic>=0.40", "httpx"]\n'
    sites, withheld = _run(tmp_path / "p", {"relay.py": RELAY, "pyproject.toml": pyproject})
    assert sites == [("relay.py", 6, "anthropic", "messages", "inferred"),
                     ("relay.py", 11, "anthropic", "messages", "inferred")]  # a copy `dict(kwargs)`: keys unknown
    assert withheld == []


def test_requirements_in_a_parent_folder_and_setup_py_count_too(tmp_path: Path) -> None:
    sites, _ = _run(tmp_path / "a", {"svc/relay.py": RELAY, "requirements/base.txt": "anthropic==0.40.0\n"})
    assert [s[:3] for s in sites] == [("svc/relay.py", 6, "anthropic"), ("svc/relay.py", 11, "anthropic")]
    setup = 'from setuptools import setup\nsetup(name="r", install_requires=["requests", "anthropic[bedrock]>=0.3"])\n'
    sites, _ = _run(tmp_path / "b", {"svc/relay.py": RELAY, "setup.py": setup})
    assert [s[:3] for s in sites] == [("svc/relay.py", 6, "anthropic"), ("svc/relay.py", 11, "anthropic")]


def test_a_declared_sdk_without_the_method_is_no_evidence(tmp_path: Path) -> None:
    sites, withheld = _run(tmp_path / "p", {"relay.py": RELAY, "requirements.txt": "openai>=1.0\ngoogle-genai\n"})
    assert sites == [] and withheld == [("relay.py", 6), ("relay.py", 11)]


def test_negative_evidence_wins_over_the_project(tmp_path: Path) -> None:
    """Twilio's `messages.create(body=..., to=...)`, a positional argument: no site, whatever is declared."""
    sites, _ = _run(tmp_path / "p", {"sms.py": TWILIO_LIKE, "requirements.txt": "anthropic\n"})
    assert sites == []


def test_chat_completions_create_is_evidence_enough_alone(tmp_path: Path) -> None:
    src = ("def ask(client, kwargs):\n"
           "    return client.chat.completions.create(**kwargs)\n"
           "def other(client, params):\n"
           "    return client.models.generate_content(**params)\n")
    sites, withheld = _run(tmp_path / "p", {"ask.py": src})
    assert sites == [("ask.py", 2, "openai", "chat.completions", "inferred")]
    assert withheld == [("ask.py", 4)]  # google-genai's shape: neither imported, declared nor distinctive alone


def test_several_declared_sdks_with_the_method_are_all_its_providers(tmp_path: Path) -> None:
    src = "def ask(client, kwargs):\n    return client.chat.completions.create(**kwargs)\n"
    make(tmp_path / "p", {"ask.py": src, "requirements.txt": "groq\nopenai\n"})
    result = analyse([tmp_path / "p"], Config(), root=tmp_path / "p")
    (site,) = result.sites
    assert site.provider == "multi" and set(site.providers) == {"openai", "groq"}
    assert "declare" in (site.reason or "")


def test_declared_packages_reads_every_dependency_file_up_to_the_root(tmp_path: Path) -> None:
    make(tmp_path, {
        "pyproject.toml": ('[project]\ndependencies = ["OpenAI>=1"]\n[project.optional-dependencies]\n'
                           'gem = ["google_genai"]\n[tool.poetry.dependencies]\nmistralai = "^1"\n'
                           '[tool.poetry.group.dev.dependencies]\npytest = "*"\n'),
        "svc/requirements-dev.txt": "# a comment\n-r base.txt\nAnthropic[vertex] ; python_version>'3.8'\n",
        "svc/setup.py": "setup(extras_require={'x': ['cohere>=5']}, install_requires=deps)\n",
        "other/requirements.txt": "groq\n",
    })
    looked: list[Path] = []
    got = declared_packages(tmp_path / "svc", tmp_path, looked)
    assert got == {"openai", "google-genai", "mistralai", "pytest", "anthropic", "cohere"}
    assert tmp_path / "svc" / "requirements.txt" in looked  # a file that may appear later: looked for
    assert declared_packages(tmp_path / "svc", tmp_path / "svc") == {"anthropic", "cohere"}


def test_unreadable_dependency_files_declare_nothing(tmp_path: Path) -> None:
    make(tmp_path, {"pyproject.toml": "[project\n", "setup.py": "setup(install_requires=[\n"})
    assert declared_packages(tmp_path, tmp_path) == frozenset()


def test_mistral_embeddings_create_async_on_an_injected_client_is_inferred(tmp_path: Path) -> None:
    src = ("async def embed(sdk_client, model, values):\n"
           "    kwargs = {'model': model, 'inputs': list(values)}\n"
           "    return await sdk_client.embeddings.create_async(**kwargs)\n"
           "async def other(queue, item):\n"
           "    return await queue.items.create_async(item)\n")
    sites, _ = _run(tmp_path / "p", {"emb.py": src})
    assert sites == [("emb.py", 3, "mistral", "embeddings", "inferred")]


BEDROCK_RELAY = '''\
class Relay:
    def __init__(self, bedrock):
        self.bedrock = bedrock

    def ask(self, model_id, params):
        return self.bedrock.converse(modelId=model_id, **params)

    def raw(self, model_id, params):
        return self.bedrock.invoke_model(modelId=model_id, **params)
'''

AGENT_RELAY = '''\
def ask(client, agent_id, params):
    return client.agents.query.create(agent_id=agent_id, **params)
'''


def test_a_declared_boto3_is_evidence_for_the_bedrock_runtime_methods(tmp_path: Path) -> None:
    """boto3 (or aioboto3, botocore) is the distribution that serves `boto3.client("bedrock-runtime")`:
    declaring it is evidence, as the stub packages' import roots are (catalog `packages`)."""
    for i, declared in enumerate(("boto3>=1.34\n", "aioboto3\n", "botocore\n")):
        sites, withheld = _run(tmp_path / f"p{i}", {"relay.py": BEDROCK_RELAY, "requirements.txt": declared})
        assert sites == [("relay.py", 6, "aws_bedrock", "converse", "inferred"),
                         ("relay.py", 9, "aws_bedrock", "invoke_model", "inferred")], declared
        assert withheld == []
    sites, withheld = _run(tmp_path / "none", {"relay.py": BEDROCK_RELAY, "requirements.txt": "requests\n"})
    assert sites == [] and withheld == [("relay.py", 6), ("relay.py", 9)]


def test_a_declared_distribution_named_apart_from_its_import_counts(tmp_path: Path) -> None:
    """Contextual AI's SDK is imported as `contextual` but published as contextual-client."""
    pyproject = '[project]\nname = "r"\ndependencies = ["contextual-client>=0.10"]\n'
    sites, withheld = _run(tmp_path / "p", {"agent.py": AGENT_RELAY, "pyproject.toml": pyproject})
    assert sites == [("agent.py", 2, "contextual", "agents", "inferred")] and withheld == []


def test_a_cached_result_follows_a_dependency_file_added_under_requirements(tmp_path: Path) -> None:
    """requirements/base.txt added after a run: the cached answer rests on the folder's listing too."""
    root = tmp_path / "p"
    make(root, {"svc/relay.py": RELAY})
    cache = tmp_path / "cache"

    def sites() -> list:
        result = analyse([root], Config(), root=root, cache_dir=cache)
        return sorted((s.path, s.line, s.provider) for s in result.sites)

    assert sites() == []
    (root / "requirements").mkdir()
    (root / "requirements" / "base.txt").write_text("anthropic==0.40.0\n", encoding="utf-8")
    assert sites() == [("svc/relay.py", 6, "anthropic"), ("svc/relay.py", 11, "anthropic")]
    (root / "requirements" / "ml.txt").write_text("torch\n", encoding="utf-8")
    (root / "requirements" / "base.txt").unlink()
    assert sites() == []


def test_a_cached_result_is_kept_when_a_file_that_declares_nothing_is_added(tmp_path: Path, monkeypatch) -> None:
    """The cached answer rests on the dependency files' names in each folder, not on the folders' whole
    listings: a README or another module added leaves relay.py's result reused; requirements/base.txt
    added still makes it stale."""
    import tokenlint.engine as engine

    root = tmp_path / "p"
    make(root, {"svc/relay.py": RELAY, "requirements/dev.txt": "pytest\n"})
    cache = tmp_path / "cache"
    analysed: list[str] = []
    real = engine._Batch._analyse
    monkeypatch.setattr(engine._Batch, "_analyse",
                        lambda self, paths: analysed.extend(p.name for p in paths) or real(self, paths))

    def sites() -> list:
        analysed.clear()
        result = analyse([root], Config(), root=root, cache_dir=cache)
        return sorted((s.path, s.line, s.provider) for s in result.sites)

    assert sites() == [] and analysed == ["relay.py"]
    (root / "README.md").write_text("# relay\n", encoding="utf-8")
    (root / "svc" / "helpers.py").write_text("def clean(text):\n    return text.strip()\n", encoding="utf-8")
    (root / "requirements" / "notes.md").write_text("pins\n", encoding="utf-8")
    assert sites() == [] and "relay.py" not in analysed
    (root / "requirements" / "base.txt").write_text("anthropic==0.40.0\n", encoding="utf-8")
    assert sites() == [("svc/relay.py", 6, "anthropic"), ("svc/relay.py", 11, "anthropic")]
    assert "relay.py" in analysed


CHATBOT = '''\
class ChatBot:
    def __init__(self, engine):
        self.engine = engine

    def reply(self, turn):
        return self.engine.converse(**turn)
'''


def test_a_declared_boto3_alone_is_no_evidence_for_any_converse(tmp_path: Path) -> None:
    """Most projects declare boto3 for S3: a chatbot's `.converse(**turn)` in a file importing no AWS
    SDK, on a receiver named for nothing of Bedrock, stays no site; the same file importing boto3 is one."""
    files = {"bot.py": CHATBOT, "store.py": "import boto3\nS3 = boto3.client('s3')\n", "requirements.txt": "boto3\n"}
    sites, withheld = _run(tmp_path / "p", files)
    assert sites == [] and withheld == [("bot.py", 6)]
    sites, _ = _run(tmp_path / "q", dict(files, **{"bot.py": "import boto3\n" + CHATBOT}))
    assert sites == [("bot.py", 7, "aws_bedrock", "converse", "inferred")]
