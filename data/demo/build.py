#!/usr/bin/env python3
"""Build the newsdesk demo sites from data/demo/src/*.json.

Fictional articles written for the project. Standard library only; the output
is deterministic (sorted input, no current time), so re-running it on the same
sources produces byte-identical files.

    python3 data/demo/build.py
"""
import datetime
import email.utils
import html
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent
SRC = ROOT / "src"

OUTLETS = {
    "meridian-wire": {"name": "Meridian Wire", "lang": "en", "feed": "feed.rss", "kind": "rss",
                      "category": "world", "domain": "meridianwire.example",
                      "about": "Breaking news and analysis from the Meridian Wire global news service."},
    "harbor-courier": {"name": "The Harbor Courier", "lang": "en", "feed": "atom.xml", "kind": "atom",
                       "category": "asia", "domain": "harborcourier.example",
                       "about": "Asia-focused news from The Harbor Courier, Singapore."},
    "northgate-daily": {"name": "Northgate Daily", "lang": "en", "feed": "feed.json", "kind": "json",
                        "category": "world", "domain": "northgatedaily.example",
                        "about": "World, business and science stories from Northgate Daily."},
    "capital-ledger": {"name": "Capital Ledger", "lang": "en", "feed": "rss.xml", "kind": "rss",
                       "category": "business", "domain": "capitalledger.example",
                       "about": "Markets, economics and corporate news from the Capital Ledger."},
    "dongfang-chenbao": {"name": "东方晨报", "lang": "zh-Hans", "feed": "rss.xml", "kind": "rss",
                         "category": "asia", "domain": "dongfangchenbao.example",
                         "about": "东方晨报：国内国际要闻、城市新闻与评论。"},
    "huaxia-caijing": {"name": "华夏财经网", "lang": "zh-Hans", "feed": "atom.xml", "kind": "atom",
                       "category": "business", "domain": "huaxiacaijing.example",
                       "about": "华夏财经网：财经要闻、产业与市场报道。"},
    "xiangjiang-times": {"name": "香江時報", "lang": "zh-Hant", "feed": "feed.json", "kind": "json",
                         "category": "asia", "domain": "xiangjiangtimes.example",
                         "about": "香江時報：港聞、兩岸、國際及財經新聞。"},
    "taipei-observer": {"name": "臺北觀察報", "lang": "zh-Hant", "feed": "rss.xml", "kind": "rss",
                        "category": "asia", "domain": "taipeiobserver.example",
                        "about": "臺北觀察報：政治、財經、國際與生活新聞。"},
}

SECTION_LABEL = {
    "en": {"world": "World", "business": "Business", "science": "Science", "asia": "Asia"},
    "zh-Hans": {"world": "国际", "business": "财经", "science": "科技", "asia": "亚太"},
    "zh-Hant": {"world": "國際", "business": "財經", "science": "科技", "asia": "亞太"},
}

L = {
    "en": {"readmore": "Read more:", "ad": "Advertisement", "related": "Related coverage",
           "tags": "Topics", "share": "Share", "by": "By"},
    "zh-Hans": {"readmore": "延伸阅读：", "ad": "广告", "related": "相关文章",
                "tags": "标签", "share": "分享到", "by": "作者："},
    "zh-Hant": {"readmore": "延伸閱讀：", "ad": "廣告", "related": "相關新聞",
                "tags": "標籤", "share": "分享至", "by": "撰文："},
}

# slug keyword -> story key
STORY_KEYS = [("typhoon", "typhoon"), ("-ev-", "ev"), ("electric-vehicle", "ev"),
              ("formosa", "chip"), ("chile", "copper"), ("metro", "metro"), ("wage", "wage"),
              ("quake", "quake"), ("cop31", "cop31"), ("lumen", "lumen"), ("amazon", "amazon"),
              ("chengyu", "chengyu"), ("kenya", "kenya")]

STORY = {
    "typhoon": {
        "en": ("Residents wade through a flooded street in Baler, Aurora province, after Typhoon Marlo made landfall on Nov. 18, 2026.",
               ["Typhoon Marlo", "Philippines", "Disasters", "Weather"]),
        "zh-Hans": ("11月18日，台风“马洛”登陆后，菲律宾奥罗拉省巴莱尔街道被洪水淹没。", ["台风", "菲律宾", "自然灾害"]),
        "zh-Hant": ("11月18日，颱風「馬洛」登陸後，菲律賓奧羅拉省巴萊爾街道水浸。", ["颱風", "菲律賓", "天災"]),
    },
    "ev": {
        "en": ("New electric cars wait for shipment at a port terminal. The EU-China deal replaces duties with minimum prices.",
               ["Electric vehicles", "EU", "China", "Trade"]),
        "zh-Hans": ("待装船出口的新能源汽车停放在港口码头。", ["新能源汽车", "中欧经贸", "反补贴"]),
    },
    "chip": {
        "en": ("A technician inspects a silicon wafer in a clean room. Formosa Microsystems plans a 2-nanometre plant in Kumamoto.",
               ["Semiconductors", "Taiwan", "Japan", "Formosa Microsystems"]),
        "zh-Hant": ("無塵室內的技術人員檢查晶圓。福爾摩沙微系統計劃在日本熊本興建2奈米廠。", ["半導體", "福爾摩沙微系統", "日本"]),
    },
    "copper": {
        "en": ("Haul trucks at an open-pit copper mine in Chile’s Antofagasta region.",
               ["Copper", "Chile", "Mining", "Commodities"]),
    },
    "metro": {
        "zh-Hans": ("上海轨道交通21号线延伸段列车驶入新开通的车站。", ["上海地铁", "轨道交通", "浦东"]),
    },
    "wage": {
        "zh-Hant": ("中環午飯時間的人潮。法定最低工資將於2027年5月起調升至每小時45元。", ["最低工資", "勞工", "香港"]),
    },
    "quake": {
        "en": ("Workers inspect fallen tiles outside a building in Hualien city after the Nov. 24 earthquake.",
               ["Earthquakes", "Taiwan", "Hualien"]),
        "zh-Hant": ("11月24日地震後，花蓮市區一棟建物外牆磁磚剝落。", ["地震", "花蓮", "鐵路"]),
    },
    "cop31": {
        "en": ("Delegates in the plenary hall at the COP31 climate summit in Antalya, Turkey.",
               ["COP31", "Climate change", "Climate finance", "Turkey"]),
        "zh-Hans": ("COP31气候大会全体会议现场。大会在土耳其安塔利亚举行。", ["COP31", "气候变化", "气候融资"]),
    },
    "lumen": {
        "en": ("An Ariane 6 rocket carrying ESA’s Lumen solar observatory lifts off from Kourou, French Guiana, on Nov. 16, 2026.",
               ["Space", "ESA", "Ariane 6", "The Sun"]),
    },
    "amazon": {
        "en": ("An aerial view of rainforest bordering cleared pasture in Pará state, Brazil.",
               ["Amazon", "Brazil", "Deforestation", "Environment"]),
    },
    "chengyu": {
        "zh-Hans": ("11月25日，CR450动车组在成渝中线试验段运行。", ["高铁", "成渝中线", "成渝地区双城经济圈"]),
    },
    "kenya": {
        "en": ("The Central Bank of Kenya building in Nairobi.",
               ["Kenya", "Interest rates", "Central banks", "Africa"]),
    },
}

