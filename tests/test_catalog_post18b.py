"""Catalog additions after round 15's review (post18b): Microsoft Agent Framework's chat clients and agents, Inspect,
AutoGen 0.2 / AG2's `OpenAIWrapper`, trustcall's `create_extractor`, LangChain's `load_evaluator`, the ERNIE
Bot SDK and qianfan's `Text2Image`, promptflow's prompty / LLM tools / promptflow-evals evaluators as an
application uses them (and promptflow analysed as itself, whose own code is followed), on made-up projects,
and each entry's provenance."""

from __future__ import annotations

from projects import make

from tokenlint.catalog import build_sdk_catalog, builtin_framework_data
from tokenlint.config import Config
from tokenlint.engine import analyse


def _by_line(root):
    result = analyse([root], Config(), root=root)
    assert not [f.error for f in result.files if f.error]
    got: dict[tuple[str, int], list] = {}
    for s in result.sites:
        got.setdefault((s.path, s.line), []).append(s)
    return got


def _one(sites, path, line):
    (site,) = sites[(path, line)]
    return site


MAF = '''import os

from agent_framework import Agent, ChatAgent, Executor, WorkflowBuilder, handler
from agent_framework.azure import AzureOpenAIChatClient
from agent_framework.openai import OpenAIChatClient


class LLMExecutor(Executor):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        client = OpenAIChatClient(
            azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"],
            model=os.environ["AZURE_OPENAI_DEPLOYMENT"],
        )
        self._agent = Agent(client=client, name="writer", instructions="Be brief.")

    @handler
    async def call_llm(self, prompt, ctx):
        response = await self._agent.run(prompt)
        await ctx.yield_output(response.text)


async def direct(question):
    client = OpenAIChatClient(model="gpt-4o-mini")
    agent = client.as_agent(instructions="Answer.")
    first = await agent.run(question)
    second = await client.get_response(question)
    return first, second


async def preview(question):
    agent = ChatAgent(chat_client=AzureOpenAIChatClient(deployment_name="gpt-4o"), instructions="Hi.")
    async for update in agent.run_stream(question):
        print(update)


async def main():
    workflow = WorkflowBuilder(start_executor=LLMExecutor(id="llm")).build()
    return await workflow.run("Hello")
'''


def test_agent_framework_clients_bind_and_their_agents_run_requests(tmp_path):
    sites = _by_line(make(tmp_path, {"app/__init__.py": "", "app/flow.py": MAF}))
    env_client = _one(sites, "app/flow.py", 11)
    assert (env_client.kind, env_client.sdk, env_client.provider) == ("binding", "agent_framework", "openai")
    run = _one(sites, "app/flow.py", 19)
    assert (run.kind, run.sdk, run.bindings, run.is_async) == ("request", "agent_framework", (env_client.id,), True)
    literal = _one(sites, "app/flow.py", 24)
    assert (literal.kind, literal.model.value) == ("binding", "gpt-4o-mini")
    for line in (26, 27):  # the agent the client builds, and the client itself
        req = _one(sites, "app/flow.py", line)
        assert (req.kind, req.bindings, req.model.value) == ("request", (literal.id,), "gpt-4o-mini")
    azure = _one(sites, "app/flow.py", 32)
    assert (azure.kind, azure.provider, azure.model.value) == ("binding", "azure_openai", "gpt-4o")
    streamed = _one(sites, "app/flow.py", 33)
    assert (streamed.kind, streamed.bindings, streamed.stream) == ("request", (azure.id,), True)
    # a workflow runs executors, project code whose agents' calls are the sites
    assert ("app/flow.py", 39) not in sites


OPENAI_WRAPPER = '''import autogen


class LLMCallable:
    def __init__(self, config_list=None):
        if config_list is None:
            config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
        self.llm = autogen.OpenAIWrapper(config_list=config_list)

    def call_llm(self, prompt):
        return self.llm.create(messages=[{"role": "user", "content": prompt}])


def named(prompt):
    client = autogen.OpenAIWrapper(model="gpt-4o")
    return client.create(messages=[{"role": "user", "content": prompt}])
'''


def test_autogen_openai_wrapper_binds_and_create_is_its_request(tmp_path):
    sites = _by_line(make(tmp_path, {"app/__init__.py": "", "app/llm.py": OPENAI_WRAPPER}))
    listed = _one(sites, "app/llm.py", 8)
    assert (listed.kind, listed.sdk) == ("binding", "ag2")
    assert _one(sites, "app/llm.py", 11).bindings == (listed.id,)
    named = _one(sites, "app/llm.py", 15)
    req = _one(sites, "app/llm.py", 16)
    assert (req.kind, req.bindings, req.model.value) == ("request", (named.id,), "gpt-4o")


