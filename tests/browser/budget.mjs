#!/usr/bin/env node
// Browser test of participatory budgeting (issue #7) in Debian's Chromium, headless, against the real
// gongzhi binary serving the built app over a copy of the demo data (harness.mjs). Real clicks; each
// step is checked against the server's state:
//
//   1. the cadre opens a round (MES) on /budget; villager 1 proposes two projects, villager 2 one more
//      (too expensive first: refused by the form), a third project is rejected by the cadre with a
//      public reason that the villagers see, the others are accepted;
//   2. the cadre drafts the round's vote, cannot open it (maker-checker); the supervisor opens it;
//   3. villagers cast knapsack ballots: the running total shows the budget left, going over the
//      budget disables the button and says by how much; one ballot each;
//   4. after the window the cadre closes the vote; the results page shows each project funded or
//      not with its reason, MES beside greedy, the recount check and the .pb download;
//   5. axe-core on every budget page (no serious or critical violation), English on the results;
//      the demo's closed round shows its results; no CSP violation or uncaught error;
//   6. a township-wide round: a township official opens it on /budget (the township scope is the
//      choice the form offers), villagers of two villages see it marked 乡镇级 among their rounds
//      and propose, the official accepts, drafts the vote, another official opens it, and the
//      villager of the sibling village votes in it.
//
// Usage: node tests/browser/budget.mjs --binary build/gongzhi --template-dir DIR --work-dir DIR
//          [--web-root web/dist] [--chromium /usr/bin/chromium] [--screenshots DIR] [--timeout-factor F] [--keep]
import { check, openHarness } from './harness.mjs';

const ACCOUNTS = {
  villager: { phone: '15400000001' },
  villager2: { phone: '15400000002' },
  cadre: { phone: '15400000005', totp: 'BA6F6HYRX5NUM6HR56R2PKPFKAODECZT' },
  supervisor: { phone: '15400000006', totp: 'SNKZXYFVAMQIORAVELN5HSVDZNGBELLN' },
  villager3: { phone: '15400000012' },
  official: { phone: '15400000007', totp: 'BQMQCZPJTPTDX4S3JVFQYHTRFFV3EBYJ' },
  official2: { phone: '15400000016', totp: 'XFD4HN3WHWIWFCSPHFYTMQH2DLH6ODXO' },
};

const h = await openHarness(process.argv.slice(2));
const { axe, shot, signInThroughForm, newPage, apiIn, expectOk, field, waitUntil } = h;

async function propose(page, { title, description, cost }) {
  await field(page, 'project-title').fill(title);
  await field(page, 'project-description').fill(description);
  await page.locator('[data-test=project-cost]').fill(String(cost));
  await page.locator('[data-test=project-send]').click();
}

