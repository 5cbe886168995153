"""Hosted-inference SDKs and agent SDKs from the catalog: how the prefilter marks their files, which
package names a project may own, and what their sites carry in the inventory (the per-line shapes are
the `# site:` markers of fixtures/resolver/providers/hosted_inference.py and frameworks/agent_sdks.py)."""

from __future__ import annotations

from pathlib import Path

from tokenlint.catalog import build_sdk_catalog
from tokenlint.config import Config
from tokenlint.engine import analyse, external_names
from tokenlint.prefilter import sdk_pattern

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "resolver"


def test_the_prefilter_marks_agent_sdk_files_by_their_imports_not_by_common_class_names() -> None:
    pat = sdk_pattern(build_sdk_catalog())
    assert pat.search(b"from agents import Agent, Runner\n")
    assert pat.search(b"import agents\n")
    assert pat.search(b"from agents.extensions.models.litellm_model import LitellmModel\n")
    assert pat.search(b"from aider.coders import Coder\n")
    assert pat.search(b"import assemblyai as aai\nt = aai.Transcriber()\n")
    assert pat.search(b"from huggingface_hub.inference_api import InferenceApi\n")
    # the same class names in a project that imports none of them mark nothing
    assert not pat.search(b"class Agent:\n    pass\n\n\nclass Runner:\n    pass\n")
    assert not pat.search(b"from myapp.agents import planner\nagents = [planner]\n")
    assert not pat.search(b"class Transcriber:\n    def transcribe(self, p):\n        return p\n")
    assert not pat.search(b"from pydantic import BaseModel\n\n\nclass Model(BaseModel):\n    name: str\n")


def test_a_project_may_own_packages_named_like_common_word_sdks() -> None:
    names = external_names(build_sdk_catalog())
    assert {"openai", "litellm", "elevenlabs", "browser_use"} <= names
    assert not {"agents", "replicate", "aider"} & names


def _sites(path: Path):
    result = analyse([path], Config(), rules=[], root=path.parent)
    assert not [f.error for f in result.files if f.error]
    return result.sites


def test_agent_requests_link_to_the_bindings_that_choose_their_model() -> None:
    sites = _sites(FIXTURES / "frameworks" / "agent_sdks.py")
    by_line = {s.line: s for s in sites}
    bindings = {s.id: s for s in sites if s.kind == "binding"}
    run = next(s for s in sites if s.kind == "request" and s.function == "answer_now")
    assert bindings[run.binding].constructor == "Agent"
    assert bindings[run.binding].model.value == "gpt-4.1-mini"
    coder_runs = [s for s in sites if s.kind == "request" and s.function == "edit_files"]
    assert coder_runs and all({bindings[b].model.value for b in s.bindings} ==
                              {"deepseek/deepseek-reasoner", "openrouter/meta-llama/llama-3.1-405b-instruct"}
                              for s in coder_runs)
    browse = next(s for s in sites if s.kind == "request" and s.function == "browse")
    assert (browse.provider, browse.model.value, by_line[browse.line].is_async) == ("openai", "gpt-4.1", True)
    # a binding spends nothing; the requests do
    assert all(not s.spends for s in bindings.values()) and all(s.spends for s in sites if s.kind == "request")


def test_hosted_inference_sites_report_provider_api_and_model_in_the_json_inventory(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tokenlint.cli import main

    src = FIXTURES / "providers" / "hosted_inference.py"
    out = tmp_path / "inv.json"
    res = CliRunner().invoke(main, ["inventory", "--no-cache", "--format", "json", "-o", str(out), str(src)])
    assert res.exit_code == 0, res.output
    import json

    rows = {(s["provider"], s["api"], (s["model"] or {}).get("value")) for s in json.loads(out.read_text())["call_sites"]}
    assert ("huggingface", "inference", "gpt2") in rows
    assert ("elevenlabs", "audio.speech", "eleven_multilingual_v2") in rows
    assert ("assemblyai", "audio.transcriptions", None) in rows
    assert ("litellm", "images", "openai/gpt-image-1") in rows
    assert ("azure_speech", "audio.speech", None) in rows


def test_the_2024_prompt_caching_beta_of_the_anthropic_sdk_is_a_messages_request(tmp_path: Path) -> None:
    (tmp_path / "cached.py").write_text(
        "import anthropic\n\nclient = anthropic.Anthropic()\n"
        "client.beta.prompt_caching.messages.create(model='claude-sonnet-5', max_tokens=8, messages=[],\n"
        "    system=[{'type': 'text', 'text': 'rules', 'cache_control': {'type': 'ephemeral'}}])\n"
        "with client.beta.prompt_caching.messages.stream(model='claude-sonnet-5', max_tokens=8, messages=[]) as s:\n"
        "    pass\nclient.beta.prompt_caching.other.create(model='claude-sonnet-5')\n", encoding="utf-8")
    result = analyse([tmp_path], Config(), rules=[], root=tmp_path)
    assert sorted((s.line, s.provider, s.api, s.stream) for s in result.sites) == [
        (4, "anthropic", "messages", False), (6, "anthropic", "messages", True)]
