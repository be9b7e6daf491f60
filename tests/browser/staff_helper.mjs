#!/usr/bin/env node
// Browser test of the residents pages, the helper console, escalations-to-me, the dashboard's
// trends and appeal photos (issue #6), in Debian's Chromium, headless, driven by playwright-core
// against the real gongzhi binary serving the built app over a copy of the demo data (harness.mjs):
//
//   1. the village cadre uploads a register (CSV): the dry-run report shows 2 new and 3 rejected
//      rows with their reasons, masked, and nothing is registered; after confirming, the 2 are; a
//      register of 20,000 rows is validated in the background with its progress shown; the cadre
//      finds an imported person by their whole ID number (masked in the list), opens them, is told
//      to state a purpose, reveals the ID number with one, and the auditor finds the purpose in the
//      audit trail;
//   2. the digital helper signs in, lands on the helper console with the demo consent, acts for
//      the villager: the villager's name (read with the consent) stays at the top of every page;
//      files an appeal with a photo in the villager's name; the appeal page shows the photo; the
//      villager's own account holds the appeal and its "acted for me" record; the rating is left
//      to the villager; the name survives a reload; "stop acting" ends it;
//   3. the cadre sees the helper's photo on the staff appeal page; the appeal is answered and
//      rated 不满意 three times, so it escalates to the township: the township official's
//      "escalated to me" lists it (new), the cadre's does not; the official takes it over;
//   4. the dashboard's trends: six months, this month's appeals counted, a line chart drawn;
//   5. elder mode (≥ 18 px, ≥ 44 px targets) and English on the new pages; axe-core on every page
//      visited (no serious or critical violation); no CSP violation or uncaught error.
// A failed step saves a screenshot (and the page's HTML) into the work folder.
//
// Usage: node tests/browser/staff_helper.mjs --binary build/gongzhi --template-dir DIR --work-dir DIR
//          [--web-root web/dist] [--chromium /usr/bin/chromium] [--screenshots DIR] [--timeout-factor F] [--keep]
// --screenshots DIR saves the helper acting for a villager (phone), a resident after a reveal and
// the import report there (docs/screenshots/).
import path from 'node:path';
import { REPO, check, openHarness } from './harness.mjs';
import { DEMO_PASSWORD, DEMO_VILLAGE, request, signIn } from '../support/gzclient.mjs';

const ACCOUNTS = {
  villager: { phone: '15400000001' },
  helper: { phone: '15400000003', totp: 'YC3BLQIKTKIKG75TYO4JV6W5GSKF2OVJ' },
  cadre: { phone: '15400000005', totp: 'BA6F6HYRX5NUM6HR56R2PKPFKAODECZT' },
  township: { phone: '15400000007', totp: 'BQMQCZPJTPTDX4S3JVFQYHTRFFV3EBYJ' },
  auditor: { phone: '15400000009', totp: 'BBNVDSAHSWCAZBIHP55QNS3VSKTJI47P' },
};
const TOWNSHIP_UNIT = 'township:420114001000';
const REGISTER = [
  '成功村村民花名册,,,,,,,',
  '户号,姓名,性别,出生日期,公民身份号码,与户主关系,联系电话,家庭住址',
  '001,王建国,男,1965-06-06,420102196506069990,户主,15400001001,1组12号',
  '001,李秀英,女,1967/8/8,420102196708089981,配偶,,',
  '001,王小明,男,1993-03-06,420102199303069970,子,,',
  '002,张桂兰,女,1941-02-03,420102194102039964,户主,1540000,2组3号',
  '003,刘德明,男,1970-10-10,42010219701010999X,配偶,,3组7号',
  '合计：3户5人,,,,,,,',
].join('\n');
const IMPORTED_ID = '420102196506069990';

const { T, watch, axe, shot, signInThroughForm, newPage, apiIn, expectOk, elderChecks, run } = await openHarness(process.argv.slice(2));

