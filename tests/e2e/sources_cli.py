#!/usr/bin/env python3
"""Issue 10, sources: `newsdesk sources add/list/remove/import/export` on the binary.

Two local HTTP servers serve small sites written for this test (tests/data/app/sources):
one whose page advertises its feed with <link rel="alternate">, and one whose page does not
but whose host serves /atom.xml. Checks feed discovery, the table and JSON lines of `list`,
an OPML export that re-imports into a fresh database as the same sources, removal, and that
bad input (unknown options, bad durations, a bad OPML file, an unknown source) gives one
line on stderr, exit status 2 and an unchanged database."""
import argparse
import json
import os
import sys
import unittest
import xml.etree.ElementTree as ET

from support import StaticServer, Workspace

ARGS = None
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "app", "sources")


class SourcesCli(unittest.TestCase):
    def setUp(self):
        self.site = StaticServer(os.path.join(DATA, "site"))
        self.bare = StaticServer(os.path.join(DATA, "bare"))
        self.ws = Workspace(ARGS.bin)

    def tearDown(self):
        self.site.close()
        self.bare.close()
        self.ws.close()

    def sources(self, *extra):
        r = self.ws.run("sources", "list", "--json", *extra)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]

    def ok(self, *args):
        r = self.ws.run(*args)
        self.assertEqual(r.returncode, 0, "%s\nstdout: %s\nstderr: %s" % (args, r.stdout, r.stderr))
        return r

    def bad(self, *args, mentions=()):
        """Runs a command that must be refused: exit 2, one stderr line naming the input."""
        r = self.ws.run(*args)
        self.assertEqual(r.returncode, 2, "%s\nstdout: %s\nstderr: %s" % (args, r.stdout, r.stderr))
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, "one line for %s, got:\n%s" % (args, r.stderr))
        for word in mentions:
            self.assertIn(word, lines[0])
        return lines[0]

    def add_all(self):
        wire = self.site.base + "/feeds/wire.xml"
        self.ok("sources", "add", wire, "--section", "world", "--lang", "en",
                "--interval", "15m")
        r = self.ok("sources", "add", self.site.base + "/index.html", "--section", "local")
        self.assertIn("advertised", r.stdout)
        r = self.ok("sources", "add", self.bare.base + "/page.html", "--lang", "zh-Hant",
                    "--interval", "1h30m", "--title", "Wan Chai Daily")
        self.assertIn("/atom.xml", r.stdout)
        r = self.ok("sources", "add", self.site.base + "/plain.html")
        self.assertIn("page", r.stdout)
        self.assertIn("no feed found", r.stdout)
        self.assertIn("read the page: 1 new articles", r.stdout)

    def test_add_discovers_and_list_shows_state(self):
        self.add_all()
        got = {s["url"]: s for s in self.sources()}
        self.assertEqual(len(got), 4, got)
        wire = got[self.site.base + "/feeds/wire.xml"]
        self.assertEqual((wire["kind"], wire["section"], wire["lang"]), ("feed", "world", "en"))
        self.assertEqual((wire["interval"], wire["interval_s"]), ("15m", 900))
        self.assertEqual(wire["title"], "Lantern Wire")  # from the feed
        self.assertEqual(wire["state"], "new")
        for key in ("id", "last_fetch", "last_error", "next_poll", "articles_taken", "access",
                    "failures"):
            self.assertIn(key, wire)
        courier = got[self.site.base + "/feeds/courier.atom"]  # relative href resolved
        self.assertEqual((courier["kind"], courier["title"]), ("feed", "Quarry Bay Courier"))
        bare = got[self.bare.base + "/atom.xml"]
        self.assertEqual((bare["title"], bare["lang"], bare["interval_s"]),
                         ("Wan Chai Daily", "zh-Hant", 5400))
        page = got[self.site.base + "/plain.html"]
        self.assertEqual((page["kind"], page["title"]), ("page", "A single report"))

        table = self.ok("sources", "list").stdout
        header = table.splitlines()[0].split()
        for column in ("ID", "STATE", "KIND", "SECTION", "EVERY", "TAKEN", "URL", "TITLE"):
            self.assertIn(column, header)
        for url in got:
            self.assertIn(url, table)

        # Adding a known URL again updates it rather than adding a second source.
        r = self.ok("sources", "add", self.site.base + "/feeds/wire.xml", "--section", "asia")
        self.assertIn("updated", r.stdout)
        again = {s["url"]: s for s in self.sources()}
        self.assertEqual(len(again), 4)
        self.assertEqual(again[self.site.base + "/feeds/wire.xml"]["section"], "asia")
        self.assertEqual(again[self.site.base + "/feeds/wire.xml"]["interval_s"], 900)

    def test_export_import_round_trip_and_remove(self):
        self.add_all()
        out = os.path.join(self.ws.dir, "subs.opml")
        self.ok("sources", "export", "-o", out)
        root = ET.parse(out).getroot()  # well-formed XML
        self.assertEqual((root.tag, root.get("version")), ("opml", "2.0"))
        feeds = [o for o in root.iter("outline") if o.get("xmlUrl")]
        self.assertEqual(len(feeds), 3)
        for o in feeds:
            self.assertEqual(o.get("type"), "rss")
            self.assertTrue(o.get("text"))
        with open(out) as f:
            self.assertEqual(self.ok("sources", "export").stdout, f.read())

        fresh = os.path.join(self.ws.dir, "fresh.db")
        r = self.ok("sources", "import", out, "--db", fresh)
        self.assertIn("4 sources added", r.stdout)
        keys = ("url", "title", "kind", "section", "lang", "interval_s")
        mine = sorted(tuple(s[k] for k in keys) for s in self.sources())
        theirs = sorted(tuple(s[k] for k in keys) for s in self.sources("--db", fresh))
        self.assertEqual(mine, theirs)

        by_url = {s["url"]: s["id"] for s in self.sources()}
        self.ok("sources", "remove", str(by_url[self.site.base + "/plain.html"]))
        self.ok("sources", "remove", self.bare.base + "/atom.xml")
        left = {s["url"] for s in self.sources()}
        self.assertEqual(left, {self.site.base + "/feeds/wire.xml",
                                self.site.base + "/feeds/courier.atom"})

    def test_bad_input_exits_2_with_one_line_and_changes_nothing(self):
        self.ok("sources", "add", self.site.base + "/feeds/wire.xml")
        before = self.sources()
        truncated = os.path.join(self.ws.dir, "truncated.opml")
        with open(truncated, "w") as f:
            f.write('<?xml version="1.0"?><opml version="2.0"><body>'
                    '<outline text="A" type="rss" xmlUrl="http://a.test/rss"/>'
                    '<outline text="B" type="rss" xmlUrl="http://b.te')
        bad_url = os.path.join(self.ws.dir, "bad-url.opml")
        with open(bad_url, "w") as f:
            f.write('<?xml version="1.0"?><opml version="2.0"><body>'
                    '<outline text="A" type="rss" xmlUrl="http://a.test/rss"/>\n'
                    '<outline text="B" type="rss" xmlUrl="javascript:alert(1)"/></body></opml>')
        self.bad("sources", "add", "--bogus", self.site.base + "/feeds/wire.xml",
                 mentions=["--bogus"])
        self.bad("sources", "list", "--colour", mentions=["--colour"])
        self.bad("sources", "add", self.site.base + "/feeds/courier.atom", "--interval", "5x",
                 mentions=["'5x'", "unit"])
        self.bad("sources", "add", self.site.base + "/feeds/courier.atom", "--interval", "1h30",
                 mentions=["'1h30'"])
        self.bad("sources", "add", self.site.base + "/feeds/courier.atom", "--lang", "english!",
                 mentions=["english!"])
        self.bad("sources", "add", "ftp://example.test/feed", mentions=["ftp://example.test/feed"])
        self.bad("sources", "import", truncated, mentions=[truncated, "not well-formed"])
        self.bad("sources", "import", bad_url, mentions=[bad_url, "line 2", "javascript:"])
        self.bad("sources", "import", os.path.join(self.ws.dir, "missing.opml"),
                 mentions=["missing.opml"])
        self.bad("sources", "remove", "999", mentions=["999"])
        self.bad("sources", "remove", "http://nowhere.test/feed",
                 mentions=["http://nowhere.test/feed"])
        self.bad("sources", "frobnicate", mentions=["subcommand"])
        self.bad("ingest", "--bogus", mentions=["--bogus"])
        self.assertEqual(self.sources(), before)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
