"""Frameworks' global default models on whole projects (catalog `model_settings`, resolve/settings.py): a
project setting LlamaIndex's `Settings.llm` / `Settings.embed_model`, or dspy's `dspy.configure(lm=...)`, in
one module makes the runners handed no model in another (indexes, engines, agents, predictors) run those
models; a runner handed its own keeps it, and a project's own settings object or configure function sets
nothing."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

LLAMA_SEARCH = (
    "from llama_index.core import VectorStoreIndex\n"
    "from llama_index.core.agent.workflow import FunctionAgent\n"
    "from llama_index.llms.anthropic import Anthropic\n"
    "\n"
    "\n"
    "def search(docs, q):\n"
    "    index = VectorStoreIndex.from_documents(docs)\n"
    "    answer = index.as_query_engine().query(q)\n"
    "    nodes = index.as_retriever().retrieve(q)\n"
    "    own = index.as_query_engine(llm=Anthropic(model='claude-haiku-4-5')).query(q)\n"
    "    return answer, nodes, own\n"
    "\n"
    "\n"
    "async def run_agent(q, tools):\n"
    "    return await FunctionAgent(tools=tools).run(user_msg=q)\n"
)


def _requests(root, path):
    """line -> (provider, api, model) of the request sites of `path`."""
    return {s.line: (s.provider, s.api, s.model.value) for s in analyse([root], Config(), root=root).sites
            if s.path == path and s.kind == "request"}


def test_llamaindex_runners_handed_no_model_run_the_global_settings(tmp_path):
    root = make(tmp_path / "p", {
        "app/__init__.py": "",
        "app/settings.py": (
            "from llama_index.core import Settings\n"
            "from llama_index.embeddings.openai import OpenAIEmbedding\n"
            "from llama_index.llms.openai import OpenAI\n"
            "\n"
            "\n"
            "def configure():\n"
            "    Settings.llm = OpenAI(model='gpt-4o-mini')\n"
            "    Settings.embed_model = OpenAIEmbedding(model='text-embedding-3-small')\n"
        ),
        "app/search.py": LLAMA_SEARCH,
    })
    got = _requests(root, "app/search.py")
    assert got[7] == ("openai", "embeddings_model", "text-embedding-3-small")  # the build embeds
    assert got[8] == ("openai", "index", "gpt-4o-mini")  # the query engine asks Settings.llm
    assert got[9] == ("openai", "embeddings_model", "text-embedding-3-small")  # the retriever embeds
    assert got[10][0] == "anthropic" and got[10][2] == "claude-haiku-4-5"  # handed its own: keeps it
    assert got[15] == ("openai", "agent", "gpt-4o-mini")


def test_llamaindex_settings_look_alikes_set_no_default(tmp_path):
    # a project settings object with an `llm` attribute, and another object's `llm`: no LlamaIndex default
    root = make(tmp_path / "p", {
        "app/__init__.py": "",
        "app/settings.py": (
            "from llama_index.llms.openai import OpenAI\n"
            "\n"
            "\n"
            "class Settings:\n"
            "    llm = None\n"
            "\n"
            "\n"
            "def configure(config):\n"
            "    Settings.llm = OpenAI(model='gpt-4o-mini')\n"
            "    config.llm = OpenAI(model='gpt-4.1')\n"
        ),
        "app/search.py": LLAMA_SEARCH,
    })
    got = _requests(root, "app/search.py")
    assert got[8] == ("llama_index", "index", None)
    assert got[15] == ("llama_index", "agent", None)


def test_dspy_predictors_run_the_configured_lm(tmp_path):
    predict = (
        "import dspy\n"
        "\n"
        "\n"
        "def answer(q):\n"
        "    return dspy.ChainOfThought('question -> answer')(question=q)\n"
    )
    root = make(tmp_path / "p", {
        "app/__init__.py": "",
        "app/main.py": (
            "import dspy\n"
            "\n"
            "dspy.configure(lm=dspy.LM('anthropic/claude-haiku-4-5'))\n"
        ),
        "app/predict.py": predict,
    })
    assert _requests(root, "app/predict.py")[5] == ("litellm", "program", "anthropic/claude-haiku-4-5")
    # a project's own configure(lm=...) sets no dspy default: the predictor's model stays dynamic
    root = make(tmp_path / "q", {
        "app/__init__.py": "",
        "app/main.py": (
            "import dspy\n"
            "\n"
            "\n"
            "def configure(lm):\n"
            "    return lm\n"
            "\n"
            "\n"
            "configure(lm=dspy.LM('anthropic/claude-haiku-4-5'))\n"
        ),
        "app/predict.py": predict,
    })
    assert _requests(root, "app/predict.py")[5] == ("dspy", "program", None)
