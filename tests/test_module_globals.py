"""SDK module globals that choose the provider of the module-level client: `openai.api_type = "azure"`
in the calling module or a package above it makes legacy `openai.ChatCompletion.create` an Azure
request, whose `model=` names a deployment the model rules do not judge."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

CALL = (
    "import openai\n"
    "\n"
    "\n"
    "def ask(q):\n"
    "    return openai.ChatCompletion.create(model='gpt-4', messages=[{'role': 'user', 'content': q}])\n"
)


def _run(tmp_path, files, select=("TKL2",)):
    root = make(tmp_path / "proj", files)
    return analyse([root], Config(select=select), root=root)


def test_a_package_setting_the_global_makes_its_modules_azure(tmp_path):
    result = _run(tmp_path, {
        "svc/__init__.py": "import openai\n\nopenai.api_type = 'azure'\n",
        "svc/llm/__init__.py": "",
        "svc/llm/chat.py": CALL,
        "other/__init__.py": "",
        "other/chat.py": CALL,  # another package: the setting does not reach it
    })
    providers = {s.path: s.provider for s in result.sites}
    assert providers == {"svc/llm/chat.py": "azure_openai", "other/chat.py": "openai"}
    # gpt-4 is a retired OpenAI model id, but on Azure it names a deployment: not judged there, neither
    # as a model (TKL203) nor as a model written at the call site (TKL202, as for an AzureOpenAI client)
    assert sorted((f.path, f.code) for f in result.findings) == [
        ("other/chat.py", "TKL202"), ("other/chat.py", "TKL203")]


def test_the_global_on_an_aliased_import_counts_and_other_values_do_not(tmp_path):
    result = _run(tmp_path, {
        "a.py": "import openai as oa\n\noa.api_type = 'AZURE_AD'\n\n\n" + CALL,
        "b.py": "import openai\n\nopenai.api_type = 'open_ai'\n\n\n" + CALL,
        "c.py": "import openai\n\nclass C:\n    api_type = 'azure'\n\n\nC.api_type = 'azure'\n\n\n" + CALL[len("import openai\n"):],
    })
    assert {s.path: s.provider for s in result.sites} == {"a.py": "azure_openai", "b.py": "openai", "c.py": "openai"}
    assert {f.path for f in result.findings if f.code == "TKL203"} == {"b.py", "c.py"}
