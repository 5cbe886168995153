"""Objects a project loads as plugins from a file found at run time (`spec_from_file_location` +
`module_from_spec`, a class taken by a computed name, an object of it kept in `self.tti`): a call of a
method on that attribute is a facade over the one project family defining the method (resolve/plugins.py),
"inferred"; nothing when the method's classes are not one family, or the attribute holds no loaded plugin."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from projects import line_of, make

from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.resolve.plugins import loads_plugin

_BASE = '''class ImageService:
    def paint(self, prompt):
        """Paint an image for the prompt; each service implements it."""
        pass
'''

_PAID = '''from openai import OpenAI
from app.base import ImageService


class Dalle(ImageService):
    def paint(self, prompt):
        return OpenAI().images.generate(model="dall-e-3", prompt=prompt)
'''

_LOCAL = '''from app.base import ImageService


class LocalPainter(ImageService):
    def paint(self, prompt):
        return prompt[::-1]
'''

_SERVER = '''import importlib.util
from pathlib import Path


class App:
    def __init__(self, folder, name):
        self.tti = None

        def start():
            self.tti = self.load_service(Path(folder) / name, name)
        run_later(start)
        self.canvas = make_canvas()

    def load_service(self, folder, class_name):
        spec = importlib.util.spec_from_file_location(class_name, folder / "service.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        class_ = getattr(module, class_name)
        instance = class_(self)
        return instance

    def draw(self, prompt):
        return self.tti.paint(prompt)

    def sketch(self, prompt):
        return self.canvas.paint(prompt)
'''

_ENDPOINT = '''from app.server import App

app = App.get_instance()


def paint_endpoint(prompt):
    if app.tti is not None:
        return app.tti.paint(prompt)
'''


def _files(extra: dict | None = None) -> dict:
    files = {"app/__init__.py": "", "app/base.py": _BASE, "app/server.py": _SERVER, "app/endpoint.py": _ENDPOINT,
             "zoo/dalle/service.py": _PAID, "zoo/local/service.py": _LOCAL,
             "zoo/blank/service.py": _LOCAL.replace("LocalPainter", "Blank").replace("prompt[::-1]", "None")}
    files.update(extra or {})
    return files


def _facades(root: Path) -> list:
    return sorted(((s.path, s.line, s.kind, s.provider, s.confidence) for s in analyse([root], Config(), root=root).sites
                   if s.kind == "facade"))


def test_a_method_called_on_a_loaded_plugin_is_a_facade_over_its_family(tmp_path: Path) -> None:
    root = make(tmp_path, _files())
    got = _facades(root)
    assert got == [("app/endpoint.py", line_of(root / "app/endpoint.py", "app.tti.paint"), "facade", "openai", "inferred"),
                   ("app/server.py", line_of(root / "app/server.py", "self.tti.paint"), "facade", "openai", "inferred")]


def test_a_method_two_families_define_gives_nothing(tmp_path: Path) -> None:
    other = "class Wall:\n    def paint(self, colour):\n        return colour\n\n\nclass Fence(Wall):\n" \
            "    def paint(self, colour):\n        return colour * 2\n"
    assert _facades(make(tmp_path, _files({"app/walls.py": other}))) == []


def test_one_implementation_is_no_family(tmp_path: Path) -> None:
    files = _files()
    del files["zoo/local/service.py"], files["zoo/blank/service.py"]
    assert _facades(make(tmp_path, files)) == []


def test_an_attribute_no_loader_fills_gives_nothing(tmp_path: Path) -> None:
    root = make(tmp_path, _files({"app/server.py": _SERVER.replace("self.tti = self.load_service(", "self.tti = build(")}))
    assert _facades(root) == []


def _fn(text: str) -> ast.AST:
    return ast.parse(text).body[0]


@pytest.mark.parametrize("body,expected", [
    ("m = importlib.util.module_from_spec(spec)\n    c = getattr(m, name)\n    return c(cfg)", True),
    ("m = importlib.util.module_from_spec(spec)\n    c = getattr(m, name)\n    o = c(cfg)\n    return o", True),
    # the module built inside a `try:` (read in the order written, not breadth first)
    ("try:\n        m = importlib.util.module_from_spec(spec)\n    except ImportError:\n        return None\n"
     "    c = getattr(m, name)\n    return c(cfg)", True),
    ("m = SourceFileLoader(n, p).load_module()\n    return getattr(m, name)()", True),
    # a literal class name, a module imported by name, or the class returned uncalled: not this loader
    ("m = importlib.util.module_from_spec(spec)\n    return getattr(m, 'Service')(cfg)", False),
    ("m = importlib.import_module(name)\n    return getattr(m, name)(cfg)", False),
    ("m = importlib.util.module_from_spec(spec)\n    c = getattr(m, name)\n    return c", False),
])
def test_what_a_plugin_loader_looks_like(body: str, expected: bool) -> None:
    assert loads_plugin(_fn(f"def load(spec, name, cfg):\n    {body}\n")) is expected


def test_another_objects_method_named_like_the_loader_fills_no_plugin_attribute(tmp_path: Path) -> None:
    # `yaml.load_service(...)` is not this module's loader, whatever its last name
    server = _SERVER.replace("self.tti = self.load_service(", "self.tti = yaml.load_service(")
    assert _facades(make(tmp_path, _files({"app/server.py": server}))) == []
