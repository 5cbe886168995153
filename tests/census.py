"""What the catalog census tests share: a program that builds one class of an integration and asks it once, the
sites tokenlint finds in it, and the check that the constructor is a binding and the call a request on it.

The program (`one_class`) is five lines: the import, a blank line, `def ask(q, k):`, the constructor on line 4
(`k` stands for any value the constructor needs: a key, an endpoint, a top_n) and the request on line 5."""

from __future__ import annotations

from pathlib import Path

from projects import analysed_sites

BINDING_LINE, REQUEST_LINE = 4, 5


def one_class(module: str, cls: str, args: str, method: str, *, is_async: bool = False) -> str:
    """`from module import cls`, then `m = cls(args)` and `m.method(q)` in a function (async when told)."""
    return (f"from {module} import {cls}\n"
            "\n"
            f"{'async ' if is_async else ''}def ask(q, k=None):\n"
            f"    m = {cls}({args})\n"
            f"    return m.{method}(q)\n")


def sites_of(tmp_path: Path, src: str) -> list:
    """The sites of a one-file project (`app.py` holding `src`), every file analysed without an error."""
    return analysed_sites(tmp_path / "p", {"app.py": src})


def assert_binds_and_asks(sites: list, provider: str, api: str, model: str) -> None:
    """The only sites are the binding on the constructor's line (carrying provider, api and model, spending
    nothing) and a spending request on the next line that points at it."""
    bindings = [s for s in sites if s.kind == "binding"]
    requests = [s for s in sites if s.kind == "request"]
    assert [(s.line, s.provider, s.api, s.model.value, s.spends) for s in bindings] == [
        (BINDING_LINE, provider, api, model, False)]
    assert [(s.line, s.provider, s.api, s.model.value, s.spends) for s in requests] == [
        (REQUEST_LINE, provider, api, model, True)]
    assert requests[0].binding == bindings[0].id


def own_class(cls: str, method: str) -> str:
    """A project's own class named like a catalogued one (its `__init__` takes a model, `method` echoes), built
    and asked in `ask`: no import, so no binding and no request."""
    return (f"class {cls}:\n"
            "    def __init__(self, model):\n"
            "        self.model = model\n"
            f"    def {method}(self, q):\n"
            "        return q\n"
            "\n"
            "def ask(q):\n"
            f"    return {cls}(model='m').{method}(q)\n")
