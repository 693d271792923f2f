"""Issue 10 (scheduling in `newsdesk run`, SIGTERM, SIGHUP) and issue 9 (per-source
back-off shown on the sources page): `newsdesk run` against the demo sources served on
127.0.0.1 plus one source whose server always answers 500.

  1. SIGTERM while the first run ingests: exit status 0, no lease left held, no article
     assigned to a story whose member list lacks it, no article stored twice.
  2. A second run on the same database finishes the work; the demo feeds are polled again
     with conditional GET (If-Modified-Since / If-None-Match) and the 304 counts as a poll
     that worked; the failing source backs off (failures counted, the gap to its next poll
     grows) and this is shown in /api/v1/sources and on /sources.
  3. SIGHUP after changing [site] title: the served pages show the new title; SIGHUP with a
     broken config: logged, the old one kept, still serving.
  4. SIGTERM: exit status 0 and the same consistency checks.

Usage: scheduling.py --bin build/newsdesk --demo data/demo"""
import argparse
import functools
import http.server
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from support import QuietHandler, Workspace  # noqa: E402


class RecordingHandler(QuietHandler):
    """Serves the demo directory and records (path, conditional?, status) per request."""
    log = []

    def send_response(self, code, message=None):
        conditional = bool(self.headers.get("If-Modified-Since") or
                           self.headers.get("If-None-Match"))
        RecordingHandler.log.append((self.path, conditional, code))
        super().send_response(code, message)


