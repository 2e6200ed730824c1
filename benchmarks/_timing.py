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


def best_of_pair(ours, theirs, repeat: int) -> tuple[float, float]:
    """Best wall-clock times of ``ours()`` and ``theirs()``, called alternately ``repeat``
    times each, so that a change in the machine's load affects both sides alike."""
    times: tuple[list, list] = ([], [])
    for _ in range(repeat):
        for func, out in ((ours, times[0]), (theirs, times[1])):
            start = time.perf_counter()
            func()
            out.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def print_ratio(title: str, ours: float, theirs: float, peer: str) -> None:
    """Two lines: what was compared, then both times in ms and cxkit's ratio to the peer."""
    print(title)
    print(f"  cxkit {ours * 1e3:8.1f} ms | {peer} {theirs * 1e3:8.1f} ms | "
          f"ratio {ours / theirs:5.2f}")