CREDIT = {
    "meridian-wire": "Meridian Wire/Joaquín Santos", "harbor-courier": "The Harbor Courier/Lim Jia Hui",
    "northgate-daily": "Northgate Daily / Sam Okoro", "capital-ledger": "Meridian Wire via Capital Ledger",
    "dongfang-chenbao": "东方晨报记者 摄", "huaxia-caijing": "华夏财经网 资料图",
    "xiangjiang-times": "本報資料圖片", "taipei-observer": "臺北觀察報資料照",
}

TZNAME = {"+00:00": "GMT", "-05:00": "EST", "+08:00": "SGT"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WEEK_HANT = "一二三四五六日"


def esc(s):
    return html.escape(s, quote=True)


def story_of(slug):
    for kw, key in STORY_KEYS:
        if kw in slug:
            return key
    raise SystemExit("no story for " + slug)


def dt(s):
    return datetime.datetime.fromisoformat(s)


def authors(d):
    b = d["byline"]
    if d["lang"] == "en":
        return [x.strip() for x in re.split(r",| and ", b) if x.strip()]
    stop = ("记者", "記者", "本报", "本報", "实习生", "网", "網", "组", "組", "报", "報")
    toks = [t for t in re.split(r"[\s、，,]+", b) if t]
    names = [t for t in toks if 2 <= len(t) <= 4 and not any(s in t for s in stop)]
    return names or [b]


def ampm(t, style):
    h = t.hour % 12 or 12
    if style == "dots":
        return f"{h}:{t.minute:02d} {'a.m.' if t.hour < 12 else 'p.m.'}"
    return f"{h}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


def display_date(outlet, s):
    t = dt(s)
    off = s[-6:]
    if outlet == "meridian-wire":
        return f"{MONTHS[t.month-1]} {t.day}, {t.year} {ampm(t, '')} {TZNAME.get(off, off)}"
    if outlet == "harbor-courier":
        return f"{t.day} {MONTHS[t.month-1][:3]} {t.year}, {ampm(t, '').lower()} {TZNAME.get(off, off)}"
    if outlet == "northgate-daily":
        return f"{MONTHS[t.month-1][:3]}. {t.day}, {t.year} {ampm(t, 'dots')} ET"
    if outlet == "capital-ledger":
        return f"{MONTHS[t.month-1]} {t.day}, {t.year} at {ampm(t, '')} {TZNAME.get(off, off)}"
    if outlet == "dongfang-chenbao":
        return t.strftime("%Y-%m-%d %H:%M")
    if outlet == "huaxia-caijing":
        return f"{t.year}年{t.month}月{t.day}日 {t.hour:02d}:{t.minute:02d}"
    if outlet == "xiangjiang-times":
        return f"{t.year}年{t.month}月{t.day}日（星期{WEEK_HANT[t.weekday()]}） {t.hour:02d}:{t.minute:02d}"
    return t.strftime("%Y/%m/%d %H:%M")


def jsonld(d, o):
    auth = authors(d)
    org = d["byline"] == "Meridian Wire"
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": d["title"],
        "description": d["description"],
        "datePublished": d["published"],
        "dateModified": d.get("updated", d["published"]),
        "author": [{"@type": "Organization" if org else "Person", "name": a} for a in auth],
        "publisher": {"@type": "Organization", "name": o["name"]},
        "inLanguage": d["lang"],
        "articleSection": SECTION_LABEL[d["lang"]][d["section"]],
        "image": "../assets/lead-photo.svg",
    }
    s = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    return '<script type="application/ld+json">\n' + s.replace("</", "<\\/") + "\n</script>"


def opengraph(d, o):
    rows = [("og:type", "article"), ("og:title", d["title"]), ("og:site_name", o["name"]),
            ("og:description", d["description"]), ("og:image", "../assets/lead-photo.svg"),
            ("og:locale", {"en": "en_US", "zh-Hans": "zh_CN", "zh-Hant": "zh_TW"}[d["lang"]]),
            ("article:published_time", d["published"])]
    if "updated" in d:
        rows.append(("article:modified_time", d["updated"]))
    rows.append(("article:section", SECTION_LABEL[d["lang"]][d["section"]]))
    return "\n".join(f'<meta property="{k}" content="{esc(v)}">' for k, v in rows)


