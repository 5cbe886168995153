"""[tool.tokenlint] from pyproject.toml: defaults < file < command line.

Config is data only: it is parsed as TOML, never executed. An unknown key or a value of the wrong
type is a ConfigError naming the key and the file.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ConfigError(ValueError):
    """A one-line, user-facing configuration problem."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    force_exclude: bool = False
    feature_key: str = "feature"
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sdk: tuple[dict[str, Any], ...] = ()
    model_catalog: Optional[str] = None
    features: tuple[tuple[str, "FeatureSpec"], ...] = ()
    model_config: tuple[str, ...] = ()
    retirement_warning_days: int = 90
    min_static_chars: int = 0  # TKL301: a fixed threshold in characters; 0: the model's cache minimum
    max_file_size: int = 2 * 1024 * 1024  # bytes; a larger file is TKL000 "file too large", never read
    cache_dir: str = ".tokenlint_cache"
    attribution: tuple[str, ...] = ()  # sink names (catalog/sinks.toml, header:<Name>); empty: inferred
    attribution_keys: tuple[tuple[str, str], ...] = ()  # project id / API key env var -> feature
    spend: "SpendConfig" = None  # type: ignore[assignment]  # set in __post_init__
    # where the config came from (for messages), and the project root it defines
    source: Optional[Path] = None
    root: Optional[Path] = None
    # the nested [tool.tokenlint] tables below the root, as (folder relative to the root, config):
    # each governs the files under its folder (`tokenlint.hierarchy`); and warnings met loading them
    nested: tuple[tuple[str, "Config"], ...] = ()
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.spend is None:
            object.__setattr__(self, "spend", SpendConfig())

    def with_overrides(self, **kw: Any) -> "Config":
        return replace(self, **{k: v for k, v in kw.items() if v is not None})


@dataclass(frozen=True)
class FeatureSpec:
    """A declared feature: where its code lives (path globs) and which model tiers it may use."""

    paths: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class SpendConfig:
    """[tool.tokenlint.spend]: how `tokenlint spend` reads usage exports and flags a week."""

    spike_ratio: float = 3.0  # a feature spiked when it spends this many times last week's ...
    spike_min_dollars: float = 50.0  # ... and at least this many dollars more
    cache_hit_min: float = 0.2  # features whose cache hit rate is below this are flagged
    feature_keys: tuple[str, ...] = ()  # tag keys naming a feature besides feature-key
    site_key: str = "tokenlint_site"  # the tag naming a call-site id
    accounts: tuple[tuple[str, str], ...] = ()  # project / workspace / API key -> feature
    generic: tuple[tuple[str, Any], ...] = ()  # column mapping of a generic CSV / JSONL export
    fail_on: tuple[str, ...] = ()  # default --fail-on conditions


_SPEND_GENERIC = {"time", "model", "provider", "feature", "site", "account", "tags", "input", "cache-read",
                  "cache-write", "output", "requests", "cost", "currency", "batch", "cost-unit",
                  "input-includes-cache", "kind"}
_SPEND_CHOICES = {"cost-unit": ("usd", "cents"), "kind": ("attribution", "billing")}


