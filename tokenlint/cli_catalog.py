"""`tokenlint models` and `tokenlint catalog refresh`: the model catalog as data people can read and renew.

`catalog refresh` never uses the network and never imports the packages it reads: LiteLLM's
bundled cost map is JSON, and the Anthropic and OpenAI SDK tables are Python files read with
`ast` as data. What they say is merged into the built-in catalog (or `--base`) and written as a
TOML file in the schema of `tokenlint/catalog/models.toml`, which `model-catalog = "path"` in
`[tool.tokenlint]` makes the engine use.
"""

from __future__ import annotations

import ast
import datetime as dt
import fnmatch
import json
import math
import re
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
KINDS = ("snapshot", "alias", "floating", "router", "preview", "invalid", "placeholder")

# The [[model]] keys in the order models.toml writes them; unknown keys are kept after these.
MODEL_KEYS = ("id", "provider", "kind", "points_to", "tier", "released", "retires", "retired", "successor",
              "cache_min_tokens", "price_input", "price_cached_input", "price_output", "batch_discount",
              "source", "checked", "uncertain", "note")
PATTERN_KEYS = ("provider", "glob", "kind", "source", "checked", "uncertain", "note")


def _fail(message: str) -> None:
    click.echo(f"tokenlint: error: {message}", err=True)
    sys.exit(2)


def _note(message: str) -> None:
    click.echo(f"tokenlint: note: {message}", err=True)


# ------------------------------------------------------------------ tokenlint models


def _money(v: Optional[float]) -> str:
    return "-" if v is None else f"{v:g}"


@click.command(context_settings=CONTEXT, short_help="List the model catalog: aliases, retirements, prices.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--provider", help="Only models of this provider (openai, anthropic, google, ...).")
@click.option("--kind", type=click.Choice(KINDS), help="Only models of this kind.")
@click.option("--config", "config_file", type=click.Path(), help="Read [tool.tokenlint] from this file.")
def models(fmt: str, provider: Optional[str], kind: Optional[str], config_file: Optional[str]) -> None:
    """List the model catalog: kind, alias target, tier, retirement, successor, prices, cache minimum.

    The catalog is the built-in one, or the file `model-catalog` names in [tool.tokenlint].
    Prices are USD per 1M tokens (input / cached input / output).
    """
    from tokenlint.catalog import load_model_catalog
    from tokenlint.config import ConfigError, load_config
    from tokenlint.hierarchy import load_root

    try:  # the root config alone: a nested config never sets the model catalog
        cfg = load_config(Path(config_file), explicit=True) if config_file else load_root()
    except ConfigError as exc:
        _fail(str(exc))
    if cfg.model_catalog and not Path(cfg.model_catalog).is_file():
        _fail(f"model-catalog: {cfg.model_catalog}: no such file")
    cat = load_model_catalog(cfg.model_catalog)
    rows = [m for m in cat.models.values()
            if (provider is None or m.provider == provider) and (kind is None or m.kind == kind)]
    rows.sort(key=lambda m: (m.provider, m.id))
    if fmt == "json":
        out = [{
            "id": m.id, "provider": m.provider, "kind": m.kind, "points_to": m.points_to, "tier": m.tier,
            "released": m.released, "retires": m.retires, "retired": m.retired, "successor": m.successor,
            "prices": {"input": m.price_input, "cached_input": m.price_cached_input, "output": m.price_output,
                       "batch_discount": m.batch_discount},
            "cache_min_tokens": m.cache_min_tokens, "checked": m.checked, "source": m.source,
            "uncertain": m.uncertain,
        } for m in rows]
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    header = ("id", "provider", "kind", "points_to", "tier", "retires", "successor", "in/cached/out",
              "cache_min", "checked", "source")
    table = [header] + [(
        m.id, m.provider, m.kind, m.points_to or "-", m.tier or "-",
        (m.retires or "-") + (" (retired)" if m.retired else ""), m.successor or "-",
        f"{_money(m.price_input)}/{_money(m.price_cached_input)}/{_money(m.price_output)}",
        str(m.cache_min_tokens) if m.cache_min_tokens is not None else "-", m.checked or "-", m.source or "-",
    ) for m in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header) - 1)]
    for r in table:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1])
    click.echo(f"{len(rows)} models", err=True)


