"""``build_graph``: the compiled LangGraph state machine of one memory turn.

Example:
    >>> graph = build_graph()
    >>> out = graph.invoke(
    ...     {"messages": [("user", "I weighed 45 kg today")]},
    ...     {"configurable": {"thread_id": "t1", "user_id": "alice"}},
    ... )
    >>> out["decision"]["tier"]
    'mid'
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt import ToolNode
from langgraph.store.base import BaseStore
from tiermem.memory.errors import ConfigError

from .config import TierMemConfig
from .nodes import make_nodes
from .services import Services
from .state import MemoryState
from .tools import make_memory_tools


def build_graph(
    config: TierMemConfig | None = None,
    *,
    chat_model: BaseChatModel | None = None,
    checkpointer: BaseCheckpointSaver | None = None,
    store: BaseStore | None = None,
    services: Services | None = None,
) -> CompiledStateGraph:
    """Build and compile tiermem's graph.

    Args:
        config: settings (default: :meth:`TierMemConfig.load`, i.e. file + env).
        chat_model: any LangChain chat model to answer with (default: local SmolLM2).
        checkpointer: persists threads (e.g. ``SqliteSaver``); none by default.
        store: any LangGraph ``BaseStore`` (e.g. ``LanceDBStore``) made available to the
            graph's nodes and to parent graphs, as ``compile(store=...)`` does.
        services: prebuilt components to share between graphs (instead of ``config`` and
            ``chat_model``: give those to :class:`Services`).

    Returns:
        A compiled graph, invoked with ``{"messages": [("user", text)]}`` and
        ``{"configurable": {"thread_id": ..., "user_id": ..., "now": ISO-time}}``.

    Raises:
        ConfigError: ``services`` given with ``config`` or ``chat_model`` (they would be ignored).
    """
    if services is not None and (config is not None or chat_model is not None):
        raise ConfigError(
            "build_graph got services and config or chat_model: give them to Services(config, chat_model=...)"
        )
    services = services or Services(config or TierMemConfig.load(), chat_model=chat_model)
    nodes = make_nodes(services)
    graph = StateGraph(MemoryState)
    graph.add_node("ingest", nodes["ingest"])
    graph.add_node("gate", nodes["gate"])
    tools = ToolNode(make_memory_tools(services), messages_key="memory_messages")
    graph.add_node("tools", tools)
    graph.add_node("collect", nodes["collect"])
    graph.add_node("retrieve", nodes["retrieve"])
    graph.add_node("generate", nodes["generate"])
    graph.add_edge(START, "ingest")
    graph.add_edge("ingest", "gate")
    graph.add_conditional_edges("gate", nodes["route_after_gate"])
    graph.add_edge("tools", "collect")
    graph.add_conditional_edges("collect", nodes["route_after_collect"])
    graph.add_edge("retrieve", "generate")
    graph.add_edge("generate", END)
    return graph.compile(checkpointer=checkpointer, store=store, name="tiermem")
