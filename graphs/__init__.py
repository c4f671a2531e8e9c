"""tiermem.graphs — the LangGraph wiring: state, nodes, tools, config, CLI.

Example:
    >>> from tiermem.graphs import TierMemConfig, build_graph
    >>> graph = build_graph(TierMemConfig(data_dir="./.tiermem"))
"""

if __name__ != "tiermem.graphs":  # imported from a source checkout as a top-level package
    raise ImportError(
        f"this folder is the package 'tiermem.graphs', imported here as '{__name__}'; "
        "install tiermem (pip install -e .) and import tiermem.graphs instead"
    )

from typing import TYPE_CHECKING  # noqa: E402

from tiermem.memory.lazy import lazy_exports  # noqa: E402

if TYPE_CHECKING:
    from .builder import build_graph
    from .config import TierMemConfig
    from .services import Services
    from .state import MemoryState, TurnInfo
    from .tools import make_memory_tools

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "MemoryState": "state",
        "Services": "services",
        "TierMemConfig": "config",
        "TurnInfo": "state",
        "build_graph": "builder",
        "make_memory_tools": "tools",
    },
)

__all__ = ["MemoryState", "Services", "TierMemConfig", "TurnInfo", "build_graph", "make_memory_tools"]
