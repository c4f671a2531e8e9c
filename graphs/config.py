"""TierMemConfig: every setting in one validated model.

Sources, lowest to highest priority: defaults, a TOML file (``tiermem.toml``
in the working directory, or the path in ``TIERMEM_CONFIG``: a warning if it names no file), environment
variables ``TIERMEM_*`` (nested with ``__``, e.g.
``TIERMEM_RETRIEVAL__K=20``), then explicit keyword arguments (the CLI's flags).
A ``TIERMEM_*`` variable that sets nothing is logged as a warning naming the
closest known one (not an error: other tools' ``TIERMEM_`` variables may share
the environment), while an unknown key in the TOML file is an error.

Example:
    >>> TierMemConfig(data_dir="/tmp/mem").short_ttl_hours
    24.0
"""

from __future__ import annotations

import difflib
import logging
import os
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, get_origin

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from tiermem.agents.settings import EpisodeSettings, PromotionSettings, RetrievalSettings
from tiermem.memory.errors import ConfigError
from tiermem.memory.policies import IndexPolicy, NamespaceQuota, ReadCachePolicy
from tiermem.memory.records import DEFAULT_MAX_FUTURE_SKEW, DEFAULT_MAX_TEXT_BYTES

log = logging.getLogger(__name__)


def _config_file() -> Path:
    return Path(os.environ.get("TIERMEM_CONFIG", "tiermem.toml"))


@cache
def _warn_missing(path: str) -> None:
    """Say once per process that ``TIERMEM_CONFIG`` names no file (the settings come from the
    defaults and the environment then)."""
    log.warning("TIERMEM_CONFIG names %r, which is not a file: using the defaults and TIERMEM_* variables", path)


OTHER_VARIABLES = frozenset(
    {"TIERMEM_CONFIG", "TIERMEM_STATE_DIR", "TIERMEM_LOG_LEVEL", "TIERMEM_CACHE_DIR", "TIERMEM_PEER_DIR"}
)
"""``TIERMEM_*`` variables read outside the settings: the config file, the state dir of a
remote data dir, the CLI's log level, the model cache, ``tests/peer``'s work dir."""


def setting_variables(model: type[BaseModel], prefix: str = "TIERMEM_") -> set[str]:
    """Every environment variable that sets a field of ``model`` (a nested one's with ``__``), upper
    case; a mapping field's keys as ``NAME__*`` (``TIERMEM_RETRIEVAL__TIER_WEIGHTS__SHORT``)."""
    names = set()
    for name, field in model.model_fields.items():
        variable = f"{prefix}{name}".upper()
        names.add(variable)
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            names |= setting_variables(field.annotation, f"{variable}__")
        elif get_origin(field.annotation) is dict:
            names.add(f"{variable}__*")
    return names


def warn_unknown_variables(environ: Iterable[str], known: set[str]) -> None:
    """Log a warning for each ``TIERMEM_*`` name in ``environ`` that is not ``known`` (nor in
    :data:`OTHER_VARIABLES`): a misspelt setting is ignored, so it must not pass unseen."""
    mappings = tuple(name.removesuffix("*") for name in known if name.endswith("__*"))
    names = [name for name in known | OTHER_VARIABLES if not name.endswith("*")]
    for name in sorted(n.upper() for n in environ if n.upper().startswith("TIERMEM_")):
        if name not in names and not name.startswith(mappings):
            _warn_unknown(name, tuple(difflib.get_close_matches(name, names, n=1, cutoff=0.75)))


@cache
def _warn_unknown(name: str, closest: tuple[str, ...]) -> None:
    """Say once per process that ``name`` sets nothing, with the closest known variable."""
    hint = f"did you mean {closest[0]}?" if closest else "README's Configuration section lists the settings"
    log.warning("environment variable %s is not a tiermem setting and is ignored; %s", name, hint)


class _SettingsObjectsAsFields(PydanticBaseSettingsSource):
    """The keyword arguments, each settings object among them as the fields it sets, so that
    ``quota=NamespaceQuota(max_bytes=...)`` merges with the file's and the environment's
    ``quota`` settings as ``quota={"max_bytes": ...}`` does (an object replaced them all:
    ``TIERMEM_QUOTA__MAX_ROWS`` was dropped)."""

    def __init__(self, settings_cls: type[BaseSettings], init: PydanticBaseSettingsSource) -> None:
        super().__init__(settings_cls)
        self.init = init

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # values come from __call__

    def __call__(self) -> dict[str, Any]:
        return {k: v.model_dump(exclude_unset=True) if isinstance(v, BaseModel) else v for k, v in self.init().items()}


