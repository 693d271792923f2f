// Browser tests of the reader's site in a real headless Chromium (the Debian package),
// driven by playwright-core: open the front page, open a story, follow a citation to its
// source, switch to 繁體中文 and back, search in Chinese. A screenshot of each step is
// saved under --out. Run by run_browser_test.py, which starts the server.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    out: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    profile: { type: 'string' },
  },
});
assert.ok(args.base && args.out, 'usage: site.test.mjs --base URL --out DIR');
fs.mkdirSync(args.out, { recursive: true });

let browser;
let page;
const consoleErrors = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: args.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
  });
  page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
});

after(async () => {
  if (browser) await browser.close();
});

async function shot(name) {
  await page.screenshot({ path: path.join(args.out, name + '.png'), fullPage: true });
}

// True when the element's box overlaps the visible part of the viewport.
async function inViewport(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.bottom > 0 && r.top < window.innerHeight;
  });
}

let storyPath = '';

test('front page lists stories with headline, dek, sources and time', async () => {
  const resp = await page.goto(args.base + '/', { waitUntil: 'load' });
  assert.equal(resp.status(), 200);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.locator('main').waitFor();
  const links = page.locator('main a[href^="/story/"]');
  assert.ok(await links.count() >= 5, 'front page shows stories');
  assert.ok(await page.locator('main .source-count').count() >= 5, 'source counts shown');
  assert.ok(await page.locator('main time').count() >= 5, 'times shown');
  await shot('01-front-en');
});

test('open a story: headline, dek, cited body, sources, disclaimer', async () => {
  // The first story with several sources.
  const item = page.locator('main .story-item', { has: page.locator('.source-count') }).first();
  await item.locator('a[href^="/story/"]').first().click();
  await page.locator('h1.headline').waitFor();
  storyPath = new URL(page.url()).pathname;
  assert.match(storyPath, /^\/story\/\d+$/);
  assert.ok((await page.locator('h1.headline').innerText()).length > 10);
  assert.ok(await page.locator('p.dek').count() === 1);
  assert.ok(await page.locator('div.story-body sup.cite a').count() >= 1);
  assert.ok(await page.locator('section#sources li').count() >= 1);
  assert.match(await page.locator('aside.disclaimer').innerText(), /written by software/);
  await shot('02-story-en');
});

test('follow a citation: the source it names is shown', async () => {
  const cite = page.locator('div.story-body sup.cite a').last();
  const href = await cite.getAttribute('href');
  assert.match(href, /^#src-\d+$/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await cite.click();
  await page.waitForFunction((h) => location.hash === h, href);
  const target = page.locator('li' + href);
  assert.ok(await target.count() === 1, 'citation target exists');
  assert.ok(await inViewport(target), 'citation target scrolled into view');
  const link = target.locator('a[href^="http"]');
  assert.ok(await link.count() >= 1, 'source links to the original');
  await page.screenshot({ path: path.join(args.out, '03-citation.png') });
});

test('switch to 繁體中文 and back keeps the reader on the story', async () => {
  await page.locator('nav.lang-switch a[hreflang="zh-Hant"]').click();
  await page.waitForFunction(() => document.documentElement.lang === 'zh-Hant');
  assert.equal(new URL(page.url()).pathname, storyPath);
  assert.match(await page.locator('aside.disclaimer').innerText(), /本文由軟體/);
  assert.ok((await page.locator('h1.headline').innerText()).length > 2);
  await shot('04-story-zh-Hant');
  await page.locator('nav.lang-switch a[hreflang="en"]').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(new URL(page.url()).pathname, storyPath);
  assert.match(await page.locator('aside.disclaimer').innerText(), /written by software/);
});

test('search in Chinese finds the story', async () => {
  await page.goto(args.base + '/search?lang=zh-Hans', { waitUntil: 'load' });
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hans');
  const box = page.locator('main input[name="q"]');
  await box.fill('最低工资');
  await Promise.all([page.waitForNavigation(), box.press('Enter')]);
  assert.equal(new URL(page.url()).searchParams.get('q'), '最低工资');
  const results = page.locator('main a[href^="/story/"]');
  assert.ok(await results.count() >= 1, 'a result for 最低工资');
  await shot('05-search-zh-Hans');
  await results.first().click();
  await page.locator('h1.headline').waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hans');
});

test('keyboard focus is visible', async () => {
  await page.goto(args.base + '/?lang=en', { waitUntil: 'load' });
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    return { tag: el.tagName, outline: s.outlineStyle, width: s.outlineWidth };
  });
  assert.equal(outline.tag, 'A');
  assert.notEqual(outline.outline, 'none');
});

test('no script errors on any page', () => {
  assert.deepEqual(consoleErrors, []);
});
