"""LiteLLM routes a request by its model string's "provider/" prefix (catalog sdks.toml
[model_prefix_routes]): a request routed to a model server the user runs (Ollama, vLLM, LM Studio...)
is that server's site, and TKL501 (missing-output-cap) and TKL202 (hardcoded-model) stay silent on it,
also when the prefix is the literal start of a concatenation or an f-string. A billing provider's
prefix, a dynamic model with no known prefix, or a look-alike ("ollama" without the slash) still fire."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

SOURCE = (
    "import litellm\n"
    "from litellm import Router\n"
    "LOCAL = 'lm_studio/'\n"
    "class Assistant:\n"
    "    def __init__(self, name, fast):\n"
    "        self.name = name\n"
    "        self.fast = fast\n"
    "    def local_concat(self, text):\n"
    "        return litellm.completion(model='ollama/' + self.name, messages=[{'role': 'user', 'content': text}])\n"
    "    def local_fstring(self, text):\n"
    "        return litellm.completion(model=f'hosted_vllm/{self.name}', messages=[{'role': 'user', 'content': text}])\n"
    "    def local_literal(self, text):\n"
    "        return litellm.completion(model='ollama_chat/qwen2.5', messages=[{'role': 'user', 'content': text}])\n"
    "    def local_constant_start(self, text):\n"
    "        return litellm.completion(model=LOCAL + self.name, messages=[{'role': 'user', 'content': text}])\n"
    "    async def local_router(self, router: Router, text):\n"
    "        return await router.acompletion(model=f'llamafile/{self.name}', messages=[{'role': 'user', 'content': text}])\n"
    # look-alikes that still fire
    "    def billed_concat(self, text):\n"
    "        return litellm.completion(model='anthropic/' + self.name, messages=[{'role': 'user', 'content': text}])\n"
    "    def no_prefix(self, text):\n"
    "        return litellm.completion(model=self.name, messages=[{'role': 'user', 'content': text}])\n"
    "    def not_a_route(self, text):\n"
    "        return litellm.completion(model='ollama-' + self.name, messages=[{'role': 'user', 'content': text}])\n"
    "    def mixed(self, text):\n"
    "        return litellm.completion(model='ollama/llama3' if self.fast else 'gpt-4o', messages=[{'role': 'user', 'content': text}])\n"
    "    def billed_literal(self, text):\n"
    "        return litellm.completion(model='anthropic/claude-sonnet-4-5', messages=[{'role': 'user', 'content': text}])\n"
    "    def capped_local(self, text):\n"
    "        return litellm.completion(model='ollama/' + self.name, max_tokens=200, messages=[])\n"
)


def _findings(tmp_path, select):
    root = make(tmp_path / "proj", {"app.py": SOURCE})
    result = analyse([root], Config(select=select), root=root)
    return sorted({f.row for f in result.findings})


def test_a_request_routed_to_a_local_server_is_not_judged_for_an_output_cap(tmp_path):
    # rows 9-17: local routes (concatenation, f-string, literal, constant start, Router); 19-27 fire
    assert _findings(tmp_path, ("TKL501",)) == [19, 21, 23, 25, 27]


def test_a_local_route_literal_is_not_a_hardcoded_billed_model(tmp_path):
    rows = _findings(tmp_path, ("TKL202",))
    assert 13 not in rows  # 'ollama_chat/qwen2.5': the user's own server
    assert 27 in rows  # 'anthropic/claude-sonnet-4-5' is billed


def test_the_route_names_the_provider_of_a_local_server_only(tmp_path):
    root = make(tmp_path / "proj", {"app.py": SOURCE})
    result = analyse([root], Config(select=("TKL501",)), root=root)
    got = {s.line: s.provider for s in result.sites if s.kind == "direct"}
    assert got == {9: "ollama", 11: "vllm", 13: "ollama", 15: "lm_studio", 17: "llamafile",
                   19: "litellm", 21: "litellm", 23: "litellm", 25: "litellm", 27: "litellm", 29: "ollama"}


def test_a_framework_model_object_on_litellm_routed_to_a_local_server_is_that_servers(tmp_path):
    # crewAI's LLM takes a LiteLLM model string: "ollama/..." is the user's own server, not a billed model
    root = make(tmp_path / "proj", {"crew.py": (
        "from crewai import LLM\n"
        "local = LLM(model='ollama/gemma3:4b')\n"
        "billed = LLM(model='anthropic/claude-sonnet-4-5')\n"
        "reply = local.call('hi')\n"
    )})
    result = analyse([root], Config(select=("TKL202",)), root=root)
    assert sorted({f.row for f in result.findings}) == [3]
    providers = {s.line: s.provider for s in result.sites}
    assert providers[2] == providers[4] == "ollama" and providers[3] == "litellm"
