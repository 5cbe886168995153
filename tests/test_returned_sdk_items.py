"""A module whose function returns a tuple holding an SDK client or request resource (`return model, tokenizer`
with `model = openai.ChatCompletion`) matters to the modules calling it, though they name no SDK: the caller
unpacks the tuple (`self.model, self.tokenizer = load(...)`) and sends on the item. A function returning a tuple
of other things makes no module matter."""

from __future__ import annotations

from projects import analysed_sites

UTILS = '''\
import openai
import tiktoken


def load_model_and_tokenizer(name, chat_completion=False):
    openai.api_key = "sk-..."
    if chat_completion:
        model = openai.ChatCompletion
    else:
        model = openai.Completion
    tokenizer = tiktoken.encoding_for_model("gpt-4")
    return model, tokenizer


def load_other(name):
    return name.upper(), tiktoken.encoding_for_model("gpt-4")
'''

COMPRESSOR = '''\
from utils import load_model_and_tokenizer, load_other


class Compressor:
    def __init__(self, engine):
        self.engine = engine
        self.model, self.tokenizer = load_model_and_tokenizer(engine, chat_completion=True)
        self.label, self.tok = load_other(engine)

    def compress(self, messages):
        request = {"messages": messages, "max_tokens": 512}
        response = self.model.create(engine=self.engine, **request)
        return response["choices"][0]["message"]["content"]

    def other(self, messages):
        return self.label.create(engine=self.engine, messages=messages)
'''


def test_a_tuple_returned_with_an_sdk_resource_reaches_its_callers(tmp_path):
    sites = analysed_sites(tmp_path / "proj", {"scripts/utils.py": UTILS, "scripts/compressor.py": COMPRESSOR})
    assert [(s.path, s.line, s.provider) for s in sites] == [("scripts/compressor.py", 12, "openai")]
