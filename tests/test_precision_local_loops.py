"""TKL402 is about spend: a loop whose every request goes to a server the user runs (LM Studio on
localhost, Ollama) bills nothing and is not reported; one reaching a hosted model is."""

from __future__ import annotations

from projects import make, rule_rows


# ---------------------------------------------------------------- TKL402: loops on a server the user runs

LOOP = ("from openai import OpenAI\n"
        "local = OpenAI(base_url='http://localhost:1234/v1', api_key='lm-studio')\n"
        "hosted = OpenAI()\n"
        "def run_local(goal):\n"
        "    while True:\n"
        "        r = local.chat.completions.create(model='local-model', messages=[{'role': 'user', 'content': goal}])\n"
        "        if 'DONE' in r.choices[0].message.content:\n"
        "            break\n"
        "def run_hosted(goal):\n"
        "    while True:\n"
        "        r = hosted.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': goal}])\n"
        "        if 'DONE' in r.choices[0].message.content:\n"
        "            break\n"
        "def run_ollama(goal):\n"
        "    import ollama\n"
        "    while True:\n"
        "        r = ollama.chat(model='llama3.1', messages=[{'role': 'user', 'content': goal}])\n"
        "        if 'DONE' in r['message']['content']:\n"
        "            break\n")


def test_a_loop_whose_every_request_goes_to_a_local_server_is_not_reported(tmp_path):
    root = make(tmp_path / "p", {"app.py": LOOP})
    assert rule_rows(root, "TKL402") == [11]
