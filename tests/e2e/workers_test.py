"""Issue 8: several worker processes and a web process share one PostgreSQL database.

The demo sources plus a generated set of 5,000 articles (50 feeds of 100 items, 500
events of 10 reports each, written by this test into its temporary directory) are served
over HTTP on 127.0.0.1. A single process on SQLite ingests and processes them: the
reference. Then, on the private PostgreSQL cluster that ctest starts
(tests/support/pg_cluster.sh), the sources are registered, three `run --role worker`
processes and one `run --role web` process start, and once the work is done:
  - every article is stored exactly once (same count as the reference, no URL twice);
  - the stories equal the reference's: the same groups of reports, the same headlines;
  - the web process serves them.
Then again on a fresh database with one worker killed with SIGKILL half-way: its leases
expire, the others take its work over, and the result is the same.
"""
import argparse
import datetime
import html
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from support import StaticServer  # noqa: E402

ARGS = None
FEEDS = 50
EVENTS = 500
REPORTS_PER_EVENT = 10
LEASE_SECONDS = 4
DONE_TIMEOUT_S = 420

SYLLABLES = ["ka", "lor", "ven", "dri", "mos", "tal", "quin", "bre", "zan", "hol", "rith",
             "sop", "nev", "gar", "ulm", "pex", "dor", "ivy", "cra", "mel", "tus", "wen",
             "fo", "bax", "sel", "mun", "trev", "pol", "jik", "ost", "yel", "cu"]


def word(rng, n):
    return "".join(rng.choice(SYLLABLES) for _ in range(n))


def generate(root):
    """Writes gen/feedNN.xml and gen/a/EEEE-J.html; returns the feed paths.

    Every event has words of its own (a person, a place, a thing and six keywords) that
    each of its reports repeats; the rest of a report is drawn from a vocabulary of 3,000
    made-up words, so reports of different events share almost nothing and reports of
    one event share their event's words: the grouping does not depend on the order in
    which reports are seen, and no two reports are near-duplicates of each other."""
    rng = random.Random(8)
    vocab = sorted({word(rng, rng.choice([2, 3])) for _ in range(3200)})[:3000]
    os.makedirs(os.path.join(root, "gen", "a"))
    items = {f: [] for f in range(FEEDS)}
    t0 = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)
    used = set(vocab)

    def fresh(n):  # a word no other event and no filler uses
        while True:
            w = word(rng, n)
            if w not in used:
                used.add(w)
                return w

    for e in range(EVENTS):
        person = fresh(3).capitalize() + " " + fresh(3).capitalize()
        place = fresh(3).capitalize() + "ville"
        thing = fresh(3) + "ite"
        keywords = [fresh(3) + "ex" for _ in range(6)]
        event_words = [person, place, thing] + keywords
        base = t0 + datetime.timedelta(hours=6 * e)
        for j in range(REPORTS_PER_EVENT):
            published = base + datetime.timedelta(minutes=11 * j, seconds=e % 60)
            title = f"{person} and the {thing} of {place}: {keywords[j % 6]} " \
                    f"{keywords[(j + 1) % 6]}"
            paras = []
            for _ in range(4):
                sentences = []
                for _ in range(3):
                    words = rng.sample(vocab, 7) + rng.sample(event_words, 3)
                    rng.shuffle(words)
                    sentences.append(" ".join(words).capitalize() + ".")
                paras.append(" ".join(sentences))
            name = f"{e:04d}-{j}.html"
            body = "".join(f"<p>{p}</p>\n" for p in paras)
            page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                    f"<title>{title}</title>\n"
                    f'<meta property="article:published_time" content="{published.isoformat()}">'
                    f"</head><body><article><h1>{title}</h1>\n{body}</article></body></html>\n")
            with open(os.path.join(root, "gen", "a", name), "w") as f:
                f.write(page)
            feed = (e * REPORTS_PER_EVENT + j) % FEEDS
            items[feed].append((title, "a/" + name, published))
    feeds = []
    for f in range(FEEDS):
        rows = []
        for title, link, published in items[f]:
            rows.append(f"<item><title>{title}</title><link>{link}</link>"
                        f"<guid>{link}</guid><pubDate>"
                        f"{published.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>")
        path = f"gen/feed{f:02d}.xml"
        with open(os.path.join(root, path), "w") as out:
            out.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
                      f"<title>Generated {f:02d}</title><link>./</link>\n" +
                      "\n".join(rows) + "\n</channel></rss>\n")
        feeds.append(path)
    return feeds


