"""Framework surfaces added on 2026-12-07 (post23a), each checked against the package's own source: OpenAI
Swarm's run loop and its Agent binding, ragas' model factories and test-set generator, dspy's typed
predictors (and a framework's own package calling a runner it no longer has), phidata's knowledge bases,
vector dbs and embedders, LangSmith's dataset runs and AgentScope 1.x; beside look-alikes that send nothing."""

from __future__ import annotations

from pathlib import Path

from test_catalog_census14b import _chosen, _silent, _sites  # the census tests' fixture helpers


def _requests(sites) -> set[tuple]:
    """(line, provider, model value) of each request site."""
    return {(s.line, s.provider, s.model.value) for s in sites if s.kind != "binding"}


def test_swarm_run_is_a_request_on_the_agent_it_is_handed(tmp_path: Path) -> None:
    src = '''\
from swarm import Swarm, Agent
from swarm.repl import run_demo_loop

client = Swarm()
plain = Agent(name="Plain")
named = Agent(name="Named", model="gpt-4o-mini")


class Crew:
    def __init__(self, model):
        self.model = model

    def run(self, agent, messages):
        return [agent, messages]


def ask(q):
    return client.run(plain, [q])


def ask_named(q):
    return client.run(agent=named, messages=[q], stream=True)


def own(q):
    return Crew(model="gpt-4o").run(named, [q])


def main():
    run_demo_loop(named)
'''
    sites = _sites(tmp_path, src)
    assert _requests(sites) == {(18, "openai", None), (22, "openai", "gpt-4o-mini"), (30, "openai", "gpt-4o-mini")}
    assert _chosen(sites, 6, 22) == ("swarm", "openai", "gpt-4o-mini")
    # an Agent built without a model chooses none (it runs Swarm's default), and a project class's `run` is no request
    assert _silent(sites, 5, 26)


def test_a_project_module_named_swarm_is_the_projects_own(tmp_path: Path) -> None:
    (tmp_path / "swarm.py").write_text("class Swarm:\n    def run(self, agent, messages):\n        return messages\n"
                                       "class Agent:\n    def __init__(self, name, model):\n        self.model = model\n",
                                       encoding="utf-8")
    src = '''\
from swarm import Swarm, Agent
a = Agent("x", model="gpt-4o")
def go(q):
    return Swarm().run(a, [q])
'''
    assert not _sites(tmp_path, src)


def test_ragas_factories_bind_and_the_testset_generator_runs_them(tmp_path: Path) -> None:
    src = '''\
from openai import OpenAI
from ragas import evaluate
from ragas.llms import llm_factory
from ragas.embeddings import embedding_factory
from ragas.metrics import Faithfulness
from ragas.testset import TestsetGenerator
from langchain_openai import ChatOpenAI, OpenAIEmbeddings

client = OpenAI()
judge = llm_factory("gpt-4o-mini", client=client)
vectors = embedding_factory("openai", model="text-embedding-3-small", client=client)
local = embedding_factory("huggingface", model="BAAI/bge-small-en")
claude = llm_factory("claude-sonnet-4-5", "anthropic")


def score(dataset):
    return evaluate(dataset, metrics=[Faithfulness()], llm=judge, embeddings=vectors)


def one(sample):
    return Faithfulness(llm=claude).single_turn_score(sample)


def make(docs):
    gen = TestsetGenerator(llm=judge, embedding_model=vectors)
    return gen.generate_with_langchain_docs(docs, testset_size=10)


def make_lc(docs):
    gen = TestsetGenerator.from_langchain(ChatOpenAI(model="gpt-4.1"), OpenAIEmbeddings())
    return gen.generate(testset_size=5)
'''
    sites = _sites(tmp_path, src)
    assert _requests(sites) == {(17, "openai", "gpt-4o-mini"), (21, "anthropic", "claude-sonnet-4-5"),
                                (26, "openai", "gpt-4o-mini"), (31, "openai", "gpt-4.1")}
    assert _chosen(sites, 11, 26) == ("ragas", "openai", "text-embedding-3-small")
    assert _chosen(sites, 13, 21) == ("ragas", "anthropic", "claude-sonnet-4-5")
    assert _silent(sites, 12)  # sentence-transformers in process: no binding


def test_look_alikes_of_ragas_send_nothing(tmp_path: Path) -> None:
    """Hugging Face's `evaluate` library, a project's own `llm_factory` and a `generate` on its result."""
    src = '''\
import evaluate
from ragas.embeddings import embedding_factory


def llm_factory(name):
    return {"name": name}


mine = llm_factory("gpt-4o")
legacy = embedding_factory("text-embedding-ada-002")


def other(preds, refs):
    metric = evaluate.load("rouge")
    return metric.compute(predictions=preds, references=refs), mine.generate(preds)
'''
    sites = _sites(tmp_path, src)
    # the legacy form names its model first
    assert [(s.line, s.provider, s.model.value) for s in sites] == [(10, "openai", "text-embedding-ada-002")]


