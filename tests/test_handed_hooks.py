"""Framework requests and facades reached through a project hook (deep15): a method handed uncalled
to a standard runner (`asyncio.to_thread(self.generate_audio, text)` in an interface module that names
no SDK, `Thread(target=self.generate)`, `to_thread(self._stt.transcribe, audio)` on an object of
unknown type), and a runnable built by the subclasses' overrides of an abstract hook declared with a
library type (`async def get_graph(self) -> CompiledStateGraph`). Each shape beside its look-alike
that is no request."""

from __future__ import annotations

from pathlib import Path

from projects import line_of, make

from tokenlint.config import Config
from tokenlint.engine import analyse


def _sites(root: Path, rel: str) -> dict[int, str]:
    result = analyse([root], Config(), root=root)
    return {s.line: s.kind for s in result.sites if s.path == rel}


def _line(root: Path, rel: str, text: str) -> int:
    return line_of(root / rel, text)


_TTS_BASE = ("import abc\nimport asyncio\n\n\n"
             "class SpeechEngine(metaclass=abc.ABCMeta):\n"
             "    async def async_speak(self, text: str) -> bytes:\n"
             "        return await asyncio.to_thread(self.speak, text)\n\n"
             "    @abc.abstractmethod\n"
             "    def speak(self, text: str) -> bytes:\n"
             "        raise NotImplementedError\n")
_TTS_OPENAI = ("from openai import OpenAI\n\nfrom app.tts.base import SpeechEngine\n\n\n"
               "class OpenAISpeech(SpeechEngine):\n"
               "    def __init__(self) -> None:\n        self.client = OpenAI()\n\n"
               "    def speak(self, text: str) -> bytes:\n"
               "        return self.client.audio.speech.create(model='tts-1', voice='alloy', input=text).content\n")
_TTS_LOCAL = ("from app.tts.base import SpeechEngine\n\n\n"
              "class Beeper(SpeechEngine):\n"
              "    def speak(self, text: str) -> bytes:\n        return text.encode()\n")


def test_an_interface_module_handing_its_abstract_method_to_a_thread_is_read(tmp_path) -> None:
    """The interface's module imports no SDK (the prefilter reads it because it hands `.speak` to
    `asyncio.to_thread`, a method the implementations spend in): the runner's call is a facade."""
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/tts/__init__.py": "", "app/tts/base.py": _TTS_BASE,
                                 "app/tts/openai_speech.py": _TTS_OPENAI, "app/tts/beeper.py": _TTS_LOCAL})
    sites = _sites(root, "app/tts/base.py")
    assert sites.get(_line(root, "app/tts/base.py", "asyncio.to_thread(self.speak")) == "facade"


def test_an_interface_whose_implementations_spend_nothing_hands_nothing(tmp_path) -> None:
    """The same interface with only a local implementation: no site in its module."""
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/tts/__init__.py": "", "app/tts/base.py": _TTS_BASE,
                                 "app/tts/beeper.py": _TTS_LOCAL,
                                 "app/llm.py": "from openai import OpenAI\n\nclient = OpenAI()\n"})
    assert _sites(root, "app/tts/base.py") == {}


def test_a_thread_started_on_the_abstract_method_in_a_plain_module_is_read(tmp_path) -> None:
    """`threading.Thread(target=self.generate, args=(history,))` in a base module naming no SDK."""
    base = ("import threading\nfrom abc import ABC, abstractmethod\n\n\n"
            "class GeneratorLLM(ABC):\n"
            "    def start(self, history: list) -> None:\n"
            "        threading.Thread(target=self.generate, args=(history,)).start()\n\n"
            "    @abstractmethod\n"
            "    def generate(self, history: list) -> str:\n        ...\n")
    impl = ("from openai import OpenAI\n\nfrom app.gen import GeneratorLLM\n\n\n"
            "class OpenAIGenerator(GeneratorLLM):\n"
            "    def generate(self, history: list) -> str:\n"
            "        out = OpenAI().chat.completions.create(model='gpt-4o-mini', messages=history)\n"
            "        return out.choices[0].message.content\n")
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/gen.py": base, "app/openai_gen.py": impl})
    assert _sites(root, "app/gen.py").get(_line(root, "app/gen.py", "threading.Thread(")) == "facade"


_STT = {
    "app/__init__.py": "",
    "app/stt/__init__.py": "",
    "app/stt/base.py": ("from abc import ABC, abstractmethod\n\n\n"
                        "class SpeechToText(ABC):\n"
                        "    @abstractmethod\n"
                        "    def transcribe(self, audio: bytes) -> str:\n        ...\n"),
    "app/stt/whisper.py": ("from openai import OpenAI\n\nfrom app.stt.base import SpeechToText\n\n\n"
                           "class Whisper(SpeechToText):\n"
                           "    def transcribe(self, audio: bytes) -> str:\n"
                           "        return OpenAI().audio.transcriptions.create(model='whisper-1', file=audio).text\n"),
    "app/fmt/__init__.py": "",
    "app/fmt/base.py": ("from abc import ABC, abstractmethod\n\n\n"
                        "class Renderer(ABC):\n"
                        "    @abstractmethod\n"
                        "    def render(self, text: str) -> str:\n        ...\n"),
    "app/fmt/upper.py": ("from app.fmt.base import Renderer\n\n\n"
                         "class Upper(Renderer):\n"
                         "    def render(self, text: str) -> str:\n        return text.upper()\n"),
}


def _with_stt(tmp_path: Path, module: str, engine: str) -> Path:
    """The speech-to-text interface and renderer fixtures, `engine` as `app/<module>.py`, and a
    module importing it beside the OpenAI SDK (so the prefilter reads it)."""
    main = f"from openai import OpenAI\n\nimport app.{module}\n"
    return make(tmp_path / "p", {**_STT, f"app/{module}.py": engine, "app/main.py": main})