def body_parts(d, cfg, extras):
    """Paragraphs with subheads, a 'read more' teaser and an ad slot mixed in."""
    out = []
    subs = d.get("subheads", {})
    n = len(d["paragraphs"])
    for i, p in enumerate(d["paragraphs"]):
        if str(i) in subs:
            out.append(f'<{cfg["h"]} class="{cfg["hcls"]}">{esc(subs[str(i)])}</{cfg["h"]}>')
        pc = f' class="{cfg["pcls"]}"' if cfg.get("pcls") else ""
        out.append(f"<p{pc}>{esc(p)}</p>")
        if i == 1:
            out.append(extras["readmore"])
        if i == min(3, n - 2):
            out.append(extras["ad"])
    return "\n".join(out)


def related_items(d, peers):
    others = [x for x in peers if x["slug"] != d["slug"]]
    same = [x for x in others if story_of(x["slug"]) == story_of(d["slug"])]
    earlier = [x for x in others if dt(x["published"]) < dt(d["published"])]
    # the inline teaser was written at publication time: prefer the same story, then older copy
    teaser = ([x for x in same if x in earlier] or same or earlier or others)[0]
    rel = same + [x for x in others if x not in same]
    return teaser, rel[:5]


def share_links(lang, cls):
    if lang == "en":
        nets = [("x", "X"), ("facebook", "Facebook"), ("linkedin", "LinkedIn"), ("email", "Email"), ("copy", "Copy link")]
    elif lang == "zh-Hans":
        nets = [("weixin", "微信"), ("weibo", "微博"), ("qq", "QQ空间"), ("copy", "复制链接")]
    else:
        nets = [("facebook", "Facebook"), ("line", "LINE"), ("x", "X"), ("copy", "複製連結")]
    return "".join(f'<a class="{cls}-{k}" href="#share-{k}" rel="nofollow">{v}</a>' for k, v in nets)