TRUSTCALL = '''from langchain.chat_models import init_chat_model
from langchain_openai import ChatOpenAI
from trustcall import create_extractor


class Manager:
    def __init__(self, model):
        self.model = model if not isinstance(model, str) else init_chat_model(model)

    async def extract(self, messages):
        extractor = create_extractor(self.model, tools=[dict], tool_choice="any")
        return await extractor.ainvoke({"messages": messages})


def direct(messages):
    extractor = create_extractor(ChatOpenAI(model="gpt-4o"), tools=[dict])
    return extractor.invoke({"messages": messages})


def by_string(messages):
    extractor = create_extractor("anthropic:claude-3-5-sonnet-latest", tools=[dict])
    return extractor.invoke({"messages": messages})
'''


def test_trustcall_extractors_run_the_model_they_are_built_on(tmp_path):
    sites = _by_line(make(tmp_path, {"app/__init__.py": "", "app/memory.py": TRUSTCALL}))
    held = _one(sites, "app/memory.py", 8)  # init_chat_model(model)
    # built on the object's model attribute, which holds a model object: the extractor is no binding
    assert ("app/memory.py", 11) not in sites
    assert _one(sites, "app/memory.py", 12).bindings == (held.id,)
    chat = _one(sites, "app/memory.py", 16)
    assert _one(sites, "app/memory.py", 17).bindings == (chat.id,)
    named = _one(sites, "app/memory.py", 21)  # a model string: init_chat_model inside
    assert (named.kind, named.provider, named.model.value) == ("binding", "anthropic", "claude-3-5-sonnet-latest")
    assert _one(sites, "app/memory.py", 22).bindings == (named.id,)


EVALUATOR = '''from langchain.evaluation import load_evaluator
from langchain_openai import ChatOpenAI


class Judge:
    def __init__(self):
        self.llm = ChatOpenAI(model="gpt-4o", temperature=0)
        self.evaluator = load_evaluator("criteria", llm=self.llm, criteria="conciseness")

    def __call__(self, prediction, question):
        return self.evaluator.evaluate_strings(prediction=prediction, input=question)


def exact(a, b):
    return load_evaluator("exact_match").evaluate_strings(prediction=a, reference=b)
'''


def test_langchain_llm_evaluators_ask_their_model_string_matchers_do_not(tmp_path):
    sites = _by_line(make(tmp_path, {"app/__init__.py": "", "app/judge.py": EVALUATOR}))
    llm = _one(sites, "app/judge.py", 7)
    req = _one(sites, "app/judge.py", 11)
    assert (req.kind, req.bindings) == ("request", (llm.id,))
    assert ("app/judge.py", 15) not in sites


BAIDU = '''import erniebot
import qianfan


def chat(messages):
    return erniebot.ChatCompletion.create(model="ernie-3.5", messages=messages)


async def embed(texts):
    return await erniebot.Embedding.acreate(model="ernie-text-embedding", input=texts)


async def picture(prompt):
    return await qianfan.Text2Image().ado(prompt=prompt)
'''


def test_erniebot_resources_and_qianfan_text2image_are_requests(tmp_path):
    sites = _by_line(make(tmp_path, {"app/__init__.py": "", "app/baidu.py": BAIDU}))
    facts = {line: (s.kind, s.provider, s.api, s.model.value, s.is_async)
             for (path, line), got in sites.items() for s in got}
    assert facts == {
        6: ("direct", "baidu", "chat.completions", "ernie-3.5", False),
        10: ("direct", "baidu", "embeddings", "ernie-text-embedding", True),
        14: ("direct", "qianfan", "images", "Stable-Diffusion-XL", True),
    }


PROMPTFLOW = '''from pathlib import Path

from promptflow.core import Prompty
from promptflow.evals.evaluate import evaluate
from promptflow.evals.evaluators import F1ScoreEvaluator, RelevanceEvaluator, ViolenceEvaluator
from promptflow.tools.aoai import chat as aoai_chat
from promptflow.tools.openai import chat as openai_chat

BASE = Path(__file__).parent


def ask(question):
    prompty = Prompty.load(source=BASE / "chat.prompty")
    return prompty(question=question)


def tool(connection, prompt, azure):
    if azure:
        return aoai_chat(connection=connection, prompt=prompt, deployment_name="gpt-4o")
    return openai_chat(connection=connection, prompt=prompt, model="gpt-4o-mini")


def judge(model_config, project_scope):
    relevance = RelevanceEvaluator(model_config)
    score = relevance(question="q", answer="a", context="c")
    violence = ViolenceEvaluator(project_scope)(question="q", answer="a")
    judged = evaluate(data="rows.jsonl", evaluators={"relevance": relevance})
    counted = evaluate(data="rows.jsonl", evaluators={"f1": F1ScoreEvaluator()})
    return score, violence, judged, counted
'''