# ------------------------------------------------------------------ tokenlint catalog refresh


@click.group(context_settings=CONTEXT)
def catalog() -> None:
    """Maintain the model catalog."""


LITELLM_FILE = "litellm/model_prices_and_context_window_backup.json"
ANTHROPIC_FILES = ("anthropic/_data/deprecated_models.py", "anthropic/resources/messages/messages.py")
OPENAI_FILES = ("openai/types/shared/chat_model.py", "openai/types/shared/responses_model.py")

# LiteLLM's `litellm_provider` -> the catalog's provider. Others (Vertex, Azure deployments, resellers)
# price the same names differently and are left out.
LITELLM_PROVIDERS = {"openai": "openai", "text-completion-openai": "openai", "anthropic": "anthropic",
                     "gemini": "google", "bedrock": "aws_bedrock", "bedrock_converse": "aws_bedrock",
                     "mistral": "mistral"}
# key prefixes LiteLLM puts before a provider's own id ("gemini/gemini-2.5-pro")
LITELLM_PREFIXES = ("openai/", "anthropic/", "gemini/", "mistral/", "bedrock/", "bedrock_converse/")

_DATED = re.compile(r"^(?P<base>.+)-(?P<date>\d{4}-\d\d-\d\d|\d{8}|\d{4})$")


@dataclass
class Refresh:
    """The catalog being refreshed: entries by id, and what the run did, for the summary."""

    today: str
    models: dict[str, dict[str, Any]]
    patterns: list[dict[str, Any]]
    meta: dict[str, Any]
    changed: dict[str, set[str]] = field(default_factory=dict)  # id -> keys changed
    added: list[str] = field(default_factory=list)
    unknown: dict[str, list[str]] = field(default_factory=dict)  # source label -> ids
    malformed: dict[str, list[str]] = field(default_factory=dict)
    used: list[str] = field(default_factory=list)  # source strings actually read
    locked: set[tuple[str, str]] = field(default_factory=set)  # (id, key) a provider's own table decided
    kept: int = 0  # values an older package would have overwritten

    def kind_from_patterns(self, provider: str, model_id: str) -> Optional[str]:
        for p in self.patterns:
            if p.get("provider") == provider and isinstance(p.get("glob"), str) \
                    and fnmatch.fnmatchcase(model_id.lower(), p["glob"].lower()):
                return p.get("kind")
        return None

    def set(self, model_id: str, key: str, value: Any, source: str, overwrite: bool = True,
            lock: bool = False) -> bool:
        """Set a value from a package; the entry keeps its built-in source and gains this one.
        `overwrite=False` only fills a missing value; `lock` keeps later sources from changing it
        (a provider's own SDK table beats a third party's map). True when the value changed."""
        entry = self.models[model_id]
        cur = entry.get(key)
        if cur == value or (model_id, key) in self.locked:
            if lock:
                self.locked.add((model_id, key))
            return False
        if cur is not None and not overwrite:
            self.kept += 1
            return False
        entry[key] = value
        if lock:
            self.locked.add((model_id, key))
        self.changed.setdefault(model_id, set()).add(key)
        self._provenance(entry, source)
        return True

    def add(self, entry: dict[str, Any], source: str) -> None:
        entry["source"] = source
        entry["checked"] = self.today
        self.models[entry["id"]] = entry
        self.added.append(entry["id"])

    def _provenance(self, entry: dict[str, Any], source: str) -> None:
        old = str(entry.get("source") or "")
        if source not in old.split("; "):
            entry["source"] = f"{old}; {source}" if old else source
        entry["checked"] = self.today


def _find(site_dirs: list[Path], rel: str) -> Optional[Path]:
    for d in site_dirs:
        p = d / rel
        if p.is_file():
            return p
    return None


def _version(site_dir: Path, package: str) -> str:
    """The installed version from the package's .dist-info (or .egg-info) folder, without importing it."""
    norm = package.lower().replace("-", "_")
    try:
        entries = sorted(site_dir.iterdir())
    except OSError:
        return "unknown-version"
    for d in entries:
        for suffix in (".dist-info", ".egg-info"):
            if not d.name.endswith(suffix):
                continue
            dist, _, version = d.name[: -len(suffix)].partition("-")
            if dist.lower().replace("-", "_").replace(".", "_") == norm and version:
                return version
    return "unknown-version"


