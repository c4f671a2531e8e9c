"""Exceptions raised by tiermem.

Every message names the value that arrived, the rule it broke and the fix.

    TierMemError
    ├── InvalidInputError (ValueError)        bad text, record or argument
    │   ├── InvalidNamespaceError              namespace id outside the safe charset
    │   ├── TextTooLargeError                  text over the configured byte limit
    │   ├── InvalidFilterError                 a filter key or operator that is not allowed
    │   ├── EmptyLedgerError                   an adapter job for a namespace with no long-term facts
    │   ├── DatasetFormatError                 a benchmark file (e.g. LoCoMo) with missing keys or wrong types
    │   └── ImportFileError                    a memory file row that is not a valid record (names the line)
    ├── QuotaExceededError (ValueError)        a namespace cap (rows, bytes) would be passed
    ├── NotFoundError (KeyError)               a record, thread or job id that does not exist
    ├── EmbedderMismatchError (RuntimeError)   a table built by another embedder
    ├── ModelNotInstalledError (RuntimeError)  a bundled model package is missing
    ├── ConfigError (ValueError)               invalid configuration value
    ├── StoreBusyError (TimeoutError)          another process held the commit lock too long
    ├── AdapterCorruptError (RuntimeError)     an adapter folder fails its manifest checks
    └── LeaseLostError (RuntimeError)          a worker's job lease expired or was taken over
"""

from __future__ import annotations


class TierMemError(Exception):
    """Base class of every error tiermem raises on purpose."""


class InvalidInputError(TierMemError, ValueError):
    """A message, record or argument failed validation; nothing was stored."""


class InvalidNamespaceError(InvalidInputError):
    """A namespace (user) id is empty, too long or uses characters outside the safe set."""


class TextTooLargeError(InvalidInputError):
    """A text is longer than the configured maximum number of UTF-8 bytes."""


class InvalidFilterError(InvalidInputError):
    """A filter names a column or operator that the filter builder does not allow."""


class EmptyLedgerError(InvalidInputError):
    """A namespace has no long-term facts to train an adapter on."""


class DatasetFormatError(InvalidInputError):
    """A benchmark data file is malformed; the message names the sample and the field."""


class ImportFileError(InvalidInputError):
    """A row of a memory file to import is invalid; the message names the file and line."""


class QuotaExceededError(TierMemError, ValueError):
    """A write would take a namespace past its configured cap."""


class NotFoundError(TierMemError, KeyError):
    """The id asked for does not exist (in this namespace)."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else ""


class EmbedderMismatchError(TierMemError, RuntimeError):
    """A table holds vectors from another embedder than the one configured."""


class ModelNotInstalledError(TierMemError, RuntimeError):
    """A bundled model package is not installed."""


class ConfigError(TierMemError, ValueError):
    """A configuration value is invalid."""


class StoreBusyError(TierMemError, TimeoutError):
    """Another process held the data dir's commit lock for longer than the timeout."""


class AdapterCorruptError(TierMemError, RuntimeError):
    """An adapter folder is missing files or its checksums do not match its manifest."""


class LeaseLostError(TierMemError, RuntimeError):
    """A worker no longer holds the lease of the job it is working on."""


class QueueUnreadableError(TierMemError, RuntimeError):
    """The adapter job queue's database cannot be read (damaged, or not SQLite)."""
