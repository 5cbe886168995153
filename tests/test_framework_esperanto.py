"""esperanto on whole projects (the per-expression cases: fixtures/resolver/frameworks/esperanto_models.py
and fixtures/resolver/lookalikes/esperanto_lookalikes.py): a model store class whose method returns any
kind of model from `AIFactory.create_*`, a project helper returning its `.to_langchain()`, and the
requests made on them in modules that name no framework (awaited, through `asyncio.run`, imported
inside a function), each linked to the binding of its own kind; a project package named like
esperanto's factory; and the catalog entries' provenance."""

from __future__ import annotations

from projects import make

from tokenlint.catalog import build_sdk_catalog, builtin_framework_data
from tokenlint.config import Config
from tokenlint.engine import analyse

STORE = (
    "from esperanto import AIFactory, EmbeddingModel\n"
    "\n"
    "\n"
    "class ModelStore:\n"
    "    async def load(self, record, **config):\n"
    "        provider = \"anthropic\" if record.compat else record.provider\n"
    "        if record.kind == \"language\":\n"
    "            return AIFactory.create_language(provider=provider, model_name=record.name, config=config)\n"
    "        if record.kind == \"embedding\":\n"
    "            return AIFactory.create_embedding(provider, record.name, config)\n"
    "        return AIFactory.create_text_to_speech(provider, record.name)\n"
    "\n"
    "    async def embedder(self, record) -> EmbeddingModel:\n"
    "        model = await self.load(record)\n"
    "        return model\n"
    "\n"
    "\n"
    "store = ModelStore()\n"
)

APP = {
    "app/__init__.py": "",
    "app/store.py": STORE,
    "app/provision.py": (
        "from langchain_core.language_models.chat_models import BaseChatModel\n"
        "\n"
        "from app.store import store\n"
        "\n"
        "\n"
        "async def chat_model(record, **config) -> BaseChatModel:\n"
        "    model = await store.load(record, **config)\n"
        "    return model.to_langchain()\n"
    ),
    "app/flows.py": (
        "import asyncio\n"
        "\n"
        "from app.provision import chat_model\n"
        "\n"
        "\n"
        "async def summarise(record, text):\n"
        "    lc = await chat_model(record, max_tokens=500)\n"
        "    return await lc.ainvoke(text)\n"
        "\n"
        "\n"
        "def title(record, text):\n"
        "    lc = asyncio.run(chat_model(record))\n"
        "    return lc.invoke(text)\n"
    ),
    "app/vectors.py": (
        "async def embed_all(record, texts):\n"
        "    from app.store import store\n"
        "\n"
        "    embedder = await store.embedder(record)\n"
        "    out = []\n"
        "    for i in range(0, len(texts), 16):\n"
        "        out += await embedder.aembed(texts[i:i + 16])\n"
        "    return out\n"
        "\n"
        "\n"
        "async def speak(record, text):\n"
        "    from app.store import store\n"
        "\n"
        "    voice = await store.load(record)\n"
        "    await voice.agenerate_speech(text=text, voice=\"alloy\")\n"
        "    return await voice.achat_complete([{\"role\": \"user\", \"content\": text}])\n"
    ),
}


def _sites(root):
    result = analyse([root], Config(), root=root)
    assert not [f.error for f in result.files if f.error]
    return {(s.path, s.line): s for s in result.sites}


def test_requests_through_a_model_store_and_its_langchain_helper_link_to_their_own_bindings(tmp_path):
    sites = _sites(make(tmp_path, APP))
    language, embedding, speech = (sites[("app/store.py", n)] for n in (8, 10, 11))
    assert [b.kind for b in (language, embedding, speech)] == ["binding"] * 3
    assert (language.api, embedding.api, speech.api) == ("chat_model", "embeddings_model", "text_to_speech")
    # "anthropic" on one branch only: the provider is not known
    assert language.provider == embedding.provider == "esperanto"
    summarise, title = sites[("app/flows.py", 8)], sites[("app/flows.py", 13)]
    assert (summarise.kind, summarise.sdk, summarise.api, summarise.is_async) == ("request", "langchain", "chat_model", True)
    assert (title.kind, title.sdk, title.is_async) == ("request", "langchain", False)
    assert summarise.bindings == title.bindings == (language.id,)
    embed = sites[("app/vectors.py", 7)]
    assert (embed.kind, embed.sdk, embed.api, embed.in_loop) == ("request", "esperanto", "embeddings_model", True)
    assert embed.bindings == (embedding.id,)
    tts, chat = sites[("app/vectors.py", 15)], sites[("app/vectors.py", 16)]
    assert (tts.api, tts.bindings) == ("text_to_speech", (speech.id,))
    assert (chat.api, chat.bindings) == ("chat_model", (language.id,))
    assert {p for p, _ in sites} == {"app/store.py", "app/flows.py", "app/vectors.py"}  # provision.py converts only


def test_a_literal_provider_names_the_binding_provider(tmp_path):
    sites = _sites(make(tmp_path, {"bot.py": (
        "from esperanto import AIFactory\n"
        "\n"
        "PROVIDER = \"vertex\"\n"
        "chat = AIFactory.create_language(PROVIDER, \"gemini-2.5-flash\")\n"
        "dub = AIFactory.create_speech_to_text(\"openai_compatible\" if True else \"openai-compatible\")\n"
        "\n"
        "\n"
        "def ask(q):\n"
        "    return chat.to_langchain().with_structured_output(dict).invoke(q)\n"
    )}))
    chat, dub, ask = sites[("bot.py", 4)], sites[("bot.py", 5)], sites[("bot.py", 9)]
    assert (chat.provider, chat.model.value, chat.model.kind) == ("google", "gemini-2.5-flash", "literal")
    assert dub.provider == "openai_compatible" and dub.model.kind == "missing"
    assert (ask.kind, ask.sdk, ask.provider, ask.model.value) == ("request", "langchain", "google", "gemini-2.5-flash")


def test_a_project_package_named_like_the_factory_is_not_esperanto(tmp_path):
    sites = _sites(make(tmp_path, {
        "plugins/__init__.py": "",
        "plugins/factory.py": (
            "class AIFactory:\n"
            "    @classmethod\n"
            "    def create_language(cls, provider, model_name):\n"
            "        return {\"provider\": provider, \"model\": model_name}\n"
        ),
        "main.py": (
            "from plugins.factory import AIFactory\n"
            "\n"
            "model = AIFactory.create_language(\"openai\", \"gpt-4.1\")\n"
            "model.chat_complete([])\n"
        ),
    }))
    assert sites == {}


def test_esperanto_entries_carry_a_source_and_a_date():
    data = builtin_framework_data()
    for key in ("framework", "sdk"):
        entries = [e for e in data[key] if e["name"] == "esperanto"]
        assert len(entries) == 1 and entries[0].get("source") and entries[0].get("checked")
    cat = build_sdk_catalog()
    con = cat.constructors.get("esperanto.factory.AIFactory.create_embedding")
    assert (con.sdk, con.api, con.provider_position, con.model_position) == ("esperanto", "embeddings_model", 0, 1)
    fw = cat.frameworks["esperanto"]
    assert fw.converts["to_langchain"] == ("langchain", "chat_model")
    assert fw.request_apis["atranscribe"] == "speech_to_text"