def _source_for(package: str, path: Path, rel: str) -> str:
    site_dir = path
    for _ in rel.split("/"):
        site_dir = site_dir.parent
    return f"{package} {_version(site_dir, package)} {rel}"


def _num(v: Any) -> Optional[float]:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
        return None
    return float(v)


def _per_million(v: Any) -> Optional[float]:
    n = _num(v)
    return None if n is None else round(n * 1_000_000, 6)


def _iso(v: Any) -> Optional[str]:
    if not isinstance(v, str):
        return None
    try:
        return dt.date.fromisoformat(v.strip()).isoformat()
    except ValueError:
        return None


def _long_date(v: Any) -> Optional[str]:
    """"November 30th, 2026" (the Anthropic SDK's wording) -> "2026-11-30"."""
    if not isinstance(v, str):
        return None
    iso = _iso(v)
    if iso:
        return iso
    text = re.sub(r"(\d+)(st|nd|rd|th)\b", r"\1", v.strip())
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _retire(r: Refresh, model_id: str, date: str, source: str, overwrite: bool, lock: bool = False) -> None:
    moved = r.set(model_id, "retires", date, source, overwrite, lock)
    if r.models[model_id].get("retires") != date:
        return  # kept: an older package or a provider's table said otherwise
    if moved or date < r.today:  # a new date decides; a past one marks the id retired
        r.set(model_id, "retired", date < r.today, source, True, lock)


# ---- LiteLLM cost map ---------------------------------------------------------------


def _merge_litellm(r: Refresh, path: Path, source: str, overwrite: bool) -> None:
    label = "litellm"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        _note(f"{label}: cannot read {path}: {exc}; skipped")
        return
    if not isinstance(data, dict):
        _note(f"{label}: {path} is not a JSON object; skipped")
        return
    r.used.append(source)
    seen: set[str] = set()
    # bare keys first: "claude-sonnet-4-5" wins over "anthropic/claude-sonnet-4-5"
    for key in sorted(data, key=lambda k: ("/" in k, k)):
        entry = data[key]
        if key == "sample_spec":
            continue
        if not isinstance(entry, dict):
            r.malformed.setdefault(label, []).append(key)
            continue
        provider = LITELLM_PROVIDERS.get(str(entry.get("litellm_provider", "")))
        if provider is None:
            continue
        model_id = key
        for prefix in LITELLM_PREFIXES:
            if key.startswith(prefix):
                model_id = key[len(prefix):]
                break
        if "/" in model_id or model_id in seen:
            continue  # a regional or reseller route, or already taken from a bare key
        known = r.models.get(model_id)
        if known is None or known.get("provider") != provider:
            r.unknown.setdefault(label, []).append(key)
            continue
        seen.add(model_id)
        try:
            _litellm_values(r, model_id, entry, source, label, key, overwrite)
        except Exception as exc:  # noqa: BLE001 - one odd entry never stops the refresh
            r.malformed.setdefault(label, []).append(f"{key} ({type(exc).__name__})")


def _litellm_values(r: Refresh, model_id: str, e: dict[str, Any], source: str, label: str, key: str,
                    overwrite: bool) -> None:
    bad = False
    prices = {"price_input": "input_cost_per_token", "price_cached_input": "cache_read_input_token_cost",
              "price_output": "output_cost_per_token"}
    for ours, theirs in prices.items():
        if theirs in e:
            v = _per_million(e[theirs])
            if v is None:
                bad = True
            else:
                r.set(model_id, ours, v, source, overwrite)
    base, batch = _num(e.get("input_cost_per_token")), _num(e.get("input_cost_per_token_batches"))
    if base and batch is not None:
        r.set(model_id, "batch_discount", round(batch / base, 4), source, overwrite)
    if "prompt_cache_min_tokens" in e:
        v = _num(e["prompt_cache_min_tokens"])
        if v is not None and v > 0 and v == int(v):
            r.set(model_id, "cache_min_tokens", int(v), source, overwrite)
        else:
            bad = True
    if "deprecation_date" in e:
        d = _iso(e["deprecation_date"])
        if d is None:
            bad = True
        else:
            _retire(r, model_id, d, source, overwrite)
    if bad:
        r.malformed.setdefault(label, []).append(key)


