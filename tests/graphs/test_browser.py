"""The trace page rendered by headless Chromium: its DOM and a screenshot.

``make test`` installs Debian's ``chromium`` first (``make browser``); the
test is skipped only where it could not be installed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models import GenericFakeChatModel
from PIL import Image
from tiermem.graphs import build_graph
from tiermem.graphs.services import Services
from tiermem.graphs.trace_html import render_html
from tiermem.graphs.trace_store import TraceStore
from tiermem.graphs.trace_writer import TraceWriter

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed and `make browser` could not install it"
)
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
]  # fmt: skip
CONVERSATION = [
    ("2024-05-01T08:00:00", "I weighed 47 kg this morning."),
    ("2024-05-02T19:30:00", "Haha, that's funny."),
    ("2024-05-03T08:00:00", "今天称重45kg"),
    ("2024-05-03T09:00:00", "How much do I weigh now?"),
]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    command = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


@pytest.fixture
def page(services: Services, tmp_path: Path) -> Path:
    services.chat_model = GenericFakeChatModel(messages=iter(["Noted.", "Ha!", "好的", "Your weight is 45 kg."]))
    graph = build_graph(services=services)
    for at, text in CONVERSATION:
        graph.invoke(
            {"messages": [("user", text)]}, {"configurable": {"user_id": "alice", "thread_id": "w", "now": at}}
        )
    TraceWriter.shared().flush()
    path = tmp_path / "trace.html"
    path.write_text(render_html("w", TraceStore(services.config.path("traces")).turns("w")), encoding="utf-8")
    return path


def colour_share(image: Any, rgb: tuple[int, int, int], box: tuple[int, int, int, int] | None = None) -> float:
    """Share of the pixels (in ``box``) within a small distance of ``rgb``."""
    region = (image.crop(box) if box else image).convert("RGB")
    pixels = list(region.getdata())
    return sum(all(abs(a - b) <= 12 for a, b in zip(p, rgb, strict=True)) for p in pixels) / len(pixels)


def test_chromium_renders_the_timeline(page: Path, tmp_path: Path) -> None:
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert dom.count('<article class="turn') == len(CONVERSATION)
    assert '<article class="turn tier-mid" id="turn-3">' in dom and "今天称重45kg" in dom
    assert '<span class="chip">user.weight = 45 kg</span>' in dom
    assert 'href="#turn-3">written in turn 3</a>' in dom  # turn 4's retrieval links back to the turn that wrote it
    assert "adapter: none (base weights)" in dom and "<script" not in dom


def test_chromium_screenshot_shows_the_styled_page(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "trace.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,900", page.as_uri())
    with Image.open(shot) as image:
        assert image.format == "PNG" and image.size == (1280, 900)
        assert colour_share(image, (0x1D, 0x23, 0x30), (0, 0, 1280, 60)) > 0.8  # the dark header
        assert colour_share(image, (0xF5, 0xF7, 0xFA)) > 0.2  # the page background
        assert colour_share(image, (0xD9, 0x8A, 0x00)) > 0.0005  # mid-tier badges and timeline dots
