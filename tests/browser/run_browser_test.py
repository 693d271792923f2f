#!/usr/bin/env python3
"""Browser test driver: serves the demo sources on 127.0.0.1, ingests and processes them
into a private store, starts `newsdesk serve` on a free port, then runs site.test.mjs
(playwright-core driving the Debian Chromium) against it. Screenshots go to --out."""
import argparse
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))

from support import Server, StaticServer, Workspace  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--demo", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    args = ap.parse_args()

    if not os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")):
        print("tests/browser/node_modules is missing: run scripts/setup (npm ci)",
              file=sys.stderr)
        return 1
    if not os.access(args.chromium, os.X_OK):
        print(args.chromium + ": no Chromium: run scripts/setup", file=sys.stderr)
        return 1
    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(args.out)

    sources = StaticServer(args.demo)
    ws = Workspace(os.path.abspath(args.bin))
    server = None
    try:
        r = ws.run("ingest", "--opml", sources.base + "/demo.opml")
        if r.returncode != 0:
            print(r.stderr, file=sys.stderr)
            return 1
        r = ws.run("process")
        if r.returncode != 0:
            print(r.stderr, file=sys.stderr)
            return 1
        server = Server(ws)
        profile = os.path.join(ws.dir, "chromium-profile")
        cmd = ["node", os.path.join(HERE, "site.test.mjs"), "--base", server.base,
               "--out", args.out, "--chromium", args.chromium, "--profile", profile]
        return subprocess.run(cmd, timeout=240).returncode
    finally:
        if server is not None:
            server.close()
        sources.close()
        ws.close()


if __name__ == "__main__":
    sys.exit(main())
