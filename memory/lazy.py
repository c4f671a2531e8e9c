"""Lazy package exports (PEP 562): a package's public names are imported on first use.

``tiermem --help`` and a script that needs only the errors or the records should
not pay for torch and LanceDB, which most of the public names pull in.

Example:
    >>> __getattr__, __dir__ = lazy_exports(__name__, {"TierStore": "store"})
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from types import ModuleType


def lazy_exports(package: str, exports: Mapping[str, str]) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """Return a package's ``__getattr__`` and ``__dir__`` for ``exports`` (name -> submodule).

    A name is imported from its submodule the first time it is read and then kept
    in the package's namespace; any other name is tried as a submodule
    (``tiermem.memory.store``), as a plain package would have it once imported.
    """

    def __getattr__(name: str) -> object:
        module_name = exports.get(name)
        package_module = importlib.import_module(package)
        if module_name is None:
            if name.startswith("__"):
                raise AttributeError(f"module {package!r} has no attribute {name!r}")
            try:
                return importlib.import_module(f"{package}.{name}")
            except ModuleNotFoundError as missing:
                if missing.name != f"{package}.{name}":
                    raise
                raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(f"{package}.{module_name}"), name)
        setattr(package_module, name, value)
        return value

    def __dir__() -> list[str]:
        package_module: ModuleType = importlib.import_module(package)
        return sorted(set(vars(package_module)) | set(exports))

    return __getattr__, __dir__
