"""The harness itself: a clean clone reports its findings, and the runner's home stays out of the checkout."""

from __future__ import annotations

from tests.security.clones import attack_and_clean, gate

UNTAGGED = (
    "from openai import OpenAI\n"
    "client = OpenAI()\n"
    "def ask(q):\n"
    "    return client.chat.completions.create(model='gpt-4o-2024-08-06', messages=[{'role': 'user', 'content': q}])\n"
)


def test_clean_clone_reports_and_attack_tree_differs_only_by_attack(tmp_path):
    clean, attacked = attack_and_clean(tmp_path, {"pyproject.toml": "[tool.tokenlint]\n", "app/llm.py": UNTAGGED},
                                       {"README.txt": "harmless\n"})
    runner = tmp_path / "runner"
    a = gate(clean, runner, "check", "--no-cache", ".")
    b = gate(attacked, runner, "check", "--no-cache", ".")
    assert a.code == 1 and "TKL101" in a.out
    assert (b.code, b.out) == (a.code, a.out)
    assert not (clean / ".cache").exists()
