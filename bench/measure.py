"""Measurements: throughput and latency (through bench/load.py, a process of its own), CPU
time per request read from /proc, and a CSV export's memory (query counts: bench/queries.py)."""

import http.client
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.prepare import ROOT
from bench.server import workers_of


def load(spec: dict) -> dict:
    """Run one scenario from bench/load.py; its JSON result (see that module)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py")],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=True,
        timeout=spec["warmup"] + spec["duration"] + 120,
    )
    return json.loads(done.stdout)


def cpu_seconds(pids) -> float:
    """User plus system CPU time these processes have used so far."""
    ticks = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue  # ended meanwhile
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": field 3 onwards
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return ticks / os.sysconf("SC_CLK_TCK")


def processes_named(name: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    pids.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return pids


def busy_seconds() -> float:
    """CPU time the whole machine has spent busy (not idle, not waiting for disk)."""
    user, nice, system, _idle, _iowait, irq, softirq = Path("/proc/stat").read_text().split()[1:8]
    ticks = int(user) + int(nice) + int(system) + int(irq) + int(softirq)
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(server: subprocess.Popen) -> dict[str, float]:
    """CPU seconds used so far by the app, Redis and the load generator (this process's
    waited-for children), and by the whole machine. PostgreSQL is counted as the machine's
    remainder: its backends come and go (CONN_MAX_AGE), taking their counts with them."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "app": cpu_seconds([server.pid, *workers_of(server)]),
        "redis": cpu_seconds(processes_named("redis-server")),
        "load": children.ru_utime + children.ru_stime,
        "machine": busy_seconds(),
    }


def cpu_per_request(before: dict, after: dict, requests: int) -> dict[str, float]:
    used = {part: (after[part] - before[part]) * 1000 / max(requests, 1) for part in after}
    machine = used.pop("machine")
    # PostgreSQL and whatever else ran (the kernel's network work, this script).
    used["database"] = max(machine - sum(used.values()), 0.0)
    return used


def memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def csv_export(port: int, key: str, force: str, server: subprocess.Popen) -> dict:
    """Stream one force's CSV; rows per second, and the serving worker's memory: resident
    before, and its peak (VmHWM, reset first through clear_refs) during the export."""
    workers = workers_of(server)
    before = {}
    for pid in workers:
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM to the current RSS
        before[pid] = memory_kb(pid, "VmRSS")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.monotonic()
    conn.request(
        "GET",
        f"/api/v1/forces/{force}/completions/?format=csv",
        headers={"Authorization": f"Bearer {key}"},
    )
    response = conn.getresponse()
    lines = size = 0
    while chunk := response.read(1 << 16):
        lines += chunk.count(b"\n")
        size += len(chunk)
    seconds = time.monotonic() - started
    growth = {pid: memory_kb(pid, "VmHWM") - before[pid] for pid in workers}
    serving = max(growth, key=growth.get)
    return {
        "status": response.status,
        "rows": max(lines - 1, 0),
        "megabytes": size / 1e6,
        "seconds": seconds,
        "rows_per_second": max(lines - 1, 0) / seconds,
        "rss_before_mb": before[serving] / 1024,
        "peak_growth_mb": growth[serving] / 1024,
    }
