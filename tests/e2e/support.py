"""Shared pieces of the end-to-end tests: a static HTTP server for the demo sources on
127.0.0.1, a temporary state directory with a config, running the newsdesk binary, and
starting `newsdesk serve` on a free port."""
import functools
import http.server
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class StaticServer:
    """Serves a directory on 127.0.0.1 on a free port, in a background thread."""

    def __init__(self, directory):
        handler = functools.partial(QuietHandler, directory=directory)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Workspace:
    """A private temporary directory with a newsdesk.toml and a database path."""

    def __init__(self, binary):
        self.binary = binary
        self.dir = tempfile.mkdtemp(prefix="newsdesk-e2e-")
        self.db = os.path.join(self.dir, "news.db")
        self.config = os.path.join(self.dir, "newsdesk.toml")
        with open(self.config, "w") as f:
            f.write('[store]\ndb = "%s"\n\n[fetch]\nallow_networks = ["127.0.0.0/8"]\n'
                    'timeout_s = 10\nconnect_timeout_s = 3\n' % self.db)

    def run(self, *args, timeout=300):
        cmd = [self.binary] + list(args) + ["--config", self.config]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class Server:
    """`newsdesk serve` on 127.0.0.1:0; reads the bound address from its first line."""

    def __init__(self, ws):
        cmd = [ws.binary, "serve", "--config", ws.config, "--listen", "127.0.0.1:0"]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        deadline = time.time() + 30
        self.base = None
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            m = re.search(r"serving on (http://[0-9.:]+)/", line)
            if m:
                self.base = m.group(1)
                break
        if not self.base:
            self.proc.kill()
            raise AssertionError("newsdesk serve did not report its address: " +
                                 self.proc.stderr.read())

    def get(self, path, headers=None):
        req = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=20) as resp:
                return resp.status, dict(resp.headers), resp.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode("utf-8", "replace")

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
