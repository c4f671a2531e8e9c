"""Serve many namespaces from one base model, each with its active adapter.

:class:`AdapterGenerator` is a drop-in :class:`~tiermem.memory.generation.LocalGenerator`:
``generate(messages, namespace=...)`` reads the namespace's registry
pointer on every call (one small file), loads a newly promoted version with
peft's multi-adapter ``load_adapter`` the first time it is needed, switches
to it with ``set_adapter`` and reports the version in
:attr:`~tiermem.memory.generation.Generation.adapter_version`. A namespace
without an adapter is answered by the base model. A version whose files
fail their checksums is never loaded: the namespace keeps the version it
was served with before, or the base model.

Adapters are attached to a private copy of the base model, created on
first use, so the shared model of :func:`~tiermem.memory.models.load_local_chat_model`
is never modified.

Example:
    >>> generator = AdapterGenerator(AdapterRegistry(".tiermem/adapters"))
    >>> generator.generate([{"role": "user", "content": "How much do I weigh?"}], namespace="alice")
    Generation(text='Your weight is 45 kg.', adapter_version='v0002')
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from datetime import datetime

from peft import PeftModel

from ..errors import AdapterCorruptError, NotFoundError
from ..generation import Generation, LocalGenerator, check_request
from .config import Runtime
from .decoding import greedy_generate
from .device import load_base
from .registry import AdapterRegistry, AdapterVersion

log = logging.getLogger(__name__)


def adapter_name(namespace: str, version: str, saved_at: datetime) -> str:
    """A peft adapter name for one saved version (module keys may not contain dots): its
    namespace, name and save time, so a name reused after its version was purged (a lost
    version counter) never reaches the weights loaded under it before."""
    key = f"{namespace}\0{saved_at.isoformat()}".encode()
    return f"a{hashlib.sha1(key).hexdigest()[:16]}_{version}"


def _name(version: AdapterVersion) -> str:
    return adapter_name(version.namespace, version.version, version.manifest.created_at)


class AdapterGenerator(LocalGenerator):
    """A :class:`LocalGenerator` that answers each namespace with its active adapter.

    Args:
        registry: where promoted adapters are found.
        checkpoint: base model checkpoint folder; default: the bundled SmolLM2.
        max_loaded: adapters kept in memory; the least recently used is dropped.
    """

    def __init__(self, registry: AdapterRegistry, checkpoint: str | None = None, *, max_loaded: int = 8) -> None:
        super().__init__(checkpoint)
        self.registry = registry
        self.max_loaded = max(1, max_loaded)
        self._checkpoint = checkpoint
        self._peft: PeftModel | None = None
        self._loaded: OrderedDict[str, str] = OrderedDict()
        """adapter name -> namespace, least recently used first."""
        self._serving: dict[str, AdapterVersion] = {}
        """namespace -> the version it was last answered with."""

    def generate(
        self, messages: list[dict[str, str]], *, max_new_tokens: int = 64, namespace: str | None = None
    ) -> Generation:
        """Answer ``messages`` with ``namespace``'s active adapter (base model if none).

        Args:
            messages: the chat so far, system message first if any.
            max_new_tokens: generation budget.
            namespace: whose adapter to use; ``None`` answers with the base model.

        Raises:
            InvalidInputError: no messages, or a budget below one token.
        """
        check_request(messages, max_new_tokens)
        version = self._version(namespace) if namespace is not None else None
        if version is None:
            return super().generate(messages, max_new_tokens=max_new_tokens)
        with self._lock:
            model = self._activate(version)
            [(text, _)] = greedy_generate(model, self.tokenizer, [messages], max_new_tokens=max_new_tokens)
        return Generation(text=text, adapter_version=version.version)

    def _version(self, namespace: str) -> AdapterVersion | None:
        """The version to serve: the active one if loadable, else the one served before while it
        is still stored (a purged version is never served again), else none (the base model)."""
        current = self._serving.get(namespace)
        try:
            name = self.registry.active_name(namespace)
            if name is None:
                self._serving.pop(namespace, None)
                return None
            if current is not None and current.version == name and self.registry.unchanged(current):
                return current
            version = self.registry.get(namespace, name)
        except (AdapterCorruptError, NotFoundError) as exc:
            log.error("not loading the active adapter of %s: %s", namespace, exc)
            if current is not None and not current.path.is_dir():  # purged since (forgotten): never again
                self._serving.pop(namespace, None)
                return None
            return current
        self._serving[namespace] = version
        return version

    def _activate(self, version: AdapterVersion) -> PeftModel:
        """Load ``version`` if needed, make it the active adapter, return the peft model."""
        name = _name(version)
        if self._peft is None:
            base, _ = load_base(Runtime(checkpoint=self._checkpoint, device="cpu"))
            self._peft = PeftModel.from_pretrained(base, str(version.path), adapter_name=name)
            self._peft.eval()
        elif name not in self._loaded:
            self._peft.load_adapter(str(version.path), adapter_name=name)
        self._loaded[name] = version.namespace
        self._loaded.move_to_end(name)
        self._peft.set_adapter(name)
        self._evict(self._peft, keep=name)
        return self._peft

    def _evict(self, model: PeftModel, keep: str) -> None:
        """Drop superseded versions and, past ``max_loaded``, the least recently used."""
        served = {_name(v) for v in self._serving.values()}
        stale = [n for n in self._loaded if n != keep and n not in served]
        fresh = [n for n in self._loaded if n != keep and n in served]
        surplus = fresh[: max(0, len(fresh) + 1 - self.max_loaded)]
        for name in [*stale, *surplus]:
            model.delete_adapter(name)
            del self._loaded[name]
