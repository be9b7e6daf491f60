#!/usr/bin/env node
// Browser test of deciding together (issue #7) in Debian's Chromium, headless, against the real gongzhi
// binary serving the built app over a copy of the demo data (harness.mjs). Real clicks; each step is
// checked against the server's state:
//
//   1. votes: the village cadre drafts secret votes (single, ranked, approval) and cannot open it (maker-checker); the
//      supervision committee member opens it; two villagers see it on their home page, vote and see
//      "I have voted" with nothing of their choice; after the window the vote is closed and the
//      results show the turnout against the electorate and the transparency-log entries; a ranked
//      poll is cast with the keyboard (up/down buttons), an approval ballot with two choices;
//   2. paper counts: two clerks (cadre, supervisor) enter their counts; a difference is flagged and
//      blocks closing; the recount agrees and the tally is published;
//   3. 四议两公开: a matter through the law's chain: named votes, an advance refused on a failed
//      quorum (19 of 30 < 2/3), the quorum met, the villagers' decision, the resolution drafted and
//      published by the supervisor on the disclosure page, spending recorded before it and flagged to
//      the township;
//   4. 村民议事: threshold set, a villager raises a proposal, another supports it (once) and reaches
//      the threshold, a comment hidden with its public reason, the committee answers, the proposal
//      is put into the procedure;
//   5. axe-core on every page (no serious or critical violation), elder mode and English on the
//      ballot; no CSP violation or uncaught error.
// Budget votes: tests/browser/budget.mjs.
//
// Usage: node tests/browser/deliberation.mjs --binary build/gongzhi --template-dir DIR --work-dir DIR
//          [--web-root web/dist] [--chromium /usr/bin/chromium] [--screenshots DIR] [--timeout-factor F] [--keep]
// --screenshots DIR saves the ballot, the results, a matter and a proposal there (docs/screenshots/).
import { check, openHarness } from './harness.mjs';
import { DEMO_VILLAGE } from '../support/gzclient.mjs';

const ACCOUNTS = {
  villager: { phone: '15400000001' },
  villager2: { phone: '15400000002' },
  cadre: { phone: '15400000005', totp: 'BA6F6HYRX5NUM6HR56R2PKPFKAODECZT' },
  township: { phone: '15400000007', totp: 'BQMQCZPJTPTDX4S3JVFQYHTRFFV3EBYJ' },
  supervisor: { phone: '15400000006', totp: 'SNKZXYFVAMQIORAVELN5HSVDZNGBELLN' },
  county: { phone: '15400000008', totp: 'EIGQVBIQNOCFRXNE2FTVGYCV74S44DNO' },
};

const { opts, axe, shot, signInThroughForm, newPage, apiIn, expectOk, waitUntil, field, run } = await openHarness(process.argv.slice(2));

const idFrom = (page, re) => re.exec(new URL(page.url()).pathname)[1];

async function draftVote(cadre, base, { question, options, method = 'single', channel = 'online', minutes }) {
  await cadre.goto(`${base}/votes`);
  await field(cadre, 'vote-question').fill(question);
  for (let i = 0; i < options.length; i++) {
    if (i >= 2) await cadre.locator('[data-test=vote-add-option]').click();
    await field(cadre, `vote-option-${i}`).fill(options[i]);
  }
  await cadre.locator('[data-test=vote-method]').selectOption(method);
  await cadre.locator('[data-test=vote-channel]').selectOption(channel);
  await cadre.locator('[data-test=vote-minutes]').fill(String(minutes));
  await cadre.locator('[data-test=vote-save]').click();
  await cadre.waitForURL(/\/votes\/\d+$/);
  await cadre.locator('[data-test=vote-state]').waitFor();
  return idFrom(cadre, /\/votes\/(\d+)$/);
}

