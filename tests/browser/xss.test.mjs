// XSS test (issue 9) in headless Chromium: every page of a site built from hostile sources
// (payloads in feed titles, article HTML, author names, metadata) and a search for each
// payload must run no payload (xss(N) is a trap defined before any page script; so are
// alert/confirm/prompt and dialogs) and carry no injected attribute (data-xss, an on*
// handler, a javascript: URL). Run by xss_test.py, which starts the server.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    payloads: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
const payloads = JSON.parse(fs.readFileSync(args.payloads, 'utf8'));
assert.ok(payloads.length >= 50, 'at least 50 payloads');

let browser;
let page;
const fired = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: args.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.exposeFunction('__xssReport', (n) => { fired.push(String(n)); });
  await context.addInitScript(() => {
    window.xss = (n) => window.__xssReport(n);
    window.alert = window.confirm = window.prompt = (m) => window.__xssReport('dialog ' + m);
  });
  page = await context.newPage();
  page.on('dialog', async (d) => { fired.push('dialog ' + d.message()); await d.dismiss(); });
});

after(async () => {
  if (browser) await browser.close();
});

// Injected markup: attributes a payload would add. The site's own markup has none.
async function injected() {
  return page.evaluate(() => {
    const bad = [];
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        const v = a.value.trim().toLowerCase();
        if (a.name === 'data-xss' || a.name.startsWith('on') ||
            ((a.name === 'href' || a.name === 'src' || a.name === 'action' ||
              a.name === 'formaction' || a.name === 'data') &&
             (v.startsWith('javascript:') || v.startsWith('data:text/html')))) {
          bad.push(`<${el.tagName.toLowerCase()} ${a.name}="${a.value}">`);
        }
      }
      if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'BASE'].includes(el.tagName) &&
          /xss\(/.test(el.outerHTML) && !(el.tagName === 'SCRIPT' &&
          el.type === 'application/ld+json')) {
        bad.push(el.outerHTML.slice(0, 120));
      }
    }
    return bad;
  });
}

async function check(url) {
  const resp = await page.goto(url, { waitUntil: 'load' });
  assert.ok(resp.status() < 500, `${url}: HTTP ${resp.status()}`);
  // Let autofocus/onload/animation payloads have their chance.
  await page.waitForTimeout(50);
  const bad = await injected();
  assert.deepEqual(bad, [], `${url}: injected markup`);
  assert.deepEqual(fired, [], `${url}: a payload ran`);
}

let pages = [];

test('front page and source list', async () => {
  await check(args.base + '/');
  await check(args.base + '/sources');
  pages = await page.evaluate(() => [...new Set([...document.querySelectorAll('a[href]')]
    .map((a) => a.getAttribute('href')))]);
  await check(args.base + '/feed.atom');
});

test('every story page in every language', async () => {
  // Every story the API lists (the front page may show only some).
  const list = await (await page.request.get(args.base + '/api/v1/stories?limit=100')).json();
  const stories = list.stories.map((s) => '/story/' + s.id);
  assert.ok(stories.length >= 1, `stories: ${stories.length}`);
  for (const s of stories) {
    for (const lang of ['en', 'zh-Hans', 'zh-Hant']) {
      await check(args.base + s + (s.includes('?') ? '&' : '?') + 'lang=' + lang);
    }
  }
});

test('a search for each payload', async () => {
  for (const p of payloads) {
    await check(args.base + '/search?q=' + encodeURIComponent(p));
  }
  // And the words the hostile articles share, so results (with snippets) are shown.
  await check(args.base + '/search?q=' + encodeURIComponent('harbour breakwater'));
  const hits = await page.locator('main a[href^="/story/"]').count();
  assert.ok(hits >= 1, 'search shows results');
});

test('the API returns payloads as JSON text', async () => {
  const resp = await page.goto(args.base + '/api/v1/stories', { waitUntil: 'load' });
  assert.equal(resp.status(), 200);
  assert.match(resp.headers()['content-type'], /application\/json/);
  assert.deepEqual(fired, []);
});
