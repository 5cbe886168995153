"""Which calls on a vector database's collection embed through the embedding function it was built with.

A Chroma collection made with `embedding_function=ef` (`client.get_or_create_collection(name,
embedding_function=OpenAIEmbeddingFunction(...))`) calls `ef` itself on the texts it is handed:
`collection.add(documents=...)` (also `upsert`, `update`) and `collection.query(query_texts=...)`
embed them, a request of `ef`'s model (catalog `[collections]`). Precomputed vectors
(`embeddings=`, `query_embeddings=`) embed nothing, and a collection built with no embedding
function uses Chroma's local default model: neither is a site. `ef` is a catalogued embedding
function (a model object) or an object of a project class whose `__call__` makes the request.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional

from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.scope import Scope, assigned
from tokenlint.resolve.site import CallSite
from tokenlint.resolve.values import Func, Instance, Qual, Runnable, RunnableMethod

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog


class CollectionMixin:
    """The `Resolver`'s collection requests (a mixin: values come from `infer`, sites from the framework
    and wrapper readers)."""

    catalog: "SdkCatalog"

    def _collection_request(self, rec: CallRecord) -> Optional[CallSite]:
        """The site of `collection.add(documents=...)` / `collection.query(query_texts=...)` on a
        collection built with an embedding function that sends its texts to a model, else None."""
        spec = self.catalog.collections
        func = rec.node.func
        if not spec or not isinstance(func, ast.Attribute) or func.attr not in spec["embeds"]:
            return None
        given = {k.arg for k in rec.node.keywords}
        texts, vectors = spec["embeds"][func.attr]
        if texts not in given or vectors in given:
            return None  # nothing to embed, or vectors computed already
        ef = self._embedding_function(func.value, rec.scope)
        if isinstance(ef, Runnable):  # a catalogued embedding function: a request of its model
            site = self._framework_site(rec, RunnableMethod(ef, "__call__"))  # type: ignore[attr-defined]
        elif isinstance(ef, Instance):  # the project's own: what its `__call__` reaches
            site = self._own_function_call(rec, ef)
        else:
            return None
        if site is not None:
            site.api = "embeddings_model"
        return site

    def _embedding_function(self, collection: ast.expr, scope: Scope) -> object:
        """What the `embedding_function=` of the builder call `collection` was made by holds (a name or
        attribute assigned `client.get_or_create_collection(...)` of a catalogued client), else None."""
        spec = self.catalog.collections
        if isinstance(collection, ast.Name):
            found = assigned(collection.id, scope)
        elif isinstance(collection, ast.Attribute):
            found = self._attr_def(collection, scope)  # type: ignore[attr-defined]
        else:
            found = None
        if found is None:
            return None
        built, bscope = found
        if not (isinstance(built, ast.Call) and isinstance(built.func, ast.Attribute)
                and built.func.attr in spec["builders"]):
            return None
        client = self.infer(built.func.value, bscope)  # type: ignore[attr-defined]
        if not (isinstance(client, Qual) and client.qual.split(".", 1)[0] in spec["clients"]):
            return None
        ef = next((k.value for k in built.keywords if k.arg == spec["keyword"]), None)
        return self.infer(ef, bscope) if ef is not None else None  # type: ignore[attr-defined]

    def _own_function_call(self, rec: CallRecord, ef: Instance) -> Optional[CallSite]:
        """A request site at `rec` for what the project class's `__call__` reaches (the provider and model
        of its request), as the collection calls the object."""
        found = self._method_in_chain(ef.cls, "__call__")  # type: ignore[attr-defined]
        fs = found[0].scope.module.func_scopes.get(found[1]) if found is not None else None
        if fs is None:
            return None
        f = Func(found[1], fs, bound=ef)  # type: ignore[arg-type]
        inner = [s for s in self.function_sites(f.node, fs.module) if s.spends]  # type: ignore[attr-defined]
        if not inner:
            return None
        site = self._relay(rec, inner[0], f, "request")  # type: ignore[attr-defined]
        site.target = inner[0].id
        return site