await run('browser.staff_helper', async ({ server, base, browser, at }) => {
  const desktop = { width: 1280, height: 900 };
  const phone = { width: 390, height: 844 };
  // 1. Import, search, reveal.
  at.step = 'cadre imports a register';
  const { page: cadre } = await newPage(browser, 'cadre', desktop);
  at.page = cadre;
  await signInThroughForm(cadre, base, ACCOUNTS.cadre);
  await cadre.locator('[data-test=nav-residents]').click();
  await cadre.waitForURL(/\/staff\/residents/);
  await cadre.locator('[data-test=household-row]').first().waitFor();
  const firstHousehold = await cadre.locator('[data-test=household-row] td').first().textContent();
  check(/\*/.test(await cadre.locator('[data-test=household-row] th').first().textContent()), 'household addresses are not masked in the list');
  check(/^\S\*+$/.test(firstHousehold.trim()) || /^\S\S\*+$/.test(firstHousehold.trim()), `a head's name is not masked: ${firstHousehold}`);
  await axe(cadre, 'residents (households)');
  await cadre.locator('[data-test=view-residents]').click();
  await cadre.locator('[data-test=resident-row]').first().waitFor();
  const ids = await cadre.locator('[data-test=resident-row] td:nth-child(5)').allTextContents();
  check(ids.length === 20 && ids.every((s) => /^420114\*{8}\d{3}[\dX]$/.test(s)), `the list's ID numbers are not masked: ${ids.slice(0, 3)}`);
  await axe(cadre, 'residents (people)');

  await cadre.locator('[data-test=import-link]').click();
  await cadre.waitForURL(/\/staff\/residents\/import/);
  await cadre.locator('[data-test=import-file]').setInputFiles({ name: '花名册.csv', mimeType: 'text/csv', buffer: Buffer.from(REGISTER) });
  await cadre.locator('[data-test=upload]').click();
  const report = cadre.locator('[data-test=import-report][data-status=validated]');
  await report.waitFor();
  const total = async (k) => Number(await cadre.locator(`[data-test=import-totals] [data-total=${k}] strong`).textContent());
  check(await total('create') === 2 && await total('reject') === 3, `the dry run says ${await total('create')} new, ${await total('reject')} rejected`);
  const rowText = await cadre.locator('[data-test=import-rows]').textContent();
  check(rowText.includes('王**') && !rowText.includes('王建国') && !rowText.includes(IMPORTED_ID), 'the report is not masked');
  check(/校验位/.test(rowText), 'the report does not say why the ID number was rejected');
  await cadre.locator('[data-test=outcome-reject]').click();
  await cadre.waitForFunction(() => [...document.querySelectorAll('[data-test=import-row]')].every((r) => r.dataset.outcome === 'reject')
    && document.querySelectorAll('[data-test=import-row]').length === 3);
  const before = await apiIn(cadre, 'GET', `/api/v1/villages/${DEMO_VILLAGE}/residents?id_number=${IMPORTED_ID}`);
  check(before.json.total === 0, 'the dry run registered someone');
  await axe(cadre, 'import report');
  await shot(cadre, 'residents-import', true);
  check(await cadre.locator('[data-test=apply]').isDisabled(), 'apply is possible without confirming');
  await cadre.locator('[data-test=confirm-apply]').check();
  await cadre.locator('[data-test=apply]').click();
  await cadre.locator('[data-test=applied]').waitFor();

  at.step = 'a large register in the background';
  const big = ['户号,姓名,公民身份号码,与户主关系,家庭住址', ...Array(20000).fill('7,赵重复,420102199001019991,户主,7组')].join('\n');
  await cadre.locator('[data-test=import-file]').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(big) });
  const uploaded = cadre.waitForResponse((r) => r.url().endsWith(`/villages/${DEMO_VILLAGE}/imports`) && r.request().method() === 'POST');
  // However short the background run, the progress bar must have been on the page.
  await cadre.evaluate(() => {
    window.gzSawProgress = false;
    new MutationObserver(() => {
      if (document.querySelector('[data-test=import-progress]')) window.gzSawProgress = true;
    }).observe(document.body, { subtree: true, childList: true });
  });
  await cadre.locator('[data-test=upload]').click();
  const bigUpload = await uploaded;
  check(bigUpload.status() === 202, 'a 20,000-row register was not validated in the background');
  const bigId = (await bigUpload.json()).import_id;
  await cadre.locator(`[data-test=import-report][data-id="${bigId}"][data-status=validated]`).waitFor({ timeout: T(120000) });
  check(await cadre.evaluate(() => window.gzSawProgress), 'no progress was shown while the register was validated in the background');
  check(await total('rows') === 20000 && await total('reject') === 20000, 'the large register\'s totals are wrong');
  check(await cadre.locator('[data-test=apply]').count() === 0, 'a register with nothing to apply offers to apply');

  at.step = 'cadre finds and reveals';
  await cadre.goto(`${base}/staff/residents?view=residents`);
  await cadre.locator('[data-test=search-value]').fill(IMPORTED_ID);
  await cadre.locator('[data-test=search]').click();
  await cadre.waitForFunction(() => document.querySelectorAll('[data-test=resident-row]').length === 1);
  const found = cadre.locator('[data-test=resident-row]');
  check((await found.locator('th').textContent()).trim() === '王**', 'the person found is not shown masked');
  await found.locator('a').click();
  await cadre.waitForURL(/\/staff\/residents\/\d+$/);
  const residentId = cadre.url().split('/').pop();
  await cadre.locator('[data-test=reveal-id_number]').check();
  await cadre.locator('[data-test=reveal]').click();
  await cadre.getByText('请说明用途').waitFor();
  await axe(cadre, 'resident (purpose missing)');
  const purpose = `核实导入信息 ${Date.now() % 100000}`;
  await cadre.locator('[data-test=reveal-purpose] input').fill(purpose);
  await cadre.locator('[data-test=reveal]').click();
  await cadre.locator('[data-test=revealed-id_number]', { hasText: IMPORTED_ID }).waitFor();
  check((await cadre.locator('[data-test=revealed-name]').textContent()) === '王建国', 'the revealed name is not the imported one');
  await axe(cadre, 'resident (revealed)');
  await shot(cadre, 'resident-reveal');
  const auditor = await signIn(server.port, ACCOUNTS.auditor.phone, DEMO_PASSWORD, ACCOUNTS.auditor.totp);
  const trail = await request(server.port, 'GET', `/api/v1/audit?action=residents.reveal&object_id=${residentId}`, { token: auditor.token });
  check(trail.json?.items?.some((e) => e.purpose === purpose), `the reveal's purpose is not in the audit trail: ${trail.body.slice(0, 300)}`);
  // A second tab of the same browser (typed address, no opener) shares the session cookie, and so
  // must its CSRF token: an unsafe request from it works, and the first tab still works after it.
  const secondTab = await cadre.context().newPage();
  watch(secondTab, 'cadre (second tab)');
  await secondTab.goto(`${base}/staff/residents/${residentId}`);
  await secondTab.locator('[data-test=reveal-purpose] input').fill(`${purpose} 第二个标签页`);
  const revealFrom = async (page) => {
    const answer = page.waitForResponse((r) => r.url().endsWith(`/residents/${residentId}/reveal`));
    await page.locator('[data-test=reveal]').click();
    const status = (await answer).status();
    check(status === 200, `a reveal from ${page === cadre ? 'the first' : 'a second'} tab answered ${status}`);
    await page.locator('[data-test=revealed-name]', { hasText: '王建国' }).waitFor();
  };
  await revealFrom(secondTab);
  await secondTab.close();
  await revealFrom(cadre);
  await elderChecks(cadre, 'resident', '[data-test=reveal]');
  await cadre.locator('[data-test=language]').click();
  await cadre.getByRole('heading', { name: 'Resident' }).waitFor();
  // English texts are fetched when chosen (web/src/i18n.js): lang changes with them, a moment after the click.
  await cadre.locator('html[lang=en]').waitFor({ state: 'attached' }).catch(() => null);
  check((await cadre.getAttribute('html', 'lang')) === 'en', 'English does not set lang="en"');
  await axe(cadre, 'resident (English)');
  await cadre.locator('[data-test=language]').click();

  // 2. The helper acts for the villager.
  at.step = 'helper acts for the villager';
  const villager = await signIn(server.port, ACCOUNTS.villager.phone);
  const villagerData = await request(server.port, 'GET', '/api/v1/me/data', { token: villager.token });
  const villagerName = villagerData.json.resident.name;
  const { context: helperContext, page: helper } = await newPage(browser, 'helper', phone);
  at.page = helper;
  await signInThroughForm(helper, base, ACCOUNTS.helper);
  await helper.waitForURL(/\/helper$/);
  const consent = helper.locator(`[data-test=consent][data-villager="${villager.accountId}"]`);
  await consent.waitFor();
  check(await helper.locator('[data-test=acting-banner]').count() === 0, 'the banner shows before acting');
  await axe(helper, 'helper console');
  await consent.locator('[data-test=act-for]').click();
  await helper.waitForURL((u) => u.pathname === '/');
  await helper.locator('[data-test=acting-name]', { hasText: villagerName }).waitFor();
  await helper.getByRole('heading', { name: new RegExp(villagerName) }).waitFor();
  await axe(helper, 'villager home (helper acting)');
  await helper.locator('[data-test=new-appeal]').click();
  await helper.locator('[data-test=category-street_lights]').click();
  check(await helper.locator('[data-test=acting-name]').textContent() === villagerName, 'the villager\'s name left the screen while filing');
  const helperText = `帮办：村口路灯不亮 ${Date.now() % 100000}`;
  await helper.locator('[data-test=appeal-text] textarea').fill(helperText);
  await helper.locator('input[type=file]').setInputFiles(path.join(REPO, 'tests', 'fixtures', 'attachments', 'gps.jpg'));
  await axe(helper, 'new appeal (helper acting)');
  await helper.locator('[data-test=submit-appeal]').click();
  await helper.waitForURL(/\/appeals\/\d+$/);
  const appealId = helper.url().split('/').pop();
  await helper.locator('[data-test=appeal-photo]').waitFor();
  await helper.waitForFunction(() => {
    const img = document.querySelector('[data-test=appeal-photo]');
    return img && img.complete && img.naturalWidth === 320 && img.src.startsWith('blob:');
  });
  await helper.locator('[data-test=acting-name]', { hasText: villagerName }).waitFor();
  await axe(helper, 'appeal with photo (helper acting)');
  await shot(helper, 'helper-acting');
  const ownAppeal = await request(server.port, 'GET', `/api/v1/appeals/${appealId}`, { token: villager.token });
  check(ownAppeal.status === 200 && ownAppeal.json.submitter_account === villager.accountId, 'the appeal is not the villager\'s own');
  const actedFor = await request(server.port, 'GET', '/api/v1/me/acted-for', { token: villager.token });
  check(actedFor.json?.items?.some((e) => e.action === 'appeals.submit'), `the villager does not see the filing done in their name: ${actedFor.body.slice(0, 300)}`);
  await helper.reload();
  await helper.locator('[data-test=acting-name]', { hasText: villagerName }).waitFor();
  await elderChecks(helper, 'helper acting', '[data-test=stop-acting]');

  // 3. The cadre answers it three times, the villager is never satisfied: it escalates.
  at.step = 'escalation';
  at.page = cadre;
  await cadre.goto(`${base}/staff/appeals/${appealId}`);
  await cadre.locator('[data-test=appeal-photo]').waitFor();
  await cadre.waitForFunction(() => document.querySelector('[data-test=appeal-photo]')?.naturalWidth === 320);
  await axe(cadre, 'staff appeal with photo');
  for (let round = 1; round <= 3; round++) {
    for (const command of ['accept', 'start']) await expectOk(apiIn(cadre, 'POST', `/api/v1/appeals/${appealId}/${command}`, {}), `${command} ${round}`);
    await expectOk(apiIn(cadre, 'POST', `/api/v1/appeals/${appealId}/answer`, { note: `第${round}次答复` }), `answer ${round}`);
    // The rating is the villager's alone: the helper's page says so instead of offering it.
    if (round === 1) {
      at.page = helper;
      await helper.goto(`${base}/appeals/${appealId}`);
      await helper.locator('[data-test=rate-in-person]').waitFor();
      check(await helper.locator('[data-test=send-rating]').count() === 0, 'the helper is offered the rating');
      at.page = cadre;
    }
    const rated = await request(server.port, 'POST', `/api/v1/appeals/${appealId}/rating`, { token: villager.token, body: { rating: 'dissatisfied', solved: false } });
    check(rated.status === 200, `rating ${round}: ${rated.status} ${rated.body.slice(0, 200)}`);
    if (round === 3) check(rated.json.state === 'escalated' && rated.json.escalated_to === TOWNSHIP_UNIT, `not escalated to the township: ${rated.body.slice(0, 300)}`);
  }
  await cadre.locator('[data-test=nav-escalations]').click();
  await cadre.waitForURL(/\/staff\/escalations$/);
  await cadre.locator('[data-test=no-escalations]').waitFor();
  check(await cadre.locator(`[data-test=escalation][data-id="${appealId}"]`).count() === 0, 'the cadre sees the township\'s escalation as theirs');
  // The village's own appeal escalated away is still in the cadre's area: counted, not listed.
  await cadre.locator('[data-test=other-escalations]').waitFor();
  await axe(cadre, 'escalations (cadre)');

  const { page: township } = await newPage(browser, 'township', desktop);
  at.page = township;
  await signInThroughForm(township, base, ACCOUNTS.township);
  await township.locator('[data-test=nav-escalations]').click();
  const escalation = township.locator(`[data-test=escalation][data-id="${appealId}"]`);
  await escalation.waitFor();
  await escalation.getByText('新').waitFor();
  await axe(township, 'escalations (township)');
  await shot(township, 'escalations');
  await escalation.click();
  await township.waitForURL(new RegExp(`/staff/appeals/${appealId}$`));
  await township.locator('[data-test=cmd-accept]').click();
  await township.locator('[data-test=appeal-state]', { hasText: '已签收' }).waitFor();
  await township.goto(`${base}/staff/escalations`);
  await township.locator('[data-test=no-escalations]').waitFor();
  // The township official picks among the township's villages on the residents page.
  await township.goto(`${base}/staff/residents`);
  await township.locator('[data-test=village-select]').selectOption(DEMO_VILLAGE);
  await township.locator('[data-test=household-row]').first().waitFor();
  await axe(township, 'residents (township)');

  // 2b. Stop acting.
  at.step = 'helper stops acting';
  at.page = helper;
  await helper.locator('[data-test=stop-acting]').click();
  await helper.waitForURL(/\/helper$/);
  check(await helper.locator('[data-test=acting-banner]').count() === 0, 'the banner stays after stopping');
  check(await helper.evaluate(() => sessionStorage.getItem('gz.acting-for')) === null, 'the acting-for id stays in the tab');
  await helperContext.close();

  // 4. Trends on the dashboard.
  at.step = 'trends';
  at.page = cadre;
  await cadre.goto(`${base}/staff/dashboard`);
  const rows = cadre.locator('[data-test=trend-table] tbody tr');
  await rows.nth(5).waitFor();
  check(await rows.count() === 6, `the trend table has ${await rows.count()} months`);
  const cst = new Date(Date.now() + 8 * 3600 * 1000);
  const thisMonth = `${cst.getUTCFullYear()}-${String(cst.getUTCMonth() + 1).padStart(2, '0')}`;
  const last = rows.nth(5);
  check(await last.getAttribute('data-month') === thisMonth, `the last month is ${await last.getAttribute('data-month')}, not ${thisMonth}`);
  check(Number(await last.locator('td').first().textContent()) >= 2, 'this month\'s appeals are not counted in the trend');
  await cadre.locator('[data-test=trends] canvas').waitFor();
  await axe(cadre, 'dashboard with trends');
}, 'import dry run and apply (and a 20,000-row one in the background), masked lists, search, '
  + 'reveal with purpose in the audit trail, helper acting with the name on screen and filing with a photo, photos shown '
  + 'back, escalation to the township listed for it alone and taken over, six-month trends, elder mode, English, axe clean');
