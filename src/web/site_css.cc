#include "web/site_css.h"

namespace nd::web {
namespace {

// A quiet newspaper look: serif headlines, a ~680px reading measure, dark text on a warm
// light page, visible focus rings, and a single column on small screens.
constexpr std::string_view kSiteCss = R"css(:root {
  --ink: #1a1a1a;
  --ink-soft: #4a4a4a;
  --muted: #6b6b6b;
  --paper: #fdfcf9;
  --rule: #e2ded6;
  --accent: #8b1e1e;
  --link: #1d4f91;
  --mark: #fff1a8;
  /* Latin faces first on English pages, so quotes and apostrophes are not set in the
     full-width forms of a CJK font; Chinese pages put the CJK faces first. */
  --serif: Georgia, "Times New Roman", "Noto Serif", "DejaVu Serif", "Liberation Serif",
    "Source Han Serif SC", "Noto Serif CJK SC", "Songti SC", serif;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial,
    "PingFang SC", "Microsoft YaHei", sans-serif;
  --measure: 680px;
}
:root:lang(zh-Hans) {
  --serif: "Source Han Serif SC", "Noto Serif CJK SC", "Songti SC", Georgia, serif;
  --sans: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", system-ui, sans-serif;
}
:root:lang(zh-Hant) {
  --serif: "Source Han Serif TC", "Noto Serif CJK TC", "Songti TC", Georgia, serif;
  --sans: "PingFang TC", "Microsoft JhengHei", "Noto Sans CJK TC", system-ui, sans-serif;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--paper); color: var(--ink);
  font: 18px/1.65 var(--serif);
}
:lang(zh-Hans), :lang(zh-Hant) { line-height: 1.8; }
a { color: var(--link); text-underline-offset: 0.15em; }
a:hover { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible {
  outline: 3px solid #e0a100; outline-offset: 2px; border-radius: 2px;
}
a:focus, button:focus, input:focus { outline: 3px solid #e0a100; outline-offset: 2px; }
a:focus:not(:focus-visible), button:focus:not(:focus-visible) { outline: none; }
.wrap { max-width: 1040px; margin: 0 auto; padding: 0 1.25rem; }
.skip {
  position: absolute; left: -999px; top: 0; background: var(--ink); color: #fff;
  padding: 0.5rem 1rem; z-index: 10;
}
.skip:focus { left: 0.5rem; top: 0.5rem; }

/* Masthead */
.masthead { border-bottom: 3px double var(--ink); background: #fff; }
.masthead-top {
  display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between;
  gap: 0.5rem 1.5rem; padding-top: 1.25rem; padding-bottom: 0.75rem;
}
.site-title {
  font: 700 2.4rem/1.1 var(--serif); letter-spacing: -0.01em; color: var(--ink);
  text-decoration: none;
}
.site-title:hover { color: var(--ink); }
.tagline { margin: 0.25rem 0 0; font: 0.9rem/1.4 var(--sans); color: var(--muted); }
.lang-switch { font: 0.9rem/1.4 var(--sans); color: var(--muted); }
.lang-switch a { text-decoration: none; }
.lang-switch a[aria-current] { color: var(--ink); font-weight: 600; }
.sections { border-top: 1px solid var(--rule); font: 600 0.9rem/1 var(--sans); }
.sections ul {
  list-style: none; margin: 0; padding: 0.7rem 0; display: flex; flex-wrap: wrap;
  gap: 0.5rem 1.4rem;
}
.sections a { color: var(--ink); text-decoration: none; text-transform: uppercase;
  letter-spacing: 0.04em; }
.sections a:hover, .sections a[aria-current] { color: var(--accent); }

main { padding-top: 1.75rem; padding-bottom: 3rem; }
h1, h2, h3 { font-family: var(--serif); line-height: 1.2; color: var(--ink); }
.page-title { font-size: 1.9rem; margin: 0 0 1rem; }

/* Front page */
.story-list { list-style: none; margin: 0; padding: 0; display: grid;
  grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 0 2.5rem; }
.story-item { border-top: 1px solid var(--rule); padding: 1.1rem 0 1.3rem; }
.story-item.lead { grid-column: 1 / -1; border-top: none; padding-top: 0; }
.story-item.lead .story-headline { font-size: 2.2rem; }
.story-item.lead .story-dek { font-size: 1.15rem; max-width: var(--measure); }
.kicker { margin: 0 0 0.35rem; font: 700 0.75rem/1.2 var(--sans); color: var(--accent);
  text-transform: uppercase; letter-spacing: 0.08em; }
.story-headline { font-size: 1.35rem; margin: 0 0 0.45rem; }
.story-headline a { color: var(--ink); text-decoration: none; }
.story-headline a:hover { color: var(--accent); text-decoration: underline; }
.story-dek { margin: 0 0 0.5rem; color: var(--ink-soft); }
.meta { margin: 0; font: 0.85rem/1.4 var(--sans); color: var(--muted); }
.pager { margin-top: 2rem; font-family: var(--sans); }

.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
.front-top { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); gap: 0 2.5rem;
  border-bottom: 2px solid var(--ink); margin-bottom: 1.5rem; }
.front-top .lead-list { display: block; }
.front-top .story-item.lead .story-headline { font-size: 2.4rem; line-height: 1.15; }
.most-covered { border-left: 1px solid var(--rule); padding-left: 1.5rem; }
.most-covered ol { list-style: none; margin: 0; padding: 0; counter-reset: mc; }
.most-covered .story-item { padding: 0.7rem 0 0.8rem; counter-increment: mc; position: relative;
  padding-left: 2rem; }
.most-covered .story-item:first-child { border-top: none; }
.most-covered .story-item::before { content: counter(mc); position: absolute; left: 0;
  top: 0.6rem; font: 700 1.4rem/1 var(--serif); color: var(--accent); }
.most-covered .story-headline { font-size: 1.05rem; }
.rule-title { font: 700 0.85rem/1.2 var(--sans); text-transform: uppercase;
  letter-spacing: 0.08em; margin: 0 0 0.3rem; padding-top: 0.2rem; color: var(--ink); }
.rule-title a { color: inherit; text-decoration: none; }
.rule-title a:hover { color: var(--accent); }
.latest, .section-block { margin-bottom: 2rem; }
.section-block { border-top: 2px solid var(--ink); padding-top: 0.6rem; }
.story-item.compact .story-dek { display: none; }
.more, .section-feeds { margin: 0.4rem 0 0; font: 600 0.85rem/1.4 var(--sans); }
.follows { font: 0.95rem/1.5 var(--sans); color: var(--ink-soft); }
.follow-ups ul { list-style: none; margin: 0; padding: 0; }
.follow-ups li { border-top: 1px solid var(--rule); padding: 0.6rem 0; }
.follow-ups time { font: 0.85rem var(--sans); color: var(--muted); }

/* Sources page */
.intro { max-width: var(--measure); color: var(--ink-soft); }
.table-wrap { overflow-x: auto; }
.sources-table { border-collapse: collapse; width: 100%; font: 0.92rem/1.45 var(--sans); }
.sources-table th, .sources-table td { text-align: left; vertical-align: top;
  padding: 0.6rem 0.8rem 0.6rem 0; border-bottom: 1px solid var(--rule); }
.sources-table thead th { border-bottom: 2px solid var(--ink); font-size: 0.8rem;
  text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
.sources-table .num { text-align: right; font-variant-numeric: tabular-nums; }
.sources-table small { color: var(--muted); }
.status-ok { color: #25613a; }
.status-refused, .status-error { color: var(--accent); }
.status-never { color: var(--muted); }

/* Story page */
.story { max-width: var(--measure); margin: 0 auto; }
.headline { font-size: 2.4rem; margin: 0 0 0.75rem; letter-spacing: -0.01em; }
.dek { font-size: 1.25rem; line-height: 1.5; color: var(--ink-soft); margin: 0 0 1rem; }
.byline { font: 0.9rem/1.5 var(--sans); color: var(--muted); border-top: 1px solid var(--rule);
  border-bottom: 1px solid var(--rule); padding: 0.6rem 0; margin: 0 0 1.5rem; }
.byline span + span::before { content: " · "; }
.note { font: 0.9rem/1.5 var(--sans); background: #f3efe6; padding: 0.6rem 0.9rem;
  border-left: 3px solid var(--accent); }
.story-body p { margin: 0 0 1.1rem; }
sup.cite { font: 600 0.65rem/0 var(--sans); margin-left: 0.1em; }
sup.cite a { text-decoration: none; }
.story h2 { font-size: 1.3rem; margin: 2.2rem 0 0.8rem; padding-top: 0.8rem;
  border-top: 2px solid var(--ink); }
.timeline ol { list-style: none; margin: 0; padding: 0 0 0 1rem;
  border-left: 2px solid var(--rule); }
.timeline li { margin: 0 0 0.9rem; position: relative; }
.timeline li::before { content: ""; position: absolute; left: -1.4rem; top: 0.55em;
  width: 0.6rem; height: 0.6rem; border-radius: 50%; background: var(--accent); }
.timeline .when { display: block; font: 700 0.8rem/1.4 var(--sans); color: var(--muted); }
.sources ol { padding-left: 1.5rem; font: 0.92rem/1.5 var(--sans); }
.sources li { margin: 0 0 0.6rem; }
.sources li:target { background: var(--mark); }
.sources .outlet { font-weight: 700; }
.sources time { color: var(--muted); }
.disclaimer { margin: 2rem 0; padding: 1rem 1.2rem; background: #f3efe6;
  border-radius: 4px; font: 0.9rem/1.55 var(--sans); color: var(--ink-soft); }
.disclaimer p { margin: 0 0 0.4rem; }
.disclaimer p:last-child { margin: 0; }
.related ul { list-style: none; margin: 0; padding: 0; }
.related li { border-top: 1px solid var(--rule); padding: 0.9rem 0; }
.related li > a { font: 700 1.1rem/1.3 var(--serif); color: var(--ink); text-decoration: none; }
.related li > a:hover { color: var(--accent); text-decoration: underline; }
.related p { margin: 0.35rem 0 0; color: var(--ink-soft); font-size: 0.95rem; }

/* Search */
.search-form { display: flex; gap: 0.5rem; flex-wrap: wrap; max-width: var(--measure);
  margin-bottom: 1.5rem; font-family: var(--sans); }
.search-form label { flex-basis: 100%; font-weight: 600; }
.search-form input[type=search] { flex: 1; min-width: 12rem; font: inherit;
  padding: 0.55rem 0.7rem; border: 1px solid #b9b4aa; border-radius: 4px; background: #fff; }
.search-form button { font: inherit; font-weight: 600; padding: 0.55rem 1.1rem;
  border: 0; border-radius: 4px; background: var(--ink); color: #fff; cursor: pointer; }
.result-count { font: 0.9rem/1.4 var(--sans); color: var(--muted); }
.results { list-style: none; margin: 0; padding: 0; max-width: var(--measure); }
.results li { border-top: 1px solid var(--rule); padding: 1rem 0; }
.results h2 { font-size: 1.25rem; margin: 0 0 0.35rem; }
.results h2 a { color: var(--ink); text-decoration: none; }
.snippet { margin: 0; color: var(--ink-soft); }
mark { background: var(--mark); color: inherit; padding: 0 0.1em; }

/* About and error pages */
.prose { max-width: var(--measure); }
.prose h2 { font-size: 1.3rem; margin-top: 2rem; }

.site-footer { border-top: 1px solid var(--rule); background: #fff;
  font: 0.85rem/1.6 var(--sans); color: var(--muted); padding: 1.5rem 0 2.5rem; }
.site-footer p { margin: 0 0 0.4rem; }

@media (max-width: 640px) {
  body { font-size: 17px; }
  .site-title { font-size: 1.9rem; }
  .headline, .story-item.lead .story-headline { font-size: 1.8rem; }
  .dek { font-size: 1.1rem; }
  .story-list { grid-template-columns: 1fr; }
  .front-top { grid-template-columns: 1fr; }
  .most-covered { border-left: none; padding-left: 0; }
}
@media print {
  .masthead nav, .site-footer, .skip { display: none; }
  body { background: #fff; }
}
)css";

}  // namespace

std::string_view SiteCss() { return kSiteCss; }

std::string_view FaviconSvg() {
  return R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="4" fill="#7a1f1f"/><text x="16" y="23" font-family="Georgia,serif" font-size="20" font-weight="700" text-anchor="middle" fill="#fff">n</text></svg>
)svg";
}

}  // namespace nd::web
