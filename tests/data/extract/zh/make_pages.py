#!/usr/bin/env python3
"""Builds the Chinese extraction set from articles.py: 24 pages in six site layouts with
real-site boilerplate (navigation, breadcrumbs, 相关文章 lists, comments, share bars, ads,
cookie banners, newsletter boxes, QR-code boxes, pull quotes, footers), in UTF-8, GBK,
GB18030 and Big5, with the charset declared in <meta charset>, in <meta http-equiv>, only in
the HTTP header (expected.tsv's content_type column) or not at all.

Writes <slug>.html, <slug>.txt (the expected body: blocks joined by newlines) and
expected.tsv (file, content_type, title, published unix seconds, published ISO, lang).
The test (tests/extract/zh_quality_test.cc) reads only those files; run this script again
(needs the opencc command) after editing articles.py or a layout.
"""
import datetime
import html
import json
import subprocess
from pathlib import Path

from articles import ARTICLES

HERE = Path(__file__).resolve().parent

# slug -> (layout, encoding label, where the charset is declared)
PLAN = {
    'hans_library_night': ('portal', 'utf-8', 'meta'),
    'hans_rail_station': ('html5', 'gbk', 'meta'),
    'hans_heating': ('gov', 'gbk', 'http-equiv'),
    'hans_livestream': ('blog', 'gb18030', 'meta'),
    'hans_canteen': ('portal', 'gb2312', 'header'),
    'hans_wetland_birds': ('gov', 'gbk', 'none'),
    'hans_electric_bus': ('html5', 'utf-8', 'none'),
    'hans_science_contest': ('jsonld', 'gb18030', 'header'),
    'hans_old_street': ('paywall', 'utf-8', 'meta'),
    'hans_marathon': ('portal', 'gbk', 'http-equiv'),
    'hans_cold_wave': ('blog', 'utf-8', 'meta'),
    'hans_museum_digital': ('gov', 'utf-8', 'http-equiv'),
    'hans_port_cargo': ('html5', 'utf-8', 'header'),
    'hant_night_market': ('portal', 'big5', 'meta'),
    'hant_metro_extension': ('html5', 'big5', 'http-equiv'),
    'hant_typhoon': ('gov', 'big5', 'header'),
    'hant_tea_farmers': ('blog', 'big5', 'none'),
    'hant_social_housing': ('jsonld', 'utf-8', 'meta'),
    'hant_beach_cleanup': ('jsonld', 'big5', 'meta'),
    'hant_bookstores': ('gov', 'utf-8', 'none'),
    'hant_escooter_subsidy': ('paywall', 'big5', 'http-equiv'),
    'hant_baseball': ('portal', 'utf-8', 'meta'),
    'hant_heritage': ('html5', 'big5', 'none'),
    'hant_landslide': ('blog', 'utf-8', 'meta'),
}

PY_CODEC = {'utf-8': 'utf-8', 'gbk': 'gbk', 'gb2312': 'gbk', 'gb18030': 'gb18030',
            'big5': 'big5'}


def to_hant(text):
    out = subprocess.run(['opencc', '-c', 's2tw.json'], input=text.encode(),
                         capture_output=True, check=True).stdout.decode()
    return out


def e(s):
    return html.escape(s, quote=True)


def block_html(kind, text, indent=False):
    if kind == 'p':
        return f'<p>{"　　" if indent else ""}{e(text)}</p>'
    if kind == 'h2':
        return f'<h2>{e(text)}</h2>'
    if kind == 'quote':
        return f'<blockquote><p>“{e(text)}”</p></blockquote>'
    raise ValueError(kind)


