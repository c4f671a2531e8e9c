"""tiermem.memory — storage and learning: records, embedders, the tier store, models.

Nothing here imports LangGraph graphs or tiermem's agents.
"""

if __name__ != "tiermem.memory":  # imported from a source checkout as a top-level package
    raise ImportError(
        f"this folder is the package 'tiermem.memory', imported here as '{__name__}'; "
        "install tiermem (pip install -e .) and import tiermem.memory instead"
    )

import os  # noqa: E402

# When the maintainer adds new rows to an IVF index, Lance warns once for each partition they
# leave empty: hundreds of lines a pass on stderr at 1M memories, in the middle of a chat; and a
# compaction that a turn's commit overtook warns that it leaves its files for cleanup (the next
# pass compacts again, the cleanup removes them). Lance reads LANCE_LOG when it is first
# imported, so it is set here; a value of your own wins.
os.environ.setdefault("LANCE_LOG", "warn,lance::index::vector::builder=error,lance::dataset::optimize=error")

from typing import TYPE_CHECKING  # noqa: E402

from tiermem.memory.lazy import lazy_exports  # noqa: E402

if TYPE_CHECKING:
    from .embeddings import BaseEmbedder, Embedder, get_embedder, register_embedder
    from .errors import (
        ConfigError,
        EmbedderMismatchError,
        InvalidFilterError,
        InvalidInputError,
        InvalidNamespaceError,
        ModelNotInstalledError,
        NotFoundError,
        QuotaExceededError,
        TextTooLargeError,
        TierMemError,
    )
    from .records import Fact, GateLabel, MemoryRecord, Tier, validate_namespace, validate_text
    from .store import ErasedRows, ForgetReport, Hit, TierStore

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "BaseEmbedder": "embeddings",
        "ConfigError": "errors",
        "Embedder": "embeddings",
        "EmbedderMismatchError": "errors",
        "ErasedRows": "store",
        "Fact": "records",
        "ForgetReport": "store",
        "GateLabel": "records",
        "Hit": "store",
        "InvalidFilterError": "errors",
        "InvalidInputError": "errors",
        "InvalidNamespaceError": "errors",
        "MemoryRecord": "records",
        "ModelNotInstalledError": "errors",
        "NotFoundError": "errors",
        "QuotaExceededError": "errors",
        "TextTooLargeError": "errors",
        "Tier": "records",
        "TierMemError": "errors",
        "TierStore": "store",
        "get_embedder": "embeddings",
        "register_embedder": "embeddings",
        "validate_namespace": "records",
        "validate_text": "records",
    },
)

__all__ = [
    "BaseEmbedder",
    "ConfigError",
    "Embedder",
    "EmbedderMismatchError",
    "ErasedRows",
    "Fact",
    "ForgetReport",
    "GateLabel",
    "Hit",
    "InvalidFilterError",
    "InvalidInputError",
    "InvalidNamespaceError",
    "MemoryRecord",
    "ModelNotInstalledError",
    "NotFoundError",
    "QuotaExceededError",
    "TextTooLargeError",
    "Tier",
    "TierMemError",
    "TierStore",
    "get_embedder",
    "register_embedder",
    "validate_namespace",
    "validate_text",
]