await h.run('browser.budget', async ({ base, browser, at }) => {
  const desktop = { width: 1280, height: 900 };
  const phone = { width: 390, height: 844 };
  {
    at.step = 'cadre opens a round';
    const { page: cadre } = await newPage(browser, 'cadre', desktop);
    at.page = cadre;
    await signInThroughForm(cadre, base, ACCOUNTS.cadre);
    await cadre.locator('[data-test=nav-budget]').click();
    await cadre.waitForURL(/\/budget$/);
    await cadre.locator('[data-test=budget-round]').first().waitFor();
    await axe(cadre, 'budget rounds (cadre, new round form)');
    await field(cadre, 'round-title').fill('2027年度村级公益项目（浏览器测试）');
    await cadre.locator('[data-test=round-budget]').fill('100000');
    await cadre.locator('[data-test=round-rule-mes]').check();
    await cadre.locator('[data-test=round-create]').click();
    await cadre.waitForURL(/\/budget\/\d+$/);
    const roundId = /\/budget\/(\d+)$/.exec(new URL(cadre.url()).pathname)[1];
    const round = await expectOk(apiIn(cadre, 'GET', `/api/v1/budget-rounds/${roundId}`), 'round');
    check(round.rule === 'mes' && round.budget === 100000 && round.collecting, `the round: ${JSON.stringify(round)}`);

    at.step = 'villagers propose projects';
    const { page: v1 } = await newPage(browser, 'villager', phone);
    at.page = v1;
    await signInThroughForm(v1, base, ACCOUNTS.villager);
    await v1.goto(`${base}/budget`);
    await v1.locator('[data-test=budget-round]', { hasText: '浏览器测试' }).click();
    await v1.waitForURL(new RegExp(`/budget/${roundId}$`));
    await propose(v1, { title: '修缮村口路灯', description: '更换为太阳能路灯', cost: 100001 });
    await v1.locator('.error[role=alert]').first().waitFor();
    await propose(v1, { title: '修缮村口路灯', description: '更换为太阳能路灯', cost: 50000 });
    await v1.locator('[data-test=proposed]').waitFor();
    await propose(v1, { title: '文化广场健身器材', description: '一套健身器材和乒乓球台', cost: 30000 });
    await v1.locator('[data-test=project]', { hasText: '健身器材' }).waitFor();
    await axe(v1, 'budget round (villager, propose form)');
    const { page: v2 } = await newPage(browser, 'villager2', phone);
    await signInThroughForm(v2, base, ACCOUNTS.villager2);
    await v2.goto(`${base}/budget/${roundId}`);
    at.page = v2;
    await propose(v2, { title: '灌溉水渠清淤', description: '二组、四组水渠', cost: 40000 });
    await v2.locator('[data-test=project]', { hasText: '水渠' }).waitFor();
    await propose(v2, { title: '购买村委会公务用车', description: '', cost: 90000 });
    await v2.locator('[data-test=project]', { hasText: '公务用车' }).waitFor();

    at.step = 'cadre reviews';
    at.page = cadre;
    await cadre.goto(`${base}/budget/${roundId}`);
    const projects = (await expectOk(apiIn(cadre, 'GET', `/api/v1/budget-rounds/${roundId}`), 'round')).projects;
    check(projects.length === 4 && projects.every((p) => p.state === 'proposed'), `projects: ${JSON.stringify(projects)}`);
    const car = projects.find((p) => p.title.includes('公务用车'));
    await cadre.locator(`[data-test=reject-${car.id}]`).click();
    await cadre.locator('[data-test=review-error]').waitFor();  // a rejection needs a reason
    await cadre.locator(`[data-test=reason-${car.id}]`).fill('不属于村民公益项目');
    await cadre.locator(`[data-test=reject-${car.id}]`).click();
    await cadre.locator('[data-test=project-reason]', { hasText: '不属于村民公益项目' }).waitFor();
    for (const p of projects.filter((x) => x.id !== car.id)) {
      await cadre.locator(`[data-test=accept-${p.id}]`).click();
      await cadre.locator(`[data-test=accept-${p.id}]`).waitFor({ state: 'detached' });
    }
    await axe(cadre, 'budget round (cadre, reviewed)');
    at.page = v1;
    await v1.reload();
    await v1.locator('[data-test=project-reason]', { hasText: '不属于村民公益项目' }).waitFor();

    at.step = 'cadre drafts the vote, the supervisor opens it';
    at.page = cadre;
    const minutes = 0.75 * h.opts.timeoutFactor;
    await cadre.locator('[data-test=vote-minutes]').fill(String(minutes));
    await cadre.locator('[data-test=vote-draft]').click();
    await cadre.waitForURL(/\/budget\/votes\/\d+$/);
    const voteId = /\/budget\/votes\/(\d+)$/.exec(new URL(cadre.url()).pathname)[1];
    await cadre.locator('[data-test=vote-open]').click();
    await cadre.locator('[data-test=act-error]').waitFor();
    await axe(cadre, 'budget vote draft (cadre, own draft refused)');
    const { page: sup } = await newPage(browser, 'supervisor', desktop);
    at.page = sup;
    await signInThroughForm(sup, base, ACCOUNTS.supervisor);
    await sup.goto(`${base}/budget/votes/${voteId}`);
    await sup.locator('[data-test=vote-open]').click();
    await waitUntil(async () => (await sup.locator('[data-test=vote-state]').textContent()).includes('投票中'), 'the vote shows open');
    const opened = await expectOk(apiIn(sup, 'GET', `/api/v1/votes/${voteId}`), 'vote');
    check(opened.state === 'open' && /gongzhi-vote-rules\/2/.test(opened.rules_entry) && opened.options.length === 3,
      `the opened vote: ${JSON.stringify(opened).slice(0, 400)}`);

    at.step = 'villagers cast knapsack ballots';
    at.page = v1;
    await v1.goto(`${base}/budget/votes/${voteId}`);
    const idx = (title) => opened.options.findIndex((o) => o.includes(title));
    await v1.locator(`[data-test=project-${idx('路灯')}]`).check();
    await v1.locator(`[data-test=project-${idx('健身')}]`).check();
    await waitUntil(async () => (await v1.locator('[data-test=running-total]').textContent()).includes('20,000'), 'the running total shows 20,000 left');
    await v1.locator(`[data-test=project-${idx('水渠')}]`).check();
    await v1.locator('[data-test=over-budget]').waitFor();
    check(await v1.locator('[data-test=cast]').isDisabled(), 'the ballot button is enabled over the budget');
    await axe(v1, 'budget ballot (villager, over the budget)');
    await shot(v1, 'budget-ballot', true);
    await v1.locator(`[data-test=project-${idx('水渠')}]`).uncheck();
    await v1.locator('[data-test=cast]').click();
    await v1.locator('[data-test=i-voted]').waitFor();
    at.page = v2;
    await v2.goto(`${base}/budget/votes/${voteId}`);
    await v2.locator(`[data-test=project-${idx('水渠')}]`).check();
    await v2.locator(`[data-test=project-${idx('路灯')}]`).check();
    await v2.locator('[data-test=cast]').click();
    await v2.locator('[data-test=i-voted]').waitFor();
    const again = await apiIn(v2, 'POST', `/api/v1/votes/${voteId}/ballots`, { choice: [0] });
    check(again.status === 409, `a second ballot: ${again.status}`);

    at.step = 'close and results';
    at.page = cadre;
    await waitUntil(async () => Date.now() > opened.closes_at_ms + 1000, 'the window', 120000);
    await cadre.goto(`${base}/budget/votes/${voteId}`);
    if (await cadre.locator('[data-test=vote-close]').count()) await cadre.locator('[data-test=vote-close]').click();
    await cadre.locator('[data-test=budget-results]').waitFor();
    const results = await expectOk(apiIn(cadre, 'GET', `/api/v1/votes/${voteId}/budget-results`), 'results');
    check(results.state === 'closed' && results.recount_matches === true && results.outcome.rule === 'mes' && results.comparison.rule === 'greedy',
      `results: ${JSON.stringify(results).slice(0, 500)}`);
    at.page = v1;
    await v1.goto(`${base}/budget/votes/${voteId}`);
    await v1.locator('[data-test=budget-results]').waitFor();
    for (const p of results.projects) {
      const cell = await v1.locator(`[data-test=decided-${p.position}]`).textContent();
      check(cell.includes(p.selected ? '资助' : '未资助'), `project ${p.title}: the page says ${cell}`);
      const reason = await v1.locator(`[data-test=reason-${p.position}]`).textContent();
      check(reason.trim().length > 0, `project ${p.title} has no reason on the page`);
    }
    check((await v1.locator('[data-test=recount]').textContent()).includes('一致'), 'the recount line');
    check(await v1.locator('[data-test=pabulib]').getAttribute('href') === `/api/v1/votes/${voteId}/pabulib`, 'the .pb link');
    const pb = await v1.evaluate(async (t) => (await fetch(t)).text(), `/api/v1/votes/${voteId}/pabulib`);
    check(pb.includes('rule;equalshares/add1') && pb.includes('num_votes;2'), `the .pb file: ${pb.slice(0, 300)}`);
    await shot(v1, 'budget-results', true);
    await axe(v1, 'budget results (villager)');

    at.step = 'English and the demo round';
    const { page: en } = await newPage(browser, 'villager-en', desktop, 'en');
    at.page = en;
    await signInThroughForm(en, base, ACCOUNTS.villager);
    await en.evaluate(() => localStorage.setItem('gz.lang', 'en'));
    await en.goto(`${base}/budget/votes/${voteId}`);
    await en.locator('[data-test=budget-results] details').first().waitFor();
    await axe(en, 'budget results (English)');
    const demoRounds = (await expectOk(apiIn(en, 'GET', '/api/v1/budget-rounds?village=420114001205'), 'rounds')).items;
    const demoClosed = demoRounds.find((r) => r.scope === 'village' && r.rule === 'mes' && !r.collecting && r.id !== roundId);
    check(demoClosed, 'the demo has its closed round');
    await en.goto(`${base}/budget/votes/${demoClosed.vote}`);
    await en.locator('[data-test=budget-results]').waitFor();
    await en.goto(`${base}/budget`);
    await en.locator('[data-test=round-scope-township]').first().waitFor();
    check((await en.locator('[data-test=round-scope-township]').first().textContent()).includes('Township-wide'),
      'the English list marks the township-wide round');

    at.step = 'a township official opens a township-wide round';
    const { page: off } = await newPage(browser, 'official', desktop);
    at.page = off;
    await signInThroughForm(off, base, ACCOUNTS.official);
    await off.goto(`${base}/budget`);
    await off.locator('[data-test=township-rounds]').waitFor();
    await off.locator('[data-test=round-scope-township]').first().waitFor();  // the demo's township round
    check(await off.locator('[data-test=round-scope-choice-township]').isChecked(), 'the form offers the township');
    check(await off.locator('[data-test=round-scope-choice-village]').count() === 0, 'an official is offered no village round');
    await axe(off, 'budget rounds (township official, new township round)');
    await field(off, 'round-title').fill('2027年度街道级民生项目（浏览器测试）');
    await off.locator('[data-test=round-budget]').fill('500000');
    await off.locator('[data-test=round-rule-greedy]').check();
    await off.locator('[data-test=round-create]').click();
    await off.waitForURL(/\/budget\/\d+$/);
    const townshipRoundId = /\/budget\/(\d+)$/.exec(new URL(off.url()).pathname)[1];
    const townshipRound = await expectOk(apiIn(off, 'GET', `/api/v1/budget-rounds/${townshipRoundId}`), 'township round');
    check(townshipRound.scope === 'township' && townshipRound.township === '420114001000' && townshipRound.village === null,
      `the township round: ${JSON.stringify(townshipRound)}`);
    check((await off.locator('[data-test=round-scope]').textContent()).includes('乡镇级'), 'the round page shows 乡镇级');

    at.step = 'villagers of two villages propose';
    at.page = v1;
    await v1.goto(`${base}/budget`);
    const listed = v1.locator('[data-test=budget-round]', { hasText: '街道级民生项目（浏览器测试）' });
    await listed.waitFor();
    check((await listed.textContent()).includes('乡镇级'), 'the villager\'s list marks the round 乡镇级');
    await listed.click();
    await v1.waitForURL(new RegExp(`/budget/${townshipRoundId}$`));
    await propose(v1, { title: '两村连接路拓宽', description: '3米拓宽至5米', cost: 300000 });
    await v1.locator('[data-test=proposed]').waitFor();
    const { page: v3 } = await newPage(browser, 'villager3', phone);
    at.page = v3;
    await signInThroughForm(v3, base, ACCOUNTS.villager3);
    await v3.goto(`${base}/budget`);
    await v3.locator('[data-test=budget-round]', { hasText: '街道级民生项目（浏览器测试）' }).click();
    await v3.waitForURL(new RegExp(`/budget/${townshipRoundId}$`));
    await propose(v3, { title: '渡口安全设施', description: '救生圈和护栏', cost: 90000 });
    await v3.locator('[data-test=proposed]').waitFor();
    await axe(v3, 'township round (villager of the sibling village, propose form)');

    at.step = 'the official reviews and drafts, another official opens, a villager votes';
    at.page = off;
    await off.goto(`${base}/budget/${townshipRoundId}`);
    const tprojects = (await expectOk(apiIn(off, 'GET', `/api/v1/budget-rounds/${townshipRoundId}`), 'round')).projects;
    check(tprojects.length === 2, `township projects: ${JSON.stringify(tprojects)}`);
    for (const p of tprojects) {
      await off.locator(`[data-test=accept-${p.id}]`).click();
      await off.locator(`[data-test=accept-${p.id}]`).waitFor({ state: 'detached' });
    }
    await off.locator('[data-test=vote-minutes]').fill('60');
    await off.locator('[data-test=vote-draft]').click();
    await off.waitForURL(/\/budget\/votes\/\d+$/);
    const townshipVoteId = /\/budget\/votes\/(\d+)$/.exec(new URL(off.url()).pathname)[1];
    const { page: off2 } = await newPage(browser, 'official2', desktop);
    at.page = off2;
    await signInThroughForm(off2, base, ACCOUNTS.official2);
    await off2.goto(`${base}/budget/votes/${townshipVoteId}`);
    await off2.locator('[data-test=vote-open]').click();
    await waitUntil(async () => (await off2.locator('[data-test=vote-state]').textContent()).includes('投票中'), 'the township vote shows open');
    const tvote = await expectOk(apiIn(off2, 'GET', `/api/v1/votes/${townshipVoteId}`), 'township vote');
    check(tvote.scope === 'township' && /gongzhi-vote-rules\/3/.test(tvote.rules_entry), `the township vote: ${JSON.stringify(tvote).slice(0, 300)}`);
    check((await off2.locator('[data-test=vote-scope]').textContent()).includes('乡镇级'), 'the vote page shows 乡镇级');
    at.page = v3;
    await v3.goto(`${base}/budget/votes/${townshipVoteId}`);
    await v3.locator('[data-test=project-1]').check();
    await v3.locator('[data-test=cast]').click();
    await v3.locator('[data-test=i-voted]').waitFor();
    await axe(v3, 'township vote (villager of the sibling village, voted)');
  }
}, 'a round opened, projects proposed by two villagers, one rejected with a public reason, the vote drafted '
  + 'and opened by another person, knapsack ballots with a running total (over the budget refused), closed, results with reasons '
  + 'and greedy beside MES, the .pb export; a township-wide round opened by a township official, proposed by villagers of two '
  + 'villages, opened by another official and voted in; axe clean');