def test_promptflow_prompty_tools_and_evaluators_as_an_application_uses_them(tmp_path):
    sites = _by_line(make(tmp_path, {"app/__init__.py": "", "app/flow.py": PROMPTFLOW}))
    kinds = {line: (s.kind, s.sdk) for (path, line), got in sites.items() for s in got}
    assert kinds == {
        14: ("request", "promptflow"),  # calling the loaded prompty
        19: ("request", "promptflow"), 20: ("request", "promptflow"),  # the LLM tools
        25: ("request", "promptflow_evals"), 26: ("request", "promptflow_evals"),  # LLM judge, RAI service
        27: ("request", "promptflow_evals"),  # evaluate() over an LLM judge; over F1 only (28) none
    }


def test_promptflow_analysed_as_itself_follows_its_own_tools(tmp_path):
    root = make(tmp_path, {
        "promptflow/__init__.py": "",
        "promptflow/tools/__init__.py": "",
        "promptflow/tools/aoai.py": (
            "from openai import AzureOpenAI\n"
            "\n"
            "\n"
            "def chat(connection, prompt, deployment_name):\n"
            "    client = AzureOpenAI(api_key=connection.api_key, azure_endpoint=connection.api_base)\n"
            "    return client.chat.completions.create(model=deployment_name,\n"
            "                                          messages=[{\"role\": \"user\", \"content\": prompt}])\n"
        ),
        "examples/grounding.py": (
            "from promptflow.tools.aoai import chat as aoai_chat\n"
            "\n"
            "\n"
            "def grade(connection, prompt):\n"
            "    return aoai_chat(connection=connection, prompt=prompt, deployment_name=\"gpt-4o\")\n"
        ),
    })
    sites = _by_line(root)
    assert _one(sites, "promptflow/tools/aoai.py", 6).kind == "direct"
    assert _one(sites, "examples/grounding.py", 5).kind == "wrapper"  # its own function, followed as code


INSPECT = '''from inspect_ai import eval_set as run_set
from inspect_ai.model import ChatMessageUser, ContentImage, ContentText, get_model
from inspect_ai.scorer import model_graded_fact


def grader():
    async def score(state, target):
        judge = get_model("openai/gpt-4o-mini")
        return await judge.generate("grade this")
    return score


def fact():
    base = model_graded_fact(template="x", grade_pattern="y")

    async def score(state, target):
        return await base(state, target)
    return score


def local():
    model = get_model("hf/meta-llama/Llama-3.1-8B")
    return model.generate("x")


def current():
    return get_model()


def main(tasks, models):
    ok, logs = run_set(tasks, model=models, log_dir="logs")
    return ok


def prompt(question, image):
    return [ChatMessageUser(content=[ContentText(text=question), ContentImage(image=image)])]
'''


def test_inspect_models_scorers_and_eval_runs(tmp_path):
    sites = _by_line(make(tmp_path, {"app/__init__.py": "", "app/evals.py": INSPECT}))
    judge = _one(sites, "app/evals.py", 8)
    assert (judge.kind, judge.sdk, judge.model.value) == ("binding", "inspect_ai", "openai/gpt-4o-mini")
    asked = _one(sites, "app/evals.py", 9)
    assert (asked.kind, asked.bindings, asked.is_async) == ("request", (judge.id,), True)
    assert _one(sites, "app/evals.py", 17).kind == "request"  # the grader scorer called
    assert _one(sites, "app/evals.py", 31).kind == "request"  # eval_set over the models
    # a model run in process, and the model under evaluation (chosen elsewhere), are no binding
    assert not {("app/evals.py", line) for line in (22, 23, 27)} & set(sites)
    # the messages and content classes beside get_model are data, not models the catalog does not list
    assert ("app/evals.py", 36) not in sites


def test_post18b_entries_carry_a_source_and_a_date():
    data = builtin_framework_data()
    for name in ("agent_framework", "promptflow", "promptflow_evals", "inspect_ai"):
        (entry,) = [e for e in data["framework"] if e["name"] == name]
        assert entry.get("source") and entry.get("checked") == "2026-12-07"
    cat = build_sdk_catalog()
    for qual, sdk in (("agent_framework.openai.OpenAIChatClient", "agent_framework"),
                      ("agent_framework.azure.AzureOpenAIChatClient", "agent_framework"),
                      ("autogen.oai.client.OpenAIWrapper", "ag2"), ("trustcall.create_extractor", "langchain")):
        assert cat.constructors.get(qual).sdk == sdk
    assert "create" in cat.frameworks["ag2"].requests
    assert {"evaluate_strings", "aevaluate_strings"} <= cat.frameworks["langchain"].requests
    assert "trustcall.create_extractor" in cat.agent_builders


def test_inspect_get_model_marks_files_by_its_package_not_its_everyday_name():
    from tokenlint.prefilter import marker_patterns

    words, _mods = marker_patterns(build_sdk_catalog())
    assert "get_model" not in words  # Django's `apps.get_model(...)` is in far more files
    assert "inspect_ai" in words
