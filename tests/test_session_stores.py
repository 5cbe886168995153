"""A web app's per-user session store gives back what the module stores under the same literal key
(resolve/holders.py `stored_value`; the stores are sdks.toml [passthrough] `session_stores`), and
chainlit's `make_async(fn)(...)` runs the request method it is handed (`adapters`, interfaces.py
`run_here`). Look-alikes stay silent: another key, a list stored, a project object's attribute, a
function that is no request handed to the adapter."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse


def sites(root):
    result = analyse([root], Config(), root=root)
    return {(s.path, s.line): s for s in result.sites}


STREAMLIT = (
    "import streamlit as st\n"
    "from langchain_openai import ChatOpenAI\n"
    "from langchain_anthropic import ChatAnthropic\n"
    "\n"
    "if 'llm' not in st.session_state:\n"
    "    st.session_state.llm = ChatOpenAI(model='gpt-4o-mini')\n"
    "if st.sidebar.checkbox('claude'):\n"
    "    st.session_state['llm'] = ChatAnthropic(model='claude-haiku-4-5')\n"
    "st.session_state.messages = []\n"
    "\n"
    "\n"
    "class Box:\n"
    "    llm = None\n"
    "\n"
    "\n"
    "def answer(q, box: Box):\n"
    "    reply = st.session_state.llm.invoke(q)\n"          # 17: the models stored under 'llm'
    "    st.session_state['llm'].stream(q)\n"               # 18: the subscript reads the same key
    "    st.session_state.get('llm').invoke(q)\n"           # 19: so does get
    "    st.session_state.messages.append(reply)\n"         # 20: a list
    "    st.session_state.chain.invoke(q)\n"                # 21: a key nothing stores
    "    box.llm = st.session_state.llm\n"
    "    return box\n"
)


def test_a_streamlit_session_state_key_is_each_model_stored_under_it(tmp_path):
    got = sites(make(tmp_path / "p", {"app.py": STREAMLIT}))
    for line in (17, 18, 19):
        assert got[("app.py", line)].kind == "request", line
    assert got[("app.py", 17)].provider == "openai"  # the first model written leads the merged object
    assert got[("app.py", 17)].model.value == "gpt-4o-mini"
    assert ("app.py", 20) not in got and ("app.py", 21) not in got


def test_an_attribute_named_like_the_store_on_a_project_object_stores_nothing(tmp_path):
    got = sites(make(tmp_path / "p", {"app.py": (
        "from langchain_openai import ChatOpenAI\n"
        "\n"
        "\n"
        "class Page:\n"
        "    pass\n"
        "\n"
        "\n"
        "page = Page()\n"
        "page.session_state = {}\n"
        "page.session_state['llm'] = 'gpt-4o-mini'\n"
        "\n"
        "\n"
        "def answer(q):\n"
        "    return page.session_state['llm'].invoke(q)\n"
    )}))
    assert ("app.py", 14) not in got


CHAINLIT = (
    "import chainlit as cl\n"
    "from langchain_core.prompts import ChatPromptTemplate\n"
    "from langchain_openai import ChatOpenAI\n"
    "\n"
    "\n"
    "@cl.on_chat_start\n"
    "async def start():\n"
    "    prompt = ChatPromptTemplate.from_messages([('system', 'Be brief.'), ('human', '{q}')])\n"
    "    cl.user_session.set('runnable', prompt | ChatOpenAI(model='gpt-4o'))\n"
    "    cl.user_session.set('history', [])\n"
    "\n"
    "\n"
    "@cl.on_message\n"
    "async def main(message):\n"
    "    runnable = cl.user_session.get('runnable')\n"
    "    async for chunk in runnable.astream({'q': message.content}):\n"   # 16
    "        pass\n"
    "    await cl.make_async(runnable.invoke)({'q': message.content})\n"     # 18: the adapter runs it
    "    cl.user_session.get('history').append(message)\n"                 # 19: a list
    "    cl.user_session.get('chain').invoke(message)\n"                   # 20: nothing stored
    "    await cl.make_async(print)(message)\n"                            # 21: no request handed
    "    key = 'runnable'\n"
    "    cl.user_session.get(key + '2').invoke(message)\n"                 # 23: no literal key
)


def test_a_chainlit_user_session_key_is_what_set_stores_and_make_async_runs_it(tmp_path):
    got = sites(make(tmp_path / "p", {"app.py": CHAINLIT}))
    for line in (16, 18):
        site = got[("app.py", line)]
        assert site.kind == "request" and site.provider == "openai" and site.model.value == "gpt-4o", line
    for line in (19, 20, 21, 23):
        assert ("app.py", line) not in got, line


def test_make_async_of_a_resolved_model_method_is_the_request(tmp_path):
    got = sites(make(tmp_path / "p", {"app.py": (
        "from chainlit import make_async\n"
        "from langchain_openai import ChatOpenAI\n"
        "\n"
        "llm = ChatOpenAI(model='gpt-4o-mini')\n"
        "\n"
        "\n"
        "async def ask(q):\n"
        "    return await make_async(llm.invoke)(q)\n"
        "\n"
        "\n"
        "async def other(q, make_async):\n"
        "    return await make_async(llm.invoke)(q)\n"   # 12: a parameter named so is no adapter
    )}))
    assert got[("app.py", 8)].kind == "request" and got[("app.py", 8)].model.value == "gpt-4o-mini"
    assert ("app.py", 12) not in got
