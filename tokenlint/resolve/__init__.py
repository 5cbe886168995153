"""The resolver package: decides which calls are LLM calls and what their provider, model, prompts and tag are.

`resolver.Resolver` is the entry point; `site.CallSite` is what it reports. Each module answers one
question and opens with it.
"""
