#!/usr/bin/env python3
"""XSS test driver (issue 9): builds hostile sources on 127.0.0.1 whose feed titles, article
HTML, author names and page metadata carry script-injection payloads, ingests and processes
them into a private store, starts `newsdesk serve`, and runs xss.test.mjs in headless
Chromium, which opens every page (and a search for each payload) and asserts that no
payload ran and no attribute was injected."""
import argparse
import html
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))

from support import Server, StaticServer, Workspace  # noqa: E402


def payloads():
    """Each payload calls xss(N) (or sets an attribute data-xss) if it ever runs."""
    p = [
        "<script>xss(1)</script>",
        "<img src=x onerror=xss(2)>",
        "<svg onload=xss(3)>",
        "\"><script>xss(4)</script>",
        "' onmouseover='xss(5)' data-xss='5",
        "\" data-xss=\"6\" onfocus=\"xss(6)\" autofocus=\"",
        "javascript:xss(7)",
        "<iframe src=\"javascript:xss(8)\"></iframe>",
        "<a href=\"javascript:xss(9)\" id=xss9>x</a>",
        "<body onload=xss(10)>",
        "<details open ontoggle=xss(11)>",
        "<math><mtext><table><mglyph><style><img src=x onerror=xss(12)>",
        "</title><script>xss(13)</script>",
        "</textarea><script>xss(14)</script>",
        "<!--<img src=\"--><img src=x onerror=xss(15)//\">",
        "<style>*{background:url(\"javascript:xss(16)\")}</style>",
        "<object data=\"javascript:xss(18)\"></object>",
        "<embed src=\"javascript:xss(19)\">",
        "<form><button formaction=javascript:xss(20)>go</button></form>",
        "<input autofocus onfocus=xss(21)>",
        "<video><source onerror=xss(22)></video>",
        "<audio src=x onerror=xss(23)>",
        "<marquee onstart=xss(24)>m</marquee>",
        "<img src=\"x\" onerror=\"&#x78;ss(25)\">",
        "<scr<script>ipt>xss(26)</scr</script>ipt>",
        "<SCRIPT SRC=data:text/javascript,xss(27)></SCRIPT>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:xss(28)\">",
        "<base href=\"javascript:xss(29)//\">",
        "<link rel=stylesheet href=\"javascript:xss(30)\">",
        "\u2028</script><script>xss(31)</script>",
        "<svg><script>xss(33)</script></svg>",
        "<svg><a xlink:href=\"javascript:xss(34)\"><text>x</text></a></svg>",
        "</script><script>xss(36)</script>",
        "'-xss(37)-'",
        "\";xss(38);//",
        "<noscript><p title=\"</noscript><img src=x onerror=xss(39)>\">",
        "<template><script>xss(40)</script></template>",
        "<img src=x onerror=\"xss(41)\"/>",
        "<body/onload=xss(42)>",
        "<img/src/onerror=xss(43)>",
        "<svg/onload=xss(44)>",
        "<iframe srcdoc=\"<script>parent.xss(45)</script>\"></iframe>",
        "<a href=\"  javascript:xss(46)\">y</a>",
        "<a href=\"jav&#x09;ascript:xss(47)\">z</a>",
        "<div style=\"width:expression(xss(48))\">",
        "<x onclick=xss(49) data-xss=49>click</x>",
        "]]><script>xss(50)</script>",
        "<![CDATA[<script>xss(51)</script>]]>",
        "&lt;script&gt;xss(52)&lt;/script&gt;",
        "${xss(53)}",
        "{{constructor.constructor('xss(54)')()}}",
        "<img src=1 onerror=xss(55) data-xss=55>",
        "<select autofocus onfocus=xss(56)>",
        "<textarea autofocus onfocus=xss(57)>",
        "<keygen autofocus onfocus=xss(58)>",
        "<svg><animate onbegin=xss(59) attributeName=x dur=1s>",
        "\" onload=\"xss(60)",
        "<a href=data:text/html;base64,PHNjcmlwdD5wYXJlbnQueHNzKDYxKTwvc2NyaXB0Pg==>d</a>",
    ]
    return p


