"""A package under a folder without `__init__.py` (a namespace package, PEP 420) is imported by its
full name from the root; files importing it so are read as its importers."""

from __future__ import annotations

from pathlib import Path

from tokenlint.prefilter import ImportMatcher
from tokenlint.project import Project


def _write(root: Path, rel: str, text: str = "") -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def test_names_of_a_package_below_a_namespace_folder(tmp_path: Path) -> None:
    pkg = _write(tmp_path, "app/services/__init__.py")
    mod = _write(tmp_path, "app/services/claude.py")
    plain = _write(tmp_path, "lib/__init__.py")
    odd = _write(tmp_path, "my-tools/services/__init__.py")
    project = Project(tmp_path, [pkg, mod, plain, odd])
    assert project.add(pkg).dotted == "services"
    assert project.other_names(project.add(pkg)) == ["app.services"]
    assert project.other_names(project.add(mod)) == ["app.services.claude"]
    assert project.other_names(project.add(plain)) == []  # its dotted name only
    assert project.other_names(project.add(odd)) == []  # `my-tools` cannot be imported


def test_importers_by_the_namespace_name_are_matched(tmp_path: Path) -> None:
    pkg = _write(tmp_path, "app/services/__init__.py", "class BaseService: ...\n")
    user = _write(tmp_path, "app/jobs/summary.py", "from app.services import BaseService\n")
    other = _write(tmp_path, "app/jobs/other.py", "from app.servicesx import BaseService\nimport services_extra\n")
    project = Project(tmp_path, [pkg, user, other])
    matcher = ImportMatcher([project.add(pkg)], project=project)
    for p in (user, other):
        project.add(p).raw = p.read_bytes()
    assert matcher.imports(project.add(user))
    assert not matcher.imports(project.add(other))


def test_relative_import_from_a_folder_above_the_module(tmp_path: Path) -> None:
    llm = _write(tmp_path, "app/utils/llm.py", "import openai\n")
    user = _write(tmp_path, "app/digest.py", "from .utils.llm import ask\n")
    deep = _write(tmp_path, "app/jobs/run.py", "from ..utils.llm import ask\n")
    other = _write(tmp_path, "app/report.py", "from .utils.text import shorten\nfrom .llm import ask\n")
    above = _write(tmp_path, "app/top.py", "from ...utils.llm import ask\n")
    project = Project(tmp_path, [llm, user, deep, other, above])
    matcher = ImportMatcher([project.add(llm)], project=project)
    for p in (user, deep, other, above):
        project.add(p).raw = p.read_bytes()
    assert matcher.imports(project.add(user))
    assert matcher.imports(project.add(deep))
    assert not matcher.imports(project.add(other))  # `.llm` from app/ would be app/llm.py
    assert not matcher.imports(project.add(above))  # climbs above the root


def test_a_module_named_like_the_sdk_it_imports_means_the_installed_sdk(tmp_path: Path) -> None:
    """`providers/openai.py` doing `import openai` imports the installed SDK, never itself; a script's
    neighbour imported by its bare name is still found."""
    from tokenlint.config import Config
    from tokenlint.engine import analyse

    _write(tmp_path, "pyproject.toml")
    _write(tmp_path, "providers/__init__.py")
    own = _write(tmp_path, "providers/openai.py",
                 "import openai\n\nclient = openai.OpenAI()\n\n\ndef ask(q):\n"
                 "    return client.chat.completions.create(model='gpt-4.1', messages=[{'role': 'user', 'content': q}])\n")
    helper = _write(tmp_path, "scripts/helper.py", "def ping():\n    return 1\n")
    script = _write(tmp_path, "scripts/run.py", "from helper import ping\n")
    project = Project(tmp_path, [own, helper, script])
    assert project.find_module("openai", project.add(own)) is None
    assert project.find_module("helper", project.add(script)).relpath == "scripts/helper.py"
    sites = analyse([tmp_path], Config(), root=tmp_path).sites
    assert [(s.provider, s.sdk, s.confidence) for s in sites if s.path == "providers/openai.py"] == \
        [("openai", "openai", "resolved")]
