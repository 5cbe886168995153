"""Catalog additions after round 14's review (post17e): .txt's hosted `DotTxt.generate`, LM Studio's model
handles (`client.llm.model(key)` sends nothing, the handle's `respond` / `respond_stream` do, to the local
server), voyageai's legacy module function `get_embedding`, the xAI SDK's `batch.add` submission, Manifest's
`run` / `arun_batch`, Snowflake Cortex's `complete`, Volcengine Ark's `context.create`, on made-up projects, and
each entry's provenance."""

from __future__ import annotations

from projects import make

from tokenlint.catalog import build_sdk_catalog
from tokenlint.config import Config
from tokenlint.engine import analyse


def _sites(root):
    result = analyse([root], Config(), root=root)
    assert not [f.error for f in result.files if f.error]
    return result.sites


APP = {
    "app/__init__.py": "",
    "app/local.py": 'from typing import TYPE_CHECKING\n\nimport lmstudio\nimport voyageai\nfrom dottxt import AsyncDotTxt, DotTxt\nfrom xai_sdk import AsyncClient\n\nif TYPE_CHECKING:\n    from lmstudio import AsyncClient as LMAsync, Client\n\n\nclass Local:\n    def __init__(self, client: "Client"):\n        self.client = client\n\n    def answer(self, prompt, model_key=None):\n        model = self.client.llm.model(model_key) if model_key else self.client.llm.model()\n        return model.respond(prompt).content\n\n    def stream(self, prompt):\n        model = self.client.llm.model("qwen2.5-7b-instruct")\n        for frag in model.respond_stream(prompt):\n            yield frag\n\n\nclass AsyncLocal:\n    def __init__(self, client: "LMAsync"):\n        self.client = client\n\n    async def answer(self, prompt):\n        model = await self.client.llm.model("qwen2.5-7b-instruct")\n        return (await model.respond(prompt)).content\n\n\ndef quick(prompt):\n    return lmstudio.llm("qwen2.5-7b-instruct").respond(prompt)\n\n\ndef embed(text):\n    return voyageai.get_embedding(text, model="voyage-01")\n\n\ndef structured(prompt, schema):\n    client = DotTxt(api_key="k")\n    return client.generate(model="dottxt/dottxt-v1-alpha", input=prompt, response_format=schema)\n\n\nasync def astructured(prompt, schema):\n    client = AsyncDotTxt(api_key="k")\n    return await client.generate(model="dottxt/dottxt-v1-alpha", input=prompt, response_format=schema)\n\n\nclass Batcher:\n    def __init__(self, client: AsyncClient):\n        self._client = client\n\n    async def submit(self, chats):\n        batch = await self._client.batch.create(batch_name="b")\n        for chat in chats:\n            await self._client.batch.add(batch_id=batch.batch_id, batch_requests=[chat])\n        return batch.batch_id\n',
}


def _by_line(tmp_path, files=APP):
    got = {}
    for s in _sites(make(tmp_path, files)):
        got.setdefault(s.line, []).append(s)
    return got


def test_lmstudio_model_handles_respond_to_the_local_server(tmp_path):
    sites = _by_line(tmp_path)
    for line in (17, 21, 31):  # client.llm.model(...): finds or loads a model, sends nothing
        assert {(s.provider, s.spends) for s in sites[line]} == {("lm_studio", False)}
    for line, stream, is_async in ((18, False, False), (22, True, False), (32, False, True)):
        (req,) = [s for s in sites[line] if s.spends]
        assert (req.provider, req.api, req.stream, req.is_async) == ("lm_studio", "chat.completions", stream, is_async)
    assert {(s.provider, s.api) for s in sites[36] if s.spends} == {("lm_studio", "chat.completions")}


def _facts(site):
    """What a test reads of a site: provider, API, model, async."""
    return site.provider, site.api, site.model.value, site.is_async


