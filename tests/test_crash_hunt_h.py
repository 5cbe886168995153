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


# ------------------------------------- TKL203: a constructor default its subclasses never run

# `class Extra(Base)` names the base without calling it: a subclass with its own __init__ that never
# calls the base's (or hands it the model) runs no default of it; every other construction passes one
SUBCLASSED = ("from openai import OpenAI\n"
              "client = OpenAI()\n"
              "class Base:\n"
              "    def __init__(self, model_name='text-davinci-003', verbose=True):\n"
              "        self.model_name = model_name\n"
              "    def ask(self, q):\n"
              "        return client.chat.completions.create(model=self.model_name, messages=[q])\n"
              "class Extra(Base):\n"
              "    def __init__(self, model_name, tools):\n"
              "        self.model_name = model_name\n"
              "        self.tools = tools\n"
              "class Named(Base):\n"
              "    def __init__(self, name):\n"
              "        super().__init__(name, verbose=False)\n"
              "def run(name):\n"
              "    return Base(model_name=name).ask('q'), Extra(name, []).ask('q'), Named(name).ask('q')\n")


def test_constructor_default_no_subclass_runs_is_no_finding(tmp_path):
    assert one_file_rows(tmp_path / "a", SUBCLASSED, "TKL203") == []
    # a subclass inheriting the constructor, or calling it without the model, runs the default
    inherits = SUBCLASSED + "class Plain(Base):\n    pass\nplain = Plain()\n"
    assert one_file_rows(tmp_path / "b", inherits, "TKL203") == [4]
    bare = SUBCLASSED.replace("super().__init__(name, verbose=False)", "super().__init__(verbose=False)")
    assert one_file_rows(tmp_path / "c", bare, "TKL203") == [4]


def test_submodule_named_as_its_class_is_not_the_class(tmp_path):
    # `from nodes import LLMNode` beside nodes/LLMNode.py binds the module: `LLMNode.refresh(...)` reads a
    # function of it, no use of the class; every construction of the class passes the model
    node = ("from openai import OpenAI\n"
            "client = OpenAI()\n"
            "def refresh(label):\n"
            "    return label\n"
            "class LLMNode:\n"
            "    def __init__(self, name='node', model_name='text-davinci-003'):\n"
            "        self.model_name = model_name\n"
            "    def run(self, q):\n"
            "        return client.chat.completions.create(model=self.model_name, messages=[q])\n")
    user = ("from nodes.LLMNode import LLMNode\n"
            "def solve(name, q):\n"
            "    return LLMNode('solver', name).run(q)\n")
    scorer = ("from nodes import LLMNode\n"
              "def score(ok):\n"
              "    LLMNode.refresh('succ' if ok else 'fail')\n")
    files = {"nodes/__init__.py": "", "nodes/LLMNode.py": node, "solve.py": user, "score.py": scorer}
    assert rule_rows(make(tmp_path / "a", files), "TKL203", "nodes/LLMNode.py") == []
    # the class itself handed on as a value (a factory table): its default may run
    table = dict(files, **{"score.py": "from nodes.LLMNode import LLMNode\nMAKERS = {'llm': LLMNode}\n"})
    assert rule_rows(make(tmp_path / "b", table), "TKL203", "nodes/LLMNode.py") == [6]


# ------------------------------------- TKL401: a Streamlit page's module level serves its user

# Streamlit reruns the script from the top on each click: a loop there answers the user waiting on
# the page, no offline job; the same loop in a plain script (no Streamlit) is still a batch candidate
PAGE = ("import streamlit as st\n"
        "from openai import OpenAI\n"
        "client = OpenAI()\n"
        "items = st.text_area('News').splitlines()\n"
        "if st.button('Summarise'):\n"
        "    for item in items:\n"
        "        r = client.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': item}])\n"
        "        st.write(r.choices[0].message.content)\n")


def test_streamlit_page_loop_is_no_batch_job(tmp_path):
    assert one_file_rows(tmp_path / "a", PAGE, "TKL401") == []
    script = PAGE.replace("import streamlit as st\n", "import sys\n").replace(
        "st.text_area('News').splitlines()", "open(sys.argv[1]).read().splitlines()").replace(
        "if st.button('Summarise'):", "if True:").replace("st.write(", "print(")
    assert one_file_rows(tmp_path / "b", script, "TKL401") == [7]