# ---- SDK tables, read with ast -------------------------------------------------------


def _parse(path: Path, label: str) -> Optional[ast.Module]:
    try:
        return ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError) as exc:
        _note(f"{label}: cannot parse {path}: {exc}; skipped")
        return None


def _assigned(tree: ast.Module, name: str) -> Optional[ast.expr]:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return node.value
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            return node.value
    return None


def _merge_anthropic(r: Refresh, path: Path, source: str, overwrite: bool) -> None:
    label = "anthropic"
    tree = _parse(path, label)
    if tree is None:
        return
    table = _assigned(tree, "DEPRECATED_MODELS")
    if not isinstance(table, ast.Dict):
        _note(f"{label}: no DEPRECATED_MODELS table in {path}; skipped")
        return
    r.used.append(source)
    for k, v in zip(table.keys, table.values):
        if not (isinstance(k, ast.Constant) and isinstance(k.value, str)):
            r.malformed.setdefault(label, []).append(ast.dump(k) if k is not None else "**")
            continue
        model_id = k.value
        date = _long_date(v.value) if isinstance(v, ast.Constant) else None
        if date is None:
            r.malformed.setdefault(label, []).append(model_id)
            continue
        if model_id not in r.models:
            kind = r.kind_from_patterns("anthropic", model_id)
            if kind is None:
                r.unknown.setdefault(label, []).append(model_id)
                continue
            r.add({"id": model_id, "provider": "anthropic", "kind": kind}, source)
        _retire(r, model_id, date, source, overwrite, lock=True)


def _literal_strings(tree: ast.Module) -> list[str]:
    """Every string inside a `Literal[...]` subscript of the module, in order, once."""
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _name(node.value) == "Literal":
            items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            for it in items:
                if isinstance(it, ast.Constant) and isinstance(it.value, str) and it.value not in out:
                    out.append(it.value)
    return out


def _name(e: ast.expr) -> str:
    return e.attr if isinstance(e, ast.Attribute) else e.id if isinstance(e, ast.Name) else ""


def _merge_openai(r: Refresh, path: Path, source: str, overwrite: bool) -> None:
    label = "openai"
    tree = _parse(path, label)
    if tree is None:
        return
    ids = _literal_strings(tree)
    if not ids:
        _note(f"{label}: no Literal model list in {path}; skipped")
        return
    r.used.append(source)
    listed = set(ids)
    for model_id in ids:
        siblings = sorted(x for x in listed if (m := _DATED.match(x)) and m.group("base") == model_id)
        if model_id in r.models:
            entry = r.models[model_id]
            if entry.get("provider") == "openai" and entry.get("kind") == "alias" and not entry.get("points_to") \
                    and len(siblings) == 1:
                r.set(model_id, "points_to", siblings[0], source, overwrite)
            continue
        kind = r.kind_from_patterns("openai", model_id)
        if kind is None and siblings:
            kind = "alias"  # an undated name next to its dated snapshots
        if kind is None:
            r.unknown.setdefault(label, []).append(model_id)
            continue
        entry: dict[str, Any] = {"id": model_id, "provider": "openai", "kind": kind}
        if kind == "alias" and len(siblings) == 1:
            entry["points_to"] = siblings[0]
        r.add(entry, source)


# ---- TOML out ---------------------------------------------------------------------------


def _toml_value(v: Any) -> Optional[str]:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v) if math.isfinite(v) else None
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        parts = [_toml_value(x) for x in v]
        return "[" + ", ".join(p for p in parts if p is not None) + "]"
    if isinstance(v, dict):
        items = [(k, _toml_value(x)) for k, x in v.items()]
        return "{ " + ", ".join(f"{_key(k)} = {x}" for k, x in items if x is not None) + " }" if items else "{}"
    if isinstance(v, dt.date):
        return v.isoformat()
    return None


def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k, ensure_ascii=False)


def _table(header: str, entry: dict[str, Any], order: Iterable[str]) -> list[str]:
    lines = [header]
    keys = [k for k in order if k in entry] + [k for k in entry if k not in order]
    for k in keys:
        v = _toml_value(entry[k])
        if v is not None and entry[k] is not None:
            lines.append(f"{_key(k)} = {v}")
    return lines


