"""Limits of the example run entries (catalog [examples] runs), found on review: an application's own
`playground/` folder is no example of a library, an example's override that makes its own request is
counted where it is written (not again at the run), and `chat` is no run entry (crab's examples)."""

from __future__ import annotations

from projects import analysed_sites

AGENT = (
    "from openai import OpenAI\n"
    "\n"
    "\n"
    "class ChatAgent:\n"
    "    def __init__(self, model):\n"
    "        self.client, self.model, self.history = OpenAI(), model, []\n"
    "\n"
    "    def run(self):\n"
    "        return self._reply()\n"
    "\n"
    "    def chat(self):\n"
    "        return self._reply()\n"
    "\n"
    "    def _reply(self):\n"
    "        return self.client.chat.completions.create(model=self.model, messages=self.history)\n"
)

VIEWS = (
    "from myapp.agent import ChatAgent\n"
    "\n"
    "agent = ChatAgent('gpt-4o')\n"
    "\n"
    "\n"
    "def handle(text):\n"
    "    agent.history.append({'role': 'user', 'content': text})\n"
    "    return agent.run()\n"
)

CUSTOM = (
    "from anthropic import Anthropic\n"
    "from chatkit import ChatAgent\n"
    "\n"
    "\n"
    "class ClaudeAgent(ChatAgent):\n"
    "    def _reply(self):\n"
    "        return Anthropic().messages.create(model='claude-haiku-4-5', max_tokens=256, messages=self.history)\n"
    "\n"
    "\n"
    "agent = ClaudeAgent('x')\n"
    "agent.run()\n"
)

CHAT = (
    "from chatkit import ChatAgent\n"
    "\n"
    "policy = ChatAgent('gpt-4o')\n"
    "policy.chat()\n"
    "policy.run()\n"
)


def _lines(sites, path):
    return sorted(s.line for s in sites if s.path == path and s.kind in ("direct", "request", "facade"))


def test_an_applications_own_playground_is_no_example_of_a_library(tmp_path) -> None:
    sites = analysed_sites(tmp_path, {"myapp/__init__.py": "", "myapp/agent.py": AGENT,
                                      "myapp/playground/__init__.py": "", "myapp/playground/views.py": VIEWS})
    assert _lines(sites, "myapp/agent.py") == [15]
    assert _lines(sites, "myapp/playground/views.py") == []


def test_an_examples_override_is_counted_where_it_requests_not_again_at_the_run(tmp_path) -> None:
    sites = analysed_sites(tmp_path, {"chatkit/__init__.py": "from .agent import ChatAgent\n", "chatkit/agent.py": AGENT,
                                      "examples/custom.py": CUSTOM})
    assert _lines(sites, "examples/custom.py") == [7]


def test_chat_is_no_run_entry_but_run_is(tmp_path) -> None:
    sites = analysed_sites(tmp_path, {"chatkit/__init__.py": "from .agent import ChatAgent\n", "chatkit/agent.py": AGENT,
                                      "examples/chat.py": CHAT})
    assert _lines(sites, "examples/chat.py") == [5]
