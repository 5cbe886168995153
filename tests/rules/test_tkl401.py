"""TKL401 batch-candidate beyond the fixtures: where a file lives decides whether it is offline
code, a wrapper in another module counts at its call, and the message carries the catalog's batch
API and discount (or says there is none)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.rules.base import RuleContext
from tokenlint.rules.batch_candidate import BatchCandidate

TODAY = dt.date(2026, 11, 29)

LOOP = """from openai import OpenAI

client = OpenAI()


def run(docs):
    for doc in docs:
        client.chat.completions.create(model="gpt-6-luna", messages=[{"role": "user", "content": doc}])
"""


def findings(root: Path, files: dict[str, str], config: Config | None = None, check: list[str] | None = None):
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    targets = [root / c for c in check] if check else [root]
    cfg = (config or Config()).with_overrides(select=("TKL401",))
    return [f for f in analyse(targets, cfg, root=root, today=TODAY).findings if f.code == "TKL401"]


@pytest.mark.parametrize("rel", ["scripts/backfill.py", "jobs/nightly.py", "app/tasks/digest.py", "bin/relabel.py",
                                 "notebooks/explore.py", "app/management/commands/summarise.py", "app/tasks.py",
                                 "app/jobs.py", "app/__main__.py"])
def test_offline_paths_fire(tmp_path, rel):
    got = findings(tmp_path, {rel: LOOP})
    assert [(f.path, f.row, f.column) for f in got] == [(rel, 8, 9)]


@pytest.mark.parametrize("rel", ["app/service.py", "app/scripting.py", "app/taskbar.py", "tests/test_run.py"])
def test_other_paths_do_not_fire(tmp_path, rel):
    assert findings(tmp_path, {rel: LOOP}) == []


def test_a_route_handler_in_a_scripts_folder_still_does_not_fire(tmp_path):
    src = LOOP.replace("def run(docs):", "@app.post('/run')\ndef run(docs):").replace(
        "client = OpenAI()", "client = OpenAI()\napp = object()")
    assert findings(tmp_path, {"scripts/server.py": src}) == []


def test_django_view_in_management_tree_does_not_fire(tmp_path):
    src = LOOP.replace("def run(docs):", "def run(request, docs):")
    assert findings(tmp_path, {"app/management/commands/view.py": src}) == []


def test_wrapper_from_another_module_counts_at_its_call(tmp_path):
    lib = ('from openai import OpenAI\n\nclient = OpenAI()\n\n\n'
           'def summarise(text):\n'
           '    return client.chat.completions.create(model="gpt-6-luna",'
           ' messages=[{"role": "user", "content": text}])\n')
    script = ("from app.llm import summarise\n\n\n"
              "def main(rows):\n"
              "    return [summarise(r) for r in rows]\n\n\n"
              'if __name__ == "__main__":\n'
              "    main([])\n")
    got = findings(tmp_path, {"app/__init__.py": "", "app/llm.py": lib, "backfill.py": script})
    assert [(f.path, f.row, f.column) for f in got] == [("backfill.py", 5, 13)]
    # the library module alone: the call is not in a loop there, nothing to report
    assert findings(tmp_path, {}, check=["app/llm.py"]) == []


def test_message_names_the_batch_api_and_discount(tmp_path):
    got = findings(tmp_path, {"scripts/a.py": LOOP})
    assert "client.batches.create(" in got[0].message
    assert "50% less" in got[0].message


def test_anthropic_message_names_the_message_batches_api(tmp_path):
    src = ('from anthropic import Anthropic\n\nclaude = Anthropic()\n\nfor t in ["a", "b"]:\n'
           '    claude.messages.create(model="claude-haiku-5-5", max_tokens=9, messages=[{"role": "user", "content": t}])\n')
    got = findings(tmp_path, {"scripts/a.py": src})
    assert len(got) == 1 and "messages.batches.create" in got[0].message and "anthropic messages" in got[0].message


def test_a_provider_without_a_batch_api_in_the_catalog_is_not_reported(tmp_path):
    """Cohere chat has no batch API in the catalog: there is no cheaper way to run the job to point at."""
    src = ('import cohere\n\nco = cohere.ClientV2()\n\nfor t in ["a", "b"]:\n'
           '    co.chat(model="command-a-03-2025", messages=[{"role": "user", "content": t}])\n')
    assert findings(tmp_path, {"scripts/a.py": src}) == []


def test_a_batch_api_without_a_single_discount_is_named_without_one(tmp_path):
    """Together's batch API discounts selected models only (catalog: no `discount`): the advice names it."""
    src = ('from together import Together\n\nclient = Together()\n\nfor t in ["a", "b"]:\n'
           '    client.chat.completions.create(model="meta-llama/Llama-3.3-70B-Instruct-Turbo", max_tokens=9,\n'
           '                                   messages=[{"role": "user", "content": t}])\n')
    got = findings(tmp_path, {"scripts/a.py": src})
    assert len(got) == 1
    assert "consider its batch API: client.batches.create(" in got[0].message and "%" not in got[0].message


