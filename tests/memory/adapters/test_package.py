"""The package's public API resolves lazily and importing the queue never loads torch."""

from __future__ import annotations

import subprocess
import sys

import tiermem.memory.adapters as adapters


def test_all_names_resolve() -> None:
    assert adapters.__all__ == sorted(adapters.__all__)
    for name in adapters.__all__:
        assert getattr(adapters, name) is not None


def test_enqueueing_does_not_import_torch(tmp_path) -> None:
    code = (
        "import sys; from tiermem.memory.adapters import JobQueue; "
        f"JobQueue({str(tmp_path / 'q.sqlite')!r}).enqueue('alice'); "
        "print('torch' in sys.modules, 'peft' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