def test_dottxt_generate_voyage_legacy_and_xai_batch_submission(tmp_path):
    sites = _by_line(tmp_path)
    assert [_facts(s) for s in sites[40]] == [("voyage", "embeddings", "voyage-01", False)]
    assert [_facts(s) for line in (45, 50) for s in sites[line]] == [
        ("dottxt", "chat.completions", "dottxt/dottxt-v1-alpha", False),
        ("dottxt", "chat.completions", "dottxt/dottxt-v1-alpha", True)]
    assert 59 not in sites  # batch.create names an empty batch
    assert [_facts(s) for s in sites[60]] == [("xai", "batches", None, True)]


OTHERS = {
    "svc/__init__.py": "",
    "svc/more.py": (
        "from typing import cast\n"
        "\n"
        "from snowflake.cortex import CompleteOptions, complete\n"
        "from volcenginesdkarkruntime import AsyncArk\n"
        "\n"
        "\n"
        "def run_manifest(client, prompt):\n"
        "    import manifest\n"
        "\n"
        "    client = cast(manifest.Manifest, client)\n"
        "    return client.run(prompt)\n"
        "\n"
        "\n"
        "async def batch_manifest(client, prompts):\n"
        "    import manifest\n"
        "\n"
        "    client = cast(manifest.Manifest, client)\n"
        "    return await client.arun_batch(prompts)\n"
        "\n"
        "\n"
        "def cortex(messages):\n"
        "    return complete(model=\"mistral-large2\", prompt=messages, options=CompleteOptions(temperature=0))\n"
        "\n"
        "\n"
        "async def prefix(system_prompt):\n"
        "    ark = AsyncArk(api_key=\"k\")\n"
        "    made = await ark.context.create(model=\"ep-1\", messages=[{\"role\": \"system\", \"content\": system_prompt}],\n"
        "                                    mode=\"common_prefix\", ttl=3600)\n"
        "    return made.id\n"
        "\n"
        "\n"
        "class Manifest:\n"
        "    def run(self, prompt):\n"
        "        return prompt\n"
        "\n"
        "\n"
        "def own(prompt):\n"
        "    return Manifest().run(prompt)\n"
    ),
}


def test_manifest_cortex_and_ark_context_caches(tmp_path):
    sites = _by_line(tmp_path, OTHERS)
    assert sorted(sites) == [11, 18, 22, 27]  # a project class named Manifest is not the SDK's (line 38)
    assert [_facts(s) for line in sorted(sites) for s in sites[line]] == [
        ("manifest", "completions", None, False), ("manifest", "completions", None, True),
        ("snowflake", "chat.completions", "mistral-large2", False), ("volcengine", "caches", "ep-1", True)]


MISTRAL = {
    "chat/__init__.py": "",
    "chat/talk.py": (
        "from mistralai import Mistral\n"
        "from mistralai.extra.realtime import RealtimeTranscription\n"
        "\n"
        "class Talk:\n"
        "    def __init__(self, client=None):\n"
        "        self._client = client or Mistral(api_key=\"k\")\n"
        "\n"
        "    async def open(self, entries, instructions):\n"
        "        return await self._client.beta.conversations.start_stream_async(\n"
        "            inputs=entries, model=\"mistral-medium-latest\", instructions=instructions)\n"
        "\n"
        "    def more(self, conversation_id, entries):\n"
        "        return self._client.beta.conversations.append(conversation_id=conversation_id, inputs=entries)\n"
        "\n"
        "    async def listen(self):\n"
        "        rt = RealtimeTranscription(self._client.sdk_configuration)\n"
        "        return await rt.connect(model=\"voxtral-mini-transcribe-realtime\")\n"
        "\n"
        "    def history(self, conversation_id):\n"
        "        return self._client.beta.conversations.get_history(conversation_id=conversation_id)\n"
    ),
}


