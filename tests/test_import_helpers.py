"""An optional-import helper that imports the modules it is given by name and returns only what it imported
(`mods.append(importlib.import_module(name))` for each name, then `return mods[0] if len(mods) == 1 else
mods`) gives, called with an SDK's name, that SDK's module: requests on clients built from it are sites. A
helper returning something it makes from the import (a plugin object) is not read so."""

from __future__ import annotations

from projects import analysed_sites

LAZY = '''\
import importlib


def safe_import(module_names, message):
    if isinstance(module_names, str):
        module_names = [module_names]
    mods = []
    for name in module_names:
        try:
            mods.append(importlib.import_module(name))
        except ImportError:
            raise ImportError(message)
    return mods[0] if len(mods) == 1 else mods


def load_plugin(name):
    module = importlib.import_module(name)
    return module.Plugin()
'''

CLIENT = '''\
from pkg.lazy import load_plugin, safe_import

ollama = safe_import("ollama", "pip install ollama")
plugin = load_plugin("ollama")


class OllamaClient:
    def __init__(self, host=None):
        self.sync_client = ollama.Client(host=host)

    def call(self, kwargs):
        return self.sync_client.chat(**kwargs)

    def other(self, kwargs):
        return plugin.Client().chat(**kwargs)
'''


def test_an_optional_import_helper_filling_a_list_gives_the_named_module(tmp_path):
    sites = analysed_sites(tmp_path / "proj", {"pkg/__init__.py": "", "pkg/lazy.py": LAZY, "pkg/client.py": CLIENT})
    assert [(s.path, s.line, s.sdk) for s in sites] == [("pkg/client.py", 12, "ollama")]