async function recordMeeting(cadre, { body, members, present, named, yes, no = 0 }) {
  if (body) await cadre.locator('[data-test=mt-body]').selectOption(body);
  await cadre.locator('[data-test=mt-members]').fill(String(members));
  await cadre.locator('[data-test=mt-present]').fill(String(present));
  if (named) {
    for (let k = 0; k < named.length; k++) {
      if (k > 0) await cadre.locator('[data-test=nv-add]').click();
      await cadre.locator(`[data-test=nv-name-${k}]`).fill(named[k][0]);
      await cadre.locator(`[data-test=nv-choice-${k}]`).selectOption(named[k][1]);
    }
  } else {
    await cadre.locator('[data-test=mt-yes]').fill(String(yes));
    await cadre.locator('[data-test=mt-no]').fill(String(no));
  }
  await cadre.locator('[data-test=mt-save]').click();
  await cadre.locator('[data-test=record-result], [data-test=record-error]').first().waitFor();
  const err = cadre.locator('[data-test=record-error]');
  if (await err.count()) throw new Error(`the meeting was refused: ${await err.textContent()}`);
}

await run('browser.deliberation', async ({ server, base, browser, at }) => {
  const desktop = { width: 1280, height: 900 };
  const phone = { width: 390, height: 844 };
  // 1. Votes: drafted by the cadre, opened by another person.
  at.step = 'cadre drafts votes';
  const { page: cadre } = await newPage(browser, 'cadre', desktop);
  at.page = cadre;
  await signInThroughForm(cadre, base, ACCOUNTS.cadre);
  await cadre.locator('[data-test=nav-votes]').click();
  await cadre.waitForURL(/\/votes$/);
  await axe(cadre, 'votes (cadre, draft form)');
  // The paper vote first: its window (about 20 s) ends while the online votes are cast.
  const paperId = await draftVote(cadre, base, { question: '村民会议：是否同意调整机动地承包方案？', options: ['同意', '不同意'], channel: 'paper', minutes: 0.5 * opts.timeoutFactor });
  const voteId = await draftVote(cadre, base, { question: '是否同意硬化三组村道？', options: ['同意', '不同意', '暂缓'], minutes: 1.5 * opts.timeoutFactor });
  await cadre.locator('[data-test=vote-open]').click();
  await cadre.locator('[data-test=act-error]').waitFor();
  check((await expectOk(apiIn(cadre, 'GET', `/api/v1/votes/${voteId}`), 'vote')).state === 'draft', 'the drafter opened their own vote');
  await axe(cadre, 'vote draft (cadre, own draft refused)');
  const rankedId = await draftVote(cadre, base, { question: '村民活动中心命名', options: ['和美', '兴旺', '同心'], method: 'ranked', minutes: 1.5 * opts.timeoutFactor });
  const approvalId = await draftVote(cadre, base, { question: '今年优先办哪些事？（可多选）', options: ['路灯', '水渠', '广场'], method: 'approval', minutes: 1.5 * opts.timeoutFactor });

  at.step = 'supervisor opens the votes';
  const { page: sup } = await newPage(browser, 'supervisor', desktop);
  at.page = sup;
  await signInThroughForm(sup, base, ACCOUNTS.supervisor);
  for (const id of [paperId, voteId, rankedId, approvalId]) {
    await sup.goto(`${base}/votes/${id}`);
    await sup.locator('[data-test=vote-open]').click();
    await sup.locator('[data-test=rules-entry]').waitFor();
    const v = await expectOk(apiIn(sup, 'GET', `/api/v1/votes/${id}`), 'vote');
    check(v.state === 'open' && v.rules_log_index != null, `vote ${id} is not open with its rules logged: ${JSON.stringify(v).slice(0, 200)}`);
  }
  await axe(sup, 'vote opened (supervisor)');

  at.step = 'villagers vote';
  const { page: v1 } = await newPage(browser, 'villager', phone);
  at.page = v1;
  await signInThroughForm(v1, base, ACCOUNTS.villager);
  await v1.locator(`[data-test=to-vote]`).first().waitFor();
  const toVote = await v1.locator('[data-test=to-vote]').allTextContents();
  check(toVote.some((x) => x.includes('硬化三组村道')) && toVote.some((x) => x.includes('活动中心')) && toVote.some((x) => x.includes('优先办'))
    && !toVote.some((x) => x.includes('机动地')), `the home page does not list the online votes (and not the paper one): ${toVote}`);
  await axe(v1, 'home with votes (villager)');
  await v1.locator('[data-test=to-vote]', { hasText: '硬化三组村道' }).click();
  await v1.waitForURL(new RegExp(`/votes/${voteId}$`));
  await v1.locator('[data-test=cast]').click();
  await v1.locator('[data-test=cast-error]').waitFor();
  await v1.locator('[data-test=choice-0]').check();
  await shot(v1, 'vote-ballot', true);
  await axe(v1, 'ballot (villager)');
  await v1.locator('[data-test=cast]').click();
  await v1.locator('[data-test=i-voted]').waitFor();
  const sheet = await v1.locator('main').textContent();
  check(!sheet.includes('同意 ✔') && (await v1.locator('[data-test=choice-0]').count()) === 0, 'the page still shows the choice after a secret ballot');
  const myBallot = await expectOk(apiIn(v1, 'GET', `/api/v1/votes/${voteId}/my-ballot`), 'my ballot');
  check(myBallot.voted && myBallot.choice === undefined, `my-ballot: ${JSON.stringify(myBallot)}`);
  await axe(v1, 'I have voted (villager)');
  // The ranked poll, with the keyboard only: 同心 moved to the top by its "up" buttons.
  await v1.goto(`${base}/votes/${rankedId}`);
  await v1.locator('[data-test=up-2]').focus();
  await v1.keyboard.press('Enter');
  await v1.locator('[data-test=up-1]').focus();
  await v1.keyboard.press('Enter');
  await v1.locator('[data-test=rank-0]', { hasText: '同心' }).waitFor();
  await v1.locator('[data-test=elder-toggle]').check();
  await axe(v1, 'ranked ballot (villager, elder mode)');
  await v1.locator('[data-test=elder-toggle]').uncheck();
  await v1.locator('[data-test=cast]').click();
  await v1.locator('[data-test=i-voted]').waitFor();

  await v1.goto(`${base}/votes/${approvalId}`);
  await v1.locator('[data-test=choice-0]').check();
  await v1.locator('[data-test=choice-2]').check();
  await v1.locator('[data-test=cast]').click();
  await v1.locator('[data-test=i-voted]').waitFor();

  const { page: v2 } = await newPage(browser, 'villager2', phone);
  at.page = v2;
  await signInThroughForm(v2, base, ACCOUNTS.villager2);
  await v2.locator('[data-test=nav-votes]').click();
  await v2.locator('[data-test=vote]', { hasText: '硬化三组村道' }).click();
  await v2.locator('[data-test=choice-1]').check();
  await v2.locator('[data-test=cast]').click();
  await v2.locator('[data-test=i-voted]').waitFor();
  await v2.locator('[data-test=language]').click();
  await v2.locator('[data-test=i-voted]', { hasText: 'I have voted' }).waitFor();
  await axe(v2, 'I have voted (English)');
  await v2.locator('[data-test=language]').click();

  // 2. The paper vote: two clerks, a difference flagged, then a recount that agrees.
  at.step = 'paper counts';
  at.page = cadre;
  const paper = await expectOk(apiIn(cadre, 'GET', `/api/v1/votes/${paperId}`), 'paper vote');
  await waitUntil(async () => Date.now() > paper.closes_at_ms + 1000, 'the paper vote window', 60000);
  await cadre.goto(`${base}/votes/${paperId}`);
  await cadre.locator('[data-test=pc-ballots]').fill('10');
  await cadre.locator('[data-test=pc-blank]').fill('1');
  await cadre.locator('[data-test=pc-0]').fill('6');
  await cadre.locator('[data-test=pc-1]').fill('3');
  await cadre.locator('[data-test=pc-save]').click();
  await cadre.locator('[data-test=clerk-count]').waitFor();
  at.page = sup;
  await sup.goto(`${base}/votes/${paperId}`);
  await sup.locator('[data-test=pc-ballots]').fill('10');
  await sup.locator('[data-test=pc-blank]').fill('1');
  await sup.locator('[data-test=pc-0]').fill('5');
  await sup.locator('[data-test=pc-1]').fill('4');
  await sup.locator('[data-test=pc-save]').click();
  await sup.locator('[data-test=paper-agreed].error', { hasText: /不一致/ }).waitFor();
  let counts = await expectOk(apiIn(sup, 'GET', `/api/v1/votes/${paperId}/paper-counts`), 'paper counts');
  check(!counts.agreed && counts.differences.includes('options[0]'), `the difference is not on the server: ${JSON.stringify(counts)}`);
  await shot(sup, 'vote-paper-counts', true);
  await axe(sup, 'paper counts differ');
  await sup.locator('[data-test=vote-close]').click();
  await sup.locator('[data-test=act-error]').waitFor();
  await sup.locator('[data-test=pc-0]').fill('6');
  await sup.locator('[data-test=pc-1]').fill('3');
  await sup.locator('[data-test=pc-save]').click();
  await sup.locator('[data-test=paper-agreed]:not(.error)').waitFor();
  await sup.locator('[data-test=vote-close]').click();
  await sup.locator('[data-test=tally]').waitFor();
  const paperResults = await expectOk(apiIn(sup, 'GET', `/api/v1/votes/${paperId}/results`), 'paper results');
  check(paperResults.vote.state === 'closed' && paperResults.tally.counts.join() === '6,3', `paper tally: ${JSON.stringify(paperResults.tally)}`);

  // 3. A matter through the procedure.
  at.step = 'matter: proposal and deliberation';
  at.page = cadre;
  await cadre.locator('[data-test=nav-deliberation]').click();
  await cadre.locator('[data-test=chain-step]').first().waitFor();
  check(await cadre.locator('[data-test=chain-step]').count() === 6, 'the law chain does not show six steps');
  await axe(cadre, 'deliberation (chain, matters)');
  await field(cadre, 'matter-title').fill('硬化三组村道 2 公里');
  await field(cadre, 'matter-description').fill('预算 40 万元，村集体出资。');
  await cadre.locator('[data-test=matter-open]').click();
  await cadre.waitForURL(/\/deliberation\/matters\/\d+$/);
  const matterId = idFrom(cadre, /matters\/(\d+)$/);
  await recordMeeting(cadre, { members: 5, present: 3, named: [['张书记', 'for'], ['李委员', 'for'], ['王委员', 'for']] });
  await cadre.locator('[data-test=advance]').click();
  await cadre.locator('[data-test=step][aria-current=step]', { hasText: '两委' }).waitFor();
  await recordMeeting(cadre, { members: 7, present: 5, named: [['张书记', 'for'], ['李委员', 'for'], ['王委员', 'for'], ['赵主任', 'for'], ['钱委员', 'against']] });
  await cadre.locator('[data-test=advance]').click();
  await cadre.locator('[data-test=step][aria-current=step]', { hasText: '党员大会' }).waitFor();

  at.step = 'matter: refused advance on a failed quorum';
  await recordMeeting(cadre, { members: 30, present: 19, yes: 19 });
  await cadre.locator('[data-test=advance]').click();
  await cadre.locator('[data-test=advance-error]').waitFor();
  const refusal = await cadre.locator('[data-test=advance-error]').textContent();
  check(/19/.test(refusal) && /30/.test(refusal), `the refusal does not give the numbers: ${refusal}`);
  let matter = await expectOk(apiIn(cadre, 'GET', `/api/v1/deliberation/matters/${matterId}`), 'matter');
  check(matter.current_step_code === 'review', `the matter advanced past a failed quorum: ${matter.current_step_code}`);
  await axe(cadre, 'matter (advance refused)');
  await recordMeeting(cadre, { members: 30, present: 20, yes: 16, no: 4 });
  await cadre.locator('[data-test=advance]').click();
  await cadre.locator('[data-test=step][aria-current=step]', { hasText: '决议' }).first().waitFor();
  await recordMeeting(cadre, { body: 'representatives_meeting', members: 30, present: 20, yes: 15, no: 5 });
  await cadre.locator('[data-test=advance]').click();
  await cadre.locator('[data-test=pub-text]').waitFor();

  at.step = 'matter: spending before publication, resolution published';
  await field(cadre, 'spend-amount').fill('1000');
  await field(cadre, 'spend-purpose').fill('测量费');
  await cadre.locator('[data-test=spend-save]').click();
  await cadre.locator('[data-test=spending]', { hasText: '测量费' }).waitFor();
  matter = await expectOk(apiIn(cadre, 'GET', `/api/v1/deliberation/matters/${matterId}`), 'matter');
  check(matter.flagged_spending && matter.spending[0].flagged, 'spending before the resolution was not flagged');
  await field(cadre, 'pub-text').fill('经村民代表会议表决通过：硬化三组村道 2 公里，预算 40 万元。');
  await cadre.locator('[data-test=pub-draft]').click();
  await cadre.locator('[data-test=publication]').waitFor();
  await cadre.locator('[data-test=advance]').click();
  await cadre.locator('[data-test=advance-error]').waitFor();
  matter = await expectOk(apiIn(cadre, 'GET', `/api/v1/deliberation/matters/${matterId}`), 'matter');
  const itemId = matter.steps.find((s) => s.code === 'publish_resolution').publication.item_id;
  await shot(cadre, 'matter', true);
  at.page = sup;
  await sup.goto(`${base}/disclosure/${itemId}`);
  await sup.locator('[data-test=preview]').click();
  await sup.locator('[data-test=publish]').click();
  await waitUntil(async () => (await apiIn(sup, 'GET', `/api/v1/disclosure/items/${itemId}`)).json?.state === 'published', 'the resolution published');
  at.page = cadre;
  await cadre.reload();
  await cadre.locator('[data-test=resolution-status]', { hasText: /已公开/ }).waitFor();
  await cadre.locator('[data-test=advance]').click();
  await cadre.locator('[data-test=step][aria-current=step]', { hasText: '实施结果' }).waitFor();
  matter = await expectOk(apiIn(cadre, 'GET', `/api/v1/deliberation/matters/${matterId}`), 'matter');
  check(matter.current_step_code === 'publish_result' && matter.resolution_published, `the matter: ${matter.current_step_code}`);
  await axe(cadre, 'matter (resolution published)');

  at.step = 'township sees the flag';
  const { page: town } = await newPage(browser, 'township', desktop);
  at.page = town;
  await signInThroughForm(town, base, ACCOUNTS.township);
  await town.locator('[data-test=nav-deliberation]').click();
  await town.locator('[data-test=flag]', { hasText: '硬化三组村道' }).waitFor();
  await axe(town, 'deliberation flags (township)');

  // 4. A proposal reaching its threshold, answered, put into the procedure.
  at.step = 'proposal';
  at.page = cadre;
  await cadre.goto(`${base}/proposals`);
  await cadre.locator('[data-test=set-threshold]').fill('1');
  await cadre.locator('[data-test=set-days]').fill('7');
  await cadre.locator('[data-test=set-save]').click();
  await cadre.locator('[data-test=threshold]', { hasText: '1 位' }).waitFor();
  at.page = v1;
  await v1.goto(`${base}/proposals`);
  await v1.locator('[data-test=proposal-raise]').click();
  await v1.locator('.van-field__error-message').first().waitFor();
  await field(v1, 'proposal-title').fill('村口安装路灯');
  await field(v1, 'proposal-text').fill('村口到三组的路晚上太黑，建议安装 6 盏路灯。');
  await v1.locator('[data-test=proposal-raise]').click();
  await v1.waitForURL(/\/proposals\/\d+$/);
  const proposalId = idFrom(v1, /proposals\/(\d+)$/);
  await v1.locator('[data-test=support]').click();
  await v1.locator('[data-test=support-msg]').waitFor();
  at.page = v2;
  // Another villager finds it on the home page, among what needs their answer.
  await v2.goto(`${base}/`);
  await v2.locator('[data-test=to-support]', { hasText: '村口安装路灯' }).click();
  await v2.waitForURL(new RegExp(`/proposals/${proposalId}$`));
  await v2.locator('[data-test=support]').click();
  await v2.locator('[data-test=answer-due]').waitFor();
  await v2.reload();
  await v2.locator('[data-test=support]').click();
  await v2.locator('[data-test=support-msg]').waitFor();
  let proposal = await expectOk(apiIn(v2, 'GET', `/api/v1/deliberation/proposals/${proposalId}`), 'proposal');
  check(proposal.supports === 1 && proposal.answer_due_ms, `supports: ${JSON.stringify(proposal).slice(0, 300)}`);
  await field(v2, 'comment-text').fill('支持！顺便把垃圾桶也换了，某某家门口最脏。');
  await v2.locator('[data-test=comment-send]').click();
  await v2.locator('[data-test=comment]').waitFor();
  await shot(v2, 'proposal', true);
  await axe(v2, 'proposal (villager)');
  at.page = cadre;
  await cadre.goto(`${base}/proposals/${proposalId}`);
  await cadre.locator('[data-test=hide-reason]').fill('含有针对个人的内容');
  await cadre.locator('[data-test=hide]').click();
  await cadre.locator('[data-test=comment-hidden]').waitFor();
  await field(cadre, 'answer-text').fill('村委会同意，下月安装。');
  await cadre.locator('[data-test=answer-save]').click();
  await cadre.locator('[data-test=answer]').waitFor();
  await axe(cadre, 'proposal (committee)');
  await cadre.locator('[data-test=to-matter-open]').click();
  await cadre.waitForURL(/\/deliberation\/matters\/\d+$/);
  proposal = await expectOk(apiIn(cadre, 'GET', `/api/v1/deliberation/proposals/${proposalId}`), 'proposal');
  check(proposal.answer && proposal.matter_id && proposal.comments[0].hidden && proposal.comments[0].hidden_reason === '含有针对个人的内容',
    `the proposal on the server: ${JSON.stringify(proposal).slice(0, 400)}`);
  at.page = v1;
  await v1.goto(`${base}/proposals/${proposalId}`);
  await v1.locator('[data-test=comment-hidden]', { hasText: '含有针对个人的内容' }).waitFor();
  await v1.locator('[data-test=to-matter]').waitFor();
  await axe(v1, 'proposal answered (villager)');

  // 5. A township official picks one of the township's villages (kept for the session) and sees
  // its matters, proposals, votes and accounts; the law's chain in English when English is chosen.
  at.step = 'township picks a village';
  at.page = town;
  await town.goto(`${base}/deliberation`);
  await town.locator('[data-test=pick-hint]').waitFor();
  check(await town.locator('[data-test=matter]').count() === 0 && await town.locator('[data-test=chain-step]').count() === 0,
    'the township sees a village\'s matters before picking one');
  await axe(town, 'deliberation (township, no village picked)');
  const villageSelect = town.getByLabel('村（社区）', { exact: true });
  check(await villageSelect.evaluate((el) => el.tagName) === 'SELECT', 'the village picker is not a labelled select');
  check(await villageSelect.locator('option').count() > 10, 'the picker does not list the township\'s villages');
  // With the keyboard only: Tab from the last link reaches the picker, arrow keys walk the villages
  // (each one loaded as it is passed: the last pick must win over slower earlier answers).
  await town.locator('[data-test=to-votes]').focus();
  await town.keyboard.press('Tab');
  check(await villageSelect.evaluate((el) => el === document.activeElement), 'Tab does not reach the village picker');
  for (let k = 0; k < 60 && await villageSelect.inputValue() !== DEMO_VILLAGE; k++) await town.keyboard.press('ArrowDown');
  check(await villageSelect.inputValue() === DEMO_VILLAGE, 'the arrow keys do not reach the demo village in the picker');
  await town.locator('[data-test=matter]', { hasText: '硬化三组村道 2 公里' }).waitFor();
  check(await town.locator('[data-test=chain-step]').count() === 6, 'the picked village\'s chain is not shown');
  check(await town.locator('[data-test=matter-open]').count() === 0, 'the township official is offered to open a matter');
  await axe(town, 'deliberation (township, village picked)');
  at.step = 'township: the chain in English';
  await town.locator('[data-test=language]').click();
  await town.locator('[data-test=chain-step]', { hasText: 'Review by the Party members\' meeting' }).waitFor();
  const chainEn = (await town.locator('[data-test=chain-step]').allTextContents()).join('\n');
  check(chainEn.includes('Villagers\' representatives\' meeting') && !/[党村]/.test(chainEn),
    `the law's chain is not named in English: ${chainEn.slice(0, 400)}`);
  await town.locator('[data-test=matter]', { hasText: 'Result of the implementation made public' }).waitFor();
  await shot(town, 'deliberation-township-en', true);
  await axe(town, 'deliberation (township, English)');
  await town.locator('[data-test=matter]', { hasText: '硬化三组村道 2 公里' }).click();
  await town.locator('[data-test=step]', { hasText: 'Resolution made public' }).waitFor();
  await axe(town, 'matter (township, English)');
  await town.locator('[data-test=language]').click();
  await town.locator('[data-test=step]', { hasText: '决议公开' }).first().waitFor();
  at.step = 'township: the pick kept on proposals, votes, accounts';
  await town.goto(`${base}/deliberation`);
  await town.locator('[data-test=to-proposals]').click();
  await town.locator('[data-test=proposal]', { hasText: '村口安装路灯' }).waitFor();
  check(await town.locator('[data-test=proposal-raise]').count() === 0, 'the township official is offered to raise a proposal');
  check(await town.locator('[data-test=village-pick]').inputValue() === DEMO_VILLAGE, 'the pick is not kept across pages');
  await axe(town, 'proposals (township, village picked)');
  await town.locator('[data-test=nav-votes]').click();
  await town.locator('[data-test=vote]', { hasText: '硬化三组村道' }).waitFor();
  const townVotes = await expectOk(apiIn(town, 'GET', `/api/v1/votes?village=${DEMO_VILLAGE}`), 'votes of the village');
  check(await town.locator('[data-test=vote]').count() === townVotes.items.length, 'the votes page does not list the picked village\'s votes');
  await axe(town, 'votes (township, village picked)');
  await town.reload();
  await town.locator('[data-test=vote]', { hasText: '硬化三组村道' }).waitFor();
  await town.locator('[data-test=nav-accounts]').click();
  await town.locator('[data-test=account-row]').first().waitFor();
  const townAccounts = await expectOk(apiIn(town, 'GET', `/api/v1/accounts?village=${DEMO_VILLAGE}`), 'accounts of the village');
  await waitUntil(async () => await town.locator('[data-test=account-row]').count() === townAccounts.items.length, 'the accounts of the picked village');
  await axe(town, 'accounts (township, village picked)');
  await town.locator('[data-test=village-pick]').selectOption('');
  const allAccounts = await expectOk(apiIn(town, 'GET', '/api/v1/accounts'), 'accounts of the township');
  await waitUntil(async () => await town.locator('[data-test=account-row]').count() === allAccounts.items.length, 'the accounts of the whole area');

  // A county admin picks a township first, then one of its villages.
  at.step = 'county admin picks a township and a village';
  const { page: county } = await newPage(browser, 'county admin', desktop);
  at.page = county;
  await signInThroughForm(county, base, ACCOUNTS.county);
  await county.goto(`${base}/votes`);
  check(await county.locator('[data-test=village-pick]').isDisabled(), 'the village list is open before a township is picked');
  await county.getByLabel('乡镇（街道）', { exact: true }).selectOption(`${DEMO_VILLAGE.slice(0, 9)}000`);
  await county.locator(`[data-test=village-pick] option[value="${DEMO_VILLAGE}"]`).waitFor({ state: 'attached' });
  await county.getByLabel('村（社区）', { exact: true }).selectOption(DEMO_VILLAGE);
  await county.locator('[data-test=vote]', { hasText: '硬化三组村道' }).waitFor();
  await axe(county, 'votes (county admin, township and village picked)');

  // Last: the online votes' window (long enough for slow machines) ran out meanwhile.
  at.step = 'online vote closed, results';
  at.page = cadre;
  const online = await expectOk(apiIn(cadre, 'GET', `/api/v1/votes/${voteId}`), 'vote');
  const lastClose = (await expectOk(apiIn(cadre, 'GET', `/api/v1/votes/${approvalId}`), 'approval vote')).closes_at_ms;
  await waitUntil(async () => Date.now() > Math.max(online.closes_at_ms, lastClose) + 1000, 'the online votes\' windows', 150000);
  await cadre.goto(`${base}/votes/${voteId}`);
  if (await cadre.locator('[data-test=vote-close]').count()) await cadre.locator('[data-test=vote-close]').click();
  await cadre.locator('[data-test=tally-entry]').waitFor();
  const results = await expectOk(apiIn(cadre, 'GET', `/api/v1/votes/${voteId}/results`), 'results');
  check(results.vote.state === 'closed' && results.turnout.ballots === 2 && results.tally.counts.join() === '1,1,0', `results: ${JSON.stringify(results)}`);
  const turnout = await cadre.locator('[data-test=turnout]').textContent();
  check(turnout.includes(`${results.turnout.electorate}`) && turnout.includes('2'), `the page's turnout: ${turnout}`);
  at.page = v1;
  await v1.goto(`${base}/votes/${voteId}`);
  await v1.locator('[data-test=turnout]').waitFor();
  await shot(v1, 'vote-results', true);
  await axe(v1, 'results (villager)');
  await v1.goto(`${base}/votes/${rankedId}`);
  await v1.locator('[data-test=tally]').waitFor();
  const ranked = await expectOk(apiIn(v1, 'GET', `/api/v1/votes/${rankedId}/results`), 'ranked results');
  check(ranked.tally.winner_names.join() === '同心', `the ranked poll: ${JSON.stringify(ranked.tally)}`);
  const approval = await expectOk(apiIn(v1, 'GET', `/api/v1/votes/${approvalId}/results`), 'approval results');
  check(approval.tally.counts.join() === '1,0,1' && approval.turnout.ballots === 1, `the approval vote: ${JSON.stringify(approval.tally)}`);

  // A village's own chain: a step it renamed keeps its recorded name in English too.
  at.step = 'a village step keeps its recorded name';
  at.page = cadre;
  const law = await expectOk(apiIn(cadre, 'GET', `/api/v1/deliberation/chain?village=${DEMO_VILLAGE}`), 'chain');
  const own = structuredClone(law.steps);
  own[0].name = '村党支部提议（本村规约）';
  own[0].bodies[0].name = '村党支部委员会';
  await expectOk(apiIn(cadre, 'PUT', `/api/v1/deliberation/chains/${DEMO_VILLAGE}`, { steps: own, decision: '村民代表会议 2026 年第 3 次会议决定' }), 'own chain');
  await cadre.goto(`${base}/deliberation`);
  await cadre.locator('[data-test=language]').click();
  await cadre.locator('[data-test=chain-step]', { hasText: 'Review by the Party members\' meeting' }).waitFor();
  const first = await cadre.locator('[data-test=chain-step]').first().textContent();
  check(first.includes('村党支部提议（本村规约）') && first.includes('村党支部委员会'), `the village's own step lost its name: ${first}`);
  await axe(cadre, 'deliberation (village chain, English)');
  await cadre.locator('[data-test=language]').click();
}, 'votes drafted, refused to the drafter, opened by the supervisor, cast (single, ranked by keyboard), '
  + 'closed with turnout; paper counts differ then agree; a matter through the chain with a refused advance on a failed quorum, '
  + 'resolution published, spending flagged to the township; a proposal supported to its threshold, comment hidden, answered, '
  + 'put into the procedure; axe clean');
