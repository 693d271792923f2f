#!/usr/bin/env python3
"""End-to-end test of the foundation (issue 2): the demo sources are served over HTTP on
127.0.0.1, ingested through `newsdesk ingest --opml`, processed with `newsdesk process`,
and served by `newsdesk serve` on a free port. Over HTTP it checks that the front page
lists every story, and that story pages in en, zh-Hans and zh-Hant have the headline, the
dek, a body with citation markers, sources with links, the disclaimer in that language and
related stories. Ingesting the same sources twice stores nothing twice."""
import argparse
import html
import json
import re
import sqlite3
import sys
import unittest
import urllib.parse

from support import Server, StaticServer, Workspace

ARGS = None

DISCLAIMER = {
    "en": "written by software",
    "zh-Hans": "本文由软件",
    "zh-Hant": "本文由軟體",
}


def count(db, sql):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


class DemoSite(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sources = StaticServer(ARGS.demo)
        cls.ws = Workspace(ARGS.bin)
        opml = cls.sources.base + "/demo.opml"
        r = cls.ws.run("ingest", "--opml", opml)
        assert r.returncode == 0, r.stderr
        cls.first_ingest = r
        cls.articles_after_first = count(cls.ws.db, "SELECT COUNT(*) FROM articles")
        # The same sources again: nothing new is stored.
        cls.second_ingest = cls.ws.run("ingest", "--opml", opml)
        cls.articles_after_second = count(cls.ws.db, "SELECT COUNT(*) FROM articles")
        r = cls.ws.run("process")
        assert r.returncode == 0, r.stderr
        cls.server = Server(cls.ws)
        status, _, body = cls.server.get("/api/v1/stories?limit=200")
        assert status == 200, body
        cls.stories = json.loads(body)["stories"]

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.sources.close()
        cls.ws.close()

    def test_every_demo_article_is_ingested(self):
        self.assertGreaterEqual(self.articles_after_first, 40, self.first_ingest.stderr)
        self.assertNotIn("error:", self.first_ingest.stderr)

    def test_second_ingest_stores_nothing_twice(self):
        self.assertEqual(self.second_ingest.returncode, 0, self.second_ingest.stderr)
        self.assertEqual(self.articles_after_first, self.articles_after_second)
        self.assertIn(" 0 new articles", self.second_ingest.stderr)
        self.assertEqual(count(self.ws.db, "SELECT COUNT(*) FROM sources WHERE kind='feed'"), 8)

    def test_stories_group_the_reports(self):
        # 12 events in the demo; reports of one event in one language belong together.
        self.assertGreaterEqual(len(self.stories), 10)
        self.assertLessEqual(len(self.stories), 20)
        multi = [s for s in self.stories if s["sources"] >= 2]
        self.assertGreaterEqual(len(multi), 8)

    def test_near_duplicate_wire_copy_is_folded(self):
        n = count(self.ws.db, "SELECT COUNT(*) FROM articles WHERE duplicate_of != 0")
        self.assertGreaterEqual(n, 1)
        same_story = count(self.ws.db,
                           "SELECT COUNT(*) FROM articles a JOIN articles b "
                           "ON a.duplicate_of = b.id WHERE a.story_id = b.story_id")
        self.assertEqual(n, same_story)

    def test_front_page_lists_every_story(self):
        for lang in ("en", "zh-Hans", "zh-Hant"):
            status, headers, body = self.server.get("/?lang=" + lang)
            self.assertEqual(status, 200)
            self.assertIn("text/html", headers.get("Content-Type", ""))
            self.assertIn('lang="%s"' % lang, body)
            for s in self.stories:
                self.assertIn('/story/%d' % s["id"], body, "story %d missing" % s["id"])
        status, _, body = self.server.get("/?lang=en")
        for s in self.stories:
            self.assertIn(html.escape(s["headline"], quote=False), body)

    def check_story_page(self, story_id, lang):
        status, _, body = self.server.get("/story/%d?lang=%s" % (story_id, lang))
        self.assertEqual(status, 200, body[:300])
        where = "story %d (%s)" % (story_id, lang)
        m = re.search(r'<h1[^>]*class="headline"[^>]*>(.+?)</h1>', body, re.S)
        self.assertTrue(m and m.group(1).strip(), "headline: " + where)
        m = re.search(r'<p[^>]*class="dek"[^>]*>(.+?)</p>', body, re.S)
        self.assertTrue(m and len(m.group(1).strip()) > 10, "dek: " + where)
        m = re.search(r'<div[^>]*class="story-body"[^>]*>(.+?)</div>', body, re.S)
        self.assertTrue(m, "body: " + where)
        story_body = m.group(1)
        self.assertGreaterEqual(story_body.count("<p"), 1, where)
        cites = re.findall(r'<sup class="cite"><a href="#src-(\d+)">\[\d+\]</a></sup>', story_body)
        self.assertTrue(cites, "citation markers: " + where)
        m = re.search(r'<section[^>]*id="sources"[^>]*>(.+?)</section>', body, re.S)
        self.assertTrue(m, "sources: " + where)
        sources = m.group(1)
        for n in set(cites):
            self.assertIn('id="src-%s"' % n, sources, "cited source %s listed: %s" % (n, where))
        self.assertRegex(sources, r'<a href="http://127\.0\.0\.1:\d+/[^"]+"', where)
        m = re.search(r'<aside[^>]*class="disclaimer"[^>]*>(.+?)</aside>', body, re.S)
        self.assertTrue(m, "disclaimer: " + where)
        self.assertIn(DISCLAIMER[lang], m.group(1), where)
        m = re.search(r'<section[^>]*class="related"[^>]*>(.+?)</section>', body, re.S)
        self.assertTrue(m, "related: " + where)
        self.assertGreaterEqual(len(re.findall(r'<li', m.group(1))), 4, "related count: " + where)
        return body

    def test_story_pages_in_three_languages(self):
        for s in self.stories:
            for lang in ("en", "zh-Hans", "zh-Hant"):
                self.check_story_page(s["id"], lang)

    def test_chinese_pages_use_their_script(self):
        # A story reported in Simplified Chinese is shown in Traditional on zh-Hant pages.
        found = False
        for s in self.stories:
            status, _, body = self.server.get("/api/v1/stories/%d?lang=zh-Hant" % s["id"])
            story = json.loads(body)
            text = story["text"]
            if story["text"].get("untranslated"):
                continue
            if "地铁" in json.dumps(text, ensure_ascii=False):
                self.fail("Simplified text on a zh-Hant page: story %d" % s["id"])
            if "捷運" in text["headline"] or "地鐵" in text["headline"]:
                found = True
        self.assertTrue(found, "the Shanghai metro story shown in Traditional Chinese")

    def test_unknown_story_is_404(self):
        status, _, _ = self.server.get("/story/999999")
        self.assertEqual(status, 404)

    def test_healthz_and_feed(self):
        status, _, body = self.server.get("/healthz")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["status"], "ok")
        status, headers, body = self.server.get("/feed.atom")
        self.assertEqual(status, 200)
        self.assertIn("<feed", body)
        self.assertEqual(body.count("<entry>"), min(len(self.stories), body.count("<entry>")))
        self.assertGreaterEqual(body.count("<entry>"), 10)

    def test_search_finds_across_scripts(self):
        status, _, body = self.server.get("/api/v1/search?q=" + urllib.parse.quote("最低工資"))
        self.assertEqual(status, 200)
        self.assertTrue(json.loads(body)["results"], "search 最低工資")
        status, _, body = self.server.get("/api/v1/search?q=" + urllib.parse.quote("最低工资"))
        self.assertTrue(json.loads(body)["results"], "search 最低工资 (Simplified query)")
        status, _, body = self.server.get("/search?q=typhoon")
        self.assertEqual(status, 200)
        self.assertIn("<mark>", body)


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--demo", required=True)
    ARGS, rest = p.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
