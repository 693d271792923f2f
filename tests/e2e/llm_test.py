#!/usr/bin/env python3
"""LLM writer end to end (issue 5, parts 3-5): `newsdesk process` with [llm] pointing at a
script-driven chat-completions server on 127.0.0.1. The server writes English articles
from the reports' own sentences plus one fabricated number, and answers Chinese requests
with malformed JSON. The stories must carry writer "llm:<model>" in English with every
published sentence verified and the fabricated number gone, fall back to the extractive
text in Chinese, keep answers in the store's cache, and survive a dead endpoint."""
import argparse
import http.server
import json
import os
import re
import sqlite3
import sys
import threading
import unittest

from support import Server, StaticServer, Workspace

ARGS = None
MODEL = "e2e-model"
KEY_ENV = "NEWSDESK_E2E_LLM_KEY"
FABRICATED = "987,654"


def chat(content):
    return {"id": "chatcmpl-e2e", "object": "chat.completion", "model": MODEL,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150}}


def parse_reports(prompt):
    """[(title, [paragraph, ...]), ...] from the writer's prompt."""
    reports = []
    for line in prompt.splitlines():
        m = re.match(r"^\[(\d+)\] (.*)$", line)
        if m:
            header = m.group(2)
            title = header.split(" — ", 1)[-1]
            title = re.sub(r" \(language [^)]*\)$", "", title)
            reports.append((title, []))
        elif reports and line.strip():
            reports[-1][1].append(line.strip())
    return reports


def sentences(paragraph):
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", paragraph) if s]


def article_from(reports):
    """An article made of the reports' own sentences, plus one fabricated claim."""
    pool = []
    for n, (_, paragraphs) in enumerate(reports, start=1):
        for p in paragraphs:
            for s in sentences(p):
                if len(s.split()) >= 6:
                    pool.append({"text": s, "cites": [n], "paraphrase": False})
    body = [pool[1:3], pool[3:5], pool[5:7]]
    body = [p for p in body if p] or [pool[:1]]
    body[0].append({"text": "The total reached %s units, officials said." % FABRICATED,
                    "cites": [1], "paraphrase": False})
    return {"headline": reports[0][0], "dek": pool[:1], "body": body,
            "analysis": pool[7:8] or pool[:1]}


class ChatHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        request = json.loads(self.rfile.read(length).decode("utf-8"))
        prompt = [m["content"] for m in request["messages"] if m["role"] == "user"][-1]
        state = self.server.state
        with state["lock"]:
            state["requests"].append({"path": self.path, "auth": self.headers.get("Authorization"),
                                      "model": request.get("model"), "prompt": prompt})
        if "failed the fact check" in prompt:
            content = json.dumps({"sentences": []})  # keeps nothing: failures are dropped
        elif "Chinese" in prompt.split("\n", 1)[0]:
            content = '{"headline": "broken'  # malformed: the writer must fall back
        else:
            content = json.dumps(article_from(parse_reports(prompt)))
        body = json.dumps(chat(content)).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class ChatServer:
    def __init__(self):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ChatHandler)
        self.httpd.state = {"lock": threading.Lock(), "requests": []}
        self.base = "http://127.0.0.1:%d/v1" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def requests(self):
        with self.httpd.state["lock"]:
            return list(self.httpd.state["requests"])

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def published(text):
    out = list(text.get("dek", []))
    for p in text.get("body", []) + text.get("analysis", []):
        out.extend(p.get("sentences", []))
    return out


class LlmWriter(unittest.TestCase):
    def setUp(self):
        self.sources = StaticServer(ARGS.demo)
        self.chat = ChatServer()
        self.ws = Workspace(ARGS.bin)
        os.environ[KEY_ENV] = "sk-e2e-secret"
        self.set_llm(self.chat.base)
        with open(self.ws.config) as f:
            self.config_base = f.read()

    def set_llm(self, base_url):
        with open(self.ws.config, "a") as f:
            f.write('\n[llm]\nbase_url = "%s"\nmodel = "%s"\napi_key_env = "%s"\n'
                    'timeout_s = 10\nmax_concurrency = 2\n' % (base_url, MODEL, KEY_ENV))

    def tearDown(self):
        self.chat.close()
        self.sources.close()
        self.ws.close()

    def query(self, sql):
        con = sqlite3.connect(self.ws.db)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def test_process_writes_verified_llm_text_and_falls_back(self):
        r = self.ws.run("ingest", "--feed", self.sources.base + "/meridian-wire/feed.rss")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.ws.run("process")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("llm: ", r.stderr)
        if os.environ.get("ND_E2E_VERBOSE"):
            print(r.stderr, file=sys.stderr)
        requests = self.chat.requests
        self.assertTrue(requests, "the model was asked")
        self.assertTrue(all(q["path"] == "/v1/chat/completions" for q in requests))
        self.assertTrue(all(q["auth"] == "Bearer sk-e2e-secret" for q in requests))
        self.assertTrue(all(q["model"] == MODEL for q in requests))
        self.assertGreater(self.query("SELECT COUNT(*) FROM llm_cache")[0][0], 0)

        server = Server(self.ws)
        try:
            status, _, body = server.get("/api/v1/stories?lang=en&limit=100")
            self.assertEqual(status, 200, body[:300])
            stories = json.loads(body)["stories"]
            self.assertTrue(stories)
            verified = 0
            for s in stories:
                status, _, body = server.get("/api/v1/stories/%d?lang=en" % s["id"])
                self.assertEqual(status, 200)
                self.assertNotIn(FABRICATED, body, "fabricated number published")
                text = json.loads(body)["text"]
                self.assertEqual(text["writer"], "llm:" + MODEL, "story %d" % s["id"])
                for sentence in published(text):
                    self.assertIn(sentence["verdict"], ("verified", "extractive"), sentence)
                    verified += sentence["verdict"] == "verified"
                self.assertTrue(text.get("analysis"), "analysis paragraph")
                # Chinese: malformed answers, so the extractive text (original language).
                status, _, body = server.get("/api/v1/stories/%d?lang=zh-Hans" % s["id"])
                zh = json.loads(body)["text"]
                self.assertEqual(zh["writer"], "extractive")
                self.assertTrue(zh["untranslated"])
                status, _, page = server.get("/story/%d?lang=en" % s["id"])
                self.assertEqual(status, 200)
                self.assertNotIn(FABRICATED, page)
                self.assertIn('class="analysis"', page)
            self.assertGreater(verified, 0)
        finally:
            server.close()

        # Next run: English answers come from the cache; Chinese is tried again.
        before = [q for q in self.chat.requests if "Chinese" not in q["prompt"].split("\n", 1)[0]]
        r = self.ws.run("process")
        self.assertEqual(r.returncode, 0, r.stderr)
        after = [q for q in self.chat.requests if "Chinese" not in q["prompt"].split("\n", 1)[0]]
        self.assertEqual(len(before), len(after), "English answers served from the cache")

    def test_dead_endpoint_falls_back_to_extractive(self):
        with open(self.ws.config, "w") as f:
            f.write(self.config_base.split("\n[llm]")[0])
        self.set_llm("http://127.0.0.1:9/v1")  # nobody listens on the discard port
        r = self.ws.run("ingest", "--feed", self.sources.base + "/meridian-wire/feed.rss")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.ws.run("process", timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        writers = set()
        for (text,) in self.query("SELECT json FROM story_texts"):
            writers.add(json.loads(text)["writer"])
        self.assertEqual(writers, {"extractive"})


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--demo", required=True)
    ARGS, rest = p.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest)
