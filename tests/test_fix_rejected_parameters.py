"""TKL203's successor swap never makes a request the provider refuses (catalog models.toml [[rejects]]).

The catalog's successor of gpt-4o / gpt-4.1 is a reasoning model: OpenAI rejects a temperature other
than 1, top_p, stop, the penalties and (through the openai SDK, which sends it as written) max_tokens
for it. A call passing one of those keeps its model and is left to a human; a call passing none is
fixed, and the fixed call goes through the real SDK. A model constant shared by two calls is fixed
only when both accept the successor.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

import pytest
from test_conformance import OPENAI_CHAT, Captured, _mock

from tokenlint.catalog import NOT_LITERAL, load_model_catalog
from tokenlint.config import Config
from tokenlint.engine import analyse, fix

TODAY = dt.date(2026, 12, 4)  # gpt-4o and gpt-4.1 retire on 2027-01-14: within the warning window
SUCCESSOR = "gpt-6-luna"

APP = '''import litellm
from openai import OpenAI
from langchain_openai import ChatOpenAI

client = OpenAI()


def warm(text):
    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": text}], temperature=0.2)


def default_temperature(text):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}], temperature=1)


def capped(text):
    return client.chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": text}], max_tokens=50)


def capped_litellm(text):
    return litellm.completion(model="gpt-4.1-mini", messages=[{"role": "user", "content": text}], max_tokens=50)


def chain(text):
    llm = ChatOpenAI(model="gpt-4o-2024-11-20", temperature=0)
    return llm.invoke(text)


def spread(text, **kw):
    return client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[{"role": "user", "content": text}], **kw)
'''


def _fixed(tmp_path: Path, files: dict[str, str]) -> dict[str, str]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    run = fix([tmp_path], Config().with_overrides(select=("TKL203",)), unsafe=True, today=TODAY, root=tmp_path)
    return {name: run.fixed[tmp_path / name].decode("utf-8") if tmp_path / name in run.fixed else text
            for name, text in files.items()}


def test_a_call_passing_a_parameter_the_successor_rejects_keeps_its_model(tmp_path):
    text = _fixed(tmp_path, {"app.py": APP})["app.py"]
    for kept in ('model="gpt-4o", messages=[{"role": "user", "content": text}], temperature=0.2',  # temperature
                 'model="gpt-4.1", messages=[{"role": "user", "content": text}], max_tokens=50',  # openai SDK max_tokens
                 'ChatOpenAI(model="gpt-4o-2024-11-20", temperature=0)',  # langchain-openai sends it for gpt-6
                 'model="gpt-4o-2024-08-06"'):  # **kw may carry temperature
        assert kept in text
    assert text.count(f'"{SUCCESSOR}"') == 2  # temperature=1 is accepted; LiteLLM renames max_tokens itself


def test_the_finding_stays_without_a_fix(tmp_path):
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    result = analyse([tmp_path], Config().with_overrides(select=("TKL203",)), root=tmp_path, today=TODAY)
    fixed = {f.row: f.fix is not None for f in result.findings}
    assert fixed == {9: False, 13: True, 17: False, 21: True, 25: False, 30: False}


def test_a_constant_shared_by_two_calls_is_fixed_only_when_both_accept(tmp_path):
    settings = 'MODEL = "gpt-4o-mini-2024-07-18"\n'
    plain = ('from openai import OpenAI\n\nfrom settings import MODEL\n\nclient = OpenAI()\n\n\n'
             'def ask(text):\n    return client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": text}])\n')
    sampled = plain.replace("def ask", "def sample").replace("}])", "}], top_p=0.5)")
    out = _fixed(tmp_path, {"settings.py": settings, "a.py": plain, "b.py": sampled})
    assert out["settings.py"] == settings
    out = _fixed(tmp_path, {"settings.py": settings, "b.py": plain.replace("def ask", "def other")})  # no top_p
    assert out["settings.py"] == f'MODEL = "{SUCCESSOR}"\n'


def test_the_fixed_calls_are_sent_by_the_sdks(tmp_path, monkeypatch):
    openai = pytest.importorskip("openai")
    httpx2 = pytest.importorskip("httpx2")
    utils = pytest.importorskip("litellm.utils")
    pytest.importorskip("langchain_openai")
    seen: list[Captured] = []
    monkeypatch.setattr(openai, "OpenAI", functools.partial(openai.OpenAI, api_key="sk-test",
                                                             http_client=_mock(httpx2, OPENAI_CHAT, seen)))
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    text = _fixed(tmp_path, {"app.py": APP})["app.py"]
    namespace: dict[str, Any] = {"__name__": "app"}
    exec(compile(text, str(tmp_path / "app.py"), "exec"), namespace)  # the fixed module, as written
    namespace["default_temperature"]("hi")
    assert seen[-1].body["model"] == SUCCESSOR and seen[-1].body["temperature"] == 1
    # LiteLLM's own parameter mapping for the fixed litellm call: accepted, max_tokens renamed
    params = utils.get_optional_params(model=SUCCESSOR, custom_llm_provider="openai", max_tokens=50)
    assert params.get("max_completion_tokens") == 50 and "max_tokens" not in params


REFUSED = [("temperature", 0.2), ("temperature", 0), ("top_p", 0.5), ("stop", ["x"]), ("presence_penalty", 0.1),
           ("frequency_penalty", 0.1), ("logit_bias", {1: 1})]


@pytest.mark.parametrize("param,value", REFUSED, ids=[f"{p}={v}" for p, v in REFUSED])
def test_the_catalog_rejects_what_litellm_refuses_for_the_successor(param, value):
    """The [[rejects]] data against the installed LiteLLM's parameter rules (its provider knowledge)."""
    utils = pytest.importorskip("litellm.utils")
    catalog = load_model_catalog()
    info = catalog.lookup(SUCCESSOR)
    assert info is not None and catalog.rejected(info, {param: value}, "litellm", "completion") == (param,)
    assert catalog.rejected(catalog.lookup("gpt-4o"), {param: value}, "litellm", "completion") == ()
    with pytest.raises(Exception, match="(?i)support"):
        utils.get_optional_params(model=SUCCESSOR, custom_llm_provider="openai", **{param: value})


