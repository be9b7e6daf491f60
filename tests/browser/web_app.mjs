#!/usr/bin/env node
// Browser test of the web app (issue #6) in Debian's Chromium, headless, with a fresh profile,
// driven by playwright-core (web/node_modules; no browser download) against the real gongzhi
// binary serving the built app (web/dist) over a copy of the demo data:
//
//   1. how the binary serves the app: index.html and client routes revalidated, hashed assets
//      immutable and precompressed, the API's 404 never answered with the app, the CSP in force;
//   2. a villager signs in and files an appeal in three taps (category, text, send);
//   3. the village cadre signs in with a TOTP code (computed here, as an authenticator app
//      would), finds it in the queue, accepts, starts and answers it;
//   4. the villager rates the answer 满意 and the appeal closes;
//   5. the cadre's dashboard shows the satisfaction rate of the village moved by that rating;
//   6. elder mode (长辈模式) survives a reload, with body text of at least 18 px; English sets lang;
//   7. axe-core on every page visited reports no serious or critical violation, and no page logs
//      a CSP violation or an uncaught error.
// A failed step saves a screenshot (and the page's HTML) into the work folder.
//
// Usage: node tests/browser/web_app.mjs --binary build/gongzhi --template-dir DIR --work-dir DIR
//          [--web-root web/dist] [--chromium /usr/bin/chromium] [--screenshots DIR] [--timeout-factor F] [--keep]
// --screenshots DIR also saves a picture of each main page there (docs/screenshots/ for the docs).
import path from 'node:path';
import { REPO, check, openHarness } from './harness.mjs';
import { DEMO, DEMO_PASSWORD, DEMO_VILLAGE, request } from '../support/gzclient.mjs';

const { T, watch, axe, shot, signInThroughForm, run } = await openHarness(process.argv.slice(2));

async function satisfactionOfVillage(page, base) {
  await page.goto(`${base}/staff/dashboard`);
  const cell = page.locator(`tr[data-key="${DEMO_VILLAGE}"] td[data-rate="satisfaction"]`);
  await cell.waitFor();
  return (await cell.innerText()).trim();
}

// 1. How the binary serves the app.
async function checkServing(port, at) {
  at.step = 'serving';
  const index = await request(port, 'GET', '/');
  check(index.status === 200, `GET / answered ${index.status}`);
  check(/^text\/html/.test(index.headers['content-type']), `GET / Content-Type ${index.headers['content-type']}`);
  check(index.headers['cache-control'] === 'no-cache', `GET / Cache-Control ${index.headers['cache-control']}`);
  const csp = index.headers['content-security-policy'] || '';
  check(/script-src 'self'/.test(csp) && !/unsafe-inline[^;]*;?\s*$/.test(csp.split('script-src')[1].split(';')[0]),
    `the CSP must allow scripts from the origin only: ${csp}`);
  check(!/<script>(?!\s*<\/script>)/.test(index.body) && !/<script(?![^>]*\bsrc=)[^>]*>/.test(index.body),
    'index.html must hold no inline script (the CSP forbids them)');
  const deep = await request(port, 'GET', '/appeals/12345');
  check(deep.status === 200 && deep.body === index.body, `a client route answered ${deep.status} without index.html`);
  const apiMiss = await request(port, 'GET', '/api/v1/no-such-thing');
  check(apiMiss.status === 404 && /problem\+json/.test(apiMiss.headers['content-type']), `GET /api/v1/no-such-thing answered ${apiMiss.status} ${apiMiss.headers['content-type']}`);
  const stale = await request(port, 'GET', '/assets/gone-00000000.js');
  check(stale.status === 404, `a missing asset answered ${stale.status}, not 404`);
  const asset = index.body.match(/\/assets\/[^"]+\.js/);
  check(asset, 'index.html names no script asset');
  const js = await request(port, 'GET', asset[0]);
  check(js.status === 200 && /javascript/.test(js.headers['content-type']), `${asset[0]}: ${js.status} ${js.headers['content-type']}`);
  check(js.headers['cache-control'] === 'public, max-age=31536000, immutable', `${asset[0]} Cache-Control ${js.headers['cache-control']}`);
  const gz = await rawGet(port, asset[0], { 'Accept-Encoding': 'gzip' });
  check(gz.headers['content-encoding'] === 'gzip' && gz.length < js.body.length, `${asset[0]} was not sent gzip-compressed to a client that accepts it`);
  const dot = await request(port, 'GET', '/.vite/manifest.json');
  check(dot.status === 404, `/.vite/manifest.json answered ${dot.status}`);
}

function rawGet(port, target, headers) {
  return new Promise((resolve, reject) => {
    import('node:http').then(({ default: http }) => {
      const req = http.request({ host: '127.0.0.1', port, path: target, headers }, (res) => {
        let length = 0;
        res.on('data', (d) => (length += d.length));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, length }));
      });
      req.on('error', reject);
      req.end();
    });
  });
}

