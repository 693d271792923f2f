#!/usr/bin/env python3
"""`newsdesk extract` on bad input (issue 3): an empty file, binary data, invalid UTF-8 and
a page with no article each give a clear error or an empty body with a "reason"; --batch
prints one JSONL line per file, with "reason" on every line whose text is empty."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ARGS = None


def run(*args):
    return subprocess.run([ARGS.bin, "extract", *args], capture_output=True, timeout=120)


class ExtractCli(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="nd-extract-cli-")
        pages = {
            "empty.html": b"",
            "binary.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
            # Declared UTF-8 with an invalid byte: replaced, not read as another charset.
            "bad-utf8.html": (b"<html><head><meta charset=\"utf-8\"><title>Broken bytes</title>"
                              b"</head><body><article>"
                              b"<p>A paragraph with a broken byte \xff here, and enough words "
                              b"after it to count as the body of this small test page.</p>"
                              b"</article></body></html>"),
        }
        with open(os.path.join(ARGS.data, "en_landing_links.html"), "rb") as f:
            pages["landing.html"] = f.read()
        for name, data in pages.items():
            with open(os.path.join(self.dir, name), "wb") as f:
                f.write(data)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def test_empty_file_is_a_clear_error(self):
        r = run(self.path("empty.html"))
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stdout, b"")
        self.assertIn(b"empty.html", r.stderr)
        self.assertIn(b"empty input", r.stderr)

    def test_binary_file_is_a_clear_error(self):
        r = run(self.path("binary.html"))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(b"binary data (not HTML", r.stderr)

    def test_invalid_utf8_is_repaired(self):
        r = run(self.path("bad-utf8.html"))
        self.assertEqual(r.returncode, 0, r.stderr)
        a = json.loads(r.stdout)
        self.assertIn("broken byte \ufffd here", a["text"])
        self.assertEqual(a["reason"], "")

    def test_page_without_article_has_reason(self):
        r = run(self.path("landing.html"))
        self.assertEqual(r.returncode, 0, r.stderr)
        a = json.loads(r.stdout)
        self.assertEqual(a["text"], "")
        self.assertEqual(a["blocks"], [])
        self.assertTrue(a["reason"].startswith(
            "no article body found (page has 3 short paragraphs, "), a["reason"])

    def test_batch_gives_a_reason_for_every_empty_text(self):
        r = run("--batch", self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [json.loads(l) for l in r.stdout.decode().splitlines() if l.strip()]
        by_id = {l["id"]: l for l in lines}
        self.assertEqual(sorted(by_id), ["bad-utf8", "binary", "empty", "landing"])
        for line in lines:
            if not line["text"]:
                self.assertTrue(line.get("reason"), line)
        self.assertEqual(by_id["empty"]["reason"], "empty input (0 bytes)")
        self.assertTrue(by_id["binary"]["reason"].startswith("binary data (not HTML"))
        self.assertIn("link text", by_id["landing"]["reason"])
        self.assertNotEqual(by_id["bad-utf8"]["text"], "")


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--data", required=True)
    ARGS, rest = p.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest)
