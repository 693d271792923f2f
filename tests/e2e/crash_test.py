"""Crash safety: `newsdesk run` is killed with SIGKILL at 20 random moments while it ingests
and processes a few hundred generated articles served on 127.0.0.1, restarted each time,
and the final archive must equal an uninterrupted run's: the same articles (URL and content
hash), each stored once, grouped into the same stories, with no story left empty.

The articles are generated here (30 events x 10 outlets, invented vocabulary per event) so
that the grouping does not depend on the order in which articles arrive.

Usage: crash_test.py --bin build/newsdesk [--kills 20] [--seed N]"""
import argparse
import http.server
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

EVENTS = 30
OUTLETS = 10
SYLLABLES = ["ka", "lo", "mer", "vin", "tas", "dor", "pel", "qui", "ran", "sol", "tem", "zu",
             "bar", "cen", "fal", "gor", "hin", "jul", "nev", "os", "pra", "rin", "sk", "var"]
FILLER = ["the", "council", "said", "on", "Tuesday", "that", "officials", "would", "review",
          "plans", "after", "residents", "raised", "questions", "about", "costs", "and",
          "timing", "of", "work", "near", "river", "district", "spokesperson", "added"]


def word(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


def build_site():
    """Returns {path: (content_type, bytes)} for OUTLETS feeds and their articles."""
    rng = random.Random(1234)
    events = [[word(rng) for _ in range(8)] for _ in range(EVENTS)]
    pages = {}
    feeds = {o: [] for o in range(OUTLETS)}
    base_time = 1_790_000_000
    for e, keys in enumerate(events):
        for o in range(OUTLETS):
            own = [word(rng) for _ in range(4)]  # words of this report only
            paras = []
            for p in range(6):
                words = []
                for k in range(14):
                    r = rng.random()
                    if r < 0.45:
                        words.append(keys[(p * 3 + k) % len(keys)])
                    elif r < 0.6:
                        words.append(own[(p + k) % len(own)])
                    else:
                        words.append(rng.choice(FILLER))
                paras.append("<p>" + " ".join(words).capitalize() + ".</p>")
            title = f"{keys[0]} {keys[1]} {keys[2]}: {own[0]} report"
            path = f"/o{o}/e{e}.html"
            published = base_time + e * 7200 + o * 60
            pages[path] = ("text/html; charset=utf-8", (
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<title>{title}</title></head><body><article><h1>{title}</h1>"
                + "\n".join(paras) + "</article></body></html>").encode())
            feeds[o].append((title, path, published))
    for o, items in feeds.items():
        body = [f"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Outlet {o}</title>"
                "<link>http://example.org/</link>"]
        for title, path, published in items:
            date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(published))
            body.append(f"<item><title>{title}</title><link>{{base}}{path}</link>"
                        f"<pubDate>{date}</pubDate></item>")
        body.append("</channel></rss>")
        pages[f"/o{o}/feed.xml"] = ("application/rss+xml", "\n".join(body).encode())
    return pages


