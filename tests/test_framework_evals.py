"""Evaluation judges and knowledge-graph memory on whole projects (the per-expression cases:
fixtures/resolver/frameworks/deepeval_metrics.py, graphiti_memory.py and their look-alikes): a deepeval
metric built in one module and measured in another, a project metric subclass reused across modules, a
Graphiti handed to a function by its caller, a receiver named `graphiti` in a project that never imports
graphiti_core; and the catalog entries' provenance."""

from __future__ import annotations

from projects import make

from tokenlint.catalog import build_sdk_catalog, builtin_framework_data
from tokenlint.config import Config
from tokenlint.engine import analyse


def _sites(root):
    result = analyse([root], Config(), root=root)
    assert not [f.error for f in result.files if f.error]
    return {(s.path, s.line): s for s in result.sites}


def test_a_metric_built_in_one_module_is_measured_in_another(tmp_path):
    sites = _sites(make(tmp_path, {
        "evals/__init__.py": "",
        "evals/metrics.py": (
            "from deepeval.metrics import GEval, SummarizationMetric\n"
            "from deepeval.models import AzureOpenAIModel\n"
            "\n"
            "JUDGE = AzureOpenAIModel(model=\"gpt-4.1\", deployment_name=\"judge\")\n"
            "\n"
            "\n"
            "def tone():\n"
            "    return GEval(name=\"Tone\", criteria=\"Is it polite?\", model=JUDGE)\n"
            "\n"
            "\n"
            "class Coverage(SummarizationMetric):\n"
            "    def measure(self, case, _show_indicator=True):\n"
            "        self.verdicts = self._generate_coverage_verdicts(case)\n"
            "        return len(self.verdicts)\n"
        ),
        "evals/run.py": (
            "from evals.metrics import Coverage, tone\n"
            "\n"
            "\n"
            "def run(cases):\n"
            "    metric = tone()\n"
            "    cover = Coverage()\n"
            "    return [metric.measure(c) for c in cases] + [\n"
            "        cover.measure(c) for c in cases]\n"
        ),
    }))
    judge = sites[("evals/metrics.py", 4)]
    assert (judge.kind, judge.sdk, judge.provider, judge.model.value) == ("binding", "deepeval", "azure_openai", "gpt-4.1")
    measured = sites[("evals/run.py", 7)]
    assert (measured.kind, measured.sdk, measured.provider, measured.bindings) == ("request", "deepeval", "azure_openai", (judge.id,))
    step = sites[("evals/metrics.py", 13)]
    assert (step.kind, step.sdk, step.model.kind) == ("request", "deepeval", "dynamic")
    # the project metric's own `measure` is a request where it is called too, as on any runner subclass
    covered = sites[("evals/run.py", 8)]
    assert (covered.kind, covered.sdk, covered.provider) == ("request", "deepeval", "deepeval")
    assert set(sites) == {("evals/metrics.py", 4), ("evals/run.py", 7), ("evals/run.py", 8), ("evals/metrics.py", 13)}


def test_a_graphiti_handed_by_the_caller_is_read_there(tmp_path):
    sites = _sites(make(tmp_path, {
        "mem/__init__.py": "",
        "mem/store.py": (
            "async def save(graphiti, text):\n"
            "    await graphiti.add_episode(name=\"note\", episode_body=text, source_description=\"chat\",\n"
            "                               reference_time=None)\n"
        ),
        "mem/app.py": (
            "from graphiti_core import Graphiti\n"
            "from graphiti_core.llm_client import OpenAIClient\n"
            "\n"
            "from mem.store import save\n"
            "\n"
            "\n"
            "async def main(text):\n"
            "    g = Graphiti(\"bolt://db:7687\", \"neo4j\", \"pw\", llm_client=OpenAIClient())\n"
            "    await save(g, text)\n"
        ),
    }))
    client = sites[("mem/app.py", 8)]
    assert (client.kind, client.sdk, client.provider, client.model.value) == ("binding", "graphiti", "openai", "gpt-6-luna")
    saved = sites[("mem/store.py", 2)]
    # the function's callers are read for what they pass (caller-argument inference): the client they hand it
    assert (saved.kind, saved.sdk, saved.provider) == ("request", "graphiti", "openai")


def test_a_receiver_named_graphiti_needs_the_library_in_the_project(tmp_path):
    sites = _sites(make(tmp_path, {
        "kb/__init__.py": "",
        "kb/search.py": (
            "class Finder:\n"
            "    def __init__(self, graphiti):\n"
            "        self.graphiti = graphiti\n"
            "\n"
            "    async def find(self, query):\n"
            "        return await self.graphiti.search(query)\n"
        ),
    }))
    assert sites == {}


def test_the_entries_carry_a_source_and_a_date():
    data = builtin_framework_data()
    for name in ("deepeval", "graphiti"):
        for key in ("framework", "sdk"):
            entries = [e for e in data[key] if e["name"] == name]
            assert len(entries) == 1 and entries[0].get("source") and entries[0].get("checked")
    cat = build_sdk_catalog()
    # a metric re-exported from its own module is the same runner; the local metrics are none
    assert cat.runners.get("deepeval.metrics.g_eval.g_eval.GEval") == ("deepeval", "chat_model")
    assert cat.runners.get("deepeval.metrics.ExactMatchMetric") is None
    assert cat.runners.get("deepeval.metrics.BaseMetric") is None
