"""Objects whose class is chosen at run time by name (a plugin module imported from a computed name,
a class taken from it by name): the family is the classes of that package's modules, resolved to the
union of their implementations (fixtures/resolver/facades/plugins_project, shape by shape in
test_facade_shapes). Here: the name forms that fix the package, and the caps past which the loaded
object is left unknown rather than standing for a whole tree."""

from __future__ import annotations

import ast
import time
from pathlib import Path

import pytest
from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.resolve.imports import MAX_PLUGIN_CLASSES, MAX_PLUGIN_MODULES, plugin_package


@pytest.mark.parametrize("text,package", [
    ('f"app.extensions.{name}"', "app.extensions"),
    ('"app.extensions." + name', "app.extensions"),
    ('f"extensions.{name}"', "extensions"),
    # look-alikes: the package is not fixed by the text
    ('f"{root}.extensions"', None),
    ('name + ".extensions"', None),
    ('f"app.ext_{name}"', None),
    ('"app.extensions" + name', None),
    ('f"app.{a}.{b}"', "app"),
])
def test_plugin_package_from_the_name_text(text: str, package: str | None) -> None:
    assert plugin_package(ast.parse(text, mode="eval").body) == package


_PROVIDER = '''from openai import OpenAI


class Provider{i}:
    def inference(self, prompt):
        return OpenAI().chat.completions.create(model="gpt-4o-mini", messages=[{{"role": "user", "content": prompt}}])
'''

_LOADER = '''import importlib


def answer(name, prompt):
    module = importlib.import_module(f"app.plugins.{name}")
    return getattr(module, "Provider" + name)().inference(prompt)
'''


def _loader_sites(root: Path) -> list:
    return [s for s in analyse([root], Config(), root=root).sites if s.path == "app/loader.py"]


def test_plugin_package_within_the_cap_is_a_facade(tmp_path: Path) -> None:
    files = {"app/__init__.py": "", "app/plugins/__init__.py": "", "app/loader.py": _LOADER}
    files.update({f"app/plugins/p{i}.py": _PROVIDER.format(i=i) for i in range(3)})
    got = _loader_sites(make(tmp_path, files))
    assert [s.kind for s in got] == ["facade"]


def test_plugin_package_past_the_module_cap_is_left_unknown(tmp_path: Path) -> None:
    files = {"app/__init__.py": "", "app/plugins/__init__.py": "", "app/loader.py": _LOADER}
    files.update({f"app/plugins/p{i}.py": _PROVIDER.format(i=i) for i in range(MAX_PLUGIN_MODULES + 2)})
    root = make(tmp_path, files)
    start = time.perf_counter()
    got = _loader_sites(root)
    assert not [s for s in got if s.kind == "facade"]
    assert time.perf_counter() - start < 60  # read once, never a search per module


def test_plugin_module_past_the_class_cap_is_left_unknown(tmp_path: Path) -> None:
    many = "\n".join(_PROVIDER.format(i=i).split("\n\n\n", 1)[1] for i in range(MAX_PLUGIN_CLASSES + 2))
    files = {"app/__init__.py": "", "app/plugins/__init__.py": "", "app/loader.py": _LOADER,
             "app/plugins/all.py": "from openai import OpenAI\n\n\n" + many}
    got = _loader_sites(make(tmp_path, files))
    assert not [s for s in got if s.kind == "facade"]
