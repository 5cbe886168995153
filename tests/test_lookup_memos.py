"""Lookups answered once and remembered, or not made at all when the project's text already rules them
out: the same answers as before, fewer modules parsed. A module name found for one importing module is
found for the next from memory, and found again once the project holds another file; a method the bases
call on `self` that no project file defines sends nobody looking through the subclasses; a package
exporting more classes than a family may hold is read no further than that."""

from __future__ import annotations

from pathlib import Path

import pytest
from projects import make

import tokenlint.project as project_module
from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.project import Project
from tokenlint.resolve.imports import MAX_PLUGIN_CLASSES


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The relative paths of the modules the analysis parses, in order."""
    out: list[str] = []
    original = project_module.Project.module_info

    def module_info(self, ms):  # type: ignore[no-untyped-def]
        if ms.path not in self._infos:  # noqa: SLF001 - the parse cache the lookup fills
            out.append(ms.relpath)
        return original(self, ms)

    monkeypatch.setattr(project_module.Project, "module_info", module_info)
    return out


def test_a_module_name_is_found_again_once_the_project_holds_its_file(tmp_path: Path) -> None:
    make(tmp_path, {"app.py": "import helpers\n", "other.py": "import helpers\n", "helpers.py": ""})
    project = Project(tmp_path, [tmp_path / "app.py", tmp_path / "other.py"])
    app, other = project.add(tmp_path / "app.py"), project.add(tmp_path / "other.py")
    assert project.find_module("helpers", app) is None  # not a file of the project (yet)
    assert project.find_module("helpers", other) is None
    helpers = project.add(tmp_path / "helpers.py")
    assert project.find_module("helpers", app) is helpers
    assert project.find_module("helpers", other) is helpers


def test_a_catalogued_name_at_the_root_is_the_module_for_others_and_the_package_for_itself(tmp_path: Path) -> None:
    make(tmp_path, {"openai.py": "from openai import OpenAI\n", "app.py": "import openai\n"})
    project = Project(tmp_path, [tmp_path / "openai.py", tmp_path / "app.py"], external=frozenset({"openai"}))
    own, app = project.add(tmp_path / "openai.py"), project.add(tmp_path / "app.py")
    for _ in range(2):  # the second round from memory
        assert project.find_module("openai", own) is None  # a module importing its own name: the SDK
        assert project.find_module("openai", app) is own
        assert project.find_module("openai", None) is own


_BASE = '''from openai import OpenAI
from somelib import Remote

client = OpenAI()


class Agent(Remote):
    def answer(self, text):
        self.log_event(text)
        return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": text}])
'''

_KINDS = '''from app.base import Agent


class Quiet(Agent):
    pass


class Loud(Agent):
    pass
'''

_USE = '''from app.base import Agent


def go(text):
    return Agent().answer(text)
'''


def test_a_self_call_no_project_file_defines_sends_nobody_through_the_subclasses(tmp_path: Path, parsed: list[str]) -> None:
    # `self.log_event` is the library base's: no subclass can be the one writing it, so theirs are not read
    root = make(tmp_path, {"app/base.py": _BASE, "app/kinds.py": _KINDS, "app/use.py": _USE})
    sites = analyse([root / "app/use.py"], Config(), root=root).sites
    assert [(s.path, s.line, s.kind) for s in sites] == [("app/use.py", 5, "wrapper")]
    assert "app/kinds.py" not in parsed


def test_a_self_call_the_subclasses_define_still_reads_them(tmp_path: Path, parsed: list[str]) -> None:
    kinds = _KINDS.replace("    pass\n", "    def log_event(self, text):\n        print(text)\n")
    root = make(tmp_path, {"app/base.py": _BASE, "app/kinds.py": kinds, "app/use.py": _USE})
    analyse([root / "app/use.py"], Config(), root=root)
    assert "app/kinds.py" in parsed


def _plugins(n: int) -> dict[str, str]:
    files = {f"app/plugins/gen{i}.py": f"class Gen{i}:\n    def generate(self, text):\n        return text\n"
             for i in range(n)}
    files["app/plugins/__init__.py"] = "".join(f"from .gen{i} import Gen{i}\n" for i in range(n))
    files["app/pipeline.py"] = ("import app.plugins as plugins\n\n\n"
                                "def run(config, text):\n"
                                "    return getattr(plugins, config['class_name'])().generate(text)\n")
    return files


def test_a_package_exporting_more_classes_than_a_family_holds_is_read_no_further(tmp_path: Path, parsed: list[str]) -> None:
    n = MAX_PLUGIN_CLASSES + 6
    root = make(tmp_path, _plugins(n))
    assert analyse([root / "app/pipeline.py"], Config(), root=root).sites == []
    read = {p for p in parsed if p.startswith("app/plugins/gen")}
    assert f"app/plugins/gen{MAX_PLUGIN_CLASSES}.py" in read  # one past the cap: too large a family
    assert not read & {f"app/plugins/gen{i}.py" for i in range(MAX_PLUGIN_CLASSES + 1, n)}
