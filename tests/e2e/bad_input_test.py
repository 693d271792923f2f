#!/usr/bin/env python3
"""Bad input (issue 2): a missing file, an unreachable URL, a page that is not a feed and
broken HTML each give one line naming the input and the reason; the other sources are
still ingested; the exit status is non-zero only when nothing could be done."""
import argparse
import os
import sqlite3
import sys
import unittest

from support import StaticServer, Workspace

ARGS = None


class BadInput(unittest.TestCase):
    def setUp(self):
        self.sources = StaticServer(ARGS.demo)
        self.ws = Workspace(ARGS.bin)
        self.broken = os.path.join(self.ws.dir, "broken.html")
        with open(self.broken, "wb") as f:
            f.write(b"<html><body><div><p>\xff\xfe<<<</div></span><script>")
        self.missing = os.path.join(self.ws.dir, "no-such-feed.xml")
        self.unreachable = "http://127.0.0.1:9/feed.xml"
        # A page that is neither a feed nor advertises one.
        self.not_a_feed = os.path.join(self.ws.dir, "plain-page.html")
        with open(self.not_a_feed, "w") as f:
            f.write("<html><head><title>Hello</title></head><body><p>Just a page.</p></body></html>")
        self.good = self.sources.base + "/meridian-wire/feed.rss"

    def tearDown(self):
        self.sources.close()
        self.ws.close()

    def articles(self):
        con = sqlite3.connect(self.ws.db)
        try:
            return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            con.close()

    def error_lines(self, stderr):
        return [l for l in stderr.splitlines() if l.startswith("error:")]

    def test_bad_sources_do_not_stop_the_good_one(self):
        r = self.ws.run("ingest", "--feed", self.missing, "--feed", self.unreachable,
                        "--feed", self.not_a_feed, "--url", self.broken, "--feed", self.good)
        self.assertEqual(r.returncode, 0, r.stderr)
        errors = self.error_lines(r.stderr)
        for name in (self.missing, self.unreachable, self.not_a_feed, self.broken):
            lines = [l for l in errors if name in l]
            self.assertEqual(len(lines), 1, "one line for %s in:\n%s" % (name, r.stderr))
            reason = lines[0].rsplit(name, 1)[-1]
            self.assertGreater(len(reason.strip(" :")), 5, "a reason for " + name)
        self.assertGreater(self.articles(), 0)

    def test_nothing_done_is_a_failure(self):
        r = self.ws.run("ingest", "--feed", self.missing, "--feed", self.unreachable)
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(len(self.error_lines(r.stderr)), 2, r.stderr)

    def test_bad_usage_exits_2(self):
        r = self.ws.run("ingest", "--no-such-option")
        self.assertEqual(r.returncode, 2)
        r = self.ws.run("ingest")
        self.assertEqual(r.returncode, 2)

    def test_bad_config_names_the_key_and_file(self):
        with open(self.ws.config, "a") as f:
            f.write("\n[site]\ntitel = \"typo\"\n")
        r = self.ws.run("process")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("site.titel", r.stderr)
        self.assertIn(self.ws.config, r.stderr)


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--demo", required=True)
    ARGS, rest = p.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
