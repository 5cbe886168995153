"""Attribution sinks: the catalog data, the config key, inference from the project, and the API
constraints that decide where a fix may write a tag."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from projects import make
from tokenlint.attribution import configured, infer, load_sinks, refusal, sink_named
from tokenlint.config import ConfigError, load_config
from tokenlint.engine import analyse

TODAY = dt.date(2026, 12, 4)


def sites_of(tmp_path, src: str):
    root = make(tmp_path / "p", {"app.py": src})
    return analyse([root], load_config(root / "pyproject.toml"), root=root, today=TODAY).sites


def test_every_sink_write_and_constraint_has_its_provenance():
    cat = load_sinks()
    assert cat.checked
    for s in cat.sinks.values():
        assert s.source and s.checked and s.export, s.name
        assert s.reads or s.maps_keys or any(s.name in c.read_by for c in cat.conventions), s.name
    kinds = set(cat.sinks) | {"header"}
    for w in cat.writes:
        assert w.sink in kinds and w.source and w.form in ("value", "tag", "tags", "json"), w
        assert w.at in ("call", "request"), w
    for c in cat.conventions:  # a framework's tag conventions: who reads each, with provenance
        assert c.carries and c.source and c.checked and set(c.read_by) <= kinds, c.name
        assert set(c.read_by) <= {r for r, _ in c.readers} | {"header"}, c.name
        assert c.read_by or c.readers, c.name  # read by nothing: the catalog says who does read it
    for c in cat.constraints:
        assert c.reason and c.source, c


def test_unknown_sink_is_a_one_line_config_error_naming_the_file(tmp_path, cli):
    root = make(tmp_path, {"app.py": "x = 1\n"}, '[tool.tokenlint]\nattribution = ["helicone", "datadog"]\n')
    with pytest.raises(ConfigError, match="pyproject.toml: 'attribution': unknown attribution sink 'datadog'"):
        load_config(root / "pyproject.toml")
    r = cli(root, "check", ".")
    assert r.exit_code == 2
    assert r.stderr.strip().count("\n") == 0 and "datadog" in r.stderr and "pyproject.toml" in r.stderr


def test_header_sinks_take_an_http_header_name():
    assert sink_named("header:X-Team-Feature").reads == ("*.x-team-feature",)
    with pytest.raises(ValueError, match="header:<Name>"):
        sink_named("header:not a header")


def test_sinks_are_inferred_from_imports_and_gateway_urls_with_the_evidence():
    att = infer([("b/llm.py", b"from litellm import completion\n"),
                 ("a/client.py", b'c = OpenAI(base_url="https://oai.helicone.ai/v1")\n'),
                 ("c/obs.py", b"# import portkey_ai is only mentioned here\n")])
    assert att.how == "inferred" and att.names() == ["litellm", "helicone"]
    assert att.reasons == ("imports litellm (b/llm.py)", "URL https://oai.helicone.ai/v1 (a/client.py)")
    assert infer([("app.py", b"import openai\n")]).sinks == ()
    assert configured(["bedrock"]).summary() == "bedrock (configured)"


def test_openai_chat_metadata_is_refused_without_an_existing_store_true(tmp_path):
    src = ("from openai import OpenAI\nc = OpenAI()\n"
           "c.chat.completions.create(model='m', messages=[])\n"
           "c.chat.completions.create(model='m', messages=[], store=True)\n"
           "c.embeddings.create(model='m', input=['x'])\n")
    plain, stored, embed = sites_of(tmp_path, src)
    assert "store" in refusal(plain, "metadata", ("feature",))
    assert refusal(stored, "metadata", ("feature",)) is None
    assert refusal(embed, "extra_headers", ("Helicone-Property-Feature",)) is None


def test_anthropic_metadata_takes_only_user_id(tmp_path):
    src = "from anthropic import Anthropic\nc = Anthropic()\nc.messages.create(model='m', max_tokens=1, messages=[])\n"
    (site,) = sites_of(tmp_path, src)
    assert "user_id" in refusal(site, "metadata", ("feature",))
    assert refusal(site, "metadata", ("user_id",)) is None


def test_genai_labels_only_on_a_vertex_client(tmp_path):
    src = ("from google import genai\ndev = genai.Client()\nvtx = genai.Client(vertexai=True)\n"
           "dev.models.generate_content(model='m', contents='x')\n"
           "vtx.models.generate_content(model='m', contents='x')\n")
    dev, vtx = sites_of(tmp_path, src)
    assert "Vertex" in refusal(dev, "config", ("labels", "feature"))
    assert refusal(vtx, "config", ("labels", "feature")) is None
    assert vtx.client_args == {"vertexai": "True"}


def test_client_arguments_record_literals_and_environment_variables(tmp_path):
    src = ("import os\nfrom openai import OpenAI\n"
           "c = OpenAI(base_url='https://oai.helicone.ai/v1', api_key=os.environ['FAQ_KEY'], timeout=t)\n"
           "c.with_options(default_headers={'Helicone-Property-Feature': 'faq'}).chat.completions.create("
           "model='m', messages=[])\n")
    (site,) = sites_of(tmp_path, src)
    assert site.client_args == {"base_url": "https://oai.helicone.ai/v1", "api_key": "env:FAQ_KEY"}
    assert site.tag_on == "options"


def test_inventory_and_audit_say_which_sinks_were_used_and_why_also_from_a_replayed_run(tmp_path, run):
    root = make(tmp_path / "p", {"app.py": "import litellm\n\n\ndef ask():\n    litellm.completion('openai/gpt-4o', messages=[])\n"},
                "[tool.tokenlint]\n")
    want = "attribution sinks: litellm (inferred: imports litellm (app.py))"
    for _ in range(2):  # the second run is replayed from the result cache
        r = run(root, "inventory", ".")
        assert r.stdout.splitlines()[2] == want
    data = json.loads(run(root, "inventory", "--format", "json", ".").stdout)["attribution"]
    assert data["sinks"] == ["litellm"] and data["how"] == "inferred"
    (root / "pyproject.toml").write_text('[tool.tokenlint]\nattribution = ["bedrock"]\n', encoding="utf-8")
    assert run(root, "inventory", ".").stdout.splitlines()[2] == "attribution sinks: bedrock (configured)"
    r = run(root, "audit", ".", "-o", str(tmp_path / "out"))
    assert "Attribution sinks: bedrock (configured)." in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")


def test_a_change_that_changes_the_inferred_sinks_is_not_answered_from_the_previous_run(tmp_path, run):
    src = "from openai import OpenAI\nc = OpenAI()\n\n\ndef ask():\n    c.chat.completions.create(model='m', messages=[])\n"
    root = make(tmp_path / "p", {"app.py": src, "other.py": "x = 1\n"}, "[tool.tokenlint]\n")
    first = json.loads(run(root, "check", "--format", "json", ".").stdout)
    assert first[0]["fix"] is None  # no sink: no fix
    (root / "other.py").write_text('URL = "https://oai.helicone.ai/v1"\n', encoding="utf-8")
    second = json.loads(run(root, "check", "--format", "json", ".").stdout)
    assert second[0]["fix"] is not None and "helicone" in second[0]["fix"]["message"]
