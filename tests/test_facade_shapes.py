"""Base-class LLM facades, shape by shape: the made-up projects under fixtures/resolver/facades hold the
ways Python LLM applications put providers behind a project base class (or Protocol), and look-alikes
that are no facades. Their `# site:` markers are checked whole by test_resolver_fixtures; this table
names each shape, so a regression says which one broke.

A row: the shape, the project, the file, a text on the call's line, and the kind of site expected there
(None: no site at all), with the providers of a facade.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Optional

import pytest
from projects import line_of

from tokenlint.config import Config
from tokenlint.engine import analyse

FACADES = Path(__file__).resolve().parent.parent / "fixtures" / "resolver" / "facades"

_BOTH = "anthropic,openai"

SHAPES: list[tuple[str, str, str, str, Optional[str], str]] = [
    # -- interfaces and how the subclasses implement them
    ("abc-abstractmethod-providers-in-modules", "abc_project", "scribe/app/summarizer.py",
     'return self.llm.complete(f"Summarize', "facade", "anthropic,google,openai"),
    ("abcmeta-metaclass-pass-body", "mixed_project", "atlas/agents/agent.py", "return self.model.chat(history)",
     "facade", "aws_bedrock,openai,xai"),
    ("not-implemented-error-base", "stubs_project", "relay/service/chat.py", "self.provider.chat(", "facade",
     "mistral,openai"),
    ("plain-base-pass-body", "plain_project", "hub/use/jobs.py", "return self.llm.chat(prompt)", "facade",
     "openai,together"),
    ("plain-base-ellipsis-body-one-subclass", "plain_project", "hub/use/jobs.py", "return self.llm.embed(texts)",
     "facade", "openai"),
    ("plain-base-docstring-body", "plain_project", "hub/use/jobs.py", "return self.llm.caption(url)", "facade",
     "openai"),
    ("default-the-providers-override", "narrow_project", "mill/ie/session.py", "self.agent.send_message(text)",
     "facade", "anthropic"),
    ("protocol-structural-implementations", "stubs_project", "relay/service/structural.py",
     "completer.complete_text(prompt)", "facade", "groq,litellm"),
    ("middle-class-holds-the-request", "stubs_project", "relay/service/chat.py", "self.provider.chat(", "facade",
     "mistral,openai"),
    ("template-method-into-subclass-hook", "stubs_project", "relay/service/chat.py",
     'self.provider.generate(question, system=', "facade", "mistral,openai"),
    ("mixin-supplies-the-implementation", "mixed_project", "atlas/agents/agent.py", "return self.model.chat(history)",
     "facade", "aws_bedrock,openai,xai"),
    ("generic-base-parameterised-parameter", "generic_project", "kit/app/agent.py", "llm.generate(goal.strip())",
     "facade", "anthropic,openai"),
    ("generic-base-parameterised-class-annotation", "generic_project", "kit/app/agent.py",
     "self.llm.generate(goal.upper())", "facade", "anthropic,openai"),
    ("working-class-one-specialisation-is-a-wrapper", "specialised_project", "helm/jobs.py",
     'return assistant.chat(f"Review', "wrapper", "openai"),
    ("working-default-one-provider-variant", "specialised_project", "helm/jobs.py",
     'return client.complete(f"Summarise', "facade", ""),
    ("model-client-base-one-hosted-among-local-pipelines", "clients_project", "lab/jobs.py",
     "out.extend(model_client.predict(batch))", "facade", "litellm"),
    ("strategy-base-named-for-models-is-no-facade", "clients_project", "lab/jobs.py",
     "time_model.format_time(seconds)", None, ""),
    ("declared-as-the-one-implementation-is-a-wrapper", "clients_project", "lab/jobs.py",
     "return self.bot.chat(", "wrapper", "openai"),
    ("config-value-called-beside-an-interface-method", "clients_project", "lab/jobs.py",
     "return ef(texts)", "facade", "cohere,openai"),
    ("config-value-called-beside-a-method-of-no-model", "clients_project", "lab/jobs.py",
     "return fmt(text)", None, ""),
    ("messaging-interface-named-for-chat-is-no-model-client", "clients_project", "lab/jobs.py",
     'adapter.post_text("#alerts", text)', None, ""),
    ("model-base-one-implementation-builds-its-own-helper", "clients_project", "lab/jobs.py",
     'return model.write("Draft', "facade", "openai"),
    ("model-base-providers-through-plumbing-routers-through-held-clients", "clients_project", "lab/jobs.py",
     "return llm.generate_line(text)", "facade", _BOTH),
    # -- where the object's type comes from
    ("init-parameter-annotation-alias-reexport", "abc_project", "scribe/app/summarizer.py",
     'return self.llm.complete(f"Summarize', "facade", "anthropic,google,openai"),
    ("optional-with-default-factory", "abc_project", "scribe/app/summarizer.py", "Translate into", "facade",
     "anthropic,google,openai"),
    ("string-union-none", "abc_project", "scribe/app/summarizer.py", "Critique:", "facade", "anthropic,google,openai"),
    ("dataclass-field", "abc_project", "scribe/app/settings.py", "Draft a post", "facade", "anthropic,google,openai"),
    ("union-of-unrelated-interfaces-method-of-the-second", "unions_project", "gauge/scores/similarity.py",
     "self.embeddings.avector(a)", "facade", "openai"),
    ("union-of-unrelated-interfaces-method-of-both-first-wins", "unions_project", "gauge/scores/similarity.py",
     "self.embeddings.vector(b)", "facade", "langchain"),
    ("class-from-configuration-asserted-subclass", "configured_project", "pipes/flows/answer.py",
     "return self._client.reply([", "facade", "anthropic,openai"),
    ("model-called-as-function-in-a-fallback-loop", "fallback_project", "chatter/agent.py",
     "return await model(messages)", "facade", "anthropic,openai"),
    ("library-method-rewrapped-by-a-cache-in-init", "unions_project", "gauge/scores/similarity.py",
     "self.embeddings.embed_query(question)", "facade", "langchain"),
    ("dataclass-list-field-comprehension", "abc_project", "scribe/app/settings.py", "r.complete(", "facade",
     "anthropic,google,openai"),
    ("pydantic-field", "abc_project", "scribe/app/settings.py", "config.planner.complete(", "facade",
     "anthropic,google,openai"),
    ("class-level-annotation", "abc_project", "scribe/app/settings.py", "return self.llm.complete(message)", "facade",
     "anthropic,google,openai"),
    ("list-attribute-iterated", "abc_project", "scribe/app/settings.py", "model.complete(question)", "facade",
     "anthropic,google,openai"),
    ("function-parameter", "abc_project", "scribe/jobs/nightly.py", "Headline for", "facade", "anthropic,google,openai"),
    ("factory-returning-base", "abc_project", "scribe/jobs/nightly.py", "model.complete(s)", "facade",
     "anthropic,google,openai"),
    ("registry-dict-factory", "stubs_project", "relay/service/chat.py", "build(name).generate(", "facade",
     "mistral,openai"),
    ("dict-of-models-indexed", "mixed_project", "atlas/agents/agent.py", "self.models[name].chat(", "facade",
     "aws_bedrock,openai,xai"),
    ("dict-of-models-items", "plain_project", "hub/use/jobs.py", "out[name] = llm.chat(prompt)", "facade",
     "openai,together"),
    ("property-returning-base", "mixed_project", "atlas/agents/agent.py", "return self.model.chat(history)", "facade",
     "aws_bedrock,openai,xai"),
    ("cached-property-two-branches", "mixed_project", "atlas/agents/agent.py", "self.lead.chat(", "facade",
     "aws_bedrock,openai,xai"),
    ("accessor-method-returning-base", "mixed_project", "atlas/agents/agent.py", "self._pick(name).chat(", "facade",
     "aws_bedrock,openai,xai"),
    ("branches-building-subclasses", "mixed_project", "atlas/agents/agent.py", 'model.chat([{"role": "user", "content": "hello"',
     "facade", "aws_bedrock,openai,xai"),
    ("classmethod-factory-on-the-base", "plain_project", "hub/use/jobs.py", 'first.chat("a")', "facade",
     "openai,together"),
    ("type-checking-import-optional-class-attribute", "generic_project", "kit/app/agent.py", "self.fallback.generate(",
     "facade", "anthropic,openai"),
    ("declared-as-one-implementation", "narrow_project", "mill/ie/openie.py", "Extract triples", "facade", "openai"),
    ("declared-implementation-base-method-via-self", "narrow_project", "mill/ie/openie.py", "batch_infer(", "facade",
     "openai"),
    ("parameter-declared-as-one-implementation", "narrow_project", "mill/ie/openie.py", "Entities in", "facade",
     "openai"),
    ("field-of-a-dataclass-base-declared-as-one-implementation", "narrow_project", "mill/ie/agents.py",
     "Summarise: {text}", "facade", "openai"),
    # arena_project: (shape, file, text), each a facade over the OpenAI and Anthropic brains unless told
    *[(shape, "arena_project", f"duel/{path}", text, "facade", providers) for shape, path, text, providers in [
        ("union-of-settings-and-interface-reassigned", "players.py", "return self.brain.chat(turns)", _BOTH),
        ("optional-union-of-settings-and-interface", "players.py", "chat(turns[-2:])", _BOTH),
        ("interface-named-for-intelligence-half-implementations-spend", "players.py", "self.source.respond(", _BOTH),
        ("method-fetched-by-getattr-into-a-local", "narrator.py", "return speak(turns)", _BOTH),
        ("bound-method-taken-into-a-local", "narrator.py", "return speak(turns[:1])", _BOTH),
        ("protocol-with-one-requesting-implementation", "sessions.py", "return self._opener.open_session(", "openai"),
    ]],
    # -- kinds of model and of call
    ("embedding-base", "stubs_project", "relay/search/index.py", "self.embedder.embed(docs)", "facade", "openai,voyage"),
    ("rerank-base-with-local-sibling", "stubs_project", "relay/search/index.py", "self.reranker.rerank(", "facade",
     "cohere"),
    ("tts-base-with-local-sibling", "stubs_project", "relay/speech/narrator.py", "self.engine.synthesize(c)", "facade",
     "elevenlabs"),
    ("async-method", "abc_project", "scribe/app/summarizer.py", "await self.llm.acomplete(", "facade",
     "anthropic,google,openai"),
    ("stream-generator", "abc_project", "scribe/app/summarizer.py", "for piece in self.llm.stream(", "facade",
     "anthropic,google,openai"),
    ("async-stream-generator", "abc_project", "scribe/app/summarizer.py", "async for piece in self.llm.astream(",
     "facade", "anthropic,google,openai"),
    ("dunder-call-on-base", "abc_project", "scribe/app/summarizer.py", 'return self.llm(f"A title', "facade",
     "anthropic,google,openai"),
    ("async-dunder-call", "mixed_project", "atlas/agents/agent.py", "return await self.model(history)", "facade",
     "aws_bedrock,openai,xai"),
    ("to-thread-of-a-facade-method", "plain_project", "hub/use/jobs.py", "asyncio.to_thread(self.llm.chat", "facade",
     "openai,together"),
    ("executor-map-of-a-facade-method", "plain_project", "hub/use/jobs.py", "pool.map(self.llm.chat, prompts)", "facade",
     "openai,together"),
    ("lambda-around-a-facade-call", "plain_project", "hub/use/jobs.py", "fn = lambda p: self.llm.chat(p)", "facade",
     "openai,together"),
    ("base-method-calling-the-object-itself", "selfcall_project", "quill/jobs/write.py",
     'self.llm.invoke(f"Write about', "facade", "anthropic,openai"),
    ("base-method-calling-the-object-in-a-comprehension", "selfcall_project", "quill/jobs/write.py",
     "self.llm.batch(", "facade", "anthropic,openai"),
    ("raise-not-implemented-constant-call", "selfcall_project", "quill/speech/base.py",
     "return [self._synth(t)", "facade", "openai"),
    ("raise-not-implemented-constant-bare", "selfcall_project", "quill/speech/base.py",
     "return self._translate(text)", "facade", "openai"),
    ("classmethod-from-config-typevar-on-subclass", "selfcall_project", "quill/jobs/check.py",
     'return llm("who are you?")', "facade", "anthropic,openai"),
    ("classmethod-returning-cls-on-subclass", "selfcall_project", "quill/jobs/check.py",
     'TextModel.create().invoke("ping")', "facade", "anthropic,openai"),
    ("optional-type-of-base-from-name-registry", "selfcall_project", "quill/jobs/check.py",
     '_cls().speak(["hello"])', "facade", "openai"),
    ("builtin-type-of-base-from-name-registry", "selfcall_project", "quill/jobs/check.py",
     "klass().run(text)", "facade", "openai"),
    ("stub-raising-after-a-statement-on-untyped-parameter", "selfcall_project", "quill/speech/vectors.py",
     "store.extend(vectorizer.vectorize(texts))", "facade", "openai"),
    ("untyped-parameter-callers-pass-the-hierarchy", "selfcall_project", "quill/jobs/roles.py",
     "return vectorizer.vectorize(texts)  # site", "facade", "openai"),
    # -- objects whose class is chosen at run time by name (plugins_project)
    ("import-module-f-string-getattr-class", "plugins_project", "orbit/app/plugins.py",
     "return await provider.inference(prompt)  # site: kind=facade", "facade", "anthropic,openai"),
    ("import-module-concatenated-name-attribute-class", "plugins_project", "orbit/app/plugins.py",
     "return await provider.inference(prompt)  # site: kind=wrapper", "wrapper", "openai"),
    ("dunder-import-getattr-class", "plugins_project", "orbit/app/plugins.py", "return await cls().inference(prompt)",
     "facade", "anthropic,openai"),
    ("decorator-registry-imported-dict-indexed", "plugins_project", "orbit/app/registries.py",
     "return summarizer.summarize(text)", "facade", "mistral,openai"),
    ("decorator-registry-getter-function", "plugins_project", "orbit/app/registries.py",
     "get_summarizer_class(kind)().summarize(text)", "facade", "mistral,openai"),
    ("init-subclass-registry-class-attribute", "plugins_project", "orbit/app/registries.py",
     "Reranker._registry[kind]().rerank(", "facade", "cohere,voyage"),
    ("init-subclass-registry-classmethod-cls-registry", "plugins_project", "orbit/app/registries.py",
     "Reranker.create(kind).rerank(", "facade", "cohere,voyage"),
    ("getattr-self-f-string-method-dispatch", "plugins_project", "orbit/app/dispatch.py",
     'getattr(self, f"_call_{provider}")(prompt)', "wrapper", "anthropic,openai"),
    ("getattr-module-f-string-function-dispatch", "plugins_project", "orbit/app/dispatch.py",
     'getattr(handlers, f"complete_{provider}")(prompt)', "wrapper", "groq,openai"),
    ("untyped-constructor-parameter-class-with-subclass", "plugins_project", "orbit/index/store.py",
     "return self._vectorizer.vectorize(texts)", "facade", "openai,voyage"),
    ("self-call-of-a-request-method-a-subclass-overrides", "plugins_project", "orbit/text/translate.py",
     "r = self._create_completion(kwargs)", "wrapper", "litellm,openai"),
    ("self-call-of-an-overridden-request-method-in-an-abstract-implementation", "plugins_project",
     "orbit/text/translate.py", "return self._create_completion(kwargs).choices", "facade", "litellm,openai"),
    ("untyped-method-parameter-callers-pass-the-family", "plugins_project", "orbit/index/build.py",
     "return vectorizer.vectorize(texts)", "facade", "openai,voyage"),
    ("untyped-method-parameter-callers-pass-a-splitter", "plugins_project", "orbit/index/build.py",
     "return splitter.vectorize(text)", None, ""),
    ("family-most-of-whose-members-spend", "plugins_project", "orbit/text/channels.py", "return kind().run(texts)",
     "facade", "groq,mistral,openai"),
    ("family-one-of-whose-members-spends", "plugins_project", "orbit/text/channels.py", "kind().flush(texts)", None,
     ""),
    ("plugin-loader-of-exporters", "plugins_project", "orbit/app/plugins.py", "return exporter.export(rows)", None, ""),
    ("registry-of-parsers", "plugins_project", "orbit/app/registries.py", "return PARSERS[kind]().parse(text)", None,
     ""),
    ("getattr-of-a-configuration-value", "plugins_project", "orbit/app/dispatch.py",
     'return getattr(self, f"timeout_{provider}")', None, ""),
    ("untyped-constructor-parameter-callers-pass-a-splitter", "plugins_project", "orbit/index/store.py",
     "return self._splitter.vectorize(text)", None, ""),
    ("self-call-of-a-text-hook-a-subclass-overrides", "plugins_project", "orbit/text/translate.py",
     "return self._clean(text)", None, ""),
    # -- look-alikes
    ("untyped-parameter-callers-pass-another-class", "selfcall_project", "quill/jobs/roles.py",
     "# its one caller passes KeywordVectors", None, ""),
    ("method-returning-on-one-path-is-no-stub", "selfcall_project", "quill/speech/vectors.py",
     "store.extend(vectorizer.vectorize_rows(rows))", None, ""),
    ("project-copy-of-a-library-base-under-its-name", "vendored_project", "kit/models/base.py",
     "return self._generate(messages)", None, ""),
    ("from-config-of-a-concrete-stage", "selfcall_project", "quill/jobs/check.py", 'stage("  Text ")', None, ""),
    ("type-of-a-base-spending-nothing", "selfcall_project", "quill/jobs/check.py", "_cls().apply(texts)", None, ""),
    ("object-call-of-a-concrete-stage", "selfcall_project", "quill/jobs/write.py", "self.stage.run(texts)", None, ""),
    ("return-not-implemented-is-no-stub", "selfcall_project", "quill/speech/base.py",
     "if self._keep(t)]", None, ""),
    ("storage-interface", "lookalike_project", "vault/extract/service.py", "self.store.save(key, text", None, ""),
    ("completion-named-method-on-storage", "lookalike_project", "vault/extract/service.py", "complete_upload(key)", None,
     ""),
    ("model-interface-all-local", "lookalike_project", "vault/extract/service.py", "self.summarizer.summarize(", None,
     ""),
    ("concrete-client-no-base", "lookalike_project", "vault/extract/service.py", "self.client.ask(", "wrapper", ""),
    ("generic-plugin-interface", "stubs_project", "relay/service/pipeline.py", "plugin.execute(payload)", None, ""),
    ("self-call-inside-subclass", "stubs_project", "relay/providers/compat.py", "return self.chat(messages)",
     "wrapper", ""),
    ("super-call-inside-subclass", "narrow_project", "mill/llm/chat_api.py", "return super().send_message(text)  #",
     None, ""),
    ("method-the-implementation-adds", "narrow_project", "mill/ie/session.py", "self.agent.count_tokens(", "wrapper",
     ""),
    ("map-of-an-object-not-an-executor", "plain_project", "hub/use/jobs.py", 'router.map("chat"', None, ""),
    ("implementation-built-here", "narrow_project", "mill/ie/openie.py", "CachedOpenAI().infer(", "wrapper", ""),
    ("helper-beside-its-provider-class", "narrow_project", "mill/llm/openai_llm.py", "return llm.infer(messages)",
     "wrapper", ""),
    ("base-request-with-subclass-hooks", "narrow_project", "mill/ie/team.py", "self.coder.inference(task)", "wrapper",
     ""),
    # -- a subclass passing its callers' request on to its base's code: the callers' call is the facade
    ("super-call-of-the-base-method-in-an-override-helper", "super_project", "desk/gateway.py",
     "return await super().complete(messages", "wrapper", ""),
    ("super-call-of-the-base-fallback", "super_project", "desk/gateway.py", "return await super().complete_stream(",
     "wrapper", ""),
    ("super-with-class-and-self", "super_project", "desk/gateway.py", "await super(GatewayChat, self).complete(",
     "wrapper", ""),
    ("caller-of-the-interface-beside-the-pass-through", "super_project", "desk/app.py", "await provider.complete(",
     "facade", _BOTH),
    # -- an attribute declared with one implementation: built of that class only, it holds that class
    ("attribute-declared-and-built-as-one-implementation", "super_project", "desk/main_chat.py",
     "return await self._beta.complete(messages", "wrapper", ""),
    ("attribute-declared-as-one-implementation-handed-in", "super_project", "desk/main_chat.py",
     "return await self._beta.complete([", "facade", "openai"),
    *[(shape, "arena_project", f"duel/{path}", text, None, "") for shape, path, text in [
        ("union-of-settings-and-an-interface-calling-no-model", "players.py", "return self.sink.write(turns)"),
        ("exporter-method-fetched-by-getattr", "narrator.py", "return write(turns)"),
        ("original-method-called-by-the-wrapper-replacing-it", "narrator.py", "return original(turns)"),
        ("protocol-with-one-implementation-sending-nothing", "sessions.py", "self._ledger.open_entry("),
        ("protocol-with-two-implementations-one-requesting", "sessions.py", "self._notifier.notify_user(title)"),
    ]],
    # -- strategy bases and token counts (post20f): a strategy interface half of whose implementations use
    # a model interface they hold is no model's facade; a method counting tokens is no request
    ("strategy-base-half-the-strategies-use-a-held-model", "strategy_project", "desk/session.py",
     "return self.reducer.reduce()", None, ""),
    ("strategy-base-most-strategies-use-the-model", "strategy_project", "desk/session.py",
     "return self.picker.pick(history)", "facade", "anthropic,openai,together"),
    ("half-the-implementations-send-an-sdk-request-on-a-held-client", "strategy_project", "desk/session.py",
     "return self.assistant.respond(text)", "facade", "openai"),
    ("token-count-through-the-model-interface", "strategy_project", "desk/session.py",
     "self.model.get_num_tokens(text)", None, ""),
    ("request-through-the-same-interface", "strategy_project", "desk/session.py",
     "return self.model.chat(text)", "facade", "anthropic,openai,together"),
    # -- models handed in (post23g): a prompt interface whose implementations run the model their caller
    # hands them is counted where that model is called, not at each call of the prompt; a wrapper model
    # handing the call to the model it wraps stays a facade (the labels count it in most applications)
    ("prompt-interface-over-a-handed-model", "handed_project", "grader/metrics.py",
     "return await self.verdict_prompt.generate(llm=self.llm", None, ""),
    ("handed-model-called-in-the-prompt", "handed_project", "grader/prompts.py",
     'return await llm.agenerate_text("Answer briefly', "facade", "anthropic,openai"),
    ("handed-model-cast-in-a-helper", "handed_project", "grader/prompts.py",
     'out = await model.agenerate_text("Answer in JSON', "facade", "anthropic,openai"),
    ("wrapper-model-delegates-to-the-wrapped-model", "handed_project", "grader/llms.py",
     "return await self.wrapped.agenerate_text(prompt)", "facade", "anthropic,openai"),
    ("handed-model-called-by-a-function", "handed_project", "grader/metrics.py",
     'return await llm.agenerate_text("Is this faithful', "facade", "anthropic,openai"),
    # the helper's arguments are bound to its own parameters: a helper naming the handed model otherwise
    # (`self.ask(llm, claim)` into `ask(self, model, claim)`) hands it on; the caller's model bound to a
    # parameter the helper's request does not run on (the request on a model the class holds) does not
    ("handed-model-to-a-helper-naming-it-otherwise", "handed_project", "grader/scoring.py",
     "return await verdict.generate_verdict(llm=llm", None, ""),
    ("handed-model-bound-to-another-helper-parameter", "handed_project", "grader/scoring.py",
     "return await check.generate_check(llm=llm", "facade", "anthropic,openai"),
    ("handed-model-by-name-guess-on-an-unannotated-parameter", "handed_project", "grader/scoring.py",
     "return await prompt.generate(llm=llm", None, ""),
    ("handed-model-declared-as-one-implementation", "handed_project", "grader/scoring.py",
     "claim=claim)  # site: kind=wrapper providers=anthropic,openai (one", "wrapper", ""),
    # -- a guess by method name on a model run in-process (post23g): a tokenizer's or processor's tensors
    # or a local engine's sampling settings passed to `generate` are no project model's arguments
    ("by-name-guess-on-a-project-model", "local_project", "lab/jobs.py", "return model.generate(question",
     "facade", "anthropic,openai"),
    ("tokenizer-output-unpacked", "local_project", "lab/jobs.py", "return model.generate(**inputs)", None, ""),
    ("tokenizer-tensor-attribute", "local_project", "lab/jobs.py", "return model.generate(encoded.input_ids)",
     None, ""),
    ("processor-tensor-key", "local_project", "lab/jobs.py", 'return model.generate(features["input_features"])',
     None, ""),
    ("local-engine-sampling-settings", "local_project", "lab/jobs.py", "engine.generate(prompts, sampling_params",
     None, ""),
    ("tokenizer-output-moved-to-a-device", "local_project", "lab/jobs.py",
     "return model.generate(**inputs)  # not a site: the tokenizer's output moved", None, ""),
    ("tokenizer-tensor-moved-in-the-argument", "local_project", "lab/jobs.py",
     "return model.generate(encoded.input_ids.to(model.device))", None, ""),
    # the project's own declaration naming the engine's keyword (`complete(self, prompt, sampling_params=None)`)
    ("local-engine-keyword-the-project-declares", "local_project", "lab/jobs.py",
     "return model.complete(prompt, sampling_params=params)", "facade", "anthropic,openai"),
]


@lru_cache(maxsize=None)
def _sites(project: str) -> dict[tuple[str, int], list]:
    root = FACADES / project
    out: dict[tuple[str, int], list] = {}
    for s in analyse([root], Config(), root=root).sites:
        out.setdefault((s.path, s.line), []).append(s)
    return out


@pytest.mark.parametrize("shape,project,path,text,kind,providers", SHAPES, ids=[row[0] for row in SHAPES])
def test_facade_shape(shape: str, project: str, path: str, text: str, kind: Optional[str], providers: str) -> None:
    line = line_of(FACADES / project / path, text)
    got = _sites(project).get((path, line), [])
    if kind is None:
        assert not got, f"{shape}: {path}:{line} is no site, got {[s.kind for s in got]}"
        return
    assert got and {s.kind for s in got} == {kind}, f"{shape}: {path}:{line}: {[s.kind for s in got]}"
    if providers:
        have = ",".join(got[0].providers) or got[0].provider
        assert have == providers, f"{shape}: {path}:{line} reaches {have}"


@pytest.mark.parametrize("name,counts", [
    ("get_num_tokens", True), ("count_tokens", True), ("num_tokens_from_messages", True),
    ("get_token_ids", True), ("tokenize", True), ("getTokenCount", True),
    ("_loglikelihood_tokens", False), ("stream_tokens", False), ("max_tokens_for", False), ("chat", False),
])
def test_token_counting_names(name: str, counts: bool) -> None:
    from tokenlint.catalog import build_sdk_catalog
    from tokenlint.resolve.facades import counts_tokens

    assert counts_tokens(name, build_sdk_catalog()) is counts
