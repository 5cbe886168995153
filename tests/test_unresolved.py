"""Item "say what could not be seen": places that look like LLM requests but are no call site are
listed per file in every inventory format, in the audit, and alone with `inventory --unresolved`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tokenlint.cli import main
from tokenlint.config import Config
from tokenlint.engine import analyse

APP = Path(__file__).resolve().parent.parent / "fixtures" / "unresolved_app"


def _unresolved() -> list[tuple[str, int, str]]:
    result = analyse([APP], Config(), root=APP, unresolved=True)
    return [(u.path, u.line, u.kind) for u in result.unresolved]


def test_each_kind_is_reported_where_it_is() -> None:
    assert sorted(_unresolved()) == [
        ("app/client_unused.py", 3, "sdk-imported"),
        ("app/client_unused.py", 13, "withheld"),
        ("app/urls.py", 5, "llm-url"),
        ("app/webui.py", 9, "withheld"),
    ]


def test_a_client_of_the_projects_own_server_is_no_site_but_the_provider_call_is() -> None:
    result = analyse([APP], Config(), root=APP, unresolved=True)
    assert [(s.path, s.line, s.provider) for s in result.sites] == [("app/webui.py", 13, "openai"),
                                                                     ("app/webui.py", 18, "unknown")]


def _inventory(*args: str) -> str:
    out = CliRunner().invoke(main, ["inventory", "--no-cache", str(APP), *args])
    assert out.exit_code == 0, out.output
    return out.output


def test_every_inventory_format_lists_them() -> None:
    data = json.loads(_inventory("--format", "json"))
    assert data["summary"]["not_resolved"] == 4
    assert {u["kind"] for u in data["not_resolved"]} == {"sdk-imported", "withheld", "llm-url"}
    assert "not resolved: 4 places" in _inventory()
    assert "## Not resolved" in _inventory("--format", "markdown")
    rows = [r for r in _inventory("--format", "csv").splitlines() if ",not-resolved," in r]
    assert len(rows) == 4


def test_inventory_unresolved_lists_them_alone() -> None:
    text = _inventory("--unresolved")
    assert "app/urls.py:5  llm-url" in text
    assert "api.openai.com" not in text and "chat.completions" not in text.split("\n")[1]
    data = json.loads(_inventory("--unresolved", "--format", "json"))
    assert data["call_sites"] == [] and len(data["not_resolved"]) == 4


def test_the_audit_has_a_not_resolved_section(tmp_path: Path) -> None:
    out = CliRunner().invoke(main, ["audit", str(APP), "-o", str(tmp_path / "r")])
    assert out.exit_code in (0, 1), out.output
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "## Not resolved" in md and "app/urls.py:5" in md


def test_an_inference_endpoint_without_llm_evidence_is_an_inferred_site_not_withheld() -> None:
    """A paid inference endpoint is spend whatever it serves: reported, its confidence "inferred" when
    neither its payload nor its name shows an LLM (an image classifier's), never listed as withheld."""
    path = APP.parent / "resolver" / "providers" / "sagemaker.py"
    result = analyse([path], Config(), root=path.parent, unresolved=True)
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "resnet50" in t)
    assert result.unresolved == []
    site = next(s for s in result.sites if s.line == line)
    assert (site.provider, site.api, site.confidence) == ("aws_sagemaker", "inference", "inferred")
    assert all(s.confidence == "resolved" for s in result.sites if s.line != line)


def test_check_runs_skip_the_work() -> None:
    assert analyse([APP], Config(), root=APP).unresolved == []


def test_an_import_in_a_docstring_example_is_not_listed(tmp_path: Path) -> None:
    """A library documenting its own model class (`from haystack... import OpenAIChatGenerator` in a
    usage example) imports nothing; a real import of the same class in the same file still counts."""
    (tmp_path / "docs.py").write_text(
        'class Wrapper:\n'
        '    """Usage:\n'
        '\n'
        '        from openai import OpenAI\n'
        '        client = OpenAI()\n'
        '    """\n'
        '\n'
        '\n'
        'def later():\n'
        '    from anthropic import Anthropic\n'
        '    return Anthropic\n', encoding="utf-8")
    result = analyse([tmp_path], Config(), root=tmp_path, unresolved=True)
    assert [(u.line, u.detail) for u in result.unresolved] == [
        (10, "imports anthropic.Anthropic; no call site was found in this file")]


def test_a_file_naming_an_llm_library_that_cannot_be_parsed_is_listed_as_unreadable(tmp_path: Path) -> None:
    """Its requests are in no count, so the inventory says so (a syntax newer than the running Python,
    a typo); a broken file that names no LLM library is not the inventory's business (TKL000 only)."""
    (tmp_path / "broken.py").write_text("from openai import OpenAI\n\nclient = OpenAI()\ndef ask(:\n    pass\n",
                                        encoding="utf-8")
    (tmp_path / "other.py").write_text("def g(:\n    pass\n", encoding="utf-8")
    (tmp_path / "ok.py").write_text("from openai import OpenAI\n\nOpenAI().chat.completions.create(model='gpt-6-luna', "
                                    "messages=[])\n", encoding="utf-8")
    result = analyse([tmp_path], Config(), root=tmp_path, unresolved=True)
    assert [(u.path, u.line, u.kind) for u in result.unresolved] == [("broken.py", 4, "unreadable")]
    assert [s.path for s in result.sites] == ["ok.py"]
    out = CliRunner().invoke(main, ["inventory", "--no-cache", "--unresolved", str(tmp_path)])
    assert "broken.py:4  unreadable  not analysed (syntax error" in out.output
