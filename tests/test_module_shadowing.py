"""A project module at a source root wins over the catalog, as Python's import system decides: an
absolute `import sagemaker` in a project holding its own `sagemaker.py` (or `sagemaker/__init__.py`) at
its root or in its `src/` folder means that module, never the SDK the catalog names; a namespace
folder of that name, a module deeper in a package, or a module importing its own name mean the
installed package."""

from __future__ import annotations

from pathlib import Path

from tokenlint.config import Config
from tokenlint.engine import analyse, build_project, sdk_catalog
from tokenlint.project import Project

PREDICTOR = ("from sagemaker.huggingface import HuggingFacePredictor\n"
             "def ask(messages):\n"
             "    p = HuggingFacePredictor('chat-endpoint')\n"
             "    return p.predict(data={'inputs': messages, 'parameters': {'max_new_tokens': 64}})\n")

OWN_SAGEMAKER = ("class HuggingFacePredictor:\n"
                 "    def __init__(self, name):\n"
                 "        self.name = name\n"
                 "    def predict(self, data):\n"
                 "        return data\n")


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def _sites(root: Path):
    result = analyse([root], Config(), root=root)
    assert not [f.error for f in result.files if f.error]
    return [(s.path, s.line, s.provider) for s in result.sites]


def _own_package(root: Path, pkg: str) -> dict[str, str]:
    """A `sagemaker` package of the project's own, with the module the predictor fixture imports."""
    return {f"{pkg}/__init__.py": "", f"{pkg}/huggingface.py": OWN_SAGEMAKER}


def test_the_sdk_when_the_project_has_no_module_of_that_name(tmp_path: Path) -> None:
    root = _write(tmp_path, {"app.py": PREDICTOR})
    assert _sites(root) == [("app.py", 4, "aws_sagemaker")]


def test_a_package_of_that_name_at_the_root_is_the_projects_own(tmp_path: Path) -> None:
    root = _write(tmp_path, {"app.py": PREDICTOR, **_own_package(tmp_path, "sagemaker")})
    assert _sites(root) == []


OWN_CHAT = ("from langchain_openai import ChatOpenAI\n"
            "class HostedChat(ChatOpenAI):\n"
            "    pass\n")

USES_OWN_CHAT = ("from sagemaker import HostedChat\n"
                 "def go(q):\n"
                 "    llm = HostedChat(model='gpt-4o-mini')\n"
                 "    return llm.invoke(q)\n")


def test_a_module_of_that_name_at_the_root_is_the_projects_own(tmp_path: Path) -> None:
    # a project `sagemaker.py` holding a model class of its own: followed as the project's module (read
    # as the SDK, its class was unknown and the binding and request were lost)
    root = _write(tmp_path, {"app.py": USES_OWN_CHAT, "sagemaker.py": OWN_CHAT})
    assert _sites(root) == [("app.py", 3, "openai"), ("app.py", 4, "openai")]


def test_a_src_layout_module_of_that_name_is_the_projects_own(tmp_path: Path) -> None:
    # `src/` holds the code and is on the path (with or without its own `__init__.py`)
    root = _write(tmp_path, {"src/__init__.py": "", "src/app.py": USES_OWN_CHAT, "src/sagemaker.py": OWN_CHAT,
                             "src/tools/use.py": USES_OWN_CHAT})
    assert _sites(root) == [("src/app.py", 3, "openai"), ("src/app.py", 4, "openai"),
                            ("src/tools/use.py", 3, "openai"), ("src/tools/use.py", 4, "openai")]


def test_a_namespace_folder_or_a_module_inside_a_package_does_not_shadow_the_sdk(tmp_path: Path) -> None:
    root = _write(tmp_path, {
        "sagemaker/notes.py": "X = 1\n",  # a folder without __init__.py: the installed package wins
        "app/__init__.py": "",
        "app/sagemaker.py": OWN_SAGEMAKER,  # `app.sagemaker`, reached only by a relative or dotted import
        "app/ask.py": PREDICTOR,  # an absolute import: the SDK
        "app/own.py": PREDICTOR.replace("from sagemaker.huggingface import", "from .sagemaker import"),
    })
    assert _sites(root) == [("app/ask.py", 4, "aws_sagemaker")]


def test_find_module_follows_the_source_roots_for_every_catalogued_name(tmp_path: Path) -> None:
    _write(tmp_path, {"openai.py": "from openai import OpenAI\n", "app.py": "import openai\n",
                      "src/lightrag/__init__.py": "", "src/lightrag/llm.py": "",
                      "pkg/__init__.py": "", "pkg/anthropic.py": "", "pkg/use.py": "import anthropic\n"})
    cfg = Config()
    project = build_project(tmp_path, [tmp_path], cfg, sdk_catalog(cfg))
    assert {"openai", "lightrag", "anthropic"} <= project.external
    own, app = project.add(tmp_path / "openai.py"), project.add(tmp_path / "app.py")
    assert project.find_module("openai", app) is own
    assert project.find_module("openai", own) is None  # a module importing its own name: the SDK
    assert project.find_module("lightrag.llm", app) is project.add(tmp_path / "src/lightrag/llm.py")
    assert project.find_module("anthropic", project.add(tmp_path / "pkg/use.py")) is None


def test_a_plain_project_without_catalogued_names_is_unchanged(tmp_path: Path) -> None:
    _write(tmp_path, {"helpers.py": "", "app.py": "import helpers\n"})
    project = Project(tmp_path, [tmp_path / "helpers.py", tmp_path / "app.py"], external=frozenset({"openai"}))
    assert project.find_module("helpers", project.add(tmp_path / "app.py")) is project.add(tmp_path / "helpers.py")
    assert project.find_module("openai", None) is None
