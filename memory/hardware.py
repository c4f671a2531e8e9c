"""What this machine's CPU computes natively."""

from __future__ import annotations


def cpu_has_native_bf16() -> bool:
    """Whether this CPU computes bf16 products natively (AVX512-BF16 or AMX), where a bf16 matrix
    product is 2-2.5x as fast as a float32 one."""
    import torch  # not at import time: a store that never loads a namespace needs no torch

    checks = (getattr(torch.cpu, name, None) for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported"))
    return any(check is not None and check() for check in checks)