class FailingHandler(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):
        FailingHandler.hits += 1
        body = b"broken"
        self.send_response(500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(handler):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, "http://127.0.0.1:%d" % httpd.server_address[1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(ws, title, interval=2, broken=False):
    with open(ws.config, "w") as f:
        f.write('[store]\ndb = "%s"\n\n[fetch]\nallow_networks = ["127.0.0.0/8"]\n'
                'timeout_s = 10\nconnect_timeout_s = 3\n\n[poll]\ninterval_s = %d\n\n'
                '[site]\ntitle = "%s"\n' % (ws.db, interval, title))
        if broken:
            f.write("\n[site\ntitle = = broken\n")


def get(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=10) as resp:
            return resp.status, resp.read().decode("utf-8")
    except OSError:
        return 0, ""


def wait_for(what, predicate, timeout=90):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("timed out waiting for " + what)


class Run:
    """`newsdesk run` in the background, its stderr collected."""

    def __init__(self, ws, port):
        self.base = "http://127.0.0.1:%d" % port
        self.err = []
        self.proc = subprocess.Popen(
            [ws.binary, "run", "--config", ws.config, "--listen", "127.0.0.1:%d" % port,
             "--lease-seconds", "30"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stderr:
            self.err.append(line)

    def stderr(self):
        return "".join(self.err)

    def stop(self, timeout=120):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError("newsdesk run did not stop within %d s after SIGTERM:\n%s" %
                                 (timeout, self.stderr()[-3000:]))


def check_consistent(db):
    con = sqlite3.connect(db)
    try:
        held = con.execute("SELECT COUNT(*) FROM sources WHERE lease_owner <> ''").fetchone()[0]
        assert held == 0, "%d source leases still held after a clean stop" % held
        leases = con.execute("SELECT COUNT(*) FROM leases").fetchone()[0]
        assert leases == 0, "%d named leases still held after a clean stop" % leases
        unsaved = con.execute(
            "SELECT COUNT(*) FROM articles a WHERE a.story_id <> 0 AND NOT EXISTS (SELECT 1 "
            "FROM story_articles sa WHERE sa.story_id = a.story_id AND sa.article_id = a.id)"
        ).fetchone()[0]
        assert unsaved == 0, "%d articles assigned to stories that do not list them" % unsaved
        dup = con.execute("SELECT COUNT(*) - COUNT(DISTINCT url_norm) FROM articles").fetchone()[0]
        assert dup == 0, "articles stored twice"
        return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    finally:
        con.close()


def api_sources(base):
    status, body = get(base, "/api/v1/sources")
    return json.loads(body)["sources"] if status == 200 else []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--demo", required=True)
    args = ap.parse_args()

    demo_httpd, demo = serve(functools.partial(RecordingHandler, directory=args.demo))
    bad_httpd, bad = serve(FailingHandler)
    ws = Workspace(args.bin)
    try:
        write_config(ws, "Desk One")
        r = ws.run("ingest", "--opml", demo + "/demo.opml", "--register-only")
        assert r.returncode == 0, r.stderr
        r = ws.run("ingest", "--feed", bad + "/feed.xml", "--register-only")
        assert r.returncode == 0, r.stderr

        # 1. SIGTERM while the first run is ingesting.
        port = free_port()
        run = Run(ws, port)
        wait_for("the first article request",
                 lambda: any(p.endswith(".html") for p, _, _ in RecordingHandler.log), 60)
        rc = run.stop()
        assert rc == 0, "exit status %d after SIGTERM:\n%s" % (rc, run.stderr()[-3000:])
        first = check_consistent(ws.db)
        print("first run stopped by SIGTERM with %d articles stored" % first)

        # 2. A second run finishes; conditional GET; back-off of the failing source.
        run = Run(ws, port)
        wait_for("the web server", lambda: get(run.base, "/healthz")[0] == 200, 60)

        def failing():
            return next((s for s in api_sources(run.base) if s["url"].startswith(bad)), None)

        seen = {}  # failures -> (last_fetch, next_poll) from the API

        def backed_off_twice():
            s = failing()
            if s and s["failures"] > 0 and s["next_poll"]:
                seen.setdefault(s["failures"], (s["last_fetch"], s["next_poll"]))
            return s is not None and s["failures"] >= 3 and len(seen) >= 2

        wait_for("three failed polls of the failing source", backed_off_twice, 120)

        def gap(failures):
            last, nxt = seen[failures]
            to_unix = lambda t: time.mktime(time.strptime(t[:19], "%Y-%m-%dT%H:%M:%S"))
            return to_unix(nxt) - to_unix(last)

        # (The first run may have polled it once already: compare the first two seen.)
        low, high = sorted(seen)[:2]
        assert gap(high) > gap(low), "back-off did not grow: %s" % seen
        s = failing()
        assert s["last_error"], s
        assert "500" in s["last_error"], s
        # Polled about 3 times (plus robots.txt and tdmrep.json) in the window, not every 2 s.
        assert FailingHandler.hits <= 8, "failing source polled %d times" % FailingHandler.hits

        status, page = get(run.base, "/sources")
        assert status == 200
        assert re.search(r"Consecutive failures: [3-9]", page), "no failure count on /sources"
        assert 'class="next-poll"><time' in page, "no next poll time on /sources"

        # The demo feeds were polled again with validators and answered 304; those polls
        # count as working.
        wait_for("a 304 to a conditional feed request",
                 lambda: any(c and code == 304 for _, c, code in RecordingHandler.log), 60)
        for src in api_sources(run.base):
            if src["url"].startswith(demo):
                assert src["failures"] == 0 and src["last_error"] == "", src
                assert src["access"] == "allowed", src
        wait_for("stories", lambda: "/story/" in get(run.base, "/")[1], 60)

        # 3. SIGHUP reloads the config; a broken one is refused and the old one kept.
        write_config(ws, "Desk Two")
        run.proc.send_signal(signal.SIGHUP)
        wait_for("the new site title", lambda: "Desk Two" in get(run.base, "/")[1], 60)
        write_config(ws, "Desk Three", broken=True)
        run.proc.send_signal(signal.SIGHUP)
        wait_for("the reload error in the log", lambda: "reload:" in run.stderr(), 30)
        time.sleep(1)
        assert run.proc.poll() is None, "a broken config on SIGHUP stopped newsdesk"
        status, page = get(run.base, "/")
        assert status == 200 and "Desk Two" in page and "Desk Three" not in page

        # 4. SIGTERM: clean exit, consistent archive.
        rc = run.stop()
        assert rc == 0, "exit status %d after SIGTERM:\n%s" % (rc, run.stderr()[-3000:])
        total = check_consistent(ws.db)
        assert total >= first and total > 0
        print("scheduling: OK (%d articles; failing source polled %d times)" %
              (total, FailingHandler.hits))
    finally:
        demo_httpd.shutdown()
        bad_httpd.shutdown()
        ws.close()


if __name__ == "__main__":
    main()