def test_a_request_on_providers_with_and_without_a_batch_api_names_both():
    """A facade over OpenAI and Ollama (chosen at run time): the message says which provider has no
    batch API and quotes the one that has (not "no batch API for openai|ollama")."""
    from tokenlint.rules.batch_candidate import _advice

    openai = {"api": "client.batches.create(...)", "apis": ["chat.completions"], "discount": 0.5}
    got = _advice({"ollama": None, "openai": openai}, "chat.completions")
    assert got == "no batch API for ollama in tokenlint's catalog; on openai, its batch API costs 50% less: " \
                  "client.batches.create(...)"


def test_discount_comes_from_the_context(tmp_path):
    """The rule reads ctx.batch: another discount in the data changes the message."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "a.py").write_text(LOOP, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    result = analyse([tmp_path], Config().with_overrides(select=("TKL101",)), root=tmp_path, today=TODAY)
    sites = result.sites
    source = result.project.add(tmp_path / "scripts" / "a.py")
    batch = {"openai": {"api": "client.batches.create(...)", "apis": ["chat.completions"], "discount": 0.25}}
    got = list(BatchCandidate().check(sites, source, RuleContext(batch=batch)))
    assert len(got) == 1 and "75% less" in got[0].message
    # an API the provider's batch endpoint does not take is no candidate
    batch["openai"]["apis"] = ["embeddings"]
    assert list(BatchCandidate().check(sites, source, RuleContext(batch=batch))) == []
    # a discount that is missing or nonsense is left out of the message
    batch["openai"] = {"api": "client.batches.create(...)", "apis": ["chat.completions"]}
    msg = list(BatchCandidate().check(sites, source, RuleContext(batch=batch)))[0].message
    assert "%" not in msg and "client.batches.create(...)" in msg


def test_realtime_and_batch_submission_are_skipped(tmp_path):
    src = ("from openai import OpenAI\n\nclient = OpenAI()\n\nfor f in ['a', 'b']:\n"
           "    client.batches.create(input_file_id=f, endpoint='/v1/chat/completions', completion_window='24h')\n"
           "    client.beta.realtime.connect(model='gpt-realtime')\n")
    assert findings(tmp_path, {"scripts/a.py": src}) == []


def test_a_fallback_over_keys_that_returns_the_first_success_is_not_a_batch(tmp_path):
    """`for key in keys: r = post(...); try: return parse(r)`: one request per run; a data loop with
    a conditional stop (a limit) still fires."""
    src = ("import requests\nfrom openai import OpenAI\n\nclient = OpenAI()\nURL = 'https://api.openai.com/v1/embeddings'\n\n\n"
           "def embed(text, keys):\n"
           "    for key in keys:\n"
           "        r = requests.post(URL, json={'model': 'text-embedding-3-small', 'input': text},\n"
           "                          headers={'Authorization': f'Bearer {key}'})\n"
           "        try:\n"
           "            return r.json()['data'][0]['embedding']\n"
           "        except KeyError:\n"
           "            pass\n\n\n"
           "def summarise(docs, limit):\n"
           "    out = []\n"
           "    for doc in docs:\n"
           "        out.append(client.chat.completions.create(model='gpt-6-luna', messages=[{'role': 'user', 'content': doc}]))\n"
           "        if len(out) >= limit:\n"
           "            break\n"
           "    return out\n")
    got = findings(tmp_path, {"scripts/embed.py": src})
    assert [(f.path, f.row) for f in got] == [("scripts/embed.py", 21)]


def test_a_request_on_either_of_two_providers_with_batch_apis_names_both_and_the_discount(tmp_path):
    """`client` is OpenAI or Azure OpenAI, chosen by the environment: both have a batch API, and the
    message names each (it quoted the first provider's alone)."""
    src = ('import os\nfrom openai import AzureOpenAI, OpenAI\n\n'
           'client = AzureOpenAI() if os.getenv("AZURE") else OpenAI()\n\n'
           'for t in ["a", "b"]:\n'
           '    client.chat.completions.create(model="gpt-6-luna", messages=[{"role": "user", "content": t}])\n')
    got = findings(tmp_path, {"scripts/a.py": src})
    assert len(got) == 1
    assert "azure_openai|openai chat.completions" in got[0].message and "50% less" in got[0].message
    assert "no batch API" not in got[0].message
    assert "on azure_openai, " in got[0].message and "Global-Batch deployment" in got[0].message
    assert "on openai, " in got[0].message and "input_file_id=" in got[0].message


TOOL_LOOP = """from anthropic import Anthropic

client = Anthropic()


def run_tool(name, args):
    return name


def turn(messages, tools):
    response = client.messages.create(model="claude-sonnet-5", max_tokens=500, messages=messages, tools=tools)
    tool_uses = [block for block in response.content if block.type == "tool_use"]
    for tool_use in tool_uses:
        result = run_tool(tool_use.name, tool_use.input)
        client.messages.create(model="claude-sonnet-5", max_tokens=500, tools=tools,
                               messages=messages + [{"role": "user", "content": result}])


def each_call(messages, oai):
    answer = oai.chat.completions.create(model="gpt-6-luna", messages=messages)
    for call in answer.choices[0].message.tool_calls:
        client.messages.create(model="claude-sonnet-5", max_tokens=50, messages=[{"role": "user", "content": call.id}])


async def gathered(messages, aclient):
    response = await aclient.messages.create(model="claude-sonnet-5", max_tokens=500, messages=messages)
    tool_uses = []
    for block in response.content:
        if block.type == "tool_use":
            tool_uses.append(block)
    for tool_use in tool_uses:
        client.messages.create(model="claude-sonnet-5", max_tokens=50, messages=[{"role": "user", "content": tool_use.id}])


def pages(doc):
    for part in doc.content:  # a document's parts: data
        client.messages.create(model="claude-sonnet-5", max_tokens=50, messages=[{"role": "user", "content": part}])


if __name__ == "__main__":
    turn([], [])
"""


def test_a_loop_over_the_models_own_tool_calls_is_an_agent_turn_not_data(tmp_path):
    got = findings(tmp_path, {"agent.py": TOOL_LOOP})
    assert [f.row for f in got] == [TOOL_LOOP[:TOOL_LOOP.index("for part in doc")].count("\n") + 2]


@pytest.mark.parametrize("guard, fires", [
    ('if __name__ == "__main__":\n    pass\n', False),
    ('if __name__ == "__main__":\n    """Nothing to run here."""\n    ...\n', False),
    ('if __name__ == "__main__":\n    run(["a", "b"])\n', True),
])
def test_a_main_guard_doing_nothing_does_not_make_the_module_a_script(tmp_path, guard, fires):
    got = findings(tmp_path, {"app/ingest.py": LOOP + "\n\n" + guard})
    assert [f.row for f in got] == ([8] if fires else [])


REPEATS = """from openai import OpenAI

client = OpenAI()
QUESTION = "what is a vector store?"


def timing_demo():
    for _ in range(3):
        client.chat.completions.create(model="gpt-6-luna", messages=[{"role": "user", "content": QUESTION}])


def per_backend(backends):
    for backend in backends:
        print(backend)
        client.chat.completions.create(model="gpt-6-luna", messages=[{"role": "user", "content": QUESTION}])


def over_documents(docs):
    for doc in docs:
        text = doc.strip()
        client.chat.completions.create(model="gpt-6-luna", messages=[{"role": "user", "content": text}])
"""


def test_a_loop_sending_the_same_request_again_is_no_batch_candidate(tmp_path):
    # the request reads nothing the loop changes (a timing or caching demo, a loop over back-ends):
    # one request repeated, not a pass over data; the loop over documents still fires
    got = findings(tmp_path, {"scripts/demo.py": REPEATS})
    assert [f.row for f in got] == [21]
