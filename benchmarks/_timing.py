"""Timing helper shared by the benchmark scripts (run them from the repository root)."""

from __future__ import annotations

import time


def best_of(func, repeat: int) -> float:
    """Best wall-clock time of ``repeat`` calls of ``func()``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)
