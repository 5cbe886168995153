"""TKL501 missing-output-cap."""

from __future__ import annotations

from typing import Iterable

from tokenlint.rules.base import Rule, RuleContext


class MissingOutputCap(Rule):
    """## What it does
    Finds generation requests that set no output cap where the SDK allows none: OpenAI chat
    completions and responses, LiteLLM, Cohere / xAI chat, Gemini `generate_content`, Bedrock
    Converse, and the requests (`invoke`, `stream`, `complete`, `chat`...) on LangChain chat models
    and LlamaIndex LLMs. Which parameters count as a cap (`max_tokens`, `max_completion_tokens`,
    `max_output_tokens`, `config.max_output_tokens`, `inferenceConfig.maxTokens`, an SDK's own name
    such as Qianfan's or a Vertex AI chat session's `max_output_tokens` or
    Volcengine MaaS's `req["parameters"]["max_new_tokens"]` in the one dict it takes, ...) is catalog data (`tokenlint/catalog/output_caps.toml`,
    from the SDKs' signatures); a cap set on the client or model object that makes the request
    counts. A framework request is capped when its own call or chain sets one
    (`llm.bind(max_tokens=200).invoke(...)`, `invoke(..., max_tokens=200)`, a pydantic-ai run's
    `model_settings={"max_tokens": 200}`) or when every model object it may run on does (the
    constructor, fallbacks included; pydantic-ai's `OpenAIChatModel(..., settings=...)` and
    `Agent(..., model_settings=...)`, the OpenAI Agents SDK's `Agent(..., model_settings=ModelSettings(...))`,
    a Semantic Kernel prompt function's `add_function(..., prompt_execution_settings=...)` run by
    `kernel.invoke(function=...)`, a settings object built from `**kwargs` or returned by a project
    helper counting as unknown; a key
    added to the config dict after it was built, `config["max_output_tokens"] = n` or
    `config.update(...)`, counts, and under an `if` is unknown, as are keys the function adds from
    elsewhere, `config.update(kwargs)`, `config |= overrides`, `config[key] = value`); a request on a model object
    built elsewhere (a parameter, or an attribute of `self` set from one: what the callers hand in,
    even when tokenlint follows them to the model; a chain built on it too, `self.chain = prompt | llm |
    parser` in `__init__(self, llm, ...)`) is not judged, nor one on the branch where its object is known to
    lack a request method every model of its framework has (the `else` of `if hasattr(llm,
    "invoke"):`: a plain callable runs there, not the model built for that name). A request passing `**kwargs`, a config built
    elsewhere (a parameter, or the result of a project helper or a method of `self`:
    `config=build_config(max_tokens=n)`, or of any function or method called with no arguments:
    `generation_config=settings.prepare_settings_dict()`; a class built empty, `GenerationConfig()`,
    holds none), a request object filled from data not written beside it
    (`request.from_json_string(json.dumps(options))` before `client.ChatCompletions(request)`) or a
    parameter dict that unpacks `**kwargs` (the whole request as one dict included, Azure AI
    Inference's `complete(body={"messages": m, **kwargs})`) is not reported (the cap may be in it; a parameter dict
    handed to a helper, written with a type annotation or not, is read key by key:
    `params: ConverseRequestTypeDef = {..., "inferenceConfig": self._map_inference_config(settings)}`
    holds a config built elsewhere),
    nor a speech or image request (`speech_config`, `image_config`, or a model whose output is an
    image or audio: `gemini-2.5-flash-image`, `gemini-3-pro-image-preview`, DashScope's
    `qwen3-tts-flash`; catalog patterns; a config asking for image output, `response_modalities=["TEXT",
    "IMAGE"]`; or an answer the function reads only as an image, `part.inline_data`, `part.as_image()`,
    never `response.text` nor handed on whole), nor a speech-recognition one, whose answer is the transcript
    of the audio sent (DashScope's `qwen3-asr-flash`, a request with `asr_options`), nor a LiteLLM Router request (each deployment of its
    `model_list` carries its own `litellm_params`, where the cap may be), nor an AG2 / AutoGen agent
    whose `llm_config` holds a `config_list` the code does not write out (`config_list_from_json(
    "OAI_CONFIG_LIST")`: each entry may carry `max_tokens`; a list written in the code is read, entry
    by entry). A Google ADK agent's cap is its `generate_content_config=types.GenerateContentConfig(
    max_output_tokens=n)`: its runner's runs are capped, and so are those of an agent on ADK's
    Anthropic model classes (`Claude(...)`, `AnthropicLlm(...)`), which always send `max_tokens`
    (catalog `[[own_cap]]`). A model object whose library sends a cap of
    its own when the code gives none is capped in the releases that do: dspy's `dspy.LM` sends
    `max_tokens=1000` (4000 from 2.6.24) up to dspy 3.0.3 and none from 3.0.4 (catalog
    `[[default_cap]]`). Which release runs is read from the dependency files nearest to the module
    (its folder's `pyproject.toml` or `requirements*.txt`, else the closest parent's): where they
    allow only releases with the default, the request is capped; where they allow only later ones, it
    is reported; where they do not say (no file, `dspy`, `dspy>=2.5`), it is reported with a note
    naming the default and the release that dropped it. Anthropic
    Messages is never reported: `max_tokens` is required there, and `ChatAnthropic` always sends
    one, as Claude Code does for the Claude Agent SDK's `query` (catalog `exclude_providers`); nor is `init_chat_model` with a model string that is not known (configured or passed in:
    its provider decides whether a cap is sent), nor lmi's `LiteLLMModel` given a `config` built
    elsewhere (its LiteLLM router config may hold the cap). Self-hosted servers (Ollama,
    Xinference, vLLM, LM Studio) bill no tokens and are never judged, nor is a LiteLLM request whose
    model string starts with the prefix of one (`"ollama/" + name`, `f"hosted_vllm/{name}"`,
    `"ollama_chat/{}".format(name)`), nor a
    request whose client or model object points at a server the user runs, whatever its SDK: a base
    URL on a loopback, private or unspecified address or a local name (`127.0.0.1`, `192.168.1.20`,
    `0.0.0.0`, `gpu-box.local`, `host.docker.internal`; not `localhost-gateway.example.com`, nor a company
    gateway's 10.x address or `*.svc.cluster.local`: who bills it is not said there), however it
    is built (an f-string whose host is a setting's local default, `f"http://{args.get('host',
    '0.0.0.0')}:{port}/v1"`, a module constant, a parameter default kept on `self`, the client a factory
    declared `-> AsyncOpenAI` builds: local when a text it may be names a local host and none another),
    an unknown host on a port only a self-hosted model server takes (Ollama's 11434; the hosts, networks
    and ports are catalog `[self_hosted]` data), or a base URL read from a setting named local (`LOCAL_LLM_URL`), a
    dummy API key (`"EMPTY"`, `"123456"`: shorter than any provider's keys; written there or held in a
    name every assignment of which is such a literal, `api_key = "EMPTY"` then `OpenAI(api_key=api_key,
    base_url=host_url)`), or a model named "local"
    (`"Local LLM"`), nor one made in a class named after such a server (`OllamaBackend`, `VLLMClient`;
    catalog `server_words`) on a client whose base URL the code sets, unless its model is one a
    provider bills. A chat request asking for spoken output (`audio={"voice": ...}`, required with
    `modalities=["audio"]`) is a speech request, not judged; nor is a method whose SDK takes no
    output cap at all (OpenAI `responses.compact`, erniebot's `ChatCompletionWithPlugins`: catalog
    `no_output_cap`; erniebot's `ChatCompletion` names its cap `max_output_tokens`). Nor is a scoring
    request whose answer the function reads only through its log-probabilities (`response =
    client.chat.completions.create(...)`, then only `response.choices[0].logprobs...`: a reward model's
    scores, a fixed set the server returns unasked, not text generated to length); one that asks for
    them (`logprobs=True`, `top_logprobs=5`, or `**kwargs` that may), whose text is read too
    (`.message.content`), or whose response is returned or handed on whole, is judged as before. The
    message names the API as written when the catalog's api name is shared by other SDKs' methods
    (`dashscope Generation.call`).

    A legacy openai<1 request (`openai.ChatCompletion.create`, `openai.Completion.create`) in a
    project whose `pyproject.toml` or `requirements*.txt` require `openai>=1` (the root's, or those
    nearest to the module: a monorepo's application folder) is not reported: under
    that SDK it raises `APIRemovedInV1` before sending anything, so it spends nothing and a cap would
    change nothing. It stays in the inventory, marked `cannot run`; whether to delete or port it is
    the project's call (tests that reach it fail already). Where no file bounds the version, or the
    files disagree, the call is judged as written; a file naming `openai` with no version at all
    (`openai`, poetry's `"*"`) bounds nothing and disagrees with nothing. Which methods a release removed is catalog data
    (`removed_in` in `sdks.toml`).

    A health-check or connectivity probe (`"Hello"` / "reply OK" sent to test a key or an endpoint,
    with no cap) is reported like any request: it does run and bill, and its answer is short only
    because the model chooses so. A one-token cap (`max_tokens=1`) makes such a probe cheap and
    bounded; where the probe is rare, suppress the finding with `# noqa: TKL501`.

    ## Why is this bad?
    Output tokens cost four to eight times input tokens, and without a cap the provider's own limit
    applies: the model's maximum output length (tens of thousands of tokens for current OpenAI and
    Gemini models, more with reasoning). A prompt regression or a looping generation then spends
    that much on every call instead of failing short.

    ## Example
    ```python
    client.chat.completions.create(model="gpt-6.1-terra", messages=messages)
    ```

    ## Use instead
    ```python
    client.chat.completions.create(model="gpt-6.1-terra", messages=messages, max_completion_tokens=800)
    ```

    ## Fix safety
    No fix: the right cap depends on the feature (a one-word classification, a long report), and a
    cap too low truncates answers.

    ## Configuration
    Off by default, decided on the study corpus (34 open-source LLM applications; every finding read
    in the code on 2026-12-05). Where it fires it is right: 62 findings in 17 applications, 56 of
    them requests that indeed send no cap (2 wrong: a local LM Studio / Ollama model the resolver
    took for OpenAI, since fixed: a factory is every model it may return; 4 debatable: speech-to-text
    requests and a one-word connectivity probe). But
    most are chat answers, translations and agent steps whose length the product leaves open on
    purpose, written the same way at every call of one client: two applications account for 26
    findings, each repeating one project-wide decision rather than pointing at a leak, and there is
    no safe fix (the right cap is the feature's). Turn it on with `extend-select = ["TKL501"]` when
    your policy is that every request carries a cap (background jobs, per-request budgets).
    """

    code = "TKL501"
    name = "missing-output-cap"
    message = "No output cap on this {api} request: the model's own maximum output length applies{note}"
    default_on = False

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        for s in sites:
            if s.kind in ("direct", "request") and s.spends and s.output_cap == "missing" and not s.removed:
                yield self.finding(s, api=f"{s.sdk} {s.api}" if s.kind == "request" else s.surface,
                                   note=f" ({s.cap_note})" if s.cap_note else "")