def body_html(blocks, indent=False, after=None):
    """Block elements, lists and tables grouped; `after` maps a block index to extra HTML
    placed after it (boilerplate inside the article container)."""
    out, i = [], 0
    after = after or {}
    while i < len(blocks):
        kind = blocks[i][0]
        if kind in ('li', 'row'):
            j = i
            while j < len(blocks) and blocks[j][0] == kind:
                j += 1
            if kind == 'li':
                out.append('<ul>' + ''.join(f'<li>{e(t)}</li>' for _, t in blocks[i:j]) + '</ul>')
            else:
                rows = []
                for n, (_, t) in enumerate(blocks[i:j]):
                    cell = 'th' if n == 0 else 'td'
                    rows.append('<tr>' + ''.join(f'<{cell}>{e(c.strip())}</{cell}>'
                                                 for c in t.split('|')) + '</tr>')
                out.append('<table class="data"><tbody>' + ''.join(rows) + '</tbody></table>')
            for k in range(i, j):
                if k in after:
                    out.append(after[k])
            i = j
            continue
        out.append(block_html(kind, blocks[i][1], indent))
        if i in after:
            out.append(after[i])
        i += 1
    return '\n'.join(out)


def head(a, enc, decl, extra='', lang_attr='zh-CN'):
    cs = ''
    if decl == 'meta':
        cs = f'<meta charset="{enc}">'
    elif decl == 'http-equiv':
        cs = f'<meta http-equiv="Content-Type" content="text/html; charset={enc}">'
    lang = f' lang="{lang_attr}"' if lang_attr else ''
    return (f'<!DOCTYPE html>\n<html{lang}>\n<head>\n{cs}\n'
            f'<title>{e(a["title"])}_{e(a["site"])}</title>\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="keywords" content="新闻,{e(a["site"])}">\n'
            f'<link rel="stylesheet" href="/static/css/main.css">\n'
            f'<script>var _hmt = _hmt || []; window.pageConfig = {{"channel": "news"}};</script>\n'
            f'{extra}</head>\n')


def nav():
    return ('<div class="top-nav"><ul><li><a href="/">首页</a></li><li><a href="/news/">新闻</a></li>'
            '<li><a href="/finance/">财经</a></li><li><a href="/sports/">体育</a></li>'
            '<li><a href="/ent/">娱乐</a></li><li><a href="/tech/">科技</a></li>'
            '<li><a href="/video/">视频</a></li><li><a href="/app/">下载客户端</a></li></ul>'
            '<form class="search"><input name="q" placeholder="搜索"><button>搜索</button></form></div>')


def related(title, items, cls='related'):
    lis = ''.join(f'<li><a href="/news/{n}.html">{e(t)}</a><span class="time">11-{10 + n:02d}</span></li>'
                  for n, t in enumerate(items))
    return f'<div class="{cls}"><h3>{e(title)}</h3><ul>{lis}</ul></div>'


RELATED = ['本市新增三条公交夜班线路', '周末文化活动一览表出炉', '两会代表热议社区治理',
           '老旧小区加装电梯进展顺利', '今冬明春天然气供应有保障']
HOT = ['全市中小学期末考试时间确定', '这家面馆开了五十年 每天只卖三百碗', '新机场航站楼效果图公布',
       '冬季感冒高发 专家提醒注意防护']
COMMENTS = [('网友小李', '支持！希望以后能多一些这样的好消息。'),
            ('东城老张', '上次去的时候还在施工，下次一定再去看看。'),
            ('匿名用户', '说得好听，实际效果还要看以后。')]
FOOTER = ('<div class="footer"><p><a href="/about">关于我们</a> | <a href="/contact">联系我们</a> | '
          '<a href="/ads">广告服务</a> | <a href="/jobs">招聘信息</a> | <a href="/law">法律声明</a></p>'
          '<p>Copyright &copy; 2026 {site} 版权所有 未经授权禁止转载</p>'
          '<p>互联网新闻信息服务许可证：12345678 举报电话：010-12345678</p></div>')


def comments_html():
    items = ''.join(f'<div class="comment"><span class="user">{e(u)}</span><p>{e(t)}</p>'
                    f'<span class="vote">赞(12) 回复</span></div>' for u, t in COMMENTS)
    return (f'<div id="comments" class="comment-box"><h3>网友评论（{len(COMMENTS)}）</h3>'
            f'<textarea placeholder="文明上网，理性发言"></textarea><button>发表评论</button>{items}</div>')


