#!/usr/bin/env node
// Browser test of the village-affairs disclosure pages (issues #5 and #6) in Debian's Chromium,
// headless, fresh profile, driven by playwright-core against the real gongzhi binary serving the
// built app over a copy of the demo data (same harness as web_app.mjs):
//
//   1. the village cadre drafts a finance statement in the form (amounts typed in yuan, a receipt
//      scan whose hash goes into the entry), and the page refuses to let the cadre publish their
//      own draft (the server's own-draft problem shown);
//   2. the supervision committee member opens the draft, previews exactly what will be public
//      (the entry's bytes, amounts in yuan) and publishes it (entry_sha256 + published_at_ms);
//   3. a villager sees it among the latest notices on the home page, finds it in 村务公开 by kind
//      and month, reads the rows in yuan with the totals, downloads the scan (its bytes hash to
//      what the entry says), asks a question (质询), sees it listed, gets the printable notice and
//      opens the verification link, which says 已验证;
//   4. the cadre answers the question and the villager sees the answer; a corrected demo item shows
//      its correction both ways; a subsidy list stays masked; the calendar shows published and
//      late slots;
//   5. the township official's missing list; elder mode on the item page (≥ 18 px); English;
//   6. axe-core on every page visited reports no serious or critical violation, and no page logs
//      a CSP violation or an uncaught error.
// A failed step saves a screenshot (and the page's HTML) into the work folder.
//
// Usage: node tests/browser/disclosure.mjs --binary build/gongzhi --template-dir DIR --work-dir DIR
//          [--web-root web/dist] [--chromium /usr/bin/chromium] [--screenshots DIR] [--timeout-factor F] [--keep]
// --screenshots DIR saves the item page (villager, phone) and the checker's preview there (docs/screenshots/).
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { REPO, check, openHarness } from './harness.mjs';
import { DEMO_VILLAGE, request } from '../support/gzclient.mjs';

const ACCOUNTS = {
  villager: { phone: '15400000001' },
  cadre: { phone: '15400000005', totp: 'BA6F6HYRX5NUM6HR56R2PKPFKAODECZT' },
  supervisor: { phone: '15400000006', totp: 'SNKZXYFVAMQIORAVELN5HSVDZNGBELLN' },
  township: { phone: '15400000007', totp: 'BQMQCZPJTPTDX4S3JVFQYHTRFFV3EBYJ' },
};

const { T, axe, shot, signInThroughForm, newPage, run } = await openHarness(process.argv.slice(2));

function rawBytes(port, target) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: target }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