await run('browser.web_app', async ({ server, base, browser, at }) => {
  await checkServing(server.port, at);

  // 2. The villager files an appeal.
  at.step = 'villager files an appeal';
  const villagerContext = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  let villager = await villagerContext.newPage();
  at.page = villager;
  watch(villager, 'villager');
  await villager.goto(`${base}/`);
  await villager.waitForURL(/\/sign-in/);
  check((await villager.getAttribute('html', 'lang')) === 'zh-CN', 'the sign-in page does not declare lang="zh-CN"');
  await shot(villager, 'sign-in');
  await axe(villager, 'sign-in');
  await signInThroughForm(villager, base, DEMO.villager);
  await villager.locator('[data-test=new-appeal]').waitFor();
  await axe(villager, 'villager home');
  await villager.locator('[data-test=new-appeal]').click();
  await villager.locator('[data-test=category-street_lights]').click();
  const text = `浏览器测试：村口路灯不亮 ${Date.now()}`;
  await villager.locator('[data-test=appeal-text] textarea').fill(text);
  // The photo goes up after the appeal is filed (POST /api/v1/appeals/{id}/photos).
  await villager.locator('input[type=file]').setInputFiles(path.join(REPO, 'tests', 'fixtures', 'attachments', 'gps.jpg'));
  await shot(villager, 'new-appeal');
  await axe(villager, 'new appeal');
  await villager.locator('[data-test=submit-appeal]').click();
  await villager.waitForURL(/\/appeals\/\d+$/);
  const appealId = villager.url().split('/').pop();
  await villager.getByText(text).waitFor();
  check((await villager.locator('[data-test=appeal-state]').innerText()).includes('已提交'), 'the new appeal is not shown as 已提交');
  const photos = await villager.evaluate(async (id) => (await fetch(`/api/v1/appeals/${id}/photos`)).json(), appealId);
  check(photos.items?.length === 1, `the photo was not stored with the appeal: ${JSON.stringify(photos).slice(0, 200)}`);
  await axe(villager, 'appeal detail');
  await villager.goto(`${base}/`);
  await villager.locator(`[data-test=my-appeal]`).first().waitFor();
  await shot(villager, 'villager-home');

  // 3. The cadre answers it.
  at.step = 'cadre answers';
  const cadreContext = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
  const cadre = await cadreContext.newPage();
  at.page = cadre;
  watch(cadre, 'cadre');
  await signInThroughForm(cadre, base, DEMO.cadre);
  check(new URL(cadre.url()).pathname === '/staff', `staff land on ${cadre.url()}, not /staff`);
  const before = await satisfactionOfVillage(cadre, base);
  await cadre.goto(`${base}/staff`);
  await cadre.locator(`[data-test=queue-item][data-id="${appealId}"]`).waitFor();
  await shot(cadre, 'staff-queue');
  await axe(cadre, 'staff queue');
  await cadre.locator(`[data-test=queue-item][data-id="${appealId}"]`).click();
  await cadre.getByText(text).waitFor();
  for (const [command, state] of [['accept', '已签收'], ['start', '办理中'], ['answer', '已答复待评价']]) {
    if (command === 'answer') await cadre.locator('[data-test=staff-note] textarea').fill('已更换灯泡，请查看');
    await cadre.locator(`[data-test=cmd-${command}]`).click();
    await cadre.locator('[data-test=appeal-state]', { hasText: state }).waitFor();
  }
  await axe(cadre, 'staff appeal');
  await shot(cadre, 'staff-appeal');

  // 4. The villager rates the answer.
  at.step = 'villager rates';
  at.page = villager;
  await villager.goto(`${base}/`);
  await villager.locator('[data-test=to-rate]').first().click();
  await villager.locator('[data-test=rating-satisfied]').click();
  await villager.locator('[data-test=solved]').click();
  await axe(villager, 'rating');
  await villager.locator('[data-test=send-rating]').click();
  await villager.locator('[data-test=appeal-state]', { hasText: '已办结' }).waitFor();

  // 5. The dashboard moved.
  at.step = 'dashboard';
  at.page = cadre;
  const after = await satisfactionOfVillage(cadre, base);
  check(after !== before, `the village's satisfaction rate did not change after the rating: ${before} → ${after}`);
  const sample = (s) => Number((s.match(/\((\d+)\/(\d+)/) || [])[2]);
  check(sample(after) === (sample(before) || 0) + 1, `the satisfaction sample did not grow by one: ${before} → ${after}`);
  await cadre.locator('[data-test=rates-chart] canvas').waitFor();
  await shot(cadre, 'dashboard');
  await axe(cadre, 'dashboard');

  // My data (villager).
  at.step = 'my data';
  at.page = villager;
  await villager.goto(`${base}/me/data`);
  await villager.getByRole('heading', { name: '我的数据' }).waitFor();
  await villager.locator('section').first().locator('.van-cell').first().waitFor();
  await axe(villager, 'my data');

  // An appeal filed without a connection is kept (the outbox, IndexedDB) and sent when the
  // connection returns: by the open page, and by the service worker (Background Sync) when no
  // page of the app is open any more, photo included.
  at.step = 'offline draft';
  const outboxSize = (page) => page.evaluate(() => new Promise((resolve, reject) => {
    const r = indexedDB.open('gz-outbox', 1);
    r.onerror = () => reject(r.error);
    r.onsuccess = () => {
      const q = r.result.transaction('appeals').objectStore('appeals').count();
      q.onsuccess = () => { r.result.close(); resolve(q.result); };
    };
  }));
  const villagerApi = (await request(server.port, 'POST', '/api/v1/auth/sign-in', { body: { phone: DEMO.villager.phone, password: DEMO_PASSWORD, client: 'bearer' } })).json.token;
  const filedWith = async (text) => (await Promise.all((await request(server.port, 'GET', '/api/v1/appeals?limit=200', { token: villagerApi })).json.items
    .filter((a) => a.category === 'roads').map((a) => request(server.port, 'GET', `/api/v1/appeals/${a.id}`, { token: villagerApi }))))
    .map((r) => r.json).find((a) => a.content?.text === text);
  await villager.evaluate(() => navigator.serviceWorker.ready.then(() => null));
  await villager.goto(`${base}/appeals/new`);
  check(await villager.evaluate(() => !!navigator.serviceWorker.controller), 'the service worker does not control the page');
  await villager.locator('[data-test=category-roads]').click();
  await villagerContext.setOffline(true);
  const offlineText = `离线草稿：村道有坑 ${Date.now()}`;
  await villager.locator('[data-test=appeal-text] textarea').fill(offlineText);
  await villager.locator('[data-test=submit-appeal]').click();
  await villager.getByText('现在没有网络').waitFor();
  check(await outboxSize(villager) === 1, 'the offline appeal is not kept in the outbox');
  await villagerContext.setOffline(false);
  await villager.waitForFunction(() => new Promise((resolve) => {
    const r = indexedDB.open('gz-outbox', 1);
    r.onsuccess = () => {
      const q = r.result.transaction('appeals').objectStore('appeals').count();
      q.onsuccess = () => { r.result.close(); resolve(q.result === 0); };
    };
  }), null, { timeout: T(15000), polling: 250 });
  check(await filedWith(offlineText), 'the offline appeal was not filed when the connection returned');

  at.step = 'offline draft, app closed';
  await villager.goto(`${base}/appeals/new`);
  await villager.locator('[data-test=category-roads]').click();
  await villagerContext.setOffline(true);
  const closedText = `离线草稿：关掉应用后才来网 ${Date.now()}`;
  await villager.locator('[data-test=appeal-text] textarea').fill(closedText);
  await villager.locator('input[type=file]').setInputFiles(path.join(REPO, 'tests', 'fixtures', 'attachments', 'gps.jpg'));
  await villager.locator('[data-test=submit-appeal]').click();
  await villager.getByText('现在没有网络').waitFor();
  check(await outboxSize(villager) === 1, 'the second offline appeal is not kept in the outbox');
  await villager.close();
  await villagerContext.setOffline(false);
  let sent = null;
  for (let i = 0; i < 60 && !sent; i++) {
    await new Promise((r) => setTimeout(r, T(500)));
    sent = await filedWith(closedText);
  }
  check(sent, 'the service worker did not send the appeal kept offline once the connection returned (no page open)');
  for (let i = 0; i < 20; i++) {
    const photos = await request(server.port, 'GET', `/api/v1/appeals/${sent.id}/photos`, { token: villagerApi });
    if (photos.json.items.length === 1) break;
    check(i < 19, 'the service worker did not upload the photo kept with the offline appeal');
    await new Promise((r) => setTimeout(r, T(500)));
  }
  villager = await villagerContext.newPage();
  watch(villager, 'villager');
  at.page = villager;
  await villager.goto(`${base}/`);
  await villager.locator('[data-test=new-appeal]').waitFor();
  check(await outboxSize(villager) === 0, 'the outbox still holds what the service worker sent');

  // A kept appeal the server refuses (a category that does not exist, queued the way the page
  // queues one) leaves the outbox and comes back into the form with the server's reason.
  at.step = 'offline draft refused';
  const refusedText = '被退回的离线诉求：类别不存在';
  await villager.evaluate(async (text) => {
    const me = await (await fetch('/api/v1/me')).json();
    await new Promise((resolve, reject) => {
      const r = indexedDB.open('gz-outbox', 1);
      r.onsuccess = () => {
        const tx = r.result.transaction('appeals', 'readwrite');
        tx.objectStore('appeals').add({
          category: 'no_such_category', text, for: null, by: me.account.id, csrf: localStorage.getItem('gz.csrf'), lang: 'zh-CN', photo: null, queued_at: Date.now(),
        });
        tx.oncomplete = () => { r.result.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    });
  }, refusedText);
  await villager.reload(); // the home page sends what waits
  await villager.locator('[data-test=new-appeal]').waitFor();
  for (let i = 0; i < 20 && await outboxSize(villager) !== 0; i++) await new Promise((r) => setTimeout(r, T(250)));
  check(await outboxSize(villager) === 0, 'a refused appeal stays in the outbox');
  await villager.goto(`${base}/appeals/new`);
  await villager.locator('[data-test=appeal-text] textarea').waitFor();
  check(await villager.locator('[data-test=appeal-text] textarea').inputValue() === refusedText, 'the refused appeal\'s text is not back in the form');
  const reason = await villager.locator('p.error[role=alert]').first().textContent();
  check(reason.trim().length > 0, 'the server\'s reason for refusing the kept appeal is not shown');
  await axe(villager, 'new appeal (refused draft back)');
  await villager.locator('[data-test=submit-appeal]').waitFor();
  await villager.evaluate(() => localStorage.removeItem('gz.appeal-draft'));

  // The answer to a filing is lost after the server stored the appeal (a weak network, a node that
  // died before answering): the page keeps it as unsent and the outbox sends it again, with the
  // same Idempotency-Key, so the village gets it once.
  at.step = 'answer lost';
  const lostText = `答复丢失的诉求：桥栏杆松了 ${Date.now()}`;
  let dropped = 0;
  await villager.route('**/api/v1/appeals', async (route) => {
    if (route.request().method() !== 'POST' || dropped > 0) return route.fallback();
    dropped += 1;
    await route.fetch();  // the server files it and answers ...
    await route.abort('connectionreset');  // ... and the answer never arrives
  });
  await villager.goto(`${base}/appeals/new`);
  await villager.locator('[data-test=category-roads]').click();
  await villager.locator('[data-test=appeal-text] textarea').fill(lostText);
  await villager.locator('[data-test=submit-appeal]').click();
  await villager.getByText('现在没有网络').waitFor();
  check(dropped === 1, 'the filing did not go through the route that drops its answer');
  for (let i = 0; i < 40 && await outboxSize(villager) !== 0; i++) {
    await villager.evaluate(() => window.dispatchEvent(new Event('online')));
    await new Promise((r) => setTimeout(r, T(500)));
  }
  check(await outboxSize(villager) === 0, 'the appeal whose answer was lost stays in the outbox');
  await villager.unroute('**/api/v1/appeals');
  const sameText = (await Promise.all((await request(server.port, 'GET', '/api/v1/appeals?limit=200', { token: villagerApi })).json.items
    .filter((a) => a.category === 'roads').map((a) => request(server.port, 'GET', `/api/v1/appeals/${a.id}`, { token: villagerApi }))))
    .filter((r) => r.json.content?.text === lostText).length;
  check(sameText === 1, `the appeal whose answer was lost was filed ${sameText} times, not once`);

  // 6. Elder mode persists; English declares its language.
  at.step = 'elder mode';
  await villager.goto(`${base}/`);
  await villager.locator('[data-test=elder-toggle]').check();
  await villager.reload();
  await villager.locator('[data-test=new-appeal]').waitFor();
  check(await villager.evaluate(() => document.documentElement.classList.contains('elder')), 'elder mode was lost on reload');
  check(await villager.locator('[data-test=elder-toggle]').isChecked(), 'the elder switch is off after reload');
  const size = await villager.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  check(size >= 18, `elder mode body text is ${size}px, under 18px`);
  const button = await villager.locator('[data-test=new-appeal]').boundingBox();
  check(button && button.height >= 44, `elder mode touch target is ${button?.height}px high`);
  await shot(villager, 'elder-home');
  await axe(villager, 'villager home (elder mode)');
  await villager.locator('[data-test=language]').click();
  // English texts are fetched when chosen (web/src/i18n.js): lang changes with them, a moment after the click.
  await villager.locator('html[lang=en]').waitFor({ state: 'attached' }).catch(() => null);
  check((await villager.getAttribute('html', 'lang')) === 'en', 'English does not set lang="en"');
  await villager.getByRole('heading', { name: /Hello/ }).waitFor();
  await axe(villager, 'villager home (English)');

  await villagerContext.close();
  await cadreContext.close();
}, 'served app, villager files, cadre answers, villager rates, dashboard moved, elder mode kept, axe clean');
