"""Spend the catalog does not list one by one: LangChain model classes known by family (module and
name), and how the prefilter marks their files (the per-line shapes are the `# site:` markers of
fixtures/resolver/providers/langchain_model_families.py and lookalikes/langchain_family_lookalikes.py)."""

from __future__ import annotations

import pytest

from tokenlint.catalog import build_sdk_catalog
from tokenlint.prefilter import sdk_pattern

CATALOG = build_sdk_catalog()


@pytest.mark.parametrize("qual, provider, api", [
    ("langchain.llms.AlephAlpha", "aleph_alpha", "llm"),
    ("langchain.llms.Anthropic", "anthropic", "llm"),
    ("langchain_community.llms.AzureOpenAI", "azure_openai", "llm"),
    ("langchain_community.chat_models.ChatGooglePalm", "google", "chat_model"),
    ("langchain_community.chat_models.google_palm.ChatGooglePalm", "google", "chat_model"),
    ("langchain_community.embeddings.ZhipuAIEmbeddings", "zhipuai", "embeddings_model"),
    ("langchain_classic.chat_models.ChatAnyscale", "anyscale", "chat_model"),
    ("langchain_classic.chat_models.GPTRouter", "unknown", "chat_model"),  # the community paths have an entry (census15a)
    ("langchain_ibm.ChatWatsonx", "ibm_watsonx", "chat_model"),
    ("langchain_ibm.WatsonxLLM", "ibm_watsonx", "llm"),
    ("langchain_ibm.embeddings.WatsonxEmbeddings", "ibm_watsonx", "embeddings_model"),
])
def test_a_model_class_of_a_family_binds_its_api_and_provider(qual: str, provider: str, api: str) -> None:
    con = CATALOG.constructors.get(qual)
    assert con is not None and (con.sdk, con.provider, con.api) == ("langchain", provider, api)


@pytest.mark.parametrize("qual", [
    "langchain_core.prompts.ChatPromptTemplate",  # LangChain itself, not a partner package
    "langchain_community.chat_message_histories.ChatMessageHistory",  # not a model module
    "langchain_text_splitters.RecursiveCharacterTextSplitter",
    "langchain_chroma.Chroma",  # a partner package's store: its name says no model
    "langchain.llms.base.LLM",  # the interfaces are model types, not models
    "langchain.chat_models.base.BaseChatModel",
    "langchain_community.llms.sagemaker_endpoint.LLMContentHandler",  # a helper beside a model class
    "langchain_community.llms.FakeListLLM",
    "langchain_community.embeddings.HuggingFaceEmbeddings",  # runs the model in process
    "langchain_community.llms.loading.load_llm",
    "myproject.chat.ChatSession",
])
def test_look_alikes_of_a_family_are_no_model_class(qual: str) -> None:
    assert CATALOG.constructors.get(qual) is None


def test_listed_classes_keep_their_own_entry() -> None:
    con = CATALOG.constructors.get("langchain_openai.ChatOpenAI")
    assert con is not None and con.default_model == "gpt-3.5-turbo"


def test_the_prefilter_marks_files_importing_a_family_class() -> None:
    pat = sdk_pattern(CATALOG)
    assert pat.search(b"from langchain_ibm import ChatWatsonx\n\nllm = ChatWatsonx(model_id='x')\n")
    assert pat.search(b"from langchain_community.llms.aleph_alpha import AlephAlpha\n")
    assert pat.search(b"    from langchain.chat_models import ChatAnyscale\n")
    assert not pat.search(b"from langchain_core.prompts import PromptTemplate\n")
    assert not pat.search(b"from langchain_text_splitters import CharacterTextSplitter\n")
    assert not pat.search(b"# from langchain_ibm import ChatWatsonx is in the docs\n")
    assert not pat.search(b"from langchain_community.llms.utils import enforce_stop_tokens\n")  # no model class
    assert not pat.search(b'class X:\n    """Example:\n        from langchain_community.llms import AlephAlpha\n    """\n')