def write_opml(root, base, demo_opml, feeds):
    """One list: the demo feeds (absolute URLs) and the generated ones."""
    import xml.etree.ElementTree as ET
    outlines = []
    for o in ET.parse(demo_opml).getroot().iter("outline"):
        if o.get("xmlUrl"):
            outlines.append((o.get("title"), base + "/demo/" + o.get("xmlUrl"),
                             o.get("category", "")))
    for path in feeds:
        outlines.append((os.path.basename(path), base + "/" + path, "/world"))
    lines = [f'<outline text="{html.escape(t)}" title="{html.escape(t)}" type="rss" '
             f'xmlUrl="{html.escape(u)}" category="{html.escape(c)}"/>' for t, u, c in outlines]
    with open(os.path.join(root, "all.opml"), "w") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0"><head><title>'
                "all</title></head><body>\n" + "\n".join(lines) + "\n</body></opml>\n")
    return len(outlines)


def read_text(path):
    with open(path) as f:
        return f.read()


def psql(url, sql):
    r = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-Atq", "-c", sql],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise AssertionError(f"psql: {sql}: {r.stderr}")
    return r.stdout


GROUPS_SQL = ("SELECT sa.story_id, a.url FROM story_articles sa "
              "JOIN articles a ON a.id = sa.article_id ORDER BY sa.story_id, a.url")
HEADLINES_SQL = ("SELECT t.story_id, t.json FROM story_texts t WHERE t.lang = 'en' AND "
                 "t.version = (SELECT MAX(version) FROM story_texts u "
                 "WHERE u.story_id = t.story_id AND u.lang = 'en')")


def stories_of(rows_groups, rows_headlines):
    """{frozenset(member urls): en headline}"""
    members = {}
    for sid, url in rows_groups:
        members.setdefault(sid, set()).add(url)
    headline = {sid: json.loads(j).get("headline", "") for sid, j in rows_headlines}
    return {frozenset(urls): headline.get(sid, "") for sid, urls in members.items()}


def sqlite_stories(path):
    c = sqlite3.connect(path)
    try:
        return stories_of(c.execute(GROUPS_SQL).fetchall(), c.execute(HEADLINES_SQL).fetchall())
    finally:
        c.close()


def pg_stories(url):
    groups = [tuple(l.split("|", 1)) for l in psql(url, GROUPS_SQL).splitlines() if l]
    heads = [tuple(l.split("|", 1)) for l in psql(url, HEADLINES_SQL).splitlines() if l]
    return stories_of(groups, heads)


class WorkersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        try:
            cls.prepare()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def prepare(cls):
        cls.server = None
        with open(os.path.join(ARGS.pg_state, "url")) as f:
            cls.admin = f.read().strip()
        assert cls.admin, "no PostgreSQL cluster URL (did pg_cluster.start run?)"
        cls.dir = tempfile.mkdtemp(prefix="newsdesk-workers-")
        os.symlink(os.path.abspath(ARGS.demo), os.path.join(cls.dir, "demo"))
        feeds = generate(cls.dir)
        cls.server = StaticServer(cls.dir)
        cls.sources = write_opml(cls.dir, cls.server.base, os.path.join(ARGS.demo, "demo.opml"),
                                 feeds)
        cls.opml = cls.server.base + "/all.opml"
        cls.config = os.path.join(cls.dir, "newsdesk.toml")
        with open(cls.config, "w") as f:
            f.write('[fetch]\nallow_networks = ["127.0.0.0/8"]\ntimeout_s = 20\n'
                    'connect_timeout_s = 5\n\n[poll]\ninterval_s = 3600\n')
        # The reference: one process, SQLite.
        cls.ref_db = os.path.join(cls.dir, "reference.db")
        started = time.time()
        r = cls.run_cli("ingest", "--db", cls.ref_db, "--opml", cls.opml, timeout=600)
        assert r.returncode == 0, r.stderr[-3000:]
        r = cls.run_cli("process", "--db", cls.ref_db, timeout=600)
        assert r.returncode == 0, r.stderr[-3000:]
        cls.reference_seconds = time.time() - started
        c = sqlite3.connect(cls.ref_db)
        cls.ref_articles = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        c.close()
        cls.reference = sqlite_stories(cls.ref_db)

    @classmethod
    def tearDownClass(cls):
        if cls.server:
            cls.server.close()
        shutil.rmtree(cls.dir, ignore_errors=True)

    @classmethod
    def run_cli(cls, *args, timeout=300):
        return subprocess.run([ARGS.bin, *args, "--config", cls.config], capture_output=True,
                              text=True, timeout=timeout)

    def fresh_database(self, name):
        psql(self.admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        psql(self.admin, f"CREATE DATABASE {name}")
        self.addCleanup(psql, self.admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        return self.admin.rsplit("/", 1)[0] + "/" + name

    def start(self, db, role, n):
        log = open(os.path.join(self.dir, f"{role}{n}-{os.path.basename(db)}.log"), "w")
        cmd = [ARGS.bin, "run", "--role", role, "--db", db, "--config", self.config,
               "--lease-seconds", str(LEASE_SECONDS), "--worker-name", f"{role}{n}"]
        if role == "web":
            cmd += ["--listen", "127.0.0.1:0"]
            p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True)
        else:
            p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, text=True)
        p.log_path = log.name
        self.addCleanup(self.stop, p, log)
        return p

    @staticmethod
    def stop(p, log):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        log.close()

    def web_base(self, p):
        deadline = time.time() + 30
        while time.time() < deadline:
            line = p.stdout.readline()
            if "serving on http://" in line:
                return line.split("serving on ", 1)[1].strip().rstrip("/")
        self.fail("the web process did not report its address")

    def state(self, db):
        row = psql(db, "SELECT (SELECT COUNT(*) FROM articles), "
                       "(SELECT COUNT(*) FROM articles WHERE story_id = 0 AND duplicate_of = 0), "
                       "(SELECT COUNT(*) FROM sources WHERE last_fetch = 0 OR lease_until > "
                       "EXTRACT(EPOCH FROM now())), "
                       "(SELECT COUNT(*) FROM leases WHERE until > EXTRACT(EPOCH FROM now())), "
                       "(SELECT COUNT(*) FROM articles a WHERE story_id <> 0 AND NOT EXISTS ("
                       "SELECT 1 FROM story_articles sa WHERE sa.story_id = a.story_id "
                       "AND sa.article_id = a.id))").strip()
        return [int(x) for x in row.split("|")]

    def wait_done(self, db, workers):
        """Until every source was polled, nothing is pending or half-written, and no lease
        is held (expired ones are a dead worker's), twice in a row."""
        deadline = time.time() + DONE_TIMEOUT_S
        quiet = 0
        while time.time() < deadline:
            for w in workers:
                self.assertIsNone(w.poll(), f"worker exited: {read_text(w.log_path)[-2000:]}")
            articles, pending, unpolled, leases, unsaved = self.state(db)
            if articles > 0 and pending == 0 and unpolled == 0 and leases == 0 and unsaved == 0:
                quiet += 1
                if quiet == 2:
                    return
            else:
                quiet = 0
            time.sleep(1)
        self.fail(f"workers did not finish in {DONE_TIMEOUT_S} s: state {self.state(db)}")

    def check_result(self, db, web):
        articles = int(psql(db, "SELECT COUNT(*) FROM articles"))
        self.assertEqual(articles, self.ref_articles)
        self.assertEqual(int(psql(db, "SELECT COUNT(DISTINCT url_norm) FROM articles")),
                         articles)
        got = pg_stories(db)
        self.assertEqual(len(got), len(self.reference))
        self.assertEqual(set(got), set(self.reference), "other groups of reports")
        differing = [(sorted(k)[0], self.reference[k], got[k]) for k in got
                     if got[k] != self.reference[k]]
        self.assertEqual(differing, [], "other headlines")
        self.assertEqual(int(psql(db, "SELECT COUNT(*) FROM stories")), len(self.reference))
        # The web process serves the stories the workers wrote.
        rows = psql(db, "SELECT id FROM stories ORDER BY id LIMIT 3").split()
        for sid in rows:
            headline = json.loads(psql(db, "SELECT json FROM story_texts WHERE story_id = "
                                           f"{sid} AND lang = 'en' ORDER BY version DESC "
                                           "LIMIT 1"))["headline"]
            with urllib.request.urlopen(f"{web}/story/{sid}?lang=en", timeout=30) as r:
                page = r.read().decode("utf-8")
                self.assertEqual(r.status, 200)
            self.assertIn(html.escape(headline, quote=False), page)
        with urllib.request.urlopen(f"{web}/api/v1/stories?limit=5", timeout=30) as r:
            self.assertEqual(r.status, 200)

    def test_reference_is_complete(self):
        # Every generated report and the demo's 42 are stored; each generated event is one
        # story of its 10 reports (the set is built so that grouping cannot depend on the
        # order in which workers see the reports).
        self.assertEqual(self.ref_articles, EVENTS * REPORTS_PER_EVENT + 42)
        generated = [g for g in self.reference if any("/gen/" in u for u in g)]
        self.assertEqual(len(generated), EVENTS)
        self.assertEqual({len(g) for g in generated}, {REPORTS_PER_EVENT})

    def test_three_workers_and_a_web_process(self):
        db = self.fresh_database("nd_workers_all")
        r = self.run_cli("ingest", "--register-only", "--db", db, "--opml", self.opml)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(int(psql(db, "SELECT COUNT(*) FROM sources")), self.sources)
        web = self.web_base(self.start(db, "web", 1))
        started = time.time()
        workers = [self.start(db, "worker", n) for n in range(1, 4)]
        self.wait_done(db, workers)
        print(f"3 workers: {time.time() - started:.1f} s; one process on SQLite: "
              f"{self.reference_seconds:.1f} s", file=sys.stderr)
        self.check_result(db, web)
        # Each worker polled some of the sources.
        polled_by = [read_text(w.log_path).count("ingest: ") for w in workers]
        self.assertGreaterEqual(sum(1 for n in polled_by if n > 0), 2, polled_by)

    def test_a_worker_killed_half_way_is_taken_over(self):
        db = self.fresh_database("nd_workers_kill")
        r = self.run_cli("ingest", "--register-only", "--db", db, "--opml", self.opml)
        self.assertEqual(r.returncode, 0, r.stderr)
        web = self.web_base(self.start(db, "web", 1))
        workers = [self.start(db, "worker", n) for n in range(1, 4)]
        deadline = time.time() + DONE_TIMEOUT_S
        while self.state(db)[0] < self.ref_articles // 2:
            self.assertLess(time.time(), deadline, "no progress")
            time.sleep(0.2)
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait()
        held = psql(db, "SELECT COUNT(*) FROM sources WHERE lease_owner = 'worker1'").strip()
        print(f"killed worker1 at {self.state(db)[0]} articles, holding {held} source "
              "leases", file=sys.stderr)
        self.wait_done(db, workers[1:])
        self.check_result(db, web)


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--demo", required=True)
    p.add_argument("--pg-state", required=True)
    p.add_argument("--events", type=int, default=EVENTS,
                   help="generated events (10 reports each); 500 makes the 5,000-article set")
    ARGS, rest = p.parse_known_args()
    globals()["EVENTS"] = ARGS.events
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