def test_package_reexporting_the_class_is_the_class(tmp_path):
    # nodes/__init__.py binding the name (`from .LLMNode import LLMNode`, an assignment, a definition)
    # makes `from nodes import LLMNode` the class: built there without the model, its default runs
    node = ("from openai import OpenAI\n"
            "client = OpenAI()\n"
            "class LLMNode:\n"
            "    def __init__(self, name='node', model_name='text-davinci-003'):\n"
            "        self.model_name = model_name\n"
            "    def run(self, q):\n"
            "        return client.chat.completions.create(model=self.model_name, messages=[q])\n")
    solve = "from nodes.LLMNode import LLMNode\ndef solve(name, q):\n    return LLMNode('solver', name).run(q)\n"
    score = "from nodes import LLMNode\ndef score(q):\n    return LLMNode('scorer').run(q)\n"
    files = {"nodes/LLMNode.py": node, "solve.py": solve, "score.py": score}
    for i, init in enumerate(("from .LLMNode import LLMNode\n",
                              "from . import LLMNode as _m\nLLMNode = _m.LLMNode\n")):
        project = make(tmp_path / str(i), dict(files, **{"nodes/__init__.py": init}))
        assert rule_rows(project, "TKL203", "nodes/LLMNode.py") == [4]


def test_subclass_forwarding_its_own_default_is_reported_there(tmp_path):
    # Named() runs the subclass's own default through super().__init__, never the base's: the finding
    # sits on the default that reaches the request (line 13), not on the base's (line 4; issue 16)
    for i, call in enumerate(("super().__init__(model_name=model_name)", "super().__init__(model_name)")):
        own = SUBCLASSED.replace("    def __init__(self, name):\n        super().__init__(name, verbose=False)\n",
                                 f"    def __init__(self, model_name='text-davinci-002'):\n        {call}\n")
        own = own.replace("Named(name).ask('q')", "Named().ask('q')")
        assert own != SUBCLASSED
        assert one_file_rows(tmp_path / str(i), own, "TKL203") == [13]
    # a forwarded parameter without a default (or defaulting to None) passes the model on
    required = SUBCLASSED.replace("def __init__(self, name):", "def __init__(self, name=None):")
    assert one_file_rows(tmp_path / "n", required, "TKL203") == []


def test_stored_route_written_elsewhere_is_judged(tmp_path):
    # the stored local route is known only while no subclass and no outside code writes the attribute
    local = STORED_PREFIX.split("class HostedChat")[0]
    assert one_file_rows(tmp_path / "a", local, "TKL501") == []
    sub = local + ("class Remote(LocalChat):\n"
                   "    def __init__(self):\n"
                   "        self.model = 'anthropic/' + os.environ['HOSTED_MODEL']\n")
    assert one_file_rows(tmp_path / "b", sub, "TKL501") == [7]
    outside = {"chat.py": local,
               "use.py": "import os\nfrom chat import LocalChat\nbot = LocalChat()\n"
                         "bot.model = 'anthropic/' + os.environ['HOSTED_MODEL']\n"}
    assert rule_rows(make(tmp_path / "c", outside), "TKL501", "chat.py") == [7]


def test_streamlit_page_main_function_is_no_batch_job(tmp_path):
    # the common layout: the page's loop inside `def main()`, run by `if __name__ == "__main__": main()`
    lines = PAGE.splitlines(keepends=True)
    page = "".join(lines[:3]) + "def main():\n" + "".join("    " + line for line in lines[3:])
    page += "if __name__ == '__main__':\n    main()\n"
    assert one_file_rows(tmp_path / "a", page, "TKL401") == []
    script = page.replace("import streamlit as st\n", "import sys\n").replace(
        "st.text_area('News').splitlines()", "open(sys.argv[1]).read().splitlines()").replace(
        "if st.button('Summarise'):", "if True:").replace("st.write(", "print(")
    assert one_file_rows(tmp_path / "b", script, "TKL401") == [8]