EVENT_WORDS = [
    ("harbour", "breakwater", "dredging", "council"),
    ("orchard", "frost", "growers", "apples"),
    ("railway", "signal", "commuters", "timetable"),
    ("library", "archive", "manuscripts", "donation"),
]


def build_sources(root, base_holder):
    ps = payloads()
    items = {o: [] for o in range(3)}
    k = 0
    for e, words in enumerate(EVENT_WORDS):
        for o in range(3):
            mine = [ps[(k + i) % len(ps)] for i in range(5)]
            k += 5
            title = f"The {words[0]} {words[1]} report {mine[0]}"
            author = mine[1]
            body = "".join(
                f"<p>The {words[0]} {words[2]} said on Tuesday that the {words[1]} plan for "
                f"the {words[3]} would go ahead {m} after weeks of debate among residents "
                f"and the {words[2]}.</p>\n" for m in mine[2:]) + (
                f"<p>Officials said the {words[0]} {words[1]} {words[3]} work would take "
                f"months, and the {words[2]} would be consulted again.</p>")
            page = (
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<title>{html.escape(title)}</title>"
                f"<meta name=\"author\" content=\"{html.escape(author)}\">"
                f"<meta property=\"og:title\" content=\"{html.escape(title)}\">"
                f"<meta name=\"description\" content=\"{html.escape(mine[2])}\">"
                "<script type=\"application/ld+json\">"
                + json.dumps({"@type": "NewsArticle", "headline": title,
                              "author": {"name": author}}).replace("</", "<\\/")
                + "</script></head><body><article>"
                f"<h1>{html.escape(title)}</h1><p class=\"byline\">By {html.escape(author)}</p>"
                f"{body}</article></body></html>")
            path = f"o{o}/e{e}.html"
            os.makedirs(os.path.join(root, f"o{o}"), exist_ok=True)
            with open(os.path.join(root, path), "w") as f:
                f.write(page)
            items[o].append((title, path, author, mine[3]))
    for o, its in items.items():
        out = ["<?xml version=\"1.0\" encoding=\"utf-8\"?>"
               "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>"
               f"<title>{html.escape('Outlet ' + str(o) + ' ' + payloads()[o])}</title>"
               "<link>http://example.org/</link>"]
        for title, path, author, desc in its:
            out.append(f"<item><title>{html.escape(title)}</title>"
                       f"<link>{base_holder}/{path}</link>"
                       f"<dc:creator>{html.escape(author)}</dc:creator>"
                       f"<description>{html.escape(desc)}</description>"
                       "<pubDate>Tue, 17 Nov 2026 09:30:00 +0000</pubDate></item>")
        out.append("</channel></rss>")
        with open(os.path.join(root, f"o{o}", "feed.xml"), "w") as f:
            f.write("\n".join(out))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    args = ap.parse_args()
    if not os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")):
        print("tests/browser/node_modules is missing: run scripts/setup (npm ci)",
              file=sys.stderr)
        return 1
    root = tempfile.mkdtemp(prefix="newsdesk-xss-src-")
    sources = StaticServer(root)
    build_sources(root, sources.base)
    ws = Workspace(os.path.abspath(args.bin))
    server = None
    try:
        feeds = []
        for o in range(3):
            feeds += ["--feed", f"{sources.base}/o{o}/feed.xml"]
        r = ws.run("ingest", *feeds)
        if r.returncode != 0:
            print(r.stderr, file=sys.stderr)
            return 1
        r = ws.run("process")
        if r.returncode != 0:
            print(r.stderr, file=sys.stderr)
            return 1
        server = Server(ws)
        qfile = os.path.join(ws.dir, "payloads.json")
        with open(qfile, "w") as f:
            json.dump(payloads(), f)
        cmd = ["node", os.path.join(HERE, "xss.test.mjs"), "--base", server.base,
               "--payloads", qfile, "--chromium", args.chromium]
        return subprocess.run(cmd, timeout=400).returncode
    finally:
        if server is not None:
            server.close()
        sources.close()
        ws.close()
        import shutil
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