def render_catalog(r: Refresh) -> str:
    out = [
        "# Model catalog written by `tokenlint catalog refresh` (same schema as tokenlint/catalog/models.toml;",
        "# see the field descriptions there). Point [tool.tokenlint] model-catalog at this file to use it.",
        f"# Refreshed {r.today} from: " + ("; ".join(r.used) if r.used else "no package data (base catalog only)"),
        "",
    ]
    meta = dict(r.meta)
    meta["refreshed"] = r.today
    meta["refreshed_from"] = list(r.used)
    out += _table("[meta]", meta, ())
    for p in r.patterns:
        out.append("")
        out += _table("[[pattern]]", p, PATTERN_KEYS)
    for m in r.models.values():
        out.append("")
        out += _table("[[model]]", m, MODEL_KEYS)
    return "\n".join(out) + "\n"


def _site_dirs(given: tuple[str, ...]) -> list[Path]:
    if given:
        return [Path(d) for d in given]
    dirs: list[Path] = []
    for key in ("purelib", "platlib"):
        p = sysconfig.get_paths().get(key)
        if p:
            dirs.append(Path(p))
    for p in sys.path:
        if p and ("site-packages" in p or "dist-packages" in p):
            dirs.append(Path(p))
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d not in seen:
            seen.append(d)
    return seen


def _load_base(path: Optional[str]) -> dict[str, Any]:
    from tokenlint.catalog import HERE, load_toml

    src = Path(path) if path else HERE / "models.toml"
    try:
        return load_toml(src)
    except OSError as exc:
        _fail(f"--base: {src}: cannot read: {exc.strerror or exc}")
    except ValueError as exc:
        _fail(f"--base: {src}: invalid TOML: {exc}")
    return {}


def _version_key(v: str) -> Optional[tuple[int, ...]]:
    m = re.match(r"\d+(?:\.\d+)*", v or "")
    return tuple(int(x) for x in m.group(0).split(".")) if m else None


class _Packages:
    """Which installed package versions may overwrite the base catalog's values."""

    def __init__(self, meta: dict[str, Any]) -> None:
        pk = meta.get("packages")
        self.base: dict[str, str] = {k: str(v) for k, v in pk.items()} if isinstance(pk, dict) else {}
        self.used: dict[str, str] = {}

    def overwrite(self, package: str, version: str) -> bool:
        """Newer than the data the base was built from (or the base does not say): its values
        replace the base's. The same version was already reconciled into the base, where its
        authors weighed it against other sources; an older one is stale. Both only fill gaps."""
        ref = self.base.get(package)
        have, want = _version_key(version), _version_key(ref or "")
        ok = ref is None or (have is not None and want is not None and have > want)
        if not ok and (have is None or want is None or have < want):
            _note(f"{package} {version} is older than the {ref} the catalog was built from (or has no "
                  "version): it only fills missing values")
        if have is not None:
            old = _version_key(self.used.get(package) or self.base.get(package, ""))
            if old is None or have > old:
                self.used[package] = version
        return ok


def _version_of(source: str) -> str:
    return source.split(" ")[1] if source.count(" ") >= 2 else "unknown-version"