def page(d, o, peers):
    lang, slug, outlet = d["lang"], d["slug"], d["outlet"]
    lab = L[lang]
    sec = SECTION_LABEL[lang][d["section"]]
    key = story_of(slug)
    caption, tags = STORY[key][lang]
    teaser, rel = related_items(d, peers)
    t_pub = esc(d["published"])
    when = esc(display_date(outlet, d["published"]))
    upd = d.get("updated")
    title, desc, byline = esc(d["title"]), esc(d["description"]), esc(d["byline"])
    img = (f'<img src="../assets/lead-photo.svg" alt="{esc(caption)}" width="1200" height="675" loading="eager">')
    doc_title = f"{title} | {esc(o['name'])}"

    def rel_list(cls):
        return "\n".join(f'<li class="{cls}"><a href="{esc(x["slug"])}.html">{esc(x["title"])}</a></li>' for x in rel)

    def tag_list(cls, prefix):
        return "".join(f'<li><a class="{cls}" href="/{prefix}/{esc(t.lower().replace(" ", "-"))}">{esc(t)}</a></li>' for t in tags)

    teaser_a = f'<a href="{esc(teaser["slug"])}.html">{esc(teaser["title"])}</a>'

    if outlet == "meridian-wire":
        ex = {"readmore": f'<p class="mw-inline-promo"><strong>{lab["readmore"]}</strong> {teaser_a}</p>',
              "ad": '<div class="mw-ad mw-ad--inarticle" id="ad-inarticle-1" data-ad-slot="mw_article_mid" aria-hidden="true"><span class="mw-ad__label">Advertisement · Scroll to continue</span></div>'}
        body = body_parts(d, {"h": "h2", "hcls": "mw-article__subhead", "pcls": "mw-para"}, ex)
        upd_html = f' <span class="mw-updated">Updated <time datetime="{esc(upd)}">{esc(display_date(outlet, upd))}</time></span>' if upd else ""
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{doc_title}</title>
<meta name="description" content="{desc}">
{jsonld(d, o)}
<style>body{{font-family:Georgia,serif;margin:0}}.mw-masthead{{background:#102a43;color:#fff;padding:8px 16px}}.mw-masthead a{{color:#fff}}.mw-article{{max-width:720px;margin:0 auto}}.mw-ad{{background:#eee;height:250px;text-align:center}}.mw-cookie{{position:fixed;bottom:0;background:#fff;border-top:1px solid #ccc}}</style>
</head>
<body class="mw-site">
<div id="mw-cookie" class="mw-cookie" role="dialog" aria-label="Cookie consent"><p>We use cookies and similar technologies to measure traffic and personalise content and ads. See our <a href="/legal/cookies">Cookie Policy</a>.</p><button type="button">Accept all</button> <button type="button">Reject non-essential</button></div>
<header class="mw-masthead">
<div class="mw-topbar"><a class="mw-brand" href="/">MERIDIAN WIRE</a> <a class="mw-subscribe" href="/subscribe">Subscribe</a> <a href="/account/sign-in">Sign in</a></div>
<nav class="mw-primary-nav" aria-label="Sections"><ul><li><a href="/world/">World</a></li><li><a href="/business/">Business</a></li><li><a href="/markets/">Markets</a></li><li><a href="/asia/">Asia</a></li><li><a href="/science/">Science</a></li><li><a href="/sustainability/">Sustainability</a></li><li><a href="/graphics/">Graphics</a></li></ul></nav>
</header>
<main id="main-content" class="mw-page">
<nav class="mw-breadcrumbs" aria-label="Breadcrumb"><a href="/">Home</a> › <a href="/{d['section']}/">{sec}</a></nav>
<article class="mw-article">
<header class="mw-article__header">
<h1 class="mw-article__headline">{title}</h1>
<p class="mw-article__byline">By <a href="/authors/">{byline}</a></p>
<p class="mw-article__dateline"><time datetime="{t_pub}">{when}</time>{upd_html}</p>
</header>
<div class="mw-share" aria-label="Share this article">{share_links(lang, "mw-share")}</div>
<figure class="mw-article__media">
{img}
<figcaption><span class="mw-caption">{esc(caption)}</span> <span class="mw-credit">{esc(CREDIT[outlet])}</span></figcaption>
</figure>
<div class="mw-article__body">
{body}
</div>
<div class="mw-article__topics"><h3>{lab["tags"]}</h3><ul class="mw-tags">{tag_list("mw-tag", "topic")}</ul></div>
<p class="mw-article__trust">Our Standards: <a href="/trust-principles">The Meridian Wire Trust Principles.</a></p>
</article>
<aside class="mw-related" aria-label="Related coverage">
<h2>{lab["related"]}</h2>
<ul>
{rel_list("mw-related__item")}
<li class="mw-related__item"><a href="/markets/commodities/">Commodities live prices</a></li>
</ul>
</aside>
<section class="mw-newsletter"><h2>Daily Briefing</h2><p>The day’s top stories from Meridian Wire, delivered to your inbox every morning.</p><form action="/newsletters/signup" method="post"><input type="email" name="email" placeholder="Email address"> <button type="submit">Sign up</button></form></section>
</main>
<footer class="mw-footer">
<ul><li><a href="/about">About Meridian Wire</a></li><li><a href="/careers">Careers</a></li><li><a href="/legal/terms">Terms of Use</a></li><li><a href="/legal/privacy">Privacy</a></li><li><a href="/legal/cookies">Cookies</a></li><li><a href="/accessibility">Accessibility</a></li></ul>
<p>All quotes delayed a minimum of 15 minutes.</p>
<p>© 2026 Meridian Wire Ltd. All rights reserved.</p>
</footer>
</body>
</html>
"""

    if outlet == "harbor-courier":
        ex = {"readmore": f'<p class="inline-readmore">{lab["readmore"]} {teaser_a}</p>',
              "ad": '<div class="hc-advert" data-slot="article-inline-300x250"><p class="hc-advert-label">ADVERTISEMENT</p><div class="hc-advert-frame"></div></div>'}
        body = body_parts(d, {"h": "h3", "hcls": "story-crosshead"}, ex)
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{doc_title}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="description" content="{desc}">
{opengraph(d, o)}
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:site" content="@harborcourier">
</head>
<body>
<div class="consent-bar" id="gdpr"><span>This site uses cookies. By continuing to browse you agree to our use of cookies.</span> <a href="/privacy-policy">Learn more</a> <button class="consent-ok">OK</button></div>
<div class="site-wrap">
<header class="site-header">
<div class="site-logo"><a href="/"><span>The Harbor Courier</span></a></div>
<div class="site-tagline">Singapore · Since 1961</div>
<nav class="main-menu"><a href="/">Home</a> <a href="/singapore">Singapore</a> <a href="/asia">Asia</a> <a href="/world">World</a> <a href="/business">Business</a> <a href="/tech">Tech</a> <a href="/science">Science</a> <a href="/opinion">Opinion</a> <a href="/lifestyle">Life</a></nav>
<a class="btn-subscribe" href="/subscribe">Subscribe $0.99/month</a>
</header>
<div class="page-grid">
<div class="content-col">
<ol class="crumbs"><li><a href="/">Home</a></li><li><a href="/{d['section']}">{sec}</a></li></ol>
<div class="story-wrapper">
<h1 class="story-title">{title}</h1>
<h2 class="story-standfirst">{desc}</h2>
<div class="story-info"><span class="author-name">{byline}</span> <span class="sep">|</span> <span class="pub-date">Published {when}</span></div>
<div class="social-share"><span>{lab["share"]}</span> {share_links(lang, "ss")}</div>
<figure class="story-photo">
{img}
<figcaption>{esc(caption)} <em class="photo-credit">PHOTO: {esc(CREDIT[outlet]).upper()}</em></figcaption>
</figure>
<div class="story-text">
{body}
</div>
<div class="story-tags"><span>{lab["tags"]}:</span><ul>{tag_list("tag-pill", "tags")}</ul></div>
<div class="social-share bottom">{share_links(lang, "ss")}</div>
<p class="copyright-note">Copyright 2026 The Harbor Courier. Permission required for reproduction.</p>
</div>
</div>
<aside class="sidebar">
<div class="widget most-read"><h4>Related Stories</h4>
<ul>
{rel_list("rel")}
</ul></div>
<div class="widget signup"><h4>Asia Morning Briefing</h4><p>Get the top stories from across the region every weekday at 7am.</p><form><input type="email" placeholder="Your email"><button>Subscribe</button></form></div>
<div class="widget hc-advert" data-slot="sidebar-mpu"><p class="hc-advert-label">ADVERTISEMENT</p></div>
</aside>
</div>
<footer class="site-footer">
<nav><a href="/about-us">About Us</a> · <a href="/contact">Contact Us</a> · <a href="/advertise">Advertise With Us</a> · <a href="/terms">Terms &amp; Conditions</a> · <a href="/privacy-policy">Privacy Policy</a></nav>
<p>© 2026 The Harbor Courier Pte Ltd. Co. Regn. No. 196100042K. All rights reserved.</p>
</footer>
</div>
</body>
</html>
"""

    if outlet == "northgate-daily":
        ex = {"readmore": f'<p class="nd-teaser"><b>{lab["readmore"]}</b> {teaser_a}</p>',
              "ad": '<div class="nd-ad-container" id="div-gpt-ad-inline"><small>Advertisement</small></div>'}
        body = body_parts(d, {"h": "h2", "hcls": "nd-subhed", "pcls": "nd-body-text"}, ex)
        return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{doc_title}</title>
<meta name="description" content="{desc}">
<meta name="robots" content="max-image-preview:large">
<link rel="icon" href="../assets/lead-photo.svg">
</head>
<body class="nd article-page">
<a class="skip" href="#story">Skip to content</a>
<div class="nd-header">
<div class="nd-header__row"><button class="nd-menu-toggle" aria-label="Menu">☰</button><a class="nd-wordmark" href="/">Northgate Daily</a><span class="nd-edition">U.S. Edition</span><a class="nd-login" href="/login">Log in</a></div>
<ul class="nd-sections"><li><a href="/news">News</a></li><li><a href="/world">World</a></li><li><a href="/business">Business</a></li><li><a href="/science">Science</a></li><li><a href="/climate">Climate</a></li><li><a href="/culture">Culture</a></li><li><a href="/sports">Sports</a></li></ul>
</div>
<div class="nd-container">
<div class="nd-breadcrumb"><a href="/">Northgate Daily</a> / <a href="/{d['section']}">{sec}</a> / <span>Article</span></div>
<div id="story" class="nd-story">
<div class="nd-story__head">
<span class="nd-label">{sec}</span>
<h1>{title}</h1>
<p class="nd-summary">{desc}</p>
<div class="nd-meta"><div class="nd-author">By {byline}</div><div class="nd-timestamp"><time datetime="{t_pub}">{when}</time></div></div>
<div class="nd-sharetools">{share_links(lang, "nd-sharetool")} <a href="#comments">Comments</a></div>
</div>
<div class="nd-media">
<figure>
{img}
<figcaption><span class="nd-caption-text">{esc(caption)}</span><span class="nd-caption-credit">{esc(CREDIT[outlet])}</span></figcaption>
</figure>
</div>
<div class="nd-story__body">
{body}
</div>
<div class="nd-topics">{lab["tags"]}: <ul>{tag_list("nd-topic", "topics")}</ul></div>
</div>
<div class="nd-newsletter-box"><h3>Get the Northgate Evening Edition</h3><p>A short, smart summary of the day’s news. Free for subscribers and registered readers.</p><a class="nd-btn" href="/newsletters">Sign up</a></div>
<div class="nd-more"><h3>More from Northgate Daily</h3>
<ol>
{rel_list("nd-more__item")}
</ol></div>
<div id="comments" class="nd-comments"><p>Comments are closed for this article.</p></div>
</div>
<div class="nd-cookie-notice"><p>We and our partners use cookies to deliver and improve our services. <a href="/cookies">Manage preferences</a></p><button>Accept</button></div>
<div class="nd-footer"><p><a href="/about">About</a> | <a href="/ethics">Ethics policy</a> | <a href="/help">Help</a> | <a href="/terms">Terms of Service</a> | <a href="/privacy">Privacy</a></p><p>Copyright © 2026 Northgate Daily Media Co. All Rights Reserved.</p></div>
</body>
</html>
"""

    if outlet == "capital-ledger":
        ex = {"readmore": f'<p class="cl-readmore"><span>{lab["readmore"]}</span> {teaser_a}</p>',
              "ad": '<div class="cl-adslot" data-ad-position="in-story-1"><span>Advertisement</span></div>'}
        body = body_parts(d, {"h": "h2", "hcls": "cl-subhead"}, ex)
        upd_html = f'<span class="cl-updated">Updated <time datetime="{esc(upd)}">{esc(display_date(outlet, upd))}</time></span>' if upd else ""
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{doc_title}</title>
<meta name="description" content="{desc}">
{jsonld(d, o)}
{opengraph(d, o)}
</head>
<body>
<div id="cl-cookie-consent" class="cl-consent">Capital Ledger uses cookies to improve your experience. <a href="/cookie-policy">Cookie policy</a> <button>Accept</button> <button>Settings</button></div>
<div id="cl-page">
<div class="cl-ticker"><span>DJIA</span> <span>S&amp;P 500</span> <span>Nasdaq</span> <span>10-yr Treasury</span> <span>Brent</span> <span>Gold</span></div>
<div class="cl-header"><a href="/" class="cl-logo">CAPITAL LEDGER</a>
<ul class="cl-nav"><li><a href="/markets">Markets</a></li><li><a href="/economy">Economy</a></li><li><a href="/business">Business</a></li><li><a href="/tech">Tech</a></li><li><a href="/personal-finance">Personal Finance</a></li><li><a href="/opinion">Opinion</a></li></ul>
<a class="cl-cta" href="/subscribe">Subscribe</a></div>
<div id="content" class="cl-content">
<div class="cl-crumbs"><a href="/">Home</a> &gt; <a href="/{d['section']}">{sec}</a></div>
<div class="cl-article" role="article">
<div class="cl-headline-block"><h1>{title}</h1><p class="cl-deck">{desc}</p></div>
<div class="cl-byline-block"><span class="cl-byline">By {byline}</span> <time class="cl-date" datetime="{t_pub}">{when}</time> {upd_html}</div>
<div class="cl-share">{share_links(lang, "cl-share")} <a href="#print">Print</a> <a href="#gift">Gift this article</a></div>
<figure class="cl-figure">
{img}
<figcaption class="cl-caption">{esc(caption)} <span class="cl-credit">({esc(CREDIT[outlet])})</span></figcaption>
</figure>
<div class="cl-article-body">
{body}
</div>
<div class="cl-tags">{lab["tags"]}: <ul>{tag_list("cl-tag", "topics")}</ul></div>
<p class="cl-corrections">Write to the newsroom at <a href="mailto:newsroom@capitalledger.example">newsroom@capitalledger.example</a>. Corrections &amp; amplifications are published at <a href="/corrections">/corrections</a>.</p>
</div>
<div class="cl-rail">
<div class="cl-rail-module"><h3>What to Read Next</h3><ul>
{rel_list("cl-next")}
</ul></div>
<div class="cl-rail-module cl-newsletter"><h3>Markets A.M.</h3><p>Everything investors need to know before the opening bell.</p><form><input type="email" placeholder="Email"><button>Sign Up</button></form></div>
<div class="cl-adslot" data-ad-position="rail"><span>Advertisement</span></div>
</div>
</div>
<div class="cl-footer"><p><a href="/about">About Us</a> · <a href="/subscriber-agreement">Subscriber Agreement</a> · <a href="/privacy">Privacy Notice</a> · <a href="/cookie-policy">Cookie Notice</a> · <a href="/contact">Customer Center</a></p><p>Copyright ©2026 Capital Ledger Publishing, Inc. All Rights Reserved.</p></div>
</div>
</body>
</html>
"""

    if outlet == "dongfang-chenbao":
        ex = {"readmore": f'<p class="yanshen">{lab["readmore"]}{teaser_a}</p>',
              "ad": '<div class="df-gg" id="gg_content_1"><span>广告</span></div>'}
        body = body_parts(d, {"h": "h3", "hcls": "df-xbt"}, ex)
        return f"""<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{doc_title}</title>
<meta name="keywords" content="{esc(",".join(tags))}">
<meta name="description" content="{desc}">
{opengraph(d, o)}
</head>
<body>
<div class="df-cookie" id="cookieTip">本网站使用Cookie以提升您的浏览体验。继续浏览即表示您同意我们的<a href="/yinsi.html">隐私政策</a>。<a href="javascript:void(0)" class="df-cookie-ok">我知道了</a></div>
<div class="df-top"><div class="df-w"><span class="df-date">{esc(d["published"][:10])}</span> <a href="/app">客户端下载</a> | <a href="/epaper">数字报</a> | <a href="/login">登录</a></div></div>
<div class="df-head"><div class="df-w"><a class="df-logo" href="/"><b>东方晨报</b><i>DONGFANG MORNING NEWS</i></a>
<ul class="df-menu"><li><a href="/">首页</a></li><li><a href="/shizheng">时政</a></li><li><a href="/guonei">国内</a></li><li><a href="/world">国际</a></li><li><a href="/asia">亚太</a></li><li><a href="/business">财经</a></li><li><a href="/city">城市</a></li><li><a href="/pinglun">评论</a></li><li><a href="/tupian">图片</a></li></ul></div></div>
<div class="df-w df-main">
<div class="df-position">当前位置：<a href="/">首页</a> &gt; <a href="/{d['section']}">{sec}</a> &gt; 正文</div>
<div class="df-left">
<div class="df-article">
<h1 class="df-title">{title}</h1>
<div class="df-info"><span class="df-time">{when}</span> <span class="df-source">来源：东方晨报</span> <span class="df-author">{byline}</span></div>
<div class="df-share">{lab["share"]}{share_links(lang, "df-share")}</div>
<div class="df-content" id="articleContent">
<figure class="df-pic">
{img}
<figcaption>{esc(caption)}（{esc(CREDIT[outlet])}）</figcaption>
</figure>
{body}
<p class="df-editor">（责任编辑：王丽）</p>
</div>
<div class="df-tags">{lab["tags"]}：<ul>{tag_list("df-tag", "tag")}</ul></div>
<div class="df-copyright">版权声明：本文为东方晨报原创稿件，未经授权不得转载。</div>
</div>
<div class="df-xiangguan"><h2>{lab["related"]}</h2><ul>
{rel_list("df-xg")}
</ul></div>
</div>
<div class="df-right">
<div class="df-box"><h3>订阅晨报早知道</h3><p>每天早上7点，把当天要闻送到您的邮箱。</p><form><input type="text" placeholder="请输入邮箱地址"><button>立即订阅</button></form></div>
<div class="df-box df-gg"><span>广告</span></div>
<div class="df-box"><h3>热点排行</h3><ol><li><a href="/city/">冬季供暖明起启动</a></li><li><a href="/city/">周末天气：冷空气来袭</a></li><li><a href="/pinglun/">评论：让城市更有温度</a></li></ol></div>
</div>
</div>
<div class="df-foot"><p><a href="/about">关于我们</a> | <a href="/contact">联系我们</a> | <a href="/ad">广告服务</a> | <a href="/jubao">违法和不良信息举报</a></p><p>Copyright © 2026 东方晨报社 版权所有 未经书面授权禁止使用</p></div>
</body>
</html>
"""

    if outlet == "huaxia-caijing":
        ex = {"readmore": f'<p class="hx-related-inline">【{lab["readmore"].rstrip("：")}】{teaser_a}</p>',
              "ad": '<div class="hx-ad-box" data-adid="article_middle"><em>广告</em></div>'}
        body = body_parts(d, {"h": "h2", "hcls": "hx-subtitle", "pcls": "hx-p"}, ex)
        return f"""<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{doc_title}</title>
<meta name="description" content="{desc}">
{jsonld(d, o)}
</head>
<body class="hx-body">
<div class="hx-privacy-pop"><p>我们使用Cookie来改善网站功能和您的体验。点击“同意”即表示您接受我们的<a href="/privacy">隐私政策</a>。</p><button>同意</button><button>拒绝</button></div>
<header class="hx-header">
<div class="hx-logo"><a href="/">华夏财经网</a></div>
<nav class="hx-nav"><a href="/">首页</a><a href="/news">要闻</a><a href="/stock">股票</a><a href="/fund">基金</a><a href="/business">产经</a><a href="/world">国际</a><a href="/tech">科技</a><a href="/auto">汽车</a><a href="/house">房产</a></nav>
<div class="hx-quotes">上证指数 | 深证成指 | 创业板指 | 恒生指数</div>
</header>
<div class="hx-wrapper">
<div class="hx-crumb"><a href="/">华夏财经网</a> » <a href="/{d['section']}">{sec}</a> » 正文</div>
<div class="hx-main">
<div class="hx-article-box">
<h1 class="hx-article-title">{title}</h1>
<div class="hx-article-meta"><span>{when}</span><span>来源：华夏财经网</span><span>{byline}</span></div>
<div class="hx-summary"><b>摘要：</b>{desc}</div>
<div class="hx-article-content">
<figure class="hx-img">
{img}
<figcaption>{esc(caption)} <span class="hx-img-source">图片来源：{esc(CREDIT[outlet])}</span></figcaption>
</figure>
{body}
</div>
<div class="hx-disclaimer">免责声明：本文仅供参考，不构成投资建议。投资有风险，入市需谨慎。</div>
<div class="hx-keywords">{lab["tags"]}：<ul>{tag_list("hx-kw", "tag")}</ul></div>
<div class="hx-share-bottom">{lab["share"]}：{share_links(lang, "hx-share")}</div>
</div>
<div class="hx-recommend"><h3>{lab["related"]}</h3><ul>
{rel_list("hx-rec")}
</ul></div>
</div>
<div class="hx-side">
<div class="hx-side-block"><h3>财经早餐</h3><p>订阅华夏财经网每日早报，开盘前掌握市场动向。</p><input type="email" placeholder="邮箱"><button>订阅</button></div>
<div class="hx-ad-box" data-adid="side_1"><em>广告</em></div>
</div>
</div>
<footer class="hx-footer"><p><a href="/about">关于我们</a> · <a href="/join">加入我们</a> · <a href="/contact">联系方式</a> · <a href="/disclaimer">免责条款</a></p><p>© 2026 华夏财经网 版权所有</p></footer>
</body>
</html>
"""

    if outlet == "xiangjiang-times":
        ex = {"readmore": f'<p class="xj-extend">{lab["readmore"]}{teaser_a}</p>',
              "ad": '<div class="xj-ad" id="xj-ad-inread"><p>廣告</p></div>'}
        body = body_parts(d, {"h": "h3", "hcls": "xj-subtitle", "pcls": "xj-text"}, ex)
        return f"""<!DOCTYPE html>
<html lang="zh-Hant">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{doc_title}</title>
<meta name="description" content="{desc}">
</head>
<body class="xj">
<div class="xj-cookie">本網站使用 Cookies 以提供更佳瀏覽體驗。繼續使用即表示你同意本網站的<a href="/privacy">私隱政策聲明</a>。<button>接受</button></div>
<div class="xj-masthead"><a class="xj-brand" href="/">香江時報</a><span class="xj-slogan">香港人的新聞</span>
<div class="xj-menu"><a href="/">主頁</a> <a href="/hongkong">港聞</a> <a href="/asia">兩岸</a> <a href="/world">國際</a> <a href="/business">財經</a> <a href="/property">地產</a> <a href="/sports">體育</a> <a href="/entertainment">娛樂</a> <a href="/opinion">評論</a></div></div>
<div class="xj-body">
<div class="xj-path"><a href="/">主頁</a> ＞ <a href="/{d['section']}">{sec}</a></div>
<section class="xj-news">
<h1 class="xj-headline">{title}</h1>
<div class="xj-newsinfo"><time datetime="{t_pub}">{when}</time> <span class="xj-reporter">{byline}</span></div>
<div class="xj-sharebox">{lab["share"]}：{share_links(lang, "xj-sharebtn")}</div>
<div class="xj-newsbody">
<figure class="xj-photo">
{img}
<figcaption>{esc(caption)}（{esc(CREDIT[outlet])}）</figcaption>
</figure>
{body}
</div>
<div class="xj-tags">{lab["tags"]}：<ul>{tag_list("xj-tag", "tag")}</ul></div>
</section>
<section class="xj-relnews"><h2>{lab["related"]}</h2><ul>
{rel_list("xj-relnews-item")}
</ul></section>
<section class="xj-subscribe"><h2>訂閱香江時報電子報</h2><p>每朝8點，將最新港聞送到你的郵箱。</p><form><input type="email" placeholder="電郵地址"><button>訂閱</button></form></section>
</div>
<div class="xj-footer"><p><a href="/about">關於我們</a>｜<a href="/advertise">廣告查詢</a>｜<a href="/privacy">私隱政策</a>｜<a href="/terms">使用條款</a></p><p>© 2026 香江時報有限公司 版權所有，不得轉載。</p></div>
</body>
</html>
"""

    if outlet == "taipei-observer":
        ex = {"readmore": f'<p class="to-further">▸{lab["readmore"]}{teaser_a}</p>',
              "ad": '<div class="to-adbanner" data-position="content-middle"><span>廣告</span></div>'}
        body = body_parts(d, {"h": "h2", "hcls": "to-midtitle"}, ex)
        return f"""<!DOCTYPE html>
<html lang="zh-Hant">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{doc_title}</title>
<meta name="description" content="{desc}">
{opengraph(d, o)}
{jsonld(d, o)}
</head>
<body>
<div class="to-gdpr">我們使用 Cookie 改善您的使用體驗，請參閱<a href="/privacy">隱私權政策</a>。<button>我同意</button></div>
<header class="to-header">
<div class="to-logo"><a href="/">臺北觀察報</a></div>
<nav class="to-nav"><ul><li><a href="/">首頁</a></li><li><a href="/politics">政治</a></li><li><a href="/business">財經</a></li><li><a href="/asia">兩岸亞太</a></li><li><a href="/world">國際</a></li><li><a href="/society">社會</a></li><li><a href="/life">生活</a></li><li><a href="/sports">運動</a></li></ul></nav>
</header>
<div class="to-container">
<div class="to-breadcrumb"><a href="/">首頁</a> / <a href="/{d['section']}">{sec}</a></div>
<div class="to-article-wrap">
<div class="to-article-head">
<h1>{title}</h1>
<div class="to-article-info"><span class="to-date"><time datetime="{t_pub}">{when}</time></span> <span class="to-author">{byline}</span></div>
<div class="to-share-top">{share_links(lang, "to-share")}</div>
</div>
<div class="to-article-content">
<figure class="to-figure">
{img}
<figcaption>{esc(caption)}（{esc(CREDIT[outlet])}）</figcaption>
</figure>
{body}
<p class="to-endmark">（編輯：黃雅婷）</p>
</div>
<div class="to-keyword">{lab["tags"]}：<ul>{tag_list("to-kw", "tag")}</ul></div>
</div>
<div class="to-related"><h3>{lab["related"]}</h3><ul>
{rel_list("to-related-item")}
</ul></div>
<div class="to-newsletter"><h3>訂閱觀察報電子報</h3><p>每日精選要聞，第一時間掌握。</p><form><input type="email" placeholder="請輸入Email"><button>訂閱</button></form></div>
</div>
<footer class="to-footer"><p><a href="/about">關於我們</a>｜<a href="/contact">聯絡我們</a>｜<a href="/ads">廣告刊登</a>｜<a href="/privacy">隱私權政策</a></p><p>Copyright © 2026 臺北觀察報 All Rights Reserved. 本網站內容未經授權，不得轉載。</p></footer>
</body>
</html>
"""
    raise SystemExit("unknown outlet " + outlet)


def xesc(s):
    return html.escape(s, quote=True)


def rfc822(s):
    return email.utils.format_datetime(dt(s))


def rss(o, key, items):
    last = max((dt(d.get("updated", d["published"])) for d in items))
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">',
           "<channel>",
           f"<title>{xesc(o['name'])}</title>",
           "<link>./</link>",
           f"<description>{xesc(o['about'])}</description>",
           f"<language>{o['lang']}</language>",
           f"<copyright>© 2026 {xesc(o['name'])}</copyright>",
           f"<lastBuildDate>{email.utils.format_datetime(last)}</lastBuildDate>",
           "<generator>newsdesk demo build.py</generator>"]
    for d in items:
        out += ["<item>",
                f"<title>{xesc(d['title'])}</title>",
                f"<link>articles/{d['slug']}.html</link>",
                f'<guid isPermaLink="false">{key}:{d["slug"]}</guid>',
                f"<pubDate>{rfc822(d['published'])}</pubDate>",
                f"<dc:creator>{xesc(d['byline'])}</dc:creator>",
                f"<category>{xesc(SECTION_LABEL[d['lang']][d['section']])}</category>",
                f"<description>{xesc(d['description'])}</description>",
                "</item>"]
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def atom(o, key, items):
    last = max(items, key=lambda d: dt(d.get("updated", d["published"])))
    last = last.get("updated", last["published"])
    base = f"tag:{o['domain']},2026:"
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{o["lang"]}">',
           f"<id>{base}feed</id>",
           f"<title>{xesc(o['name'])}</title>",
           f"<subtitle>{xesc(o['about'])}</subtitle>",
           f"<updated>{last}</updated>",
           f'<link rel="self" type="application/atom+xml" href="{o["feed"]}"/>',
           '<link rel="alternate" type="text/html" href="./"/>',
           f"<rights>© 2026 {xesc(o['name'])}</rights>",
           f"<author><name>{xesc(o['name'])}</name></author>"]
    for d in items:
        out += ["<entry>",
                f"<id>{base}articles/{d['slug']}</id>",
                f"<title>{xesc(d['title'])}</title>",
                f'<link rel="alternate" type="text/html" href="articles/{d["slug"]}.html"/>',
                f"<published>{d['published']}</published>",
                f"<updated>{d.get('updated', d['published'])}</updated>",
                "".join(f"<author><name>{xesc(a)}</name></author>" for a in authors(d)),
                f'<category term="{d["section"]}" label="{xesc(SECTION_LABEL[d["lang"]][d["section"]])}"/>',
                f'<summary type="text">{xesc(d["description"])}</summary>',
                "</entry>"]
    out += ["</feed>", ""]
    return "\n".join(out)


