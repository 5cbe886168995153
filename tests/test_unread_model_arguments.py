"""A model class given its model in a way tokenlint cannot read is built with an unknown model, not
with the SDK default that TKL203 (retired-model) would judge: a positional argument where the class
takes its model by keyword (a pydantic model handed one dict, a client handed a config object), a
`**spread`, or arguments to a project subclass whose own __init__ forwards them. A class called with
no arguments, or a subclass without its own __init__, still takes the default and TKL203 still fires."""

from __future__ import annotations

from datetime import date

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

SOURCE = (
    "from langchain_openai import ChatOpenAI\n"
    "class ForwardingChat(ChatOpenAI):\n"
    "    def __init__(self, options):\n"
    "        super().__init__(**options)\n"
    "class OptionalForwarding(ChatOpenAI):\n"
    "    def __init__(self, options=None):\n"
    "        super().__init__(**(options or {}))\n"
    "class Renamed(ChatOpenAI):\n"
    "    pass\n"
    "def positional_dict(params):\n"
    "    return ChatOpenAI(params)\n"
    "def forwarding_subclass(opts):\n"
    "    return ForwardingChat(opts)\n"
    "def forwarding_by_keyword(opts):\n"
    "    return OptionalForwarding(options=opts)\n"
    "def spread(opts):\n"
    "    return ChatOpenAI(**opts)\n"
    # look-alikes: the default is taken
    "def bare():\n"
    "    return ChatOpenAI()\n"
    "def keywords_only():\n"
    "    return ChatOpenAI(temperature=0)\n"
    "def subclass_without_init():\n"
    "    return Renamed(temperature=0)\n"
    "def forwarding_subclass_without_arguments():\n"
    "    return OptionalForwarding()\n"
)


def test_unread_model_arguments_are_not_the_sdk_default(tmp_path):
    root = make(tmp_path / "proj", {"app.py": SOURCE})
    result = analyse([root], Config(select=("TKL203",)), root=root, today=date(2026, 12, 6))
    assert sorted(f.row for f in result.findings) == [19, 21, 23, 25]
    kinds = {s.line: s.model.kind for s in result.sites if s.kind == "binding"}
    assert kinds[11] == kinds[13] == kinds[15] == kinds[17] == "dynamic"
    assert kinds[19] == kinds[21] == kinds[23] == kinds[25] == "missing"
