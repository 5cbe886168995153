"""Look-alike shapes that must not become sites, beside the true sites of the same shape: receivers
known only by their name whose arguments fit another API, and factories with several `return`s."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse


def _sites(tmp_path, files: dict[str, str], select=None):
    root = make(tmp_path / "proj", files)
    cfg = Config()
    if select is not None:
        cfg.select = select
    result = analyse([root], cfg, root=root)
    return result


def test_by_name_receiver_must_pass_the_frameworks_first_parameter(tmp_path):
    result = _sites(tmp_path, {"app.py": (
        "def local(_llm_handle, inputs, history):\n"
        "    for r in _llm_handle.stream_chat(query=inputs, history=history, top_p=0.7):\n"  # a local model's API
        "        yield r\n"
        "\n"
        "\n"
        "def llama(llm_handle, msgs):\n"
        "    return llm_handle.stream_chat(msgs)\n"  # LlamaIndex: stream_chat(messages)
        "\n"
        "\n"
        "def llama_kw(llm_handle, msgs):\n"
        "    return llm_handle.complete(prompt=msgs)\n"
        "\n"
        "\n"
        "def lc(llm, q):\n"
        "    return llm.invoke(input=q)\n"
        "\n"
        "\n"
        "def lc_other(llm, q):\n"
        "    return llm.invoke(question=q)\n"  # no input: a project object's own invoke
        "\n"
        "\n"
        "def embed(embedder, texts):\n"
        "    return embedder.embed_documents(**texts)\n"  # **kwargs may hold it
    )})
    found = {s.line: (s.sdk, s.api, s.confidence) for s in result.sites if s.kind == "request"}
    assert found == {7: ("llama_index", "llm", "inferred"), 11: ("llama_index", "llm", "inferred"),
                     15: ("langchain", "chat_model", "inferred"), 23: ("langchain", "embeddings_model", "inferred")}
    assert not [f for f in result.findings if f.row in (2, 19)]
