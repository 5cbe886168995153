"""TKL101 untagged-llm-call beyond the fixtures: tags judged against the project's attribution
sinks (configured, inferred or none), fixes only where the request stays valid and a sink reads the
tag, and the message kinds for each case."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tokenlint.config import load_config
from tokenlint.engine import analyse

TODAY = dt.date(2026, 11, 29)
OPENAI = "from openai import OpenAI\n\nclient = OpenAI()\n\n\n"
CHAT = "client.chat.completions.create(model='gpt-4o-2024-08-06', messages=[])"


def findings(root: Path, src: str, config: str = "[tool.tokenlint]\n", files: dict | None = None):
    (root / "pyproject.toml").write_text(config, encoding="utf-8")
    (root / "app.py").write_text(src, encoding="utf-8")
    for rel, text in (files or {}).items():
        (root / rel).write_text(text, encoding="utf-8")
    cfg = load_config(root / "pyproject.toml").with_overrides(select=("TKL101",))
    return analyse([root], cfg, root=root, today=TODAY).findings


def sinks(*names: str) -> str:
    return "[tool.tokenlint]\nattribution = [" + ", ".join(f'"{n}"' for n in names) + "]\n"


def test_kwargs_passed_through_are_named_in_the_message(tmp_path):
    src = (OPENAI + "def ask(q, **params):\n"
           "    client.chat.completions.create(model='gpt-4o-2024-08-06', messages=[q], **params)\n"
           "    client.chat.completions.create(model='gpt-4o-2024-08-06', messages=[q])\n")
    got = [f.message for f in findings(tmp_path, src, sinks("helicone"))]
    assert got == ["LLM call to openai chat.completions has no 'feature' attribution tag "
                   "(a tag inside **kwargs cannot be seen: pass it by name)",
                   "LLM call to openai chat.completions has no 'feature' attribution tag"]


def test_the_fix_names_the_feature_after_module_and_function_without_repeating_them(tmp_path):
    call = f"    return {CHAT}\n"
    (tmp_path / "pyproject.toml").write_text(sinks("helicone"), encoding="utf-8")
    (tmp_path / "run_prompt.py").write_text(OPENAI + "def run_prompt():\n" + call + "\n\ndef other():\n" + call,
                                            encoding="utf-8")
    cfg = load_config(tmp_path / "pyproject.toml").with_overrides(select=("TKL101",))
    fixes = [f.fix.message for f in analyse([tmp_path], cfg, root=tmp_path, today=TODAY).findings]
    assert fixes == ['Tag the call as feature "run-prompt" for helicone',
                     'Tag the call as feature "run-prompt-other" for helicone']


def test_with_no_sink_untagged_calls_are_reported_with_no_fix_and_the_hint_is_not_on_each_line(tmp_path):
    got = findings(tmp_path, OPENAI + f"def ask():\n    {CHAT}\n")
    assert len(got) == 1 and got[0].fix is None
    assert "attribution sink" not in got[0].message  # said once per run, in the summary


def test_with_no_sink_the_check_summary_says_how_to_choose_one_once(run, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.tokenlint]\n", encoding="utf-8")
    (tmp_path / "app.py").write_text(OPENAI + f"def ask():\n    {CHAT}\n\n\ndef tell():\n    {CHAT}\n",
                                     encoding="utf-8")
    r = run(tmp_path, "check", ".", "--no-cache", "--select", "TKL101")
    lines = r.stdout.splitlines()
    assert sum(": TKL101 " in x for x in lines) == 2
    hints = [x for x in lines if "no attribution sink configured or inferable" in x]
    assert len(hints) == 1 and "2 untagged-llm-call findings" in hints[0]
    assert "tokenlint rule untagged-llm-call" in hints[0]
    assert not [x for x in lines if " TKL" in x and ": TKL101 " not in x]  # no summary line reads as a finding
    (tmp_path / "pyproject.toml").write_text(sinks("helicone"), encoding="utf-8")
    r = run(tmp_path, "check", ".", "--no-cache", "--select", "TKL101")
    assert "attribution sink" not in r.stdout  # a sink is configured: nothing to say


def _two_untagged(tmp_path: Path, config: str) -> None:
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    (tmp_path / "app.py").write_text(OPENAI + f"def ask():\n    {CHAT}\n\n\ndef tell():\n    {CHAT}\n",
                                     encoding="utf-8")


def test_with_no_sink_json_output_carries_the_hint_on_each_untagged_finding(run, tmp_path):
    """JSON keeps ruff's shape (a list, which has no top level to hold a run-wide field): the hint rides
    on each untagged-llm-call finding as a `hint` object, and only when no sink is known."""
    import json

    _two_untagged(tmp_path, "[tool.tokenlint]\n")
    doc = json.loads(run(tmp_path, "check", ".", "--no-cache", "--select", "TKL101", "--format", "json").stdout)
    assert isinstance(doc, list) and len(doc) == 2
    for f in doc:
        assert f["code"] == "TKL101" and f["hint"]["id"] == "no-attribution-sink"
        assert "no attribution sink configured or inferable" in f["hint"]["message"]
        assert "tokenlint rule untagged-llm-call" in f["hint"]["message"]
    _two_untagged(tmp_path, sinks("helicone"))
    doc = json.loads(run(tmp_path, "check", ".", "--no-cache", "--select", "TKL101", "--format", "json").stdout)
    assert doc and not any("hint" in f for f in doc)


def test_with_no_sink_sarif_carries_the_hint_once_as_a_run_notification(run, tmp_path):
    import json

    _two_untagged(tmp_path, "[tool.tokenlint]\n")
    doc = json.loads(run(tmp_path, "check", ".", "--no-cache", "--select", "TKL101", "--format", "sarif").stdout)
    (sarif_run,) = doc["runs"]
    (invocation,) = sarif_run["invocations"]
    (note,) = invocation["toolConfigurationNotifications"]
    assert invocation["executionSuccessful"] is True
    assert note["descriptor"]["id"] == "no-attribution-sink" and note["associatedRule"]["id"] == "TKL101"
    assert note["message"]["text"].startswith("2 untagged-llm-call findings and no attribution sink configured")
    assert sarif_run["properties"]["attributionHint"] == note["message"]["text"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert rules[note["associatedRule"]["index"]]["id"] == "TKL101"
    assert sarif_run["tool"]["driver"]["notifications"][0]["id"] == "no-attribution-sink"
    assert not any("attribution sink" in r["message"]["text"] for r in sarif_run["results"])  # once, not per result
    schema = Path(__file__).resolve().parent.parent / "data" / "sarif-schema-2.1.0.json"
    try:
        import jsonschema
    except ImportError:  # pragma: no cover - the schema check needs jsonschema
        jsonschema = None
    if jsonschema is not None:
        jsonschema.validate(doc, json.loads(schema.read_text(encoding="utf-8")))
    _two_untagged(tmp_path, sinks("helicone"))
    doc = json.loads(run(tmp_path, "check", ".", "--no-cache", "--select", "TKL101", "--format", "sarif").stdout)
    assert "invocations" not in doc["runs"][0] and "properties" not in doc["runs"][0]


def test_the_openai_chat_fix_never_writes_metadata(tmp_path):
    # metadata without store=True is rejected by the API; a LiteLLM sink gets the header instead
    got = findings(tmp_path, OPENAI + f"def ask():\n    {CHAT}\n", sinks("litellm"))
    edit = got[0].fix.edits[0].content
    assert edit == ', extra_headers={"x-litellm-tags": "feature:app-ask"}'
    assert "metadata" not in edit


def test_an_anthropic_call_gets_no_feature_key_in_its_metadata(tmp_path):
    src = ("from anthropic import Anthropic\n\nclaude = Anthropic()\n\n\ndef ask():\n"
           "    claude.messages.create(model='claude-sonnet-5', max_tokens=9, messages=[], metadata={'user_id': 'u'})\n")
    got = findings(tmp_path, src, sinks("portkey"))
    edit = got[0].fix.edits[0].content
    assert edit == """, extra_headers={"x-portkey-metadata": "{\\"feature\\": \\"app-ask\\"}"}"""


def test_a_tag_no_configured_sink_reads_is_reported_without_a_fix(tmp_path):
    src = OPENAI + "def ask():\n    client.chat.completions.create(model='m', messages=[], extra_headers={'X-Feature': 'faq'})\n"
    got = findings(tmp_path, src, sinks("helicone"))
    assert len(got) == 1 and got[0].fix is None
    assert "`extra_headers.X-Feature` that reaches no configured attribution sink (helicone)" in got[0].message
    assert findings(tmp_path, src, sinks("header:X-Feature")) == []


def test_a_tag_in_the_clients_defaults_or_options_reaches_the_sink(tmp_path):
    src = ("from openai import OpenAI\n\n"
           "client = OpenAI(default_headers={'Helicone-Property-Feature': 'faq'})\nplain = OpenAI()\n\n\n"
           "def ask():\n    client.chat.completions.create(model='m', messages=[])\n"
           "    plain.with_options(extra_headers={'Helicone-Property-Feature': 'faq'}).chat.completions.create("
           "model='m', messages=[])\n")
    assert findings(tmp_path, src, sinks("helicone")) == []
    assert len(findings(tmp_path, src, sinks("litellm"))) == 2


def test_a_client_whose_literal_base_url_is_not_the_gateway_gets_no_gateway_tag(tmp_path):
    src = ("from openai import OpenAI\n\nclient = OpenAI(base_url='https://api.openai.com/v1')\n\n\n"
           f"def ask():\n    {CHAT}\n")
    got = findings(tmp_path, src, sinks("helicone"))
    assert len(got) == 1 and got[0].fix is None
    helicone = src.replace("https://api.openai.com/v1", "https://oai.helicone.ai/v1")
    assert findings(tmp_path, helicone, sinks("helicone"))[0].fix is not None


def test_a_project_or_key_mapped_to_a_feature_counts_as_tagged(tmp_path):
    src = ("import os\nfrom openai import OpenAI\n\n"
           "faq = OpenAI(api_key=os.environ['FAQ_OPENAI_KEY'])\nsearch = OpenAI(project='proj_search')\n"
           "other = OpenAI(project='proj_other')\n\n\n"
           "def ask():\n    faq.chat.completions.create(model='m', messages=[])\n"
           "    search.chat.completions.create(model='m', messages=[])\n"
           "    other.chat.completions.create(model='m', messages=[])\n")
    config = sinks("openai-projects") + ("[tool.tokenlint.attribution-keys]\n"
                                         "FAQ_OPENAI_KEY = \"faq-bot\"\nproj_search = \"search\"\n")
    got = findings(tmp_path, src, config)
    assert [f.row for f in got] == [12]
    assert got[0].fix is None  # the fix cannot create a project


def test_a_wrapper_parameter_reaching_the_sink_is_fixed_at_each_call_leaving_it_out(tmp_path):
    src = (OPENAI + "def ask(q, feature=None):\n"
           "    return client.chat.completions.create(model='m', messages=[q], "
           "extra_headers={'Helicone-Property-Feature': feature})\n\n\n"
           "def faq():\n    return ask('hi')\n")
    got = findings(tmp_path, src, sinks("helicone"))
    assert [f.row for f in got] == [11] and got[0].fix.message == 'Pass feature="app-faq"'
    other = findings(tmp_path, src, sinks("litellm"))
    assert {f.row for f in other} == {7, 11} and all(f.fix is None for f in other)


def test_an_inferred_sink_is_used_like_a_configured_one(tmp_path):
    src = ("import litellm\n\n\ndef ask():\n    litellm.completion('openai/gpt-4o', messages=[])\n")
    got = findings(tmp_path, src)
    assert got[0].fix is not None and got[0].fix.message.endswith("for litellm")
    assert got[0].fix.edits[0].content == ', metadata={"tags": ["feature:app-ask"]}'


def test_the_message_names_the_kind_of_call_by_its_api(tmp_path):
    """Every SageMaker endpoint is a site: one whose payload and name show no LLM is a "model call", an
    "embedding call" when its endpoint is named for one; embeddings through an LLM SDK are embedding calls."""
    src = (OPENAI + "import json\nimport boto3\n\nrt = boto3.client('sagemaker-runtime')\n\n\n"
           "def embed(text):\n"
           "    rt.invoke_endpoint(EndpointName='bge-embedding-endpoint', Body=json.dumps({'inputs': [text]}))\n"
           "    rt.invoke_endpoint(EndpointName='scorer-prod', Body=json.dumps({'rows': [text]}))\n"
           "    rt.invoke_endpoint(EndpointName='llama-3-chat', Body=json.dumps({'inputs': text, 'parameters': {}}))\n"
           "    client.embeddings.create(model='text-embedding-3-small', input=text)\n")
    got = [f.message.split(" has ")[0] for f in sorted(findings(tmp_path, src), key=lambda f: f.row)]
    assert got == ["Embedding call to aws_sagemaker inference", "Model call to aws_sagemaker inference",
                   "LLM call to aws_sagemaker inference", "Embedding call to openai embeddings"]


def test_image_audio_and_tuning_requests_are_named_for_what_they_are(tmp_path):
    """An image generation, a speech synthesis, a transcription and a fine-tuning job are no "LLM call"
    nor a vague "AI service call"; a moderation stays an AI service call, a chat an LLM call."""
    src = (OPENAI + "def run(text, f):\n"
           "    client.images.generate(model='gpt-image-1', prompt=text)\n"
           "    client.audio.speech.create(model='tts-1', voice='alloy', input=text)\n"
           "    client.audio.transcriptions.create(model='whisper-1', file=f)\n"
           "    client.fine_tuning.jobs.create(model='gpt-4o-mini', training_file='file-1')\n"
           "    client.moderations.create(model='omni-moderation-latest', input=text)\n"
           f"    {CHAT}\n")
    got = [f.message.split(" to openai")[0] for f in sorted(findings(tmp_path, src), key=lambda f: f.row)]
    assert got == ["Image generation call", "Speech call", "Transcription call", "Fine-tuning job", "AI service call",
                   "LLM call"]
