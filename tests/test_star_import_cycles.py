"""Star imports in a cycle (a module that star-imports itself, two modules star-importing each other)
end the search for a name: the file is analysed, not reported as too deeply nested, and a client
reached through a star import elsewhere still resolves."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

FILES = {
    "pkg/__init__.py": "",
    "pkg/loader.py": "from .loader import *\nfrom .helpers import *\n\n\ndef load(name):\n    return lookup(name)\n",
    "pkg/helpers.py": "from .loader import *\n\n\ndef lookup(name):\n    return name\n",
    "pkg/clients.py": "from openai import OpenAI\n\nclient = OpenAI()\n",
    "pkg/facade.py": "from .facade import *\nfrom .clients import *\n",
    "pkg/app.py": (
        "from .facade import client\n"
        "from .loader import load\n"
        "\n"
        "\n"
        "def ask(q):\n"
        "    return client.chat.completions.create(model='gpt-4o-mini', messages=[{'role': 'user', 'content': load(q)}])\n"
    ),
}


def test_a_star_import_cycle_is_analysed_and_the_client_behind_a_star_import_resolves(tmp_path):
    root = make(tmp_path / "proj", FILES)
    result = analyse([root], Config(select=("TKL000",)), root=root)
    assert [f for f in result.findings if f.code == "TKL000"] == []
    sites = [(s.path, s.line, s.provider) for s in result.sites]
    assert ("pkg/app.py", 6, "openai") in sites
