"""A chain or agent, or its request method, handed to a project helper that binds it with arguments for a
later call (`target = bind_later(chain, inputs)`, the helper returning `functools.partial(func, ...)`):
the helper's call is the request's site. Look-alikes: a helper that does not bind its parameter, a
project function or a plain value handed over, a local object."""

from __future__ import annotations

from test_framework_vectorstores import sites_of

HEAD = (
    "import functools\n"
    "from functools import partial\n"
    "from langchain_openai import ChatOpenAI\n"
    "from langchain.chains.question_answering import load_qa_chain\n"
    "from langchain.agents import initialize_agent\n"
    "\n"
)


def requests_of(tmp_path, body: str) -> dict[int, tuple[str, str]]:
    """line -> (provider, model) of every request site in app.py (line 1 is the first line of `body`)."""
    return {line: (provider, model) for line, (kind, provider, _api, model) in sites_of(tmp_path, body, HEAD).items()
            if kind == "request"}


HELPERS = (
    "def bind_later(func, *args, **kwargs):\n"
    "    bound = functools.partial(func, *args, **kwargs)\n"
    "    functools.update_wrapper(bound, func)\n"
    "    return bound\n"
    "def later(fn, inputs):\n"
    "    return partial(fn, inputs)\n"
    "def run_target(target):\n"
    "    return target()\n"
)


def test_a_chain_or_an_agent_run_bound_by_a_helper_is_a_request_at_the_hand_over(tmp_path):
    got = requests_of(tmp_path, HELPERS + (
        "def answer(docs, query, tools):\n"
        "    llm = ChatOpenAI(model='gpt-4o-mini')\n"
        "    chain = load_qa_chain(llm)\n"
        "    target = bind_later(chain, dict(input_documents=docs, question=query))\n"
        "    agent = initialize_agent(tools, llm)\n"
        "    run = agent.run\n"
        "    other = later(run, query)\n"
        "    return run_target(target), run_target(other)\n"
    ))
    assert got == {12: ("openai", "gpt-4o-mini"), 15: ("openai", "gpt-4o-mini")}


def test_a_request_method_bound_by_a_helper_is_a_request_there(tmp_path):
    got = requests_of(tmp_path, HELPERS + (
        "def ask(query):\n"
        "    llm = ChatOpenAI(model='gpt-4.1')\n"
        "    return bind_later(llm.invoke, query)\n"
    ))
    assert got == {11: ("openai", "gpt-4.1")}


def test_look_alikes_handed_to_helpers_are_not_requests(tmp_path):
    got = requests_of(tmp_path, HELPERS + (
        "def keep(func, *args):\n"
        "    return (func, args)\n"  # keeps the callable: binds nothing for a call
        "def summarise(text):\n"
        "    return text[:10]\n"
        "def work(docs, query, chain_name):\n"
        "    llm = ChatOpenAI(model='gpt-4o-mini')\n"
        "    chain = load_qa_chain(llm)\n"
        "    a = keep(chain, query)\n"              # a helper that does not bind it
        "    b = bind_later(summarise, query)\n"    # a project function: its own requests count inside it
        "    c = bind_later(chain_name, query)\n"   # an unknown value
        "    d = bind_later(print, query)\n"        # a builtin
        "    return a, b, c, d\n"
    ))
    assert got == {}
