"""Whole-process measurements for the benchmarks: wall time and peak memory of a command, as a user runs it.

A command is timed from its start to its exit (imports, and anything it
waits for at exit, included), and its peak resident memory is the operating
system's own accounting of that process (``os.wait4``), so nothing of the
benchmark script itself is counted.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass


@dataclass
class Run:
    seconds: float
    peak_mb: float
    returncode: int
    output: str


def run(command: list[str], *, env: dict | None = None, timeout: float = 3600) -> Run:
    """Run a command to its end: its wall time, its peak RSS (MB of 2**20 bytes) and what it printed."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        killer = threading.Timer(timeout, process.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            killer.cancel()
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    return Run(seconds, usage.ru_maxrss / 1024, process.returncode, text)  # ru_maxrss is in kB on Linux


@dataclass
class Summary:
    runs: list[Run]

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)

    def line(self, label: str) -> str:
        seconds = sorted(r.seconds for r in self.runs)
        return (
            f"{label:<30} median {self.median:8.2f} s  (min {seconds[0]:.2f}, max {seconds[-1]:.2f}, "
            f"{len(seconds)} run(s))  peak RSS {self.peak_mb:8,.0f} MB"
        )


def measure(command: list[str], *, repeat: int, env=None, before=None, timeout: float = 3600) -> Summary:
    """Run a command ``repeat`` times (calling ``before()`` first each time, e.g. to empty a cache)."""
    runs = []
    for _ in range(repeat):
        if before is not None:
            before()
        result = run(command, env=env, timeout=timeout)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.output[-2000:]}")
        runs.append(result)
    return Summary(runs)


@dataclass
class Method:
    label: str
    command: list[str]
    env: dict | None = None
    before: object = None


def measure_rounds(methods: list[Method], *, repeat: int, timeout: float = 3600) -> dict[str, Summary]:
    """Run every method once per round, ``repeat`` rounds, and summarise each.

    A shared virtual machine drifts: a minute apart, the same command can
    take a quarter longer. Taking the methods in turn, round after round,
    gives each the same conditions, so the ratios between their medians hold.
    """
    runs: dict[str, list[Run]] = {m.label: [] for m in methods}
    for _ in range(repeat):
        for method in methods:
            if method.before is not None:
                method.before()
            result = run(method.command, env=method.env, timeout=timeout)
            if result.returncode != 0:
                raise SystemExit(f"{' '.join(method.command)} failed ({result.returncode}):\n{result.output[-2000:]}")
            runs[method.label].append(result)
    return {label: Summary(found) for label, found in runs.items()}
