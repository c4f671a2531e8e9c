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

from .builder import build_graph  # noqa: E402
from .config import TierMemConfig  # noqa: E402
from .services import Services  # noqa: E402
from .state import MemoryState, TurnInfo  # noqa: E402
from .tools import make_memory_tools  # noqa: E402

__all__ = ["MemoryState", "Services", "TierMemConfig", "TurnInfo", "build_graph", "make_memory_tools"]