def jsonfeed(o, key, items):
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": o["name"],
        "description": o["about"],
        "language": o["lang"],
        "authors": [{"name": o["name"]}],
        "items": [{
            "id": f"{key}:{d['slug']}",
            "url": f"articles/{d['slug']}.html",
            "title": d["title"],
            "summary": d["description"],
            "content_text": d["description"],
            "date_published": d["published"],
            "date_modified": d.get("updated", d["published"]),
            "authors": [{"name": a} for a in authors(d)],
            "tags": [SECTION_LABEL[d["lang"]][d["section"]]],
            "language": d["lang"],
        } for d in items],
    }
    return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"


def opml():
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<opml version="2.0">',
           "<head>",
           "<title>newsdesk demo feeds</title>",
           "<dateCreated>Fri, 27 Nov 2026 00:00:00 GMT</dateCreated>",
           "<ownerName>newsdesk demo data (fiction)</ownerName>",
           "</head>",
           "<body>"]
    for key in sorted(OUTLETS):
        o = OUTLETS[key]
        out.append(f'<outline text="{xesc(o["name"])}" title="{xesc(o["name"])}" type="rss" '
                   f'xmlUrl="{key}/{o["feed"]}" language="{o["lang"]}" '
                   f'category="/{o["category"]}"/>')
    out += ["</body>", "</opml>", ""]
    return "\n".join(out)


SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" viewBox="0 0 1200 675">
<rect width="1200" height="675" fill="{bg}"/>
<text x="600" y="350" font-family="sans-serif" font-size="48" fill="#ffffff" text-anchor="middle">{name}</text>
</svg>
"""
COLORS = ["#102a43", "#1f4e79", "#2d6a4f", "#6a040f", "#7f5539", "#3c096c", "#005f73", "#495057"]


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def main():
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SRC.glob("*.json"))]
    for d in docs:
        assert d["outlet"] in OUTLETS, d["slug"]
        assert d["lang"] == OUTLETS[d["outlet"]]["lang"], d["slug"]
        assert d["section"] in SECTION_LABEL["en"], d["slug"]
        story_of(d["slug"])
    order = lambda d: (-dt(d["published"]).timestamp(), d["slug"])  # newest first
    for i, key in enumerate(sorted(OUTLETS)):
        o = OUTLETS[key]
        items = sorted((d for d in docs if d["outlet"] == key), key=order)
        outdir = ROOT / key
        keep = {f"{d['slug']}.html" for d in items}
        if (outdir / "articles").is_dir():
            for old in sorted((outdir / "articles").glob("*.html")):
                if old.name not in keep:
                    old.unlink()
        for d in items:
            write(outdir / "articles" / f"{d['slug']}.html", page(d, o, items))
        write(outdir / "assets" / "lead-photo.svg", SVG.format(bg=COLORS[i % len(COLORS)], name=xesc(o["name"])))
        fn = {"rss": rss, "atom": atom, "json": jsonfeed}[o["kind"]]
        write(outdir / o["feed"], fn(o, key, items))
    write(ROOT / "demo.opml", opml())
    print(f"built {len(docs)} articles for {len(OUTLETS)} outlets")


if __name__ == "__main__":
    main()
