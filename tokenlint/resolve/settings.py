"""What a project sets as a framework's global default models (LlamaIndex `Settings.llm` / `Settings.embed_model`,
`dspy.configure(lm=...)`): the models its runners handed none run, and whether the embedding default sends
anything counted at all.

Read once per run from the files naming the setting's attribute or keyword (the callers' word index); the
framework table (`model_settings`: each setting with the api of the models set there) is catalog data.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional

from tokenlint.resolve.callers import naming_files
from tokenlint.resolve.frameworks import merge_runnables
from tokenlint.resolve.scope import Scope, statements
from tokenlint.resolve.values import Qual, Runnable

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog


class SettingsMixin:
    """The `Resolver`'s reader of frameworks' global model settings (a mixin over the catalog's tables)."""

    catalog: "SdkCatalog"

    def _settings_models(self, fw: Any, embed: bool) -> Optional[Runnable]:
        """The models the project sets as the framework's global defaults (catalog `model_settings`: an
        attribute of a settings object, `Settings.llm = OpenAI(...)`, or a keyword of a settings function,
        `dspy.configure(lm=dspy.LM(...))`), those of embeddings (`embed`) or of language models, merged (each
        value set anywhere may be the one in force); None when it sets none that tokenlint follows. A runner
        handed no model runs these."""
        if not fw.model_settings:
            return None
        memo = self.__dict__.setdefault("_settings_models_memo", {})
        key = (fw.name, embed)
        if key in memo:
            return memo[key]
        memo[key] = None  # (a value read below that asks again finds none)
        parts: list[Runnable] = []
        for name in _setting_names(fw, embed):
            for st, scope in self._statements_in(naming_files(self.project, name, 50) or ()):  # type: ignore[attr-defined]
                values = self._set_models(st, fw, embed, scope)
                if values:
                    parts += [p for p in self._runnables_in(values, scope) if p.models]  # type: ignore[attr-defined]
        memo[key] = merge_runnables(parts)
        return memo[key]

    def _statements_in(self, files: Iterable[str]) -> Iterator[tuple[ast.stmt, Scope]]:
        """Every statement of the project modules `files` (the callers' word index's answer), with its scope."""
        for ms in files:
            info = self.project.module_info(ms)  # type: ignore[attr-defined]
            if info is None:
                continue
            for scope in (info.scope, *info.func_scopes.values()):
                body = getattr(scope.node, "body", None)
                if type(body) is not list:
                    continue  # a lambda's body is one expression
                yield from ((st, scope) for st in statements(body))

    def _set_models(self, st: ast.stmt, fw: Any, embed: bool, scope: Scope) -> list[ast.expr]:
        """The values statement `st` sets as global default models of that kind: `Settings.llm = X` or
        `dspy.configure(lm=X)` (a statement of its own); empty for any other statement."""
        if type(st) is ast.Assign:
            return [st.value for t in st.targets
                    if type(t) is ast.Attribute and self._setting_kind(t.value, t.attr, fw, scope) is embed]
        if type(st) is ast.Expr and type(st.value) is ast.Call:
            call = st.value
            return [k.value for k in call.keywords
                    if k.arg and self._setting_kind(call.func, k.arg, fw, scope) is embed]
        return []

    def _setting_kind(self, target: ast.expr, name: str, fw: Any, scope: Scope) -> Optional[bool]:
        """Whether `target.name` is a model setting of the framework's embeddings (True) or language models
        (False); None when it is none (another object, attribute or keyword)."""
        if type(target) not in (ast.Name, ast.Attribute) or not any(name in spec for spec in fw.model_settings.values()):
            return None  # (the name first: no object is inferred for `self.x = ...`)
        v = self.infer(target, scope)  # type: ignore[attr-defined]
        if not isinstance(v, Qual) or v.called:
            return None
        spec = fw.model_settings.get(self.catalog.canonical(v.qual))
        api = spec.get(name) if spec else None
        return None if api is None else api == "embeddings_model"

    def _embeds_locally(self, fw: Any) -> bool:
        """Whether the project sets the framework's global embedding model (the catalog `model_settings`
        attributes of api "embeddings_model", `Settings.embed_model = ...`) and every value it sets is one
        sending nothing counted: a library object tokenlint does not catalogue as a paid model
        (`HuggingFaceEmbedding(...)`, `MockEmbedding`) or a "local" spec. Never set, set to a paid model or
        to a value not followed: False (the default or that model may spend). Read from the files naming
        the attribute (the callers' word index), once per run."""
        names = _setting_names(fw, True)
        if not names:
            return False
        memo = self.__dict__.setdefault("_local_embed_settings", {})
        if fw.name in memo:
            return memo[fw.name]
        memo[fw.name] = False
        seen, local = 0, True
        for name in names:
            files = naming_files(self.project, name, 50)  # type: ignore[attr-defined]
            for st, scope in self._statements_in(files or ()):
                if type(st) is not ast.Assign or not self._set_models(st, fw, True, scope):
                    continue  # (an assignment only: `Settings.embed_model = ...`)
                seen += 1
                local = local and self._sends_nothing(st.value, scope, fw)
            if files is None:
                local = False  # named too widely to read
        memo[fw.name] = bool(seen) and local
        return memo[fw.name]

    def _sends_nothing(self, e: ast.expr, scope: Scope, fw: Any) -> bool:
        """An embedding model value that sends nothing counted: an object of the framework's own packages
        or of a local-model package that no catalogued paid constructor builds (`HuggingFaceEmbedding`,
        `MockEmbedding`), or a "local..." model spec."""
        if isinstance(e, ast.Constant):
            return isinstance(e.value, str) and e.value.startswith("local")
        v = self.infer(e, scope)  # type: ignore[attr-defined]
        if not isinstance(v, Qual) or not v.called:
            return False
        qual = self.catalog.canonical(v.qual)
        top = qual.split(".", 1)[0]
        local = self.catalog.libraries.local_packages if self.catalog.libraries is not None else frozenset()
        return (top == fw.name or top in local) and \
            self.catalog.constructors.get(qual) is None


def _setting_names(fw: Any, embed: bool) -> list[str]:
    """The attributes and keywords of the framework's model settings (catalog `model_settings`) that set its
    embedding models (`embed`) or its language models, sorted."""
    return sorted({n for spec in fw.model_settings.values() for n, api in spec.items()
                   if (api == "embeddings_model") == embed})
