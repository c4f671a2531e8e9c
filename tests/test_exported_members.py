"""``__all__`` of each package equals its documented public API, and every name resolves."""

import importlib

import pytest

PUBLIC = {
    "tiermem.graphs": {"MemoryState", "Services", "TierMemConfig", "TurnInfo", "build_graph", "make_memory_tools"},
}


@pytest.mark.parametrize("module", ["tiermem.graphs", "tiermem.agents", "tiermem.memory"])
def test_all_names_resolve(module: str) -> None:
    mod = importlib.import_module(module)
    for name in mod.__all__:
        assert hasattr(mod, name), f"{module}.{name} is in __all__ but missing"
    assert mod.__all__ == sorted(mod.__all__)


def test_graphs_public_api() -> None:
    assert set(importlib.import_module("tiermem.graphs").__all__) == PUBLIC["tiermem.graphs"]
