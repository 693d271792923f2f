#!/usr/bin/env python3
"""`newsdesk run` over 10,000 generated articles (500 events x 20 outlets, the crash test's
generator) served on 127.0.0.1: samples the process's RSS every 0.5 s until every article is
stored and processed, and prints the peak (VmHWM) and the RSS over time.

Usage: bench/run_memory.py --bin build-release/newsdesk [--events 500 --outlets 20]"""
import argparse
import os
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "e2e"))
import crash_test  # noqa: E402


def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--events", type=int, default=500)
    ap.add_argument("--outlets", type=int, default=20)
    args = ap.parse_args()
    crash_test.EVENTS = args.events
    crash_test.OUTLETS = args.outlets
    expected = args.events * args.outlets
    site = crash_test.Site(crash_test.build_site())
    root = tempfile.mkdtemp(prefix="newsdesk-runmem-")
    ws = crash_test.Workspace(os.path.abspath(args.bin), root, "ws")
    ws.ingest_feeds([f"{site.base}/o{o}/feed.xml" for o in range(args.outlets)])
    site.visible = args.events
    start = time.time()
    proc = ws.start_run()
    samples = []
    try:
        while True:
            time.sleep(0.5)
            if proc.poll() is not None:
                print("newsdesk run exited early", file=sys.stderr)
                return 1
            rss = status_kb(proc.pid, "VmRSS")
            samples.append((time.time() - start, rss))
            if len(samples) % 20 == 0:
                n = ws.query("SELECT COUNT(*) FROM articles")[0][0]
                print(f"{time.time() - start:6.0f} s  {n:6d} articles  RSS {rss / 1024:.0f} MB",
                      flush=True)
            if ws.done(expected):
                break
        hwm = status_kb(proc.pid, "VmHWM")
        elapsed = time.time() - start
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        site.close()
    n = ws.query("SELECT COUNT(*) FROM articles")[0][0]
    s = ws.query("SELECT COUNT(*) FROM stories")[0][0]
    print(f"run_memory: {n} articles, {s} stories in {elapsed:.0f} s; peak RSS (VmHWM) "
          f"{hwm / 1024:.0f} MB; RSS at end {samples[-1][1] / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