def iso_parts(a):
    dt = datetime.datetime.fromisoformat(a['date'])
    return dt


def portal(a, enc, decl):
    dt = iso_parts(a)
    info = f'{dt:%Y-%m-%d %H:%M}　来源：{e(a["site"])}'
    if a['byline']:
        info += f'　作者：{e(a["byline"])}'
    ad = ('<div class="gg200x300"><a href="https://ads.example/c?id=88"><img src="/ad/88.jpg"></a>'
          '<span>广告</span></div>')
    body = body_html(a['blocks'], indent=True, after={1: ad})
    return (head(a, enc, decl) + '<body>\n' + nav() +
            '<div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/news/">新闻中心</a> &gt; 正文</div>\n'
            '<div class="main clearfix"><div class="left">\n'
            f'<h1 class="post_title">{e(a["title"])}</h1>\n'
            f'<div class="post_info">{info}　<a href="#comments">参与评论(36)</a></div>\n'
            f'<div class="post_body" id="endText">\n{body}\n'
            '<p class="ep-editor">责任编辑：王小明_NB1234</p></div>\n'
            '<div class="share-bar">分享到：<a>微信</a><a>微博</a><a>QQ空间</a><a>复制链接</a></div>\n'
            + related('相关新闻', RELATED) + comments_html() + '</div>\n'
            '<div class="right">' + related('热门排行', HOT, 'hot-rank') +
            '<div class="ad-box"><span>广告</span><a href="https://ads.example/x">限时特惠 点击查看</a></div></div>'
            '</div>\n' + FOOTER.format(site=e(a['site'])) + '\n</body></html>\n')


def html5(a, enc, decl):
    dt = iso_parts(a)
    byline = (f'<span class="author" rel="author">{e(a["byline"])}</span>' if a['byline'] else '')
    figure = ('<figure class="lead"><img src="/img/lead.jpg" alt="">'
              f'<figcaption>图为{e(a["site"])}记者现场拍摄的画面。（资料图）</figcaption></figure>')
    newsletter = ('<div class="newsletter-box"><p>订阅我们的每日新闻简报，重要消息第一时间送到您的邮箱。</p>'
                  '<input type="email" placeholder="电子邮箱"><button>订阅</button></div>')
    body = body_html(a['blocks'], after={1: newsletter})
    cookie = ('<div id="cookie-notice" class="cookie-banner"><p>本网站使用Cookie来改善您的浏览体验。'
              '继续浏览即表示您同意我们使用Cookie。</p><button>接受</button> <a href="/privacy">隐私政策</a></div>')
    return (head(a, enc, decl, f'<meta property="og:title" content="{e(a["title"])}">\n'
                 f'<meta property="og:site_name" content="{e(a["site"])}">\n', lang_attr='zh') +
            '<body>\n' + cookie + '<header class="site-header"><a class="logo" href="/">' + e(a['site']) +
            '</a><nav>' + nav() + '</nav></header>\n<main><article>\n<header>'
            f'<h1>{e(a["title"])}</h1><p class="meta">'
            f'<time datetime="{a["date"]}">{dt.year}年{dt.month}月{dt.day}日 {dt:%H:%M}</time> {byline}</p></header>\n'
            + figure + f'<div class="article-body">\n{body}\n</div>\n'
            '<div class="tags">标签：<a href="/tag/1">民生</a> <a href="/tag/2">城市</a></div>\n'
            '</article>\n<aside class="related-articles">' + related('相关文章', RELATED) + '</aside>\n'
            '<section id="comments">' + comments_html() + '</section></main>\n'
            '<footer>' + FOOTER.format(site=e(a['site'])) + '</footer>\n</body></html>\n')


