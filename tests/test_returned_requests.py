"""An SDK request method returned uncalled by a provider class's implementation of its base's abstract hook
(`return client.chat.completions.create`) is handed over for the base to call: the returned expression is the
request's site (its arguments are written elsewhere: no model nor output cap is read there, no tag fix is
offered). The base's call of the hook is a facade where what it gives back is called, not where it is only
inspected. A concrete function returning an SDK method is no such site (its callers' calls are)."""

from __future__ import annotations

from projects import analysed_sites

BASE = '''\
from abc import ABC, abstractmethod


class Provider(ABC):
    @abstractmethod
    def provider_call_function(self, client, params=None):
        raise NotImplementedError

    def call(self, request):
        params = {"model": request.model, "messages": request.messages}
        call = self.provider_call_function(request.client, params)
        return call(**params)

    def names(self, client):
        return inspect_params(self.provider_call_function(client, None))


def inspect_params(fn):
    return fn.__name__
'''

PROVIDERS = '''\
import anthropic
import openai

from pkg.base import Provider


class AnthropicProvider(Provider):
    def provider_call_function(self, client: anthropic.Anthropic, params=None):
        return client.messages.create


class OpenAIProvider(Provider):
    def provider_call_function(self, client: openai.OpenAI, params=None):
        if params and params.get("response_format"):
            return client.beta.chat.completions.parse
        return client.chat.completions.create


class EchoProvider(Provider):
    def provider_call_function(self, client, params=None):
        return client.echo
'''


def _sites(tmp_path, files):
    return analysed_sites(tmp_path / "proj", {"pkg/__init__.py": "", **files})


def _line(text, needle):
    return text.splitlines().index(needle) + 1


def test_sdk_methods_returned_by_a_hook_are_sites_and_the_base_call_of_the_hook_a_facade(tmp_path):
    sites = _sites(tmp_path, {"pkg/base.py": BASE, "pkg/providers.py": PROVIDERS})
    got = sorted((s.path, s.line, s.kind, s.sdk) for s in sites)
    assert got == [
        ("pkg/base.py", _line(BASE, "        call = self.provider_call_function(request.client, params)"), "facade", "openai"),
        ("pkg/providers.py", _line(PROVIDERS, "        return client.messages.create"), "direct", "anthropic"),
        ("pkg/providers.py", _line(PROVIDERS, "            return client.beta.chat.completions.parse"), "direct", "openai"),
        ("pkg/providers.py", _line(PROVIDERS, "        return client.chat.completions.create"), "direct", "openai"),
    ]
    direct = [s for s in sites if s.kind == "direct"]
    assert all(s.tag_style is None and s.model.kind == "dynamic" and s.output_cap in (None, "unknown") for s in direct)


def test_a_concrete_function_returning_an_sdk_method_is_not_itself_a_site(tmp_path):
    helper = (
        "import openai\n"
        "\n"
        "client = openai.OpenAI()\n"
        "\n"
        "\n"
        "def pick():\n"
        "    return client.chat.completions.create\n"
        "\n"
        "\n"
        "def ask(prompt):\n"
        "    return pick()(model='gpt-4o-mini', messages=[{'role': 'user', 'content': prompt}])\n"
    )
    got = [(s.path, s.line) for s in _sites(tmp_path, {"pkg/helper.py": helper})]
    assert got == [("pkg/helper.py", 11)]


def test_a_method_returning_an_sdk_method_without_an_abstract_hook_is_not_a_site(tmp_path):
    plain = PROVIDERS.replace("from pkg.base import Provider\n", "\n\nclass Provider:\n    pass\n")
    got = [(s.path, s.line) for s in _sites(tmp_path, {"pkg/providers.py": plain})]
    assert got == []
