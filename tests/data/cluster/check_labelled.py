#!/usr/bin/env python3
"""Validates tests/data/cluster/labelled.jsonl and prints its counts.

Checks: every line is a JSON object with the required fields; ids are
unique; articles are in publication-time order; lang is one of en, zh-Hans,
zh-Hant; every duplicate_of names an earlier article of the same story; all
articles of one story share one thread. Length outside the brief's range
(English 80-160 words, Chinese 120-300 characters of body) is a warning.

Usage: check_labelled.py [path]   (default: labelled.jsonl beside this file)
Exit status 0 when valid, 1 otherwise. Python 3 standard library only.
"""
import collections
import datetime
import json
import os
import re
import sys

REQUIRED = ("id", "story", "thread", "lang", "source", "published", "title",
            "text")
LANGS = ("en", "zh-Hans", "zh-Hant")


def parse_time(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")


def body_length(article):
    if article["lang"] == "en":
        return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'.,%$-]*",
                              article["text"]))
    return len(re.sub(r"\s", "", article["text"]))


def main(argv):
    path = argv[1] if len(argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "labelled.jsonl")
    errors, warnings = [], []
    articles = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                a = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append("%s:%d: not JSON: %s" % (path, n, e))
                continue
            if not isinstance(a, dict):
                errors.append("%s:%d: not a JSON object" % (path, n))
                continue
            missing = [k for k in REQUIRED if not a.get(k)]
            if missing:
                errors.append("%s:%d: missing %s" % (path, n,
                                                     ", ".join(missing)))
                continue
            a["_line"] = n
            articles.append(a)

    by_id = {}
    story_thread = {}
    prev = None
    for a in articles:
        where = "%s:%d (%s)" % (path, a["_line"], a["id"])
        if a["id"] in by_id:
            errors.append("%s: duplicate id" % where)
        if a["lang"] not in LANGS:
            errors.append("%s: lang %r not one of %s" % (where, a["lang"],
                                                         LANGS))
        try:
            t = parse_time(a["published"])
        except ValueError:
            errors.append("%s: published %r is not YYYY-MM-DDTHH:MM:SSZ" %
                          (where, a["published"]))
            t = None
        if t is not None and prev is not None and t < prev:
            errors.append("%s: published before the line above" % where)
        if t is not None:
            prev = t
        dup = a.get("duplicate_of")
        if dup is not None:
            if dup not in by_id:
                errors.append("%s: duplicate_of %r is not an earlier article"
                              % (where, dup))
            elif by_id[dup]["story"] != a["story"]:
                errors.append("%s: duplicate_of %r is in another story" %
                              (where, dup))
        thread = story_thread.setdefault(a["story"], a["thread"])
        if thread != a["thread"]:
            errors.append("%s: story %s is in thread %s and %s" %
                          (where, a["story"], thread, a["thread"]))
        length = body_length(a)
        lo, hi = (80, 160) if a["lang"] == "en" else (120, 300)
        if not lo <= length <= hi and a["lang"] in LANGS:
            warnings.append("%s: body length %d outside %d-%d" %
                            (where, length, lo, hi))
        by_id.setdefault(a["id"], a)

    langs = collections.Counter(a["lang"] for a in articles)
    stories = collections.OrderedDict()
    for a in articles:
        stories.setdefault(a["story"], []).append(a)
    threads = collections.OrderedDict()
    for s, arts in stories.items():
        threads.setdefault(arts[0]["thread"], []).append(s)
    total = len(articles) or 1
    print("articles: %d" % len(articles))
    for lang in LANGS:
        print("  %-8s %3d (%.0f%%)" % (lang, langs[lang],
                                       100.0 * langs[lang] / total))
    print("stories: %d, threads: %d, threads with follow-ups: %d" %
          (len(stories), len(threads),
           sum(1 for v in threads.values() if len(v) > 1)))
    cross = [s for s, arts in stories.items()
             if len({a["lang"] for a in arts}) > 1]
    both_zh = [s for s, arts in stories.items()
               if {"zh-Hans", "zh-Hant"} <= {a["lang"] for a in arts}]
    print("stories in 2+ languages: %d; with zh-Hans and zh-Hant: %d" %
          (len(cross), len(both_zh)))
    print("near-duplicates (duplicate_of): %d" %
          sum(1 for a in articles if a.get("duplicate_of")))
    if articles:
        print("time span: %s .. %s" % (articles[0]["published"],
                                       articles[-1]["published"]))
    print("per story (thread: en/zh-Hans/zh-Hant, first title):")
    for s, arts in stories.items():
        c = collections.Counter(a["lang"] for a in arts)
        print("  %s %s %d/%d/%d  %s" % (s, arts[0]["thread"], c["en"],
                                        c["zh-Hans"], c["zh-Hant"],
                                        arts[0]["title"][:60]))
    for w in warnings:
        print("warning: " + w)
    for e in errors:
        print("error: " + e, file=sys.stderr)
    print("%s: %d errors, %d warnings" % ("FAIL" if errors else "OK",
                                          len(errors), len(warnings)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