def test_a_method_of_an_object_of_unknown_type_handed_to_a_runner_is_its_facade(tmp_path) -> None:
    """`asyncio.to_thread(self._stt.transcribe, audio)` with `_stt` a constructor parameter: the
    runner's call is the facade `self._stt.transcribe(audio)` would be; `self._fmt.render` handed
    the same way reaches no request and gives nothing."""
    engine = ("import asyncio\n\n\nclass Session:\n"
              "    def __init__(self, stt, fmt) -> None:\n        self._stt = stt\n        self._fmt = fmt\n\n"
              "    async def hear(self, audio: bytes) -> str:\n"
              "        text = await asyncio.to_thread(self._stt.transcribe, audio)\n"
              "        return await asyncio.to_thread(self._fmt.render, text)\n")
    root = _with_stt(tmp_path, "session", engine)
    sites = _sites(root, "app/session.py")
    assert sites.get(_line(root, "app/session.py", "self._stt.transcribe")) == "facade"
    assert _line(root, "app/session.py", "self._fmt.render") not in sites


def test_a_pool_map_over_the_method_is_not_read_as_one_call(tmp_path) -> None:
    """`pool.map(self._stt.transcribe, clips)` calls it once per clip: not this reader's shape."""
    engine = ("from concurrent.futures import ThreadPoolExecutor\n\n\nclass Batch:\n"
              "    def __init__(self, stt) -> None:\n        self._stt = stt\n\n"
              "    def hear_all(self, clips: list) -> list:\n"
              "        with ThreadPoolExecutor() as pool:\n"
              "            return list(pool.map(self._stt.transcribe, clips))\n")
    root = _with_stt(tmp_path, "batch", engine)
    assert _sites(root, "app/batch.py").get(_line(root, "app/batch.py", "pool.map(")) != "facade"


_GRAPH_BASE = ("from abc import abstractmethod\n\nfrom langgraph.graph.state import CompiledStateGraph\n\n\n"
               "class BaseAgent:\n"
               "    @abstractmethod\n"
               "    async def get_graph(self, **kwargs) -> CompiledStateGraph:\n        pass\n\n"
               "    async def stream(self, messages: list):\n"
               "        graph = await self.get_graph()\n"
               "        async for event in graph.astream({'messages': messages}):\n"
               "            yield event\n")
_GRAPH_CHAT = ("from langchain_openai import ChatOpenAI\nfrom langgraph.prebuilt import create_react_agent\n\n"
               "from app.base import BaseAgent\n\n\n"
               "class ChatAgent(BaseAgent):\n"
               "    async def get_graph(self, **kwargs):\n"
               "        return create_react_agent(ChatOpenAI(model='gpt-4o-mini'), tools=[])\n")


def test_a_runnable_built_by_the_overrides_of_a_typed_abstract_hook_is_requested(tmp_path) -> None:
    """`graph = await self.get_graph()` in the base, the hook declared `-> CompiledStateGraph`: the
    overrides build an agent over a chat model, so `graph.astream(...)` is a framework request. A test
    double overriding the hook with a fake (under tests/) does not hide it."""
    double = ("from app.base import BaseAgent\n\n\nclass _StubAgent(BaseAgent):\n"
              "    async def get_graph(self, **kwargs):\n        return object()\n")
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/base.py": _GRAPH_BASE, "app/chat.py": _GRAPH_CHAT,
                                 "tests/test_agent.py": double})
    sites = _sites(root, "app/base.py")
    assert sites.get(_line(root, "app/base.py", "graph.astream(")) == "request"


def test_a_typed_hook_one_override_of_which_builds_no_model_gives_nothing(tmp_path) -> None:
    """An application override returning an object of its own (no model object or runnable): the
    declared type alone says nothing of a model, and no site is made at `graph.astream(...)`."""
    other = ("from app.base import BaseAgent\n\n\nclass Replay:\n"
             "    async def astream(self, state):\n        yield state\n\n\n"
             "class ReplayAgent(BaseAgent):\n"
             "    async def get_graph(self, **kwargs):\n        return Replay()\n")
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/base.py": _GRAPH_BASE, "app/chat.py": _GRAPH_CHAT,
                                 "app/replay.py": other})
    assert _line(root, "app/base.py", "graph.astream(") not in _sites(root, "app/base.py")


def test_an_untyped_hook_in_a_module_naming_no_library_is_read(tmp_path) -> None:
    """`chain = self.build_chain()` in a base module importing nothing of LangChain, the hook's one
    implementation returning `prompt | ChatOpenAI(...)`: the module is read (it calls `.build_chain(`)
    and `chain.invoke(...)` is a framework request."""
    base = ("from abc import ABC, abstractmethod\n\n\nclass Example(ABC):\n"
            "    @abstractmethod\n    def build_chain(self):\n        ...\n\n"
            "    def answer(self, question: str) -> str:\n"
            "        chain = self.build_chain()\n"
            "        return chain.invoke({'q': question})\n")
    impl = ("from langchain_core.prompts import ChatPromptTemplate\nfrom langchain_openai import ChatOpenAI\n\n"
            "from app.example import Example\n\n\nclass QA(Example):\n"
            "    def build_chain(self):\n"
            "        return ChatPromptTemplate.from_template('{q}') | ChatOpenAI(model='gpt-4o-mini')\n")
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/example.py": base, "app/qa.py": impl})
    assert _sites(root, "app/example.py").get(_line(root, "app/example.py", "chain.invoke(")) == "request"