class TierMemConfig(BaseSettings):
    """All tiermem settings."""

    model_config = SettingsConfigDict(env_prefix="TIERMEM_", env_nested_delimiter="__", extra="forbid")

    data_dir: str = "./.tiermem"
    """LanceDB directory or URI (``s3://...`` works the same), traces, queue and checkpoints.

    A ``pathlib.Path`` is accepted too."""
    embedder: str = "use"
    """``use`` (multilingual, default), ``minilm``, or a sentence-transformers model folder."""
    gate: str = "trained"
    """Registered gate name: ``rule``, ``llm``, ``trained`` (docs/GATE.md compares them)."""
    gate_head: str | None = None
    """The trained gate's head (``NAME.npz`` from ``tiermem gate train``); default: the shipped one."""
    chat_model: str | None = None
    """Local transformers checkpoint folder for answers; default: bundled SmolLM2."""
    max_text_bytes: int = Field(default=DEFAULT_MAX_TEXT_BYTES, ge=1, le=16 * 1024 * 1024)
    max_future_skew_s: float = Field(default=DEFAULT_MAX_FUTURE_SKEW.total_seconds(), ge=0)
    """How many seconds past the wall clock a message or fact time may lie; later ones are rejected."""
    quota: NamespaceQuota = Field(default_factory=NamespaceQuota)
    """Caps per user: ``max_rows`` memories, ``max_bytes`` of text (``TIERMEM_QUOTA__MAX_ROWS``)."""
    short_ttl_hours: float = Field(default=24.0, gt=0)
    """Lifetime of short-term memories."""
    max_new_tokens: int = Field(default=64, ge=1, le=2048)
    history_messages: int = Field(default=6, ge=0)
    """Recent conversation messages passed to a chat model."""
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    prefetch_retrieval: bool = True
    """Start a turn's retrieval once the gate has embedded the message, beside the writes
    (:mod:`tiermem.graphs.prefetch`; ``TIERMEM_PREFETCH_RETRIEVAL=false``: after them)."""
    promotion: PromotionSettings = Field(default_factory=PromotionSettings)
    """The correlation rule: when recurring short-term content moves to mid/long-term."""
    maintenance: IndexPolicy = Field(default_factory=IndexPolicy)
    """Index building, compaction and the background maintainer (``TIERMEM_MAINTENANCE__BACKGROUND=false``)."""
    read_cache: ReadCachePolicy = Field(default_factory=ReadCachePolicy)
    """Recently read users' memories held in memory for their searches (``TIERMEM_READ_CACHE__MAX_ROWS``)."""
    episodes: EpisodeSettings = Field(default_factory=EpisodeSettings)
    """Working memory per session and its consolidation into mid-term episodes (docs/RETRIEVAL.md)."""
    traces: bool = True
    """Save every turn's trace events as JSONL under ``<data_dir>/traces/`` (off the request path)."""

    @field_validator("chat_model")
    @classmethod
    def _chat_model(cls, value: str | None) -> str | None:
        if value is None:
            return None
        folder = Path(os.path.expanduser(value))
        if not (folder / "config.json").is_file():
            raise ValueError(
                f"chat_model {value!r} is no local transformers checkpoint folder (one with a config.json; "
                "nothing is downloaded): give such a folder, or leave it unset for the bundled SmolLM2; "
                "to answer with a LangChain chat model pass chat_model= to build_graph or Services"
            )
        return str(folder)

    @field_validator("data_dir", mode="before")
    @classmethod
    def _data_dir(cls, value: object) -> object:
        if isinstance(value, os.PathLike):
            value = os.fspath(value)
        if isinstance(value, str) and not value.strip():
            raise ValueError("data_dir is empty; set TIERMEM_DATA_DIR or pass --data-dir")
        if isinstance(value, str) and "://" not in value:  # "~/mem": one folder for LanceDB and the rest
            value = os.path.expanduser(value)
        return value

    @property
    def is_local(self) -> bool:
        """Whether the data dir is a local folder (not an object-store URI)."""
        return "://" not in self.data_dir

    def path(self, *parts: str) -> Path:
        """A path under a local data dir (traces, queue, checkpoints)."""
        if not self.is_local:
            base = Path(os.environ.get("TIERMEM_STATE_DIR", "./.tiermem-state"))
        else:
            base = Path(self.data_dir)
        return base.joinpath(*parts)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = _config_file()
        if "TIERMEM_CONFIG" in os.environ and not path.is_file():  # a typo must not pass unseen
            _warn_missing(str(path))
        warn_unknown_variables(os.environ, setting_variables(settings_cls))
        try:
            toml = TomlConfigSettingsSource(settings_cls, path)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(f"config file {str(path)!r} is not valid TOML: {error}") from None
        return (_SettingsObjectsAsFields(settings_cls, init_settings), env_settings, toml)

    @classmethod
    def load(cls, **overrides: Any) -> TierMemConfig:
        """Defaults < TOML file < ``TIERMEM_*`` env < ``overrides`` (``None`` values ignored)."""
        return cls(**{k: v for k, v in overrides.items() if v is not None})