def gov(a, enc, decl):
    dt = iso_parts(a)
    if dt.hour == 0 and dt.minute == 0:
        when = f'{dt.year}年{dt.month:02d}月{dt.day:02d}日'
    else:
        when = f'{dt.year}年{dt.month}月{dt.day}日 {dt:%H:%M}'
    body = body_html(a['blocks'], indent=True)
    return (head(a, enc, decl, lang_attr='') + '<body>\n'
            '<table width="100%" class="top"><tr><td><img src="/images/banner.gif"></td></tr>'
            '<tr><td class="nav"><a href="/">网站首页</a> | <a href="/zwgk/">政务公开</a> | '
            '<a href="/bsfw/">办事服务</a> | <a href="/hdjl/">互动交流</a></td></tr></table>\n'
            '<table width="1000" align="center"><tr><td class="position">当前位置：<a href="/">首页</a> &gt;&gt; '
            '<a href="/xwzx/">新闻中心</a></td></tr>\n<tr><td>\n'
            f'<div class="title">{e(a["title"])}</div>\n'
            f'<div class="info">发布时间：{when}　来源：{e(a["site"])}　'
            '【字体：<a>大</a> <a>中</a> <a>小</a>】 <a>打印本页</a> <a>关闭窗口</a></div>\n'
            f'<div id="detail" class="content">\n{body}\n</div>\n'
            '<div class="jiuc">【纠错】 【责任编辑：刘洋】</div>\n'
            '<div class="qr">扫一扫在手机打开当前页</div>\n</td></tr></table>\n'
            + related('相关链接', RELATED[:3]) +
            '<table class="foot"><tr><td>主办单位：市人民政府办公室　网站标识码：1234567890<br>'
            f'版权所有：{e(a["site"])}　ICP备案号：京ICP备12345678号</td></tr></table>\n</body></html>\n')


def blog(a, enc, decl):
    dt = iso_parts(a)
    paras = [t for k, t in a['blocks'] if k == 'p']
    pull = paras[1].split('，')[0]
    cls = 'pullquote' if a['script'] == 'hans' else 'pull-quote'
    pullquote = f'<p class="{cls}">{e(pull)}</p>'
    body = body_html(a['blocks'], after={2: pullquote})
    by = f'<a class="author-name" href="/u/1">{e(a["byline"])}</a>' if a['byline'] else ''
    return (head(a, enc, decl, f'<meta property="article:published_time" content="{a["date"]}">\n'
                 f'<meta property="og:type" content="article">\n<meta property="og:title" content="{e(a["title"])}">\n'
                 '<meta name="description" content="' + e(paras[0][:40]) + '">\n') +
            '<body>\n<div class="app-header"><a href="/">' + e(a['site']) + '</a> <a href="/app">打开APP</a> '
            '<a href="/login">登录</a></div>\n<div class="container"><div class="post">\n'
            f'<h1 class="post-title">{e(a["title"])}</h1>\n'
            f'<div class="post-meta">{by} <span class="date">{dt:%Y-%m-%d}</span> <span class="views">阅读 3.2万</span></div>\n'
            f'<div class="post-content">\n{body}\n</div>\n'
            '<div class="post-toolbar"><span>点赞 128</span> <span>收藏</span> <span>分享</span></div>\n'
            '<div class="follow-box"><img src="/qr.png"><p>扫码关注公众号，获取更多本地新闻</p></div>\n'
            '<div class="recommend"><h3>猜你喜欢</h3>' + ''.join(
                f'<div class="item"><a href="/p/{n}">{e(t)}</a><p class="summary">{e(t)}……<a href="/p/{n}">阅读全文</a></p></div>'
                for n, t in enumerate(HOT)) + '</div>\n' + comments_html() +
            '</div></div>\n' + FOOTER.format(site=e(a['site'])) + '\n</body></html>\n')


def json_ld(a, body=None, free=True):
    d = {'@context': 'https://schema.org', '@type': 'NewsArticle', 'headline': a['title'],
         'datePublished': a['date'], 'publisher': {'@type': 'Organization', 'name': a['site']},
         'image': ['https://img.example/lead.jpg']}
    if a['byline']:
        d['author'] = [{'@type': 'Person', 'name': a['byline']}]
    if body is not None:
        d['articleBody'] = body
    if not free:
        d['isAccessibleForFree'] = False
    return ('<script type="application/ld+json">' + json.dumps(d, ensure_ascii=False) + '</script>\n')


