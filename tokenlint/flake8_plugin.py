"""flake8 plugin: `flake8 --select TKL` reports what `tokenlint check` reports, through the same engine.

flake8 hands over one file at a time; the project around it (its root found as `tokenlint check`
finds it, `tokenlint.hierarchy`) is indexed once per process, so clients and wrappers defined in
other modules still resolve.
Options come from [tool.tokenlint]; the flake8 options below override them.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, ClassVar, Iterator, Optional

from tokenlint import __version__


class TokenlintChecker:
    name = "tokenlint"
    version = __version__
    feature_key: ClassVar[Optional[str]] = None
    config_file: ClassVar[Optional[str]] = None
    _sessions: ClassVar[dict[Path, Any]] = {}

    def __init__(self, tree: ast.AST, filename: str) -> None:
        self.tree = tree  # flake8 parsed it already; tokenlint's resolver reads the file itself
        self.filename = filename

    @classmethod
    def add_options(cls, manager: Any) -> None:
        manager.add_option("--tokenlint-feature-key", parse_from_config=True,
                           help="tokenlint: the attribution key looked for in tags (default: feature)")
        manager.add_option("--tokenlint-config", parse_from_config=True,
                           help="tokenlint: read [tool.tokenlint] from this file")

    @classmethod
    def parse_options(cls, options: Any) -> None:
        cls.feature_key = getattr(options, "tokenlint_feature_key", None)
        cls.config_file = getattr(options, "tokenlint_config", None)
        cls._sessions = {}

    def _session(self, path: Path):  # type: ignore[no-untyped-def]
        """The project `path` belongs to, found as `tokenlint check` finds it (from the working
        directory, `tokenlint.hierarchy`), so both report the same; one session per root."""
        from tokenlint.config import Config, ConfigError
        from tokenlint.engine import Session
        from tokenlint.gitinfo import top_level
        from tokenlint.hierarchy import load_project, search_start

        here = Path.cwd()
        anchor = here if path.is_relative_to(here) else path  # as `tokenlint check .` from here
        start = search_start([anchor])
        got = self._sessions.get(start)
        if got is None:
            config_file = Path(self.config_file) if self.config_file else None
            try:
                cfg = load_project([anchor], config_file)
            except ConfigError:  # flake8 has no way to fail a run: the defaults, at the git top level
                cfg = Config(root=top_level(start) or start)
            root = (cfg.root or start).absolute()
            got = Session(root, cfg.with_overrides(feature_key=self.feature_key, root=root))
            self._sessions[start] = got
        return got

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        if self.filename in ("-", "stdin", ""):
            return
        path = Path(self.filename).absolute()
        if not path.is_file():
            return
        for f in self._session(path).check_file(path):
            if f.code == "TKL000":
                continue  # flake8 reports unparsable files itself (E999)
            yield f.row, f.column - 1, f"{f.code} {f.message}", type(self)