def test_rejected_reads_allowed_values_sdks_and_apis():
    catalog = load_model_catalog()
    luna = catalog.lookup(SUCCESSOR)
    assert catalog.rejected(luna, {"temperature": 1}) == ()
    assert catalog.rejected(luna, {"temperature": NOT_LITERAL}) == ("temperature",)
    assert catalog.rejected(luna, {"max_tokens": 5}, "openai", "chat.completions") == ("max_tokens",)
    assert catalog.rejected(luna, {"max_tokens": 5}, "litellm", "completion") == ()  # LiteLLM renames it
    assert catalog.rejected(luna, {"max_tokens": 5}, "langchain", "chat_model") == ()  # so does ChatOpenAI
    assert catalog.rejected(luna, {"max_tokens": 5}, "dspy", "chat") == ("max_tokens",)  # sent as given
    opus = catalog.lookup("claude-opus-4-8")
    assert opus is not None and catalog.rejected(opus, {"temperature": 0.3, "top_p": 0.9}) == ("temperature", "top_p")


HTTP = '''import requests

URL = "https://openrouter.ai/api/v1/chat/completions"


def ask(prompt, model="openai/gpt-4o"):
    payload = {"model": model, "messages": [{"role": "user", "content": prompt}], "temperature": 0.7}
    return requests.post(URL, headers={"Authorization": "Bearer k"}, json=payload, timeout=30).json()
'''


def test_an_http_body_passing_a_rejected_parameter_keeps_its_model(tmp_path):
    """The parameters of an HTTP request are the keys of its JSON body (a dict literal, or a name
    holding one), not the keywords of `requests.post`."""
    assert _fixed(tmp_path, {"http.py": HTTP})["http.py"] == HTTP
    plain = HTTP.replace(', "temperature": 0.7', "")
    assert '"openai/gpt-6-luna"' in _fixed(tmp_path, {"http.py": plain})["http.py"]


LC_GPT5 = '''from langchain_openai import ChatOpenAI


def answer(question, model_name="gpt-5-mini"):
    llm = ChatOpenAI(model=model_name, temperature=0)
    return llm.invoke(question)
'''


def test_a_temperature_langchain_drops_for_the_current_model_but_sends_for_the_successor(tmp_path):
    """langchain-openai drops temperature=0 for gpt-5-mini (the request is accepted) but sends it for
    the successor gpt-6.1-terra (rejected): the parameter is new trouble, the model is kept."""
    assert _fixed(tmp_path, {"lc.py": LC_GPT5})["lc.py"] == LC_GPT5
    catalog = load_model_catalog()
    mini, terra = catalog.lookup("gpt-5-mini"), catalog.lookup("gpt-6.1-terra")
    assert catalog.rejected(mini, {"temperature": 0}, "langchain", "chat_model") == ()
    assert catalog.rejected(terra, {"temperature": 0}, "langchain", "chat_model") == ("temperature",)
    assert catalog.rejected(mini, {"temperature": 0}, "litellm", "completion") == ("temperature",)


GENAI = '''from google import genai
from google.genai import types

client = genai.Client()


def ask(text, model="gemini-2.5-pro"):
    config = types.GenerateContentConfig(temperature=0.7)
    return client.models.generate_content(model=model, contents=text, config=config)
'''


def test_a_gemini_config_with_a_sampling_parameter_keeps_its_model(tmp_path):
    """The successor of gemini-2.5-pro takes no sampling parameters: a GenerateContentConfig (or
    config dict) sending temperature keeps the model; one sending none is fixed."""
    assert _fixed(tmp_path, {"g.py": GENAI})["g.py"] == GENAI
    plain = GENAI.replace("temperature=0.7", "max_output_tokens=64")
    assert '"gemini-3.8-flash"' in _fixed(tmp_path, {"g.py": plain})["g.py"]