def jsonld_layout(a, enc, decl):
    dt = iso_parts(a)
    more = related('延伸阅读', RELATED[:3], 'story-list')
    body = body_html(a['blocks'], after={len(a['blocks']) - 2: more})
    by = f'<span class="author">{e(a["byline"])}</span>' if a['byline'] else ''
    return (head(a, enc, decl, json_ld(a), lang_attr='zh-Hant-TW' if a['script'] == 'hant' else 'zh-Hans') +
            '<body>\n<div class="header">' + nav() + '</div>\n'
            '<div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/local">地方</a></div>\n'
            f'<section class="article-content"><h1 class="article-title">{e(a["title"])}</h1>\n'
            f'<div class="article-meta">{by}<span class="date">{dt:%Y/%m/%d %H:%M}</span></div>\n'
            '<div class="social-share"><a>Facebook</a> <a>LINE</a> <a>复制连结</a></div>\n'
            f'<div class="article-body">\n{body}\n'
            '<div class="ad-inread"><span>广告</span><p>不用抽 不用抢 现在下载APP看新闻 每天送好礼</p></div>\n'
            '</div>\n<div class="keywords">关键字：<a>地方</a> <a>生活</a></div>\n</section>\n'
            + related('最新新闻', HOT, 'latest') + related('热门新闻', RELATED[2:], 'popular') +
            FOOTER.format(site=e(a['site'])) + '\n</body></html>\n')


def paywall(a, enc, decl):
    dt = iso_parts(a)
    full = '\n'.join(t for _, t in a['blocks'])
    teaser = body_html(a['blocks'][:1])
    return (head(a, enc, decl, json_ld(a, body=full, free=False)) + '<body>\n' + nav() +
            f'<div class="article"><h1>{e(a["title"])}</h1>\n'
            f'<div class="byline">{e(a["byline"])} {dt:%Y-%m-%d %H:%M}</div>\n'
            f'<div class="article-body">\n{teaser}\n</div>\n'
            '<div class="paywall"><p>本文为付费内容，订阅后阅读全文。</p><p>首月仅需一元，随时可以取消。</p>'
            '<a class="btn" href="/subscribe">立即订阅</a> <a href="/login">已是会员？登录</a></div>\n'
            '</div>\n' + related('相关文章', RELATED[:4]) + FOOTER.format(site=e(a['site'])) +
            '\n</body></html>\n')


LAYOUTS = {'portal': portal, 'html5': html5, 'gov': gov, 'blog': blog, 'jsonld': jsonld_layout,
           'paywall': paywall}


def main():
    rows = ['# file\tcontent_type\ttitle\tpublished\tpublished_iso\tlang']
    for a in ARTICLES:
        a = dict(a)
        layout, enc, decl = PLAN[a['slug']]
        page = LAYOUTS[layout](a, enc, decl)
        if a['script'] == 'hant':
            # Convert the whole page (text and boilerplate) to Traditional characters.
            page = to_hant(page)
            a['title'] = to_hant(a['title'])
            a['blocks'] = [(k, to_hant(t)) for k, t in a['blocks']]
        data = page.encode(PY_CODEC[enc])
        (HERE / (a['slug'] + '.html')).write_bytes(data)
        text = '\n'.join(t for _, t in a['blocks'])
        (HERE / (a['slug'] + '.txt')).write_text(text + '\n', encoding='utf-8')
        dt = datetime.datetime.fromisoformat(a['date'])
        ctype = f'text/html; charset={enc}' if decl == 'header' else ''
        rows.append('\t'.join([a['slug'] + '.html', ctype, a['title'], str(int(dt.timestamp())),
                               a['date'], 'zh-Hant' if a['script'] == 'hant' else 'zh-Hans']))
    (HERE / 'expected.tsv').write_text('\n'.join(rows) + '\n', encoding='utf-8')


if __name__ == '__main__':
    main()
