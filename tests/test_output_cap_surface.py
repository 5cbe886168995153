"""TKL501 names the API as written where the catalog's api name is shared by other SDKs' methods
(DashScope `Generation.call` is not `chat.completions`), and a self-hosted Xinference model is never
judged (it bills no tokens)."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

SOURCE = (
    "import dashscope\n"
    "from dashscope import Generation\n"
    "from openai import OpenAI\n"
    "from xinference_client import RESTfulClient\n"
    "client = OpenAI()\n"
    "def ask(q):\n"
    "    Generation.call(model='qwen-max', messages=[{'role': 'user', 'content': q}])\n"
    "    dashscope.MultiModalConversation.call(model='qwen-vl-max', messages=[])\n"
    "    client.chat.completions.create(model='gpt-6.1-terra', messages=[])\n"
    "    RESTfulClient('http://localhost:9997').get_model('qwen2').chat(q)\n"
)


def test_messages_name_the_surface_and_a_local_server_is_not_judged(tmp_path):
    root = make(tmp_path / "proj", {"app.py": SOURCE})
    result = analyse([root], Config(select=("TKL501",)), root=root)
    got = {f.row: f.message for f in result.findings if f.code == "TKL501"}
    assert sorted(got) == [7, 8, 9]
    assert "this dashscope Generation.call request" in got[7]
    assert "this dashscope MultiModalConversation.call request" in got[8]
    assert "this chat.completions request" in got[9]