def test_ragas_embedding_factory_reads_its_first_argument_as_ragas_does(tmp_path: Path) -> None:
    src = '''\
from openai import OpenAI
from ragas.embeddings import embedding_factory

c = OpenAI()
slash = embedding_factory("huggingface/BAAI/bge-small-en")
positional = embedding_factory("google", "text-embedding-004", client=c)
hosted = embedding_factory("huggingface", model="BAAI/bge-small-en", use_api=True)
local = embedding_factory("huggingface", "BAAI/bge-small-en", use_api=False)
legacy = embedding_factory("text-embedding-3-large")
bare = embedding_factory()
modern = embedding_factory("openai", client=c)
'''
    # line 5: sentence-transformers in process; line 8: told not to use the hosted API; line 11: with a client,
    # OpenAIEmbeddings' own default (not read)
    sites = _sites(tmp_path, src)
    got = {s.line: (s.provider, s.model.value) for s in sites if s.kind == "binding"}
    assert got == {6: ("google", "text-embedding-004"), 7: ("huggingface", "BAAI/bge-small-en"),
                   9: ("openai", "text-embedding-3-large"), 10: ("openai", "text-embedding-ada-002"), 11: ("openai", None)}


def test_dspy_typed_predictors_are_requests_when_called(tmp_path: Path) -> None:
    src = '''\
import dspy
from dspy.functional import TypedPredictor


class Answer(dspy.Signature):
    question: str = dspy.InputField()
    answer: str = dspy.OutputField()


class Program(dspy.Module):
    def __init__(self):
        super().__init__()
        self.prog = dspy.TypedChainOfThought(Answer)
        self.pred = TypedPredictor(Answer)

    def forward(self, question):
        return self.prog(question=question)

    def direct(self, question):
        return self.pred(question=question)


def TypedThing(sig):
    return sig


def plain(q):
    return TypedThing(Answer)(question=q)
'''
    sites = _sites(tmp_path, src)
    assert {(s.line, s.provider, s.api) for s in sites} == {(17, "dspy", "program"), (20, "dspy", "program")}


def test_phidata_knowledge_bases_embed_through_their_vector_dbs_embedder(tmp_path: Path) -> None:
    src = '''\
from phi.knowledge.pdf import PDFUrlKnowledgeBase
from phi.vectordb.pgvector import PgVector
from phi.vectordb.lancedb import LanceDb
from phi.embedder.openai import OpenAIEmbedder
from phi.embedder.sentence_transformer import SentenceTransformerEmbedder

kb = PDFUrlKnowledgeBase(urls=["https://example.com/a.pdf"],
                         vector_db=PgVector(table_name="recipes", db_url="postgresql://x",
                                            embedder=OpenAIEmbedder(model="text-embedding-3-large")))
local_kb = PDFUrlKnowledgeBase(urls=["https://example.com/b.pdf"],
                               vector_db=LanceDb(table_name="b", uri="/tmp/lance", embedder=SentenceTransformerEmbedder()))
default_db = LanceDb(table_name="c", uri="/tmp/lance")


class Shelf:
    def load(self, recreate=False):
        return recreate


def setup():
    kb.load(recreate=False)
    local_kb.load(recreate=False)
    Shelf().load(recreate=True)
    return default_db.search("tacos")
'''
    sites = _sites(tmp_path, src)
    assert _chosen(sites, 9, 21) == ("phidata_knowledge", "openai", "text-embedding-3-large")
    assert {(s.line, s.provider) for s in sites if s.kind != "binding"} == {(21, "openai"), (24, "openai")}
    # line 24: the vector db handed no embedder runs its default OpenAIEmbedder()
    assert _silent(sites, 11, 22, 23)  # a local embedder: no binding, no request; a project class's `load`


def test_phidata_custom_hugging_face_embedder_is_hosted(tmp_path: Path) -> None:
    """HuggingfaceCustomEmbedder posts to the hosted inference API (huggingface_hub.InferenceClient): a binding."""
    src = '''\
from phi.vectordb.pgvector import PgVector
from phi.embedder.huggingface import HuggingfaceCustomEmbedder

db = PgVector(table_name="docs", db_url="postgresql://x", embedder=HuggingfaceCustomEmbedder(model="BAAI/bge-m3"))
plain = PgVector(table_name="more", db_url="postgresql://x", embedder=HuggingfaceCustomEmbedder())


def find(q):
    return db.search(q)


def find_more(q):
    return plain.search(q)
'''
    sites = _sites(tmp_path, src)
    assert _chosen(sites, 4, 9)[1:] == ("huggingface", "BAAI/bge-m3")
    assert _chosen(sites, 5, 13)[1:] == ("huggingface", "jinaai/jina-embeddings-v2-base-code")


def test_phidata_knowledge_base_without_a_vector_db_embeds_nothing(tmp_path: Path) -> None:
    """AgentKnowledge.load / search with no vector_db log "No vector db provided" and return; a vector db
    built with no embedder runs OpenAIEmbedder()."""
    src = '''\
from phi.knowledge.pdf import PDFUrlKnowledgeBase
from phi.vectordb.lancedb import LanceDb

bare = PDFUrlKnowledgeBase(urls=["https://example.com/a.pdf"])
kb = PDFUrlKnowledgeBase(urls=["https://example.com/b.pdf"], vector_db=LanceDb(table_name="b", uri="/tmp/l"))


def setup():
    bare.load(recreate=False)
    bare.search("tacos")
    kb.load(recreate=False)
'''
    sites = _sites(tmp_path, src)
    assert _silent(sites, 9, 10)
    assert [(s.line, s.provider, s.api) for s in sites] == [(11, "openai", "embeddings_model")]