await run('browser.disclosure', async ({ server, base, browser, at }) => {
  const desktop = { width: 1280, height: 900 };
  const phone = { width: 390, height: 844 };
  // 1. The cadre drafts a finance statement.
  at.step = 'cadre drafts';
  const { context: cadreContext, page: cadre } = await newPage(browser, 'cadre', desktop);
  at.page = cadre;
  await signInThroughForm(cadre, base, ACCOUNTS.cadre);
  await cadre.locator('[data-test=nav-disclosure]').click();
  await cadre.waitForURL(/\/staff\/disclosure/);
  await cadre.locator('[data-test=disclosure-item]').first().waitFor();
  await axe(cadre, 'staff disclosure list');
  await cadre.locator('[data-test=new-draft]').click();
  await cadre.waitForURL(/\/staff\/disclosure\/new/);
  // A fresh copy of the demo data each run, so a fixed title is unique (and reads well in the screenshots).
  const title = '2026年10月村级财务收支情况（补充公开）';
  await cadre.locator('[data-test=draft-kind]').selectOption('finance_statement');
  await cadre.locator('[data-test=draft-period] input').fill('2026-10');
  await cadre.locator('[data-test=draft-title] input').fill(title);
  await cadre.locator('[data-test=draft-text] textarea').fill('本月收支如下，请村民监督。');
  await cadre.locator('[data-test=row-item-0] input').fill('上级转移支付');
  await cadre.locator('[data-test=row-amount-0] input').fill('12,345.67');
  await cadre.locator('[data-test=add-row]').click();
  await cadre.locator('[data-test=row-item-1] input').fill('道路维修');
  await cadre.locator('[data-test=row-expense-1]').check();
  await cadre.locator('[data-test=row-amount-1] input').fill('2000.5');
  // A receipt scan: uploaded first, the draft names the hash of what the server keeps.
  await cadre.locator('[data-test=scan-input]').setInputFiles(path.join(REPO, 'tests', 'fixtures', 'attachments', 'gps.jpg'));
  await cadre.locator('[data-test=scan]').waitFor();
  await axe(cadre, 'draft form');
  await cadre.locator('[data-test=save-draft]').click();
  await cadre.waitForURL(/\/disclosure\/\d+$/);
  const itemId = cadre.url().split('/').pop();
  await cadre.locator('[data-test=item-state]', { hasText: '草稿' }).waitFor();
  const draft = await cadre.evaluate(async (id) => (await fetch(`/api/v1/disclosure/items/${id}`)).json(), itemId);
  check(JSON.stringify(draft.body.rows) === JSON.stringify([
    { amount_fen: 1234567, direction: 'income', item: '上级转移支付' },
    { amount_fen: 200050, direction: 'expense', item: '道路维修' },
  ]), `the draft's rows are not the amounts typed, in fen: ${JSON.stringify(draft.body.rows)}`);
  // Maker-checker: the drafter is offered revise and discard, not publishing; the server refuses
  // the drafter's preview anyway.
  check(await cadre.locator('[data-test=preview]').count() === 0, 'the drafter is offered to preview (publish) their own draft');
  const ownPreview = await cadre.evaluate(async (id) => (await fetch(`/api/v1/disclosure/items/${id}/preview`)).status, itemId);
  check(ownPreview === 403, `the drafter's preview answered ${ownPreview}, not 403`);
  await axe(cadre, 'draft item (cadre)');
  // The drafter revises the draft: the form starts from it, the kind stays.
  await cadre.locator('[data-test=revise]').click();
  await cadre.waitForURL(/\/staff\/disclosure\/new\?edit=\d+$/);
  await cadre.locator('[data-test=draft-title] input').waitFor();
  await cadre.waitForFunction(() => document.querySelector('[data-test=row-item-1] input')?.value === '道路维修');
  check(await cadre.locator('[data-test=draft-kind]').isDisabled(), 'the kind of a draft can be changed while revising');
  await cadre.locator('[data-test=draft-text] textarea').fill('本月收支如下，请村民监督。道路维修为村东段。');
  await cadre.locator('[data-test=save-draft]').click();
  await cadre.waitForURL(new RegExp(`/disclosure/${itemId}$`));
  const revised = await cadre.evaluate(async (id) => (await fetch(`/api/v1/disclosure/items/${id}`)).json(), itemId);
  check(revised.state === 'draft' && revised.body.text.endsWith('村东段。') && revised.body.rows.length === 2 && revised.attachments.length === 1,
    `the revised draft is not what the form said: ${JSON.stringify(revised).slice(0, 300)}`);

  // 2. The supervision committee member previews and publishes it.
  at.step = 'supervisor publishes';
  const { context: supContext, page: sup } = await newPage(browser, 'supervisor', desktop);
  at.page = sup;
  await signInThroughForm(sup, base, ACCOUNTS.supervisor);
  await sup.goto(`${base}/staff/disclosure?view=drafts`);
  await sup.locator(`[data-test=draft-item][data-id="${itemId}"]`).click();
  await sup.waitForURL(new RegExp(`/disclosure/${itemId}$`));
  await sup.locator('[data-test=preview]').click();
  const previewBody = sup.locator('[data-test=preview-body]');
  await previewBody.locator('[data-test=total-income]', { hasText: '12,345.67' }).waitFor();
  check(await previewBody.getByRole('cell', { name: '2,000.50', exact: true }).first().isVisible(), 'the preview does not show the expense in yuan');
  const bytes = await sup.locator('[data-test=entry-bytes]').textContent();
  check(bytes.includes('"amount_fen":1234567') && bytes.includes(title), 'the preview does not show the entry bytes');
  await sup.locator('[data-test=preview-body]').scrollIntoViewIfNeeded();
  await shot(sup, 'disclosure-preview');
  await axe(sup, 'preview');
  await sup.locator('[data-test=publish]').click();
  await sup.locator('[data-test=item-state]', { hasText: '已公开' }).waitFor();
  const published = await sup.evaluate(async (id) => (await fetch(`/api/v1/disclosure/items/${id}`)).json(), itemId);
  check(published.state === 'published' && published.log_index != null && published.publisher_role === 'supervisor',
    `the item is not published by the supervisor with a log index: ${JSON.stringify(published).slice(0, 300)}`);
  check(published.attachments?.length === 1, `the scan is not part of the published item: ${JSON.stringify(published.attachments)}`);

  // 3. A villager reads it, asks a question, prints it and verifies it.
  at.step = 'villager reads and asks';
  const { context: villagerContext, page: villager } = await newPage(browser, 'villager', phone);
  at.page = villager;
  await signInThroughForm(villager, base, ACCOUNTS.villager);
  // The home page lists the village's latest notices, this one first.
  await villager.locator('[data-test=notice]').first().filter({ hasText: title }).waitFor();
  await villager.locator('[data-test=nav-disclosure]').click();
  await villager.waitForURL(/\/disclosure$/);
  await villager.locator(`[data-test=disclosure-item][data-id="${itemId}"]`).waitFor();
  await axe(villager, 'villager disclosure list');
  // By kind and month: the month filter keeps this item and drops other months.
  await villager.locator('[data-test=kind-filter]').selectOption('finance_statement');
  await villager.locator('[data-test=month-filter]').fill('2026-10');
  await villager.locator(`[data-test=disclosure-item][data-id="${itemId}"]`).waitFor();
  await villager.waitForFunction(() => {
    const shown = [...document.querySelectorAll('[data-test=disclosure-item]')];
    return shown.length > 0 && shown.every((e) => e.dataset.kind === 'finance_statement' && e.dataset.period === '2026-10');
  });
  await villager.locator(`[data-test=disclosure-item][data-id="${itemId}"]`).click();
  await villager.waitForURL(new RegExp(`/disclosure/${itemId}$`));
  await villager.locator('[data-test=total-income]', { hasText: '12,345.67' }).waitFor();
  const question = '这笔道路维修费用修的是哪一段路？';
  await villager.locator('[data-test=question-text] textarea').fill(question);
  await villager.locator('[data-test=send-question]').click();
  await villager.locator('[data-test=question]', { hasText: question }).waitFor();
  await axe(villager, 'villager item');
  await shot(villager, 'disclosure-item', true);
  const scanHref = await villager.locator('.attachments a').first().getAttribute('href');
  const scan = await rawBytes(server.port, scanHref);
  check(scan.status === 200 && crypto.createHash('sha256').update(scan.body).digest('hex') === published.attachments[0],
    `the scan ${scanHref} answered ${scan.status} or its bytes do not hash to the logged ${published.attachments[0]}`);
  const printHref = await villager.locator('[data-test=print-link]').getAttribute('href');
  const print = await request(server.port, 'GET', printHref);
  check(print.status === 200 && print.body.includes(title) && print.body.includes(published.verify_path),
    `the printable notice ${printHref} answered ${print.status} without the item or its verification link`);

  at.step = 'villager verifies';
  const verifyHref = await villager.locator('[data-test=verify-link]').getAttribute('href');
  check(verifyHref === published.verify_path, `the verification link is ${verifyHref}, not ${published.verify_path}`);
  await villager.locator('[data-test=verify-link]').click();
  await villager.waitForURL(new RegExp(`/v/${DEMO_VILLAGE}/${itemId}$`));
  // Checkpoints are signed in batches: until one covers the new entry the page says "wait"; a
  // villager would try again a moment later, and so does the test.
  const deadline = Date.now() + T(30000);
  for (;;) {
    await villager.locator('#result:not(.wait)').waitFor({ timeout: T(15000) }).catch(() => null);
    const cls = await villager.locator('#result').getAttribute('class');
    if (cls === 'ok' || Date.now() > deadline) break;
    await villager.waitForTimeout(1000);
    await villager.reload();
  }
  const result = await villager.locator('#result').innerText();
  check(result.includes('已验证') && result.includes('日志签名有效'),
    `the verification page says ${JSON.stringify(result)}, not 已验证 with a valid log signature`);
  // Negative control: a page handed another key (a server lying about its log) must fail, not pass.
  at.step = 'verification with a forged key fails';
  // Same name and key id as the real key, other key bytes: the Ed25519 check itself must refuse.
  // (name+hash+key: the name and the hash have no '+', the base64 key may.)
  const realKey = (await request(server.port, 'GET', '/tlog/verifier-key')).body.trim().split('+', 2);
  const forged = `${realKey[0]}+${realKey[1]}+` + Buffer.concat([Buffer.from([1]), Buffer.alloc(32, 7)]).toString('base64');
  await villager.route('**/tlog/verifier-key', (r) => r.fulfill({ status: 200, contentType: 'text/plain', body: forged + '\n' }));
  await villager.reload();
  await villager.locator('#result:not(.wait)').waitFor({ timeout: T(15000) });
  const forgedResult = await villager.locator('#result').innerText();
  check(forgedResult.includes('检查点签名无效'), `with a forged verifier key the page says ${JSON.stringify(forgedResult)}`);
  await villager.unroute('**/tlog/verifier-key');

  // 4. The cadre answers; corrections both ways; the calendar.
  at.step = 'cadre answers';
  at.page = cadre;
  await cadre.goto(`${base}/disclosure/${itemId}`);
  await cadre.locator('[data-test=question]', { hasText: question }).locator('[data-test=answer-text] textarea').fill('修的是村东头到小学的一段，约300米。');
  await cadre.locator('[data-test=question]', { hasText: question }).locator('[data-test=send-answer]').click();
  await cadre.locator('[data-test=question]', { hasText: '约300米' }).waitFor();
  at.page = villager;
  await villager.goto(`${base}/disclosure/${itemId}`);
  await villager.locator('[data-test=question]', { hasText: '约300米' }).waitFor();

  // The cadre switches the village's finance cadence to quarterly and back (Art. 30).
  at.step = 'cadence';
  at.page = cadre;
  await cadre.goto(`${base}/staff/disclosure?view=calendar`);
  const financePeriods = () => cadre.locator('[data-test=calendar][data-kind=finance_statement] tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.dataset.period));
  await cadre.locator('[data-test=calendar][data-kind=finance_statement] tbody tr').first().waitFor();
  check((await financePeriods()).every((p) => /^\d{4}-\d{2}$/.test(p)), 'the demo village is not on a monthly cadence');
  await cadre.locator('[data-test=cadence]').selectOption('quarterly');
  await cadre.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-test=calendar][data-kind=finance_statement] tbody tr')];
    return rows.length === 4 && rows.every((r) => /^\d{4}-Q[1-4]$/.test(r.dataset.period));
  });
  await axe(cadre, 'staff calendar');
  await cadre.locator('[data-test=cadence]').selectOption('monthly');
  await cadre.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-test=calendar][data-kind=finance_statement] tbody tr')];
    return rows.length === 12 && rows.every((r) => /^\d{4}-\d{2}$/.test(r.dataset.period));
  });
  at.page = villager;

  at.step = 'corrections and calendar';
  const list = await villager.evaluate(async (v) => (await fetch(`/api/v1/disclosure/items?village=${v}&limit=100`)).json(), DEMO_VILLAGE);
  const correction = list.items.find((i) => i.corrects);
  check(correction, 'the demo has no correction to look at');
  await villager.goto(`${base}/disclosure/${correction.id}`);
  await villager.locator('[data-test=corrects]').waitFor();
  await villager.locator('[data-test=corrects] a').click();
  await villager.waitForURL(new RegExp(`/disclosure/${correction.corrects.id}$`));
  await villager.locator('[data-test=corrected-by]', { hasText: correction.id }).waitFor();
  await axe(villager, 'corrected item');
  // A subsidy list on a phone: names and ID numbers masked as served, the table scrolls sideways.
  const subsidy = list.items.find((i) => i.kind === 'subsidy_list');
  check(subsidy, 'the demo has no subsidy list');
  await villager.goto(`${base}/disclosure/${subsidy.id}`);
  await villager.locator('[data-test=recipients] tbody tr').first().waitFor();
  const names = await villager.locator('[data-test=recipients] tbody tr td:nth-child(2)').allInnerTexts();
  check(names.length > 0 && names.every((n) => /^\S\*+$/.test(n.trim())), `the list shows names that are not masked: ${names.join(',')}`);
  await axe(villager, 'subsidy list');
  await villager.goto(`${base}/disclosure?view=calendar`);
  await villager.locator('[data-test=calendar] tbody tr').first().waitFor();
  const statuses = await villager.locator('[data-test=calendar] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.status));
  // The demo published this year's statements on time but one late (docs/disclosure.md, "Demo").
  check(statuses.includes('published') && statuses.includes('late'), `the calendar shows no published and late slots: ${statuses.join(',')}`);
  await axe(villager, 'calendar');

  // 5. The township's missing list; elder mode; English.
  at.step = 'township missing list';
  const { context: townContext, page: town } = await newPage(browser, 'township', desktop);
  at.page = town;
  await signInThroughForm(town, base, ACCOUNTS.township);
  await town.goto(`${base}/staff/disclosure?view=missing`);
  await town.locator('[data-test=missing] tbody tr').first().waitFor();
  // The lagging demo village (马家渡村) shows both: never published and published late.
  const oversight = await town.locator('[data-test=oversight-status]').allInnerTexts();
  check(oversight.includes("逾期未公开") && oversight.includes("逾期公开"),
    `the township's list does not show missing and late items: ${JSON.stringify([...new Set(oversight)])}`);
  await axe(town, 'missing list');

  at.step = 'elder mode and English';
  at.page = villager;
  await villager.goto(`${base}/disclosure/${itemId}`);
  await villager.locator('[data-test=elder-toggle]').check();
  await villager.reload();
  await villager.locator('[data-test=total-income]').waitFor();
  const size = await villager.evaluate(() => parseFloat(getComputedStyle(document.querySelector('[data-test=finance-rows]')).fontSize));
  check(size >= 18, `elder mode: the finance table's text is ${size}px, under 18px`);
  const ask = await villager.locator('[data-test=send-question]').boundingBox();
  check(ask && ask.height >= 44, `elder mode: the question button is ${ask?.height}px high`);
  await axe(villager, 'item (elder mode)');
  await villager.locator('[data-test=language]').click();
  // English texts are fetched when chosen (web/src/i18n.js): lang changes with them, a moment after the click.
  await villager.locator('html[lang=en]').waitFor({ state: 'attached' }).catch(() => null);
  check((await villager.getAttribute('html', 'lang')) === 'en', 'English does not set lang="en"');
  await villager.getByRole('heading', { name: 'Questions and answers' }).waitFor();
  await villager.getByText('Finance statement').first().waitFor();
  await axe(villager, 'item (English, elder mode)');

  for (const c of [villagerContext, cadreContext, supContext, townContext]) await c.close();
}, 'cadre drafts (with a scan) and revises it, own draft not publishable, supervisor previews and publishes, villager reads, downloads the scan, asks, prints and verifies (已验证), cadre answers, cadence, corrections both ways, masked list, calendar, missing and late list, elder mode, English, axe clean');