def _number(key: str, v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
        raise TypeError(f"'{key}' must be a number >= 0")
    return float(v)


def _spend(key: str, v: Any) -> SpendConfig:
    if not isinstance(v, dict):
        raise TypeError(f"'{key}' must be a table ([tool.tokenlint.spend])")
    kw: dict[str, Any] = {}
    for k, x in v.items():
        name = f"{key}.{k}"
        if k in ("spike-ratio", "spike-min-dollars", "cache-hit-min"):
            kw[k.replace("-", "_")] = _number(name, x)
        elif k == "feature-keys":
            kw["feature_keys"] = _str_list(name, x)
        elif k == "site-key":
            kw["site_key"] = _str(name, x)
        elif k == "fail-on":
            kw["fail_on"] = _str_list(name, x)
        elif k == "accounts":
            if not isinstance(x, dict) or not all(isinstance(a, str) and a for a in x.values()):
                raise TypeError(f"'{name}' must be a table of account = \"feature\"")
            kw["accounts"] = tuple(x.items())
        elif k == "generic":
            if not isinstance(x, dict):
                raise TypeError(f"'{name}' must be a table of column names")
            for g, val in x.items():
                if g not in _SPEND_GENERIC:
                    raise TypeError(f"unknown key '{name}.{g}'")
                if g == "input-includes-cache":
                    _bool(f"{name}.{g}", val)
                elif g in _SPEND_CHOICES and val not in _SPEND_CHOICES[g]:
                    raise TypeError(f"'{name}.{g}' must be one of {', '.join(_SPEND_CHOICES[g])}")
                elif g != "input-includes-cache":
                    _str(f"{name}.{g}", val)
            if "time" not in x:
                raise TypeError(f"'{name}' needs 'time' (the timestamp column)")
            kw["generic"] = tuple(x.items())
        else:
            raise TypeError(f"unknown key '{name}'")
    return SpendConfig(**kw)


# key in pyproject -> (attribute, expected type description, converter)
def _str_list(key: str, v: Any) -> tuple[str, ...]:
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise TypeError(f"'{key}' must be a list of strings")
    return tuple(v)


def _patterns(key: str, v: Any) -> tuple[str, ...]:
    """Exclude globs: unlike a .gitignore line, which git skips when it cannot read it, a pattern in
    the user's own config that cannot compile (`odd\\`, `[z-a]*.py`) is an error, not a silent no-op."""
    from tokenlint.ignorespec import unreadable

    pats = _str_list(key, v)
    for pat in pats:
        why = unreadable(pat)
        if why is not None:
            raise TypeError(f"'{key}': invalid pattern {pat!r} ({why})")
    return pats


def _bool(key: str, v: Any) -> bool:
    if not isinstance(v, bool):
        raise TypeError(f"'{key}' must be true or false")
    return v


def _str(key: str, v: Any) -> str:
    if not isinstance(v, str) or not v:
        raise TypeError(f"'{key}' must be a non-empty string")
    return v


def _per_file(key: str, v: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(v, dict):
        raise TypeError(f"'{key}' must be a table of glob = [codes]")
    return tuple((g, _str_list(f"{key}.{g}", codes)) for g, codes in v.items())


def _sdks(key: str, v: Any) -> tuple[dict[str, Any], ...]:
    if isinstance(v, dict):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
        raise TypeError(f"'{key}' must be an array of tables ([[tool.tokenlint.sdk]])")
    for i, e in enumerate(v):
        if "provider" not in e:
            raise TypeError(f"'{key}[{i}]' needs a 'provider'")
        e.setdefault("name", f"project-sdk-{i}")
        if not any(k in e for k in ("clients", "modules", "function", "constructor")):
            raise TypeError(f"'{key}[{i}]' needs 'clients', 'modules', [[function]] or [[constructor]]")
    return tuple(v)


def _int(key: str, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise TypeError(f"'{key}' must be a whole number >= 0")
    return v


def _features(key: str, v: Any) -> tuple[tuple[str, FeatureSpec], ...]:
    if isinstance(v, list):  # a plain registry: features = ["faq-bot", "search"]
        return tuple((n, FeatureSpec()) for n in _str_list(key, v))
    if not isinstance(v, dict):
        raise TypeError(f"'{key}' must be a list of names or a table of [tool.tokenlint.features.<name>]")
    out = []
    for name, spec in v.items():
        if not isinstance(spec, dict):
            raise TypeError(f"'{key}.{name}' must be a table")
        unknown = set(spec) - {"paths", "tiers"}
        if unknown:
            raise TypeError(f"unknown key '{key}.{name}.{sorted(unknown)[0]}'")
        out.append((name, FeatureSpec(paths=_str_list(f"{key}.{name}.paths", spec.get("paths", [])),
                                      tiers=_str_list(f"{key}.{name}.tiers", spec.get("tiers", [])))))
    return tuple(out)


def _sinks(key: str, v: Any) -> tuple[str, ...]:
    from tokenlint.attribution import sink_named

    names = _str_list(key, v)
    for n in names:
        try:
            sink_named(n)
        except ValueError as exc:
            raise TypeError(f"'{key}': {exc}") from None
    return names


def _str_map(key: str, v: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(v, dict) or not all(isinstance(k, str) and isinstance(x, str) and x for k, x in v.items()):
        raise TypeError(f"'{key}' must be a table of \"project id or API key variable\" = \"feature\"")
    return tuple(sorted(v.items()))


KEYS = {
    "select": ("select", _str_list),
    "extend-select": ("extend_select", _str_list),
    "ignore": ("ignore", _str_list),
    "exclude": ("exclude", _patterns),
    "extend-exclude": ("extend_exclude", _patterns),
    "respect-gitignore": ("respect_gitignore", _bool),
    "force-exclude": ("force_exclude", _bool),
    "feature-key": ("feature_key", _str),
    "per-file-ignores": ("per_file_ignores", _per_file),
    "sdk": ("sdk", _sdks),
    "model-catalog": ("model_catalog", _str),
    "features": ("features", _features),
    "model-config": ("model_config", _str_list),
    "retirement-warning-days": ("retirement_warning_days", _int),
    "min-static-chars": ("min_static_chars", _int),
    "max-file-size": ("max_file_size", _int),
    "cache-dir": ("cache_dir", _str),
    "attribution": ("attribution", _sinks),
    "attribution-keys": ("attribution_keys", _str_map),
    "spend": ("spend", _spend),
}
# keys owned by later features; accepted so that configs written for them do not break this version
RESERVED = {"fix", "unsafe-fixes", "baseline"}


MAX_CONFIG_BYTES = 1024 * 1024


def has_table(pyproject: Path) -> bool:
    """Does this pyproject.toml hold a [tool.tokenlint] table? (Not valid TOML: a ConfigError.)"""
    try:
        size = os.stat(pyproject).st_size
        if not pyproject.is_file() or size > MAX_CONFIG_BYTES:  # a FIFO would block; 100 MB would not help
            raise ConfigError(f"{pyproject}: not a regular file of at most {MAX_CONFIG_BYTES // 1024} KiB")
        data = pyproject.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{pyproject}: cannot read: {exc.strerror or exc}") from None
    if b"tokenlint" not in data and b"\\u" not in data and b"\\U" not in data:
        return False  # most pyproject.toml files: no TOML parse needed (a quoted key may be escaped)
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{pyproject}: invalid TOML: {exc}") from None
    tool = doc.get("tool")
    return isinstance(tool, dict) and "tokenlint" in tool


def find_pyproject(start: Path) -> Optional[Path]:
    """The nearest pyproject.toml at or above `start` with a [tool.tokenlint] table, never looking
    above the git top level (a pyproject.toml without the table changes nothing)."""
    from tokenlint.gitinfo import top_level

    d = Path(os.path.abspath(start if start.is_dir() else start.parent))
    top = top_level(d)
    for cand in (d, *d.parents):
        p = cand / "pyproject.toml"
        if p.is_file() and has_table(p):
            return p
        if cand == top:
            break
    return None


def find_root(start: Path) -> Path:
    """The project root for a search from `start`: the folder of the nearest pyproject.toml with a
    [tool.tokenlint] table, else the git top level, else `start` itself."""
    from tokenlint.gitinfo import top_level

    found = find_pyproject(start)
    if found is not None:
        return found.parent
    d = Path(os.path.abspath(start if start.is_dir() else start.parent))
    return top_level(d) or d


def load_config(path: Optional[Path] = None, start: Optional[Path] = None, explicit: bool = False) -> Config:
    """Read [tool.tokenlint] from `path`, or from the nearest pyproject.toml above `start`."""
    if path is None:
        path = find_pyproject(start or Path.cwd())
        if path is None:
            return Config(root=find_root(start or Path.cwd()))
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if path.name == "pyproject.toml" or not explicit:
        table = data.get("tool", {}).get("tokenlint", {})
    else:
        # a dedicated file may hold the table at the top level or under [tool.tokenlint]
        table = data.get("tool", {}).get("tokenlint", data)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.tokenlint] must be a table")
    return parse_table(table, path)


def parse_table(table: dict[str, Any], path: Path) -> Config:
    kw: dict[str, Any] = {}
    for key, value in table.items():
        if key in RESERVED:
            continue
        spec = KEYS.get(key)
        if spec is None:
            raise ConfigError(f"{path}: unknown key '{key}' in [tool.tokenlint]")
        attr, conv = spec
        try:
            kw[attr] = conv(key, value)
        except TypeError as exc:
            raise ConfigError(f"{path}: {exc} in [tool.tokenlint]") from None
    if "model_catalog" in kw:  # relative to the config file, and it must exist
        cat = Path(kw["model_catalog"])
        if not cat.is_absolute():
            cat = path.parent / cat
        if not cat.is_file():
            raise ConfigError(f"{path}: 'model-catalog' file not found: {cat}")
        try:
            with open(cat, "rb") as fh:
                tomllib.load(fh)  # data only: a catalog is TOML, never imported
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{cat}: 'model-catalog' is not valid TOML: {exc}") from None
        kw["model_catalog"] = str(cat.absolute())
    return Config(source=path, root=path.parent.absolute(), **kw)


CONFIG_FIELDS = {f.name for f in fields(Config)}
