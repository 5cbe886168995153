"""Project subclasses of a framework model type wrapping another model handed to them (resolve/wrapped.py):
their objects stand for the wrapped model, their construction binds nothing, and the call of their request
override handing the wrapped model on is the request."""

from __future__ import annotations

from projects import line_of, make

from tokenlint.config import Config
from tokenlint.engine import analyse

WRAPPERS = (
    "from typing import Any, List, Optional\n"
    "\n"
    "from langchain.llms.base import LLM\n"
    "from langchain_core.language_models import BaseLLM\n"
    "from langchain.chat_models.base import BaseChatModel\n"
    "\n"
    "\n"
    "def cached(func, *args, **kwargs):\n"
    "    return func(*args, **kwargs)\n"
    "\n"
    "\n"
    "class CachedLLM(LLM):\n"
    "    llm: Any\n"
    "    session: Any = None\n"
    "\n"
    "    @property\n"
    "    def _llm_type(self) -> str:\n"
    "        return self.llm._llm_type\n"
    "\n"
    "    def _call(self, prompt: str, stop: Optional[List[str]] = None, _=None) -> str:\n"
    "        log(self.session)\n"
    "        return cached(self.llm, prompt=prompt, stop=stop)  # llm-handed\n"
    "\n"
    "\n"
    "class CachedChat(BaseChatModel):\n"
    "    chat: Any\n"
    "\n"
    "    @property\n"
    "    def _llm_type(self) -> str:\n"
    "        return 'cached_chat'\n"
    "\n"
    "    def _generate(self, messages, stop=None, run_manager=None):\n"
    "        return cached(self.chat._generate, messages=messages, stop=stop)  # chat-handed\n"
    "\n"
    "\n"
    "class Retried(LLM):\n"
    "    inner: BaseLLM\n"
    "\n"
    "    def _call(self, prompt, stop=None, _=None):\n"
    "        return cached(self.inner, prompt)  # typed-handed\n"
    "\n"
    "\n"
    "class LocalGLM(LLM):\n"
    "    model: Any = None\n"
    "    tokenizer: Any = None\n"
    "\n"
    "    def _call(self, prompt, stop=None, _=None):\n"
    "        return run_local(self.model, self.tokenizer, prompt)\n"
    "\n"
    "\n"
    "class Canned(LLM):\n"
    "    llm: Any\n"
    "\n"
    "    @property\n"
    "    def _llm_type(self) -> str:\n"
    "        return self.llm._llm_type\n"
    "\n"
    "    def _call(self, prompt, stop=None, _=None):\n"
    "        return 'always the same'\n"
    "\n"
    "\n"
    "def run_local(model, tokenizer, prompt):\n"
    "    return model.chat(tokenizer, prompt)\n"
    "\n"
    "\n"
    "def log(value):\n"
    "    print(value)\n"
)

APP = (
    "from langchain.llms import OpenAI, Cohere\n"
    "from langchain.chat_models import ChatOpenAI\n"
    "from langchain.chains.question_answering import load_qa_chain\n"
    "from pkg.wrap import CachedLLM, CachedChat, Canned\n"
    "\n"
    "llm = CachedLLM(llm=OpenAI(model_name='gpt-3.5-turbo-instruct'))\n"
    "print(llm('hello'))  # call-wrapper\n"
    "other = CachedLLM(llm=Cohere())\n"
    "print(other('hello'))  # call-cohere\n"
    "chat = CachedChat(chat=ChatOpenAI(model='gpt-4o-mini'))\n"
    "print(chat.invoke('hi'))  # chat-invoke\n"
    "qa = load_qa_chain(llm=CachedLLM(llm=OpenAI()), chain_type='stuff')\n"
    "print(qa.run(question='q', input_documents=[]))  # chain-run\n"
    "fixed = Canned(llm=OpenAI())\n"
    "print(fixed('hello'))  # canned\n"
)


def _requests(tmp_path):
    root = make(tmp_path, {"pkg/__init__.py": "", "pkg/wrap.py": WRAPPERS, "app.py": APP})
    result = analyse([root], Config(), root=root)
    assert not [f.error for f in result.files if f.error]
    return root, result.sites


def test_calls_on_a_wrapping_object_are_requests_of_the_wrapped_model(tmp_path):
    """`CachedLLM(llm=OpenAI(...))('hello')`, a chat wrapper's `invoke`, and a chain built over a wrapper: the
    wrapped model's requests (its provider and model); `Canned` holds a model it never hands on: its call is
    no request of it."""
    root, sites = _requests(tmp_path)
    app = root / "app.py"
    got = sorted((s.line, s.provider, s.model.value) for s in sites if s.path == "app.py" and s.kind == "request")
    assert got == [
        (line_of(app, "# call-wrapper"), "openai", "gpt-3.5-turbo-instruct"),
        (line_of(app, "# call-cohere"), "cohere", got[1][2]),
        (line_of(app, "# chat-invoke"), "openai", "gpt-4o-mini"),
        (line_of(app, "# chain-run"), "openai", got[3][2]),
    ]


def test_a_wrapper_construction_is_no_binding(tmp_path):
    """The bindings are the wrapped models' constructors, not the wrappers' (one per model built)."""
    root, sites = _requests(tmp_path)
    bindings = sorted((s.line, s.constructor) for s in sites if s.kind == "binding")
    assert [c for _l, c in bindings] == ["OpenAI", "Cohere", "ChatOpenAI", "OpenAI", "OpenAI"]


def test_the_override_handing_the_wrapped_model_on_is_the_request(tmp_path):
    """`return cached(self.chat._generate, ...)` in `_generate` (a model's internal request method) and
    `return cached(self.inner, ...)` with `inner: BaseLLM`: requests on a model known by its type there
    (inferred). A field declared `Any` handed on bare (`cached(self.llm, ...)`; `run_local(self.model,
    self.tokenizer, ...)` of a local model) says nothing, `log(self.session)` (not the answer returned)
    is none, nor is anything in `Canned`."""
    root, sites = _requests(tmp_path)
    mod = root / "pkg/wrap.py"
    got = sorted((s.line, s.kind, s.api, s.confidence) for s in sites if s.path == "pkg/wrap.py")
    assert got == [(line_of(mod, "# chat-handed"), "request", "chat_model", "inferred"),
                   (line_of(mod, "# typed-handed"), "request", "llm", "inferred")]


def test_returned_calls_reads_returns_in_every_block_and_awaits():
    """What a request override returns is found in branches, handlers, loops and match cases (statements
    only are read), and `return await X` gives X too; a call only evaluated is not returned."""
    import ast

    from tokenlint.resolve.wrapped import _returned_calls

    fn = ast.parse(
        "async def _acall(self, p):\n"
        "    side(p)\n"
        "    try:\n"
        "        if p:\n"
        "            return await first(p)\n"
        "    except ValueError:\n"
        "        for _ in range(2):\n"
        "            return second(p)\n"
        "    finally:\n"
        "        done()\n"
        "    match p:\n"
        "        case 1:\n"
        "            return third(p)\n"
        "    return\n"
    ).body[0]
    calls = {n.func.id: n for n in ast.walk(fn) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    got = _returned_calls(fn)
    assert {name for name, n in calls.items() if id(n) in got} == {"first", "second", "third"}
