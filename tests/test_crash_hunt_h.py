"""Shapes from a false-alarm hunt on 43 LLM applications tokenlint had not seen (session post22h,
2026-12-07): each drew a finding plainly false on the code. Every fixture is made up for these
tests; each silent shape is paired with the near shape that must still be reported."""

from __future__ import annotations

from projects import make, one_file_rows, rule_rows

# ------------------------------------- TKL501: a LiteLLM route prefix written where the model is stored

# `self.model = "ollama/" + name` in __init__, read at the request: LiteLLM sends it to the user's
# own Ollama server, which bills no tokens; the hosted route stored the same way is still judged
STORED_PREFIX = ("import os\n"
                 "from litellm import completion\n"
                 "class LocalChat:\n"
                 "    def __init__(self):\n"
                 "        self.model = 'ollama/' + os.environ['LOCAL_MODEL']\n"
                 "    def ask(self, text):\n"
                 "        return completion(model=self.model, messages=[{'role': 'user', 'content': text}])\n"
                 "class HostedChat:\n"
                 "    def __init__(self):\n"
                 "        self.model = 'anthropic/' + os.environ['HOSTED_MODEL']\n"
                 "    def ask(self, text):\n"
                 "        return completion(model=self.model, messages=[{'role': 'user', 'content': text}])\n"
                 "def local_named(text):\n"
                 "    name = f\"ollama_chat/{os.environ['LOCAL_MODEL']}\"\n"
                 "    return completion(model=name, messages=[{'role': 'user', 'content': text}])\n"
                 "class Mixed:\n"  # two routes stored: not known to be local, judged
                 "    def __init__(self, local):\n"
                 "        if local:\n"
                 "            self.model = 'ollama/' + os.environ['LOCAL_MODEL']\n"
                 "        else:\n"
                 "            self.model = 'openai/' + os.environ['HOSTED_MODEL']\n"
                 "    def ask(self, text):\n"
                 "        return completion(model=self.model, messages=[{'role': 'user', 'content': text}])\n")


def test_stored_local_route_prefix_is_not_judged(tmp_path):
    assert one_file_rows(tmp_path, STORED_PREFIX, "TKL501") == [12, 23]


# ------------------------------------- TKL501: zhipuai 1.x's model_api takes no output cap at all

ZHIPU_V1 = ("import zhipuai\n"
            "from zhipuai import ZhipuAI\n"
            "def legacy(prompt):\n"
            "    return zhipuai.model_api.invoke(model='chatglm_turbo', prompt=[{'role': 'user', 'content': prompt}],\n"
            "                                    temperature=0.7)\n"
            "def current(prompt):\n"  # the v4 client takes max_tokens: still judged
            "    return ZhipuAI().chat.completions.create(model='glm-4', messages=[{'role': 'user', 'content': prompt}])\n")


def test_zhipuai_v1_model_api_has_no_cap_to_ask_for(tmp_path):
    assert one_file_rows(tmp_path, ZHIPU_V1, "TKL501") == [7]
