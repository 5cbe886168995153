"""Functions held as values, shape by shape (round 10 mechanisms FNATTR, METHODREF, PARAMDEFAULT): a call
of a function stored on an attribute or a name, of a closure a factory returned, through the wrapping
layers that return a nested function calling (or handing on) the function they were given; a project
function handed to an executor inside `functools.partial`; a model object built in a parameter's
default. The fixtures' `# site:` markers are checked whole by test_resolver_fixtures; this table names
each shape, so a regression says which one broke. A row: the shape, the fixture (a project folder or
one file), the file, a text on the call's line, the kind of site expected there (None: no site), and
the providers it reaches."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Optional

import pytest
from projects import line_of

from tokenlint.config import Config
from tokenlint.engine import analyse

RESOLVER = Path(__file__).resolve().parent.parent / "fixtures" / "resolver"
PROJECT = RESOLVER / "shapes" / "function_values_project"

SHAPES: list[tuple[str, Path, str, str, Optional[str], str]] = [
    ("closure-from-a-factory-through-a-middleware-pipeline", PROJECT, "relay/lite.py",
     "return self._chat(**kwargs)", "wrapper", "litellm"),
    ("async-closure-unpacked-into-a-tuple-of-attributes", PROJECT, "relay/lite.py",
     "return await self._chat_async(**kwargs)", "wrapper", "litellm"),
    ("module-function-stored-then-wrapped-by-one-layer", PROJECT, "relay/lite.py",
     "return self._send(**kwargs)", "wrapper", "openai"),
    ("module-name-bound-to-a-wrapped-closure", PROJECT, "relay/lite.py",
     "return summarise_fn(messages=", "wrapper", "litellm"),
    ("facade-over-implementations-calling-stored-functions", PROJECT, "relay/app.py",
     "return model.chat(messages=", "facade", "litellm,openai"),
    ("look-alike-stored-logger-closure", PROJECT, "relay/app.py", 'self._log("saving", path=path)', None, ""),
    ("look-alike-layer-around-a-function-sending-nothing", PROJECT, "relay/app.py",
     "self._save(path=path, text=self._fmt(text))", None, ""),
    ("partial-of-a-method-handed-to-an-executor", RESOLVER / "resolution" / "handed_functions.py", "",
     "functools.partial(self.write, prompt=prompt)", "wrapper", "openai"),
    ("partial-of-an-abstract-method-handed-to-an-executor", RESOLVER / "resolution" / "handed_functions.py", "",
     "functools.partial(generator.generate, history)", "facade", "openai"),
    ("look-alike-partial-of-a-function-sending-nothing", RESOLVER / "resolution" / "handed_functions.py", "",
     "functools.partial(self.save, text=text)", None, ""),
    ("model-built-in-an-annotated-parameter-default", RESOLVER / "resolution" / "parameter_defaults.py", "",
     "return self.llm(prompt)  # site", "request", "openai"),
    ("model-built-in-a-plain-parameter-default", RESOLVER / "resolution" / "parameter_defaults.py", "",
     "return llm.invoke(text)", "request", "openai"),
    ("callers-model-wins-over-the-default", RESOLVER / "resolution" / "parameter_defaults.py", "",
     "return self.llm.invoke(text)  # site", "request", "anthropic"),
    ("look-alike-default-none", RESOLVER / "resolution" / "parameter_defaults.py", "",
     "return self.llm(prompt)\n", None, ""),
    ("look-alike-default-a-logger", RESOLVER / "resolution" / "parameter_defaults.py", "",
     "return self.log.info(text)", None, ""),
]


@lru_cache(maxsize=None)
def _sites(fixture: Path) -> dict[tuple[str, int], list]:
    root = fixture if fixture.is_dir() else fixture.parent
    result = analyse([fixture], Config(), root=root)
    out: dict[tuple[str, int], list] = {}
    for s in result.sites:
        out.setdefault((s.path, s.line), []).append(s)
    return out


def _line(path: Path, text: str) -> int:
    if text.endswith("\n"):  # the last line ending with the text (a look-alike written after its positive twin)
        lines = path.read_text(encoding="utf-8").splitlines()
        return max(i for i, t in enumerate(lines, 1) if t.endswith(text[:-1]))
    return line_of(path, text)


@pytest.mark.parametrize("shape,fixture,rel,text,kind,providers", SHAPES, ids=[s[0] for s in SHAPES])
def test_function_value_shape(shape: str, fixture: Path, rel: str, text: str, kind: Optional[str],
                              providers: str) -> None:
    path = fixture / rel if rel else fixture
    rel = rel or fixture.name
    got = _sites(fixture).get((rel, _line(path, text)), [])
    if kind is None:
        assert not got, f"{shape}: no site expected, got {[(s.kind, s.provider) for s in got]}"
        return
    assert [s.kind for s in got] == [kind], shape
    assert ",".join(sorted(got[0].providers or (got[0].provider,))) == providers, shape