def test_langsmith_dataset_runs_are_requests_on_the_model_handed(tmp_path: Path) -> None:
    src = '''\
from langchain_openai import ChatOpenAI
from langchain.smith import RunEvalConfig, run_on_dataset, arun_on_dataset
from langsmith import Client

llm = ChatOpenAI(model="gpt-4o-mini")


def make_chain():
    return llm


def go(client):
    run_on_dataset(client, "qa", llm, evaluation=RunEvalConfig(evaluators=["qa"]))
    run_on_dataset(Client(), "qa", make_chain)


async def ago(client):
    return await arun_on_dataset(client, "qa", llm_or_chain_factory=llm)
'''
    sites = _sites(tmp_path, src)
    assert {(s.line, s.provider, s.model.value, s.is_async) for s in sites if s.kind != "binding"} == {
        (13, "openai", "gpt-4o-mini", False), (18, "openai", "gpt-4o-mini", True)}
    assert _chosen(sites, 5, 13) == ("langchain", "openai", "gpt-4o-mini")


def test_agentscope_agents_and_pipelines_run_the_model_handed_to_the_agent(tmp_path: Path) -> None:
    src = '''\
import os
from agentscope.agent import ReActAgent, AgentBase
from agentscope.model import DashScopeChatModel
from agentscope.formatter import DashScopeChatFormatter
from agentscope.pipeline import MsgHub, fanout_pipeline, sequential_pipeline


def make(name):
    return ReActAgent(
        name=name,
        sys_prompt="You play a werewolf game.",
        model=DashScopeChatModel(model_name="qwen-max", api_key=os.environ["DASHSCOPE_API_KEY"]),
        formatter=DashScopeChatFormatter(),
    )


class Moderator(AgentBase):
    async def reply(self, msg):
        return msg


async def main(msg):
    alice, bob = make("alice"), make("bob")
    await alice.observe(msg)
    first = await alice(msg)
    votes = await fanout_pipeline([alice, bob], msg)
    await sequential_pipeline([alice, bob], msg)
    await Moderator()(msg)
    async with MsgHub([alice, bob]) as hub:
        hub.broadcast(msg)
    return first, votes
'''
    sites = _sites(tmp_path, src)
    assert {(s.line, s.provider, s.model.value, s.is_async) for s in sites if s.kind != "binding"} == {
        (25, "dashscope", "qwen-max", True), (26, "dashscope", "qwen-max", True), (27, "dashscope", "qwen-max", True)}
    assert _chosen(sites, 12, 25) == ("agentscope", "dashscope", "qwen-max")
    assert _silent(sites, 24, 28, 29, 30)  # observe records; a project agent with no model; the hub broadcasts


def _project_sites(tmp_path: Path, files: dict[str, str]):
    from tokenlint.config import Config
    from tokenlint.engine import analyse
    paths = []
    for rel, text in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    result = analyse(paths, Config(), root=tmp_path)
    assert not [f.error for f in result.files if f.error]
    return result.sites


def test_a_runner_the_frameworks_own_package_no_longer_has_is_none(tmp_path: Path) -> None:
    """dspy analysed as itself: its own code still calling the removed `dspy.TypedPredictor` sends nothing."""
    sites = _project_sites(tmp_path, {
        "dspy/__init__.py": "from dspy.predict import *\n",
        "dspy/predict/__init__.py": "class Predict:\n    def __init__(self, sig):\n        self.sig = sig\n",
        "dspy/avatar/avatar.py": "import dspy\n\n\ndef act(sig, q):\n    return dspy.TypedPredictor(sig)(question=q)\n",
    })
    assert not sites


def test_a_runner_named_in_its_own_namespace_portion_stays_matched(tmp_path: Path) -> None:
    """adk-python's layout: `src/google/adk/` a regular package in the `google` namespace; its samples' runner
    calls stay requests, since `google/adk/runners.py` names Runner."""
    sites = _project_sites(tmp_path, {
        "src/google/adk/__init__.py": "",
        "src/google/adk/runners.py": "class Runner:\n    pass\n\n\nclass InMemoryRunner(Runner):\n    pass\n",
        "src/google/adk/agents/__init__.py": "class Agent:\n    pass\n",
        "samples/app.py": '''\
from google.adk.agents import Agent
from google.adk.runners import InMemoryRunner

agent = Agent(name="helper", model="gemini-2.0-flash", instruction="Answer briefly.")
runner = InMemoryRunner(agent=agent)


async def go(msg):
    async for event in runner.run_async(user_id="u", session_id="s", new_message=msg):
        print(event)
''',
    })
    assert [s.line for s in sites if s.kind == "request" and s.path.endswith("app.py")] == [9]