def test_mistral_conversation_streams_and_appends(tmp_path):
    sites = {s.line: s for s in _sites(make(tmp_path, MISTRAL))}
    assert sorted(sites) == [9, 13, 17]
    assert (sites[9].api, sites[9].stream, sites[9].is_async, sites[9].model.value) == \
        ("conversations", True, True, "mistral-medium-latest")
    assert (sites[13].provider, sites[13].api, sites[13].stream) == ("mistral", "conversations", False)
    assert (sites[17].provider, sites[17].api, sites[17].model.value) == \
        ("mistral", "audio.transcriptions", "voxtral-mini-transcribe-realtime")


def test_responses_parse_on_an_unknown_client_by_its_keywords(tmp_path):
    src = (
        "def judge(endpoint, messages, schema, **kwargs):\n"
        "    return endpoint.client.responses.parse(input=messages, text_format=schema, **kwargs)\n"
        "\n"
        "\n"
        "def other(store, messages):\n"
        "    return store.responses.parse(input=messages)\n"
    )
    sites = _sites(make(tmp_path, {"judge.py": src}))
    assert [(s.line, s.provider, s.api) for s in sites] == [(2, "openai", "responses")]


AGENTCORE = {
    "svc/__init__.py": "",
    "svc/agent.py": (
        "import aioboto3\n"
        "\n"
        "\n"
        "class Remote:\n"
        "    def __init__(self, arn):\n"
        "        self._session = aioboto3.Session()\n"
        "        self._arn = arn\n"
        "\n"
        "    async def ask(self, payload):\n"
        "        async with self._session.client(\"bedrock-agentcore\") as client:\n"
        "            return await client.invoke_agent_runtime(agentRuntimeArn=self._arn, payload=payload)\n"
        "\n"
        "    async def browse(self, session_id):\n"
        "        async with self._session.client(\"bedrock-agentcore\") as client:\n"
        "            return await client.get_browser_session(browserIdentifier=session_id)\n"
    ),
}


def test_bedrock_agentcore_runtime_invocation(tmp_path):
    sites = _sites(make(tmp_path, AGENTCORE))
    assert [(s.line, s.provider, s.api) for s in sites] == [(11, "aws_bedrock", "agents")]


ASSISTANTS = {
    "bot.py": (
        "from openai import OpenAI\n"
        "\n"
        "\n"
        "def start(client, thread, assistant):\n"
        "    return client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)\n"
        "\n"
        "\n"
        "def resume(client, thread, run, outputs):\n"
        "    return client.beta.threads.runs.submit_tool_outputs(thread_id=thread.id, run_id=run.id, tool_outputs=outputs)\n"
        "\n"
        "\n"
        "class Runner:\n"
        "    def __init__(self):\n"
        "        self.runs = OpenAI().beta.threads.runs\n"
        "\n"
        "    def resume(self, thread, run, outputs):\n"
        "        return self.runs.submit_tool_outputs_and_poll(thread_id=thread.id, run_id=run.id, tool_outputs=outputs)\n"
        "\n"
        "\n"
        "def other(jobs, run):\n"
        "    return jobs.runs.create(thread_id=run.thread, name=\"nightly\")\n"
    ),
}


def test_assistants_runs_on_untyped_clients_and_tool_output_resumption(tmp_path):
    sites = _sites(make(tmp_path, ASSISTANTS))
    assert [(s.line, s.provider, s.api, s.confidence) for s in sites] == [
        (5, "openai", "assistants", "inferred"), (9, "openai", "assistants", "inferred"),
        (17, "openai", "assistants", "resolved")]


def test_the_new_entries_carry_a_source_and_a_date():
    cat = build_sdk_catalog()
    for name in ("dottxt", "lmstudio", "lmstudio-llm", "voyageai-legacy", "xai", "manifest", "snowflake-cortex",
                 "volcengine-ark", "bedrock-agentcore"):
        ct = cat.client_types[name]
        assert ct.source and ct.checked >= "2026-11-29"