def refresh_catalog(base: dict[str, Any], today: str, site_dirs: list[Path],
                    litellm_file: Optional[Path] = None) -> Refresh:
    """The base catalog with what the installed packages' data says merged in."""
    models: dict[str, dict[str, Any]] = {}
    for m in base.get("model", []):
        if isinstance(m, dict) and isinstance(m.get("id"), str) and m.get("provider") and m.get("kind"):
            models[m["id"]] = dict(m)
    patterns = [dict(p) for p in base.get("pattern", []) if isinstance(p, dict) and "glob" in p]
    meta = dict(base.get("meta", {})) if isinstance(base.get("meta"), dict) else {}
    r = Refresh(today=today, models=models, patterns=patterns, meta=meta)
    pk = _Packages(meta)

    # the SDKs' own tables first (ids, aliases, the provider's dates), then LiteLLM's map (prices,
    # cache minimums, and dates the SDK tables did not set)
    if _find(site_dirs, OPENAI_FILES[0]) is None:
        _note(f"openai: no {OPENAI_FILES[0]} in the searched site-packages; skipped")
    for rel in OPENAI_FILES:
        p = _find(site_dirs, rel)
        if p is not None:
            src = _source_for("openai", p, rel)
            _merge_openai(r, p, src, pk.overwrite("openai", _version_of(src)))
    for rel in ANTHROPIC_FILES:
        p = _find(site_dirs, rel)
        if p is not None:
            src = _source_for("anthropic", p, rel)
            _merge_anthropic(r, p, src, pk.overwrite("anthropic", _version_of(src)))
            break
    else:
        _note(f"anthropic: no {ANTHROPIC_FILES[0]} in the searched site-packages; skipped")
    if litellm_file is None:
        litellm_file = _find(site_dirs, LITELLM_FILE)
        if litellm_file is None:
            _note(f"litellm: no {LITELLM_FILE} in the searched site-packages; skipped")
    if litellm_file is not None:
        if litellm_file.as_posix().endswith(LITELLM_FILE):  # inside an installed litellm: it has a version
            src = _source_for("litellm", litellm_file, LITELLM_FILE)
        else:
            src = f"litellm unknown-version {litellm_file.as_posix()}"
        _merge_litellm(r, litellm_file, src, pk.overwrite("litellm", _version_of(src)))
    if pk.used:
        r.meta["packages"] = {**pk.base, **pk.used}
    return r


@catalog.command(context_settings=CONTEXT)
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="The catalog file to write.")
@click.option("--from-litellm", "from_litellm", type=click.Path(dir_okay=False),
              help="Read LiteLLM's cost map from this JSON file instead of the installed litellm.")
@click.option("--site-packages", "site_packages", multiple=True, type=click.Path(file_okay=False),
              help="Look for installed packages here (repeatable; default: this Python's site-packages).")
@click.option("--base", type=click.Path(dir_okay=False), help="Start from this catalog instead of the built-in one.")
@click.option("--today", help="The date written as `checked` and used for `retired` (YYYY-MM-DD).")
@click.option("--show-unknown", is_flag=True, help="List the model ids the catalog does not know.")
def refresh(output: str, from_litellm: Optional[str], site_packages: tuple[str, ...], base: Optional[str],
            today: Optional[str], show_unknown: bool) -> None:
    """Rebuild dates, aliases and prices from data installed packages ship, with no network.

    Reads LiteLLM's bundled cost map, the Anthropic SDK's deprecated-models table and the OpenAI
    SDK's model list (as data; nothing is imported), merges them into the built-in catalog and
    writes the result to --output. Ids the catalog cannot place are reported, never guessed.
    """
    from tokenlint.fsutil import atomic_write_text

    try:
        day = dt.date.fromisoformat(today).isoformat() if today else dt.date.today().isoformat()
    except ValueError:
        _fail(f"--today: '{today}' is not a date (YYYY-MM-DD)")
        return
    litellm_file = Path(from_litellm) if from_litellm else None
    if litellm_file is not None and not litellm_file.is_file():
        _fail(f"--from-litellm: {from_litellm}: no such file")
    for d in site_packages:
        if not Path(d).is_dir():
            _fail(f"--site-packages: {d}: no such directory")
    r = refresh_catalog(_load_base(base), day, _site_dirs(site_packages), litellm_file)
    try:
        atomic_write_text(Path(output), render_catalog(r))
    except OSError as exc:
        _fail(f"{output}: cannot write: {exc.strerror or exc}")
    n_changed = sum(len(v) for v in r.changed.values())
    click.echo(f"wrote {output}: {len(r.models)} models, {len(r.added)} added, {n_changed} values set "
               f"in {len(r.changed)} models, {r.kept} catalog values kept", err=True)
    for label, ids in sorted(r.unknown.items()):
        click.echo(f"{label}: {len(ids)} model ids unknown to the catalog (not added)"
                   + ("" if show_unknown else "; --show-unknown lists them"), err=True)
        if show_unknown:
            for i in ids:
                click.echo(f"  unknown: {i}", err=True)
    for label, ids in sorted(r.malformed.items()):
        click.echo(f"{label}: {len(ids)} malformed entries skipped: {', '.join(ids[:5])}"
                   + (" ..." if len(ids) > 5 else ""), err=True)
