"""Every fixture under fixtures/resolver carries inline `# site:` markers; the resolver must match them.

A folder that holds a package (`crossmod/`, each folder of `shapes/`) is analysed as one project, so
cross-module clients, constants and wrappers are exercised; every other file is analysed on its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markers import compare

from tokenlint.config import Config
from tokenlint.engine import analyse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "resolver"
PROJECTS = [FIXTURES / "resolution" / "crossmod", FIXTURES / "interfaces" / "callable_project",
            FIXTURES / "resolution" / "callers_project", FIXTURES / "interfaces" / "namespace_project",
            FIXTURES / "interfaces" / "sdk_repo_project", FIXTURES / "interfaces" / "scripts_project",
            FIXTURES / "interfaces" / "conventional_project", FIXTURES / "interfaces" / "overrides_project",
            FIXTURES / "interfaces" / "protocol_project", *sorted((FIXTURES / "facades").iterdir())]
# made-up projects sending raw HTTP requests to LLM APIs in the shapes applications write them (and look-alikes)
PROJECTS += sorted(p for p in (FIXTURES / "http_shapes").iterdir() if p.is_dir())
# made-up projects, one per family of ways an application builds and reaches its LLM clients
# (registries, factories, web dependencies, wrappers) and their look-alikes around other clients
PROJECTS += sorted(p for p in (FIXTURES / "shapes").iterdir() if p.is_dir())


def _single_files():
    for p in sorted(FIXTURES.rglob("*.py")):
        if any(proj in p.parents for proj in PROJECTS):
            continue
        yield p


@pytest.mark.parametrize("path", list(_single_files()), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_single_file_fixture(path: Path) -> None:
    result = analyse([path], Config(), root=path.parent)
    assert not [f.error for f in result.files if f.error]
    problems = compare(path, path.name, result.sites)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_project_fixture(project: Path) -> None:
    result = analyse([project], Config(), root=project)
    problems = []
    for path in sorted(project.rglob("*.py")):
        problems += compare(path, path.relative_to(project).as_posix(), result.sites)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_one_changed_file_still_resolves_across_modules(project: Path) -> None:
    """As pre-commit runs it: only one file is passed, the others are read as context only."""
    for path in sorted(project.rglob("*.py")):
        result = analyse([path], Config(), root=project)
        rel = path.relative_to(project).as_posix()
        assert {s.path for s in result.sites} <= {rel}
        problems = compare(path, rel, result.sites)
        assert not problems, "\n".join(problems)


def test_forwarded_sites_offer_a_tag_fix_only_where_keywords_reach_the_method() -> None:
    """TKL101's fix adds a keyword argument: only to a call that passes its keywords on to the SDK
    method it was handed (a helper taking **kwargs, asyncio.to_thread, sync_to_async(fn)(...))."""
    path = FIXTURES / "resolution" / "forwarded_methods.py"
    result = analyse([path], Config(), root=path.parent)
    styles = {s.qualname: s.tag_style for s in result.sites if s.kind == "direct"}
    assert styles["Backend.chat"] == "metadata"  # self._send(fn, *args, **kwargs)
    assert styles["render"] is not None  # asyncio.to_thread(fn, **kwargs)
    assert styles["transcribe"] is not None  # sync_to_async(fn)(**kwargs)
    assert styles["Runtime.converse"] is None  # send_request(client, method, params): a dict, no keywords
    assert styles["fixed_arguments"] is None  # call_model(fn, model, messages) takes no other keyword


def test_handed_requests_offer_a_tag_fix_only_where_the_runner_passes_keywords() -> None:
    """A request method handed to a thread runner is tagged through the runner's keywords: `asyncio.to_thread`
    and `sync_to_async(fn)(...)` pass them on (`config=` reaches `invoke`), `run_in_executor` takes none."""
    path = FIXTURES / "resolution" / "handed_to_runners.py"
    result = analyse([path], Config(), root=path.parent)
    styles = {s.qualname: s.tag_style for s in result.sites if s.kind in ("direct", "request")}
    assert styles["check_model"] == "langchain_config"
    assert styles["adapter"] == "langchain_config"
    assert styles["positional_model"] is not None  # litellm metadata= through to_thread
    assert styles["in_executor"] is None
