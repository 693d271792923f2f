#!/usr/bin/env python3
"""Issue 10, observability: JSON log lines from an ingest, progress count lines when stderr
is not a terminal, /metrics of `newsdesk run` after it polled and processed the demo
sources, `newsdesk doctor` (a good config, a broken database path, an LLM endpoint on a
closed port) and `newsdesk config show` / bad config exit status 2."""
import argparse
import json
import os
import re
import socket
import subprocess
import sys
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from support import StaticServer, Workspace  # noqa: E402

ARGS = None


def run(ws, *args, env=None, timeout=300):
    cmd = [ws.binary] + list(args) + ["--config", ws.config]
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=full_env)


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def parse_metrics(text):
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, value = line.rsplit(" ", 1)
            samples[key] = float(value)
    return samples


class ObservabilityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sources = StaticServer(ARGS.demo)
        cls.ws = Workspace(ARGS.bin)
        cls.opml = cls.sources.base + "/demo.opml"
        cls.missing = cls.sources.base + "/no-such-page.html"
        cls.ingest = run(cls.ws, "ingest", "--opml", cls.opml, "--url", cls.missing,
                         "--log-format", "json", env={"NEWSDESK_PROGRESS_INTERVAL": "0.001"})
        cls.process = run(cls.ws, "process", env={"NEWSDESK_PROGRESS_INTERVAL": "0.001"})

    @classmethod
    def tearDownClass(cls):
        cls.sources.close()
        cls.ws.close()

    def test_every_json_log_line_of_an_ingest_is_an_object_with_ts_level_msg(self):
        r = self.ingest
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stderr.splitlines()
        self.assertGreater(len(lines), 3, r.stderr)
        events = []
        for line in lines:
            obj = json.loads(line)  # raises (and fails the test) on a non-JSON line
            for key in ("ts", "level", "msg"):
                self.assertIn(key, obj, line)
            self.assertRegex(obj["ts"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
            self.assertIn(obj["level"], ("trace", "debug", "info", "warn", "error"))
            events.append(obj)
        failed = [e for e in events if e.get("event") == "ingest_failed"]
        self.assertEqual(len(failed), 1, r.stderr)
        self.assertEqual(failed[0]["input"], self.missing)
        self.assertEqual(failed[0]["level"], "error")
        self.assertTrue(any(e["msg"].startswith("ingest: ") for e in events), r.stderr)
        polled = [e for e in events if e.get("event") == "source_polled"]
        self.assertGreaterEqual(len(polled), 3, r.stderr)
        self.assertTrue(all(e["source"].startswith(self.sources.base) for e in polled))
        # Progress (not a terminal) comes out as log lines too.
        self.assertTrue(any(re.search(r": \d+/\d+ done \(", e["msg"]) for e in events), r.stderr)

    def test_progress_count_lines_when_stderr_is_not_a_terminal(self):
        r = self.process
        self.assertEqual(r.returncode, 0, r.stderr)
        counts = [l for l in r.stderr.splitlines()
                  if re.fullmatch(r"(cluster|write): \d+/\d+ done \(\d+\.\d/s\)", l)]
        self.assertGreaterEqual(len(counts), 4, r.stderr)
        self.assertNotIn("\r", r.stderr)  # no terminal bar

    def test_config_show_and_bad_config(self):
        r = run(self.ws, "config", "show", "--db", "postgresql://desk:s3cret@db.example/news")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("postgresql://desk:***@db.example/news", r.stdout)
        self.assertNotIn("s3cret", r.stdout)
        self.assertIn('allow_networks = [ "127.0.0.0/8" ]'.replace('"', "'"), r.stdout)
        bad = os.path.join(self.ws.dir, "bad.toml")
        with open(bad, "w") as f:
            f.write('[server]\nthreads = "two"\n')
        r = subprocess.run([self.ws.binary, "process", "--config", bad], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn("server.threads", r.stderr)
        self.assertIn(bad, r.stderr)
        r = run(self.ws, "ingest", "--opml", self.opml, "--log-format", "xml")
        self.assertEqual(r.returncode, 2, r.stderr)

    def doctor(self, config_text):
        path = os.path.join(self.ws.dir, "doctor.toml")
        with open(path, "w") as f:
            f.write(config_text)
        r = subprocess.run([self.ws.binary, "doctor", "--config", path], capture_output=True,
                           text=True, timeout=120)
        checks = {}
        for line in r.stdout.splitlines():
            m = re.match(r"^(ok|WARN|FAIL)\s+(\w+): (.+)$", line)
            self.assertIsNotNone(m, line)
            checks[m.group(2)] = (m.group(1), m.group(3))
        return r, checks

    def test_doctor_good_config(self):
        r, checks = self.doctor('[store]\ndb = "%s"\n' % self.ws.db)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(set(checks), {"config", "database", "llm", "runtime", "sources"})
        self.assertEqual(checks["config"][0], "ok")
        self.assertEqual(checks["database"][0], "ok", checks["database"])
        self.assertIn("not configured", checks["llm"][1])
        self.assertEqual(checks["runtime"][0], "ok", checks["runtime"])
        self.assertIn("source(s)", checks["sources"][1])

    def test_doctor_broken_database_path(self):
        r, checks = self.doctor('[store]\ndb = "%s/no/such/dir/news.db"\n' % self.ws.dir)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertEqual(checks["database"][0], "FAIL")
        self.assertIn("does not exist", checks["database"][1])

    def test_doctor_llm_on_a_closed_port(self):
        url = "http://127.0.0.1:%d/v1" % closed_port()
        r, checks = self.doctor('[store]\ndb = "%s"\n[llm]\nbase_url = "%s"\nmodel = "m"\n'
                                % (self.ws.db, url))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertEqual(checks["llm"][0], "FAIL")
        self.assertIn(url + "/models", checks["llm"][1])
        self.assertEqual(checks["database"][0], "ok")

    def test_doctor_unknown_key(self):
        r, checks = self.doctor('[store]\ndb = "%s"\n[site]\ntitel = "x"\n' % self.ws.db)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertEqual(checks["config"][0], "FAIL")
        self.assertIn("site.titel", checks["config"][1])

    def test_run_serves_metrics_after_polling_and_processing(self):
        ws = Workspace(ARGS.bin)
        try:
            r = ws.run("ingest", "--register-only", "--opml", self.opml)
            self.assertEqual(r.returncode, 0, r.stderr)
            log = open(os.path.join(ws.dir, "run.log"), "w")
            proc = subprocess.Popen([ws.binary, "run", "--config", ws.config, "--listen",
                                     "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=log,
                                    text=True)
            try:
                base = None
                deadline = time.time() + 30
                while time.time() < deadline and base is None:
                    m = re.search(r"serving on (http://[0-9.:]+)/", proc.stdout.readline())
                    base = m.group(1) if m else None
                self.assertIsNotNone(base, "run did not report its address")
                samples = {}
                deadline = time.time() + 180
                while time.time() < deadline:
                    with urllib.request.urlopen(base + "/metrics", timeout=20) as resp:
                        self.assertEqual(resp.headers["Content-Type"],
                                         "text/plain; version=0.0.4; charset=utf-8")
                        samples = parse_metrics(resp.read().decode())
                    if samples.get("newsdesk_stories_written_total", 0) > 0 and \
                            samples.get("newsdesk_pending_articles", 1) == 0:
                        break
                    time.sleep(0.5)
                self.assertGreater(samples.get('newsdesk_fetches_total{result="ok"}', 0), 0,
                                   samples)
                self.assertGreater(samples.get("newsdesk_fetch_bytes_total", 0), 0)
                self.assertGreater(samples.get('newsdesk_articles_total{result="stored"}', 0), 0)
                self.assertGreater(samples.get("newsdesk_stories_created_total", 0), 0)
                self.assertGreater(samples.get("newsdesk_stories_written_total", 0), 0)
                self.assertEqual(samples.get("newsdesk_pending_articles"), 0)
                self.assertTrue(any(k.startswith("newsdesk_http_request_duration_seconds_bucket")
                                    for k in samples), samples)
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
                proc.stdout.close()
                log.close()
        finally:
            ws.close()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--demo", required=True)
    ARGS, rest = p.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
