"""A small HTTP load generator, run as its own process by bench/run.py.

Reads one scenario as JSON on stdin and prints the result as JSON on stdout:

    {"host", "port", "concurrency", "warmup", "duration", "processes",
     "requests": [{"method", "path", "headers": {...}, "body": str | null}, ...]}

Each client is a thread holding one keep-alive connection; clients are spread over a few
processes so that the generator is not held back by one interpreter lock. Client i sends
requests[i], requests[i + concurrency], ... in turn; each "{uuid}" in a body becomes a fresh
UUID, so every progress event is new. Only requests finished inside the measured window count,
but for `all_requests`, which bench/run.py divides CPU time by.
"""

import http.client
import json
import multiprocessing
import sys
import threading
import time
import uuid


def client(spec, index, stop_at, measure_from, out):
    requests = spec["requests"]
    step = spec["concurrency"]
    conn = http.client.HTTPConnection(spec["host"], spec["port"], timeout=30)
    n = index
    while True:
        req = requests[n % len(requests)]
        n += step
        body = req.get("body")
        if body is not None:
            parts = body.split("{uuid}")  # each placeholder gets its own id
            body = "".join(
                part + (str(uuid.uuid4()) if i < len(parts) - 1 else "")
                for i, part in enumerate(parts)
            ).encode()
        started = time.monotonic()
        if started >= stop_at:
            break
        try:
            conn.request(req["method"], req["path"], body=body, headers=req.get("headers", {}))
            response = conn.getresponse()
            size = len(response.read())
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            status, size = type(error).__name__, 0
            conn.close()
            conn = http.client.HTTPConnection(spec["host"], spec["port"], timeout=30)
        finished = time.monotonic()
        counted = started >= measure_from and finished <= stop_at
        out.append((status, finished - started, size, counted))
    conn.close()


def process(spec, indexes, stop_at, measure_from, queue):
    results: list = []
    threads = [
        threading.Thread(target=client, args=(spec, i, stop_at, measure_from, results))
        for i in indexes
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(results)


def run(spec: dict) -> dict:
    start = time.monotonic() + 0.5  # let every process start before the clock runs
    measure_from = start + spec["warmup"]
    stop_at = measure_from + spec["duration"]
    processes = min(spec.get("processes", 2), spec["concurrency"])
    queue = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(
            target=process,
            args=(spec, range(p, spec["concurrency"], processes), stop_at, measure_from, queue),
        )
        for p in range(processes)
    ]
    for worker in workers:
        worker.start()
    every = [row for _ in workers for row in queue.get()]
    for worker in workers:
        worker.join()
    results = [row[:3] for row in every if row[3]]  # those inside the measured window
    latencies = sorted(latency for _, latency, _ in results)
    statuses: dict[str, int] = {}
    for status, _, _ in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    ok = sum(count for status, count in statuses.items() if status.startswith("2"))

    def percentile(p):
        return latencies[min(int(p * len(latencies)), len(latencies) - 1)] if latencies else None

    return {
        "requests": len(results),
        "ok": ok,
        "errors": len(results) - ok,
        "statuses": statuses,
        "per_second": len(results) / spec["duration"],
        "ok_per_second": ok / spec["duration"],
        "median_ms": percentile(0.5) * 1000 if latencies else None,
        "p95_ms": percentile(0.95) * 1000 if latencies else None,
        "bytes": sum(size for _, _, size in results),
        # Warm-up included: bench/run.py divides the CPU time of the whole run by these.
        "all_requests": len(every),
    }


if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout)