class Site:
    """Serves the generated pages; each feed lists its first `visible` items."""

    def __init__(self, pages):
        site = self
        self.pages = pages
        self.visible = 0  # events listed in each feed

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args):
                pass

            def do_GET(self):
                entry = site.pages.get(self.path)
                if entry is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                ctype, body = entry
                if self.path.endswith(".html"):
                    time.sleep(0.01)  # some network latency, so kills land mid-ingest too
                if self.path.endswith("feed.xml"):
                    body = body.replace(b"{base}", site.base.encode())
                    items = re.findall(rb"<item>.*?</item>", body, flags=re.S)
                    for hidden in items[site.visible:]:
                        body = body.replace(hidden, b"")
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass  # the client was killed

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Workspace:
    def __init__(self, binary, root, name):
        self.binary = binary
        self.dir = os.path.join(root, name)
        os.makedirs(self.dir)
        self.db = os.path.join(self.dir, "news.db")
        self.config = os.path.join(self.dir, "newsdesk.toml")
        with open(self.config, "w") as f:
            f.write(f'[store]\ndb = "{self.db}"\n\n[fetch]\nallow_networks = ["127.0.0.0/8"]\n'
                    'timeout_s = 10\nconnect_timeout_s = 3\n\n[poll]\ninterval_s = 1\n')

    def ingest_feeds(self, urls):
        args = [self.binary, "ingest", "--config", self.config]
        for u in urls:
            args += ["--feed", u]
        r = subprocess.run(args, capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise AssertionError("ingest failed: " + r.stderr)

    def start_run(self):
        log = open(os.path.join(self.dir, "run.log"), "ab")
        args = [self.binary, "run", "--config", self.config, "--listen", "127.0.0.1:0"]
        # Leases held by a killed worker expire after --lease-seconds (where the binary has
        # it); keep that short so a restart resumes at once.
        if "--lease-seconds" in subprocess.run([self.binary, "run", "--help"],
                                               capture_output=True, text=True).stdout:
            args += ["--lease-seconds", "2"]
        return subprocess.Popen(args, stdout=log, stderr=log)

    def query(self, sql):
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def done(self, expected):
        try:
            n = self.query("SELECT COUNT(*) FROM articles")[0][0]
            pending = self.query("SELECT COUNT(*) FROM articles WHERE story_id = 0 "
                                 "AND duplicate_of = 0")[0][0]
        except sqlite3.Error:
            return False
        return n >= expected and pending == 0

    def snapshot(self):
        rows = self.query("SELECT url, content_hash, story_id, duplicate_of FROM articles")
        urls = [r[0] for r in rows]
        by_id = self.query("SELECT id, url FROM articles")
        url_of = dict(by_id)
        stories = {}
        for url, _, story, dup in rows:
            stories.setdefault(story, set()).add(url)
        groups = sorted(sorted(m) for s, m in stories.items() if s != 0)
        dups = sorted((u, url_of.get(d, "?")) for u, _, _, d in rows if d)
        empty = self.query("SELECT COUNT(*) FROM stories WHERE id NOT IN "
                           "(SELECT story_id FROM articles)")[0][0]
        return {
            "articles": sorted((r[0], r[1]) for r in rows),
            "duplicate_urls": len(urls) - len(set(urls)),
            "groups": groups,
            "duplicates": dups,
            "empty_stories": empty,
            "stories": self.query("SELECT COUNT(*) FROM stories")[0][0],
        }


def wait_done(ws, proc, expected, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"newsdesk run exited with {proc.returncode}; see "
                                 + os.path.join(ws.dir, "run.log"))
        if ws.done(expected):
            return
        time.sleep(0.2)
    raise AssertionError("newsdesk run did not finish ingesting and processing in time")


def stop(proc, sig):
    proc.send_signal(sig)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    args = ap.parse_args()
    print(f"crash_test: seed {args.seed}", flush=True)
    start = time.time()
    rng = random.Random(args.seed)
    root = tempfile.mkdtemp(prefix="newsdesk-crash-")
    site = Site(build_site())
    feeds = [f"{site.base}/o{o}/feed.xml" for o in range(OUTLETS)]
    expected = EVENTS * OUTLETS
    failures = []
    try:
        clean = Workspace(args.bin, root, "clean")
        crashy = Workspace(args.bin, root, "crashy")
        clean.ingest_feeds(feeds)  # registers the sources (feeds are still empty)
        crashy.ingest_feeds(feeds)
        site.visible = EVENTS

        t0 = time.time()
        proc = clean.start_run()
        wait_done(clean, proc, expected, 600)
        clean_seconds = time.time() - t0
        time.sleep(0.5)
        stop(proc, signal.SIGTERM)
        reference = clean.snapshot()
        print(f"crash_test: uninterrupted run took {clean_seconds:.1f} s: "
              f"{len(reference['articles'])} articles, {reference['stories']} stories",
              flush=True)

        # The crashy archive gets its work in as many slices as there are kills (the feeds
        # list a few more events each time), so that every kill lands while `run` has
        # articles to ingest or process; a restart resumes the work.
        site.visible = 0
        for k in range(args.kills):
            site.visible = -(-(k + 1) * EVENTS // args.kills)
            proc = crashy.start_run()
            delay = rng.uniform(0.2, 2.5)
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            stored = crashy.query("SELECT COUNT(*) FROM articles")[0][0]
            print(f"crash_test: kill {k + 1} after {delay:.2f} s ({stored} articles stored, "
                  f"{time.time() - start:.0f} s in)", flush=True)
        site.visible = EVENTS
        proc = crashy.start_run()
        wait_done(crashy, proc, expected, 600)
        print(f"crash_test: restarted run finished, {time.time() - start:.0f} s in", flush=True)
        time.sleep(0.5)
        stop(proc, signal.SIGTERM)
        print(f"crash_test: stopped, {time.time() - start:.0f} s in", flush=True)
        result = crashy.snapshot()

        for key in ("articles", "groups", "duplicates"):
            if result[key] != reference[key]:
                failures.append(f"{key} differ: {len(result[key])} vs {len(reference[key])}")
        if result["duplicate_urls"]:
            failures.append(f"{result['duplicate_urls']} articles stored twice")
        if result["empty_stories"] or result["stories"] != reference["stories"]:
            failures.append(f"stories: {result['stories']} ({result['empty_stories']} empty) "
                            f"vs {reference['stories']}")
        if len(reference["articles"]) != expected:
            failures.append(f"reference run stored {len(reference['articles'])} of {expected}")
    finally:
        site.close()
        if not failures:
            shutil.rmtree(root, ignore_errors=True)
    if failures:
        print("crash_test: FAILED (seed %d, state kept in %s)" % (args.seed, root))
        for f in failures:
            print("  " + f)
        return 1
    print(f"crash_test: OK, {args.kills} kills, archive equals the uninterrupted run's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
