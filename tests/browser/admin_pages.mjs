#!/usr/bin/env node
// Browser test of the pages that make every API operation for people reachable (issue #6: "Everything
// the API offers at the time must be reachable from the web app"), in Debian's Chromium, headless,
// against the real gongzhi binary serving the built app over a copy of the demo data (harness.mjs).
// Each page is used with real clicks, and each step is checked against the server's state:
//
//   1. the village cadre registers a villager (the invitation code is shown), disables and enables
//      the account with a reason, grants and revokes a role; records a helper's consent by phone
//      (its evidence shown back); tightens a deadline and removes the rule; registers a household
//      and adds a member, changes a phone; reads the data-quality report, accepts a villager's
//      correction request, exports the masked register; reads a subsidy list's originals with a purpose;
//      rejects an appeal, which the villager contests and the township official upholds (the routing
//      suggestion asked for, the inbox entry read on opening);
//   2. the invited person sets a password at /invite and is signed in; changes the password, sets up
//      an authenticator (the code computed from the secret shown) and signs out everywhere;
//   3. a villager asks for a correction and sees it under "my data" with what helpers did for them;
//   4. the county administrator creates and revokes an Open311 client (the key shown once), routes a
//      category to the township and back, and sees the ranking table with its sample sizes;
//   5. the auditor searches the trail (the originals read is there with its purpose), checks the
//      chain and exports a CSV (the export is itself audited);
//   6. pages are shown by role (no audit link for a cadre, none of the admin links for a villager);
//      elder mode and English on the new pages; axe-core on every page visited (no serious or
//      critical violation); no CSP violation or uncaught error.
// A failed step saves a screenshot (and the page's HTML) into the work folder.
//
// Usage: node tests/browser/admin_pages.mjs --binary build/gongzhi --template-dir DIR --work-dir DIR
//          [--web-root web/dist] [--chromium /usr/bin/chromium] [--screenshots DIR] [--timeout-factor F] [--keep]
// --screenshots DIR saves the accounts page, the audit trail and the deadline rules there (docs/screenshots/).
import fs from 'node:fs';
import path from 'node:path';
import { check, openHarness } from './harness.mjs';
import { DEMO_VILLAGE, freshTotp, request } from '../support/gzclient.mjs';

const ACCOUNTS = {
  villager: { phone: '15400000001' },
  villager2: { phone: '15400000002' },
  helper: { phone: '15400000003', totp: 'YC3BLQIKTKIKG75TYO4JV6W5GSKF2OVJ' },
  cadre: { phone: '15400000005', totp: 'BA6F6HYRX5NUM6HR56R2PKPFKAODECZT' },
  township: { phone: '15400000007', totp: 'BQMQCZPJTPTDX4S3JVFQYHTRFFV3EBYJ' },
  supervisor: { phone: '15400000006', totp: 'SNKZXYFVAMQIORAVELN5HSVDZNGBELLN' },
  county: { phone: '15400000008', totp: 'EIGQVBIQNOCFRXNE2FTVGYCV74S44DNO' },
  auditor: { phone: '15400000009', totp: 'BBNVDSAHSWCAZBIHP55QNS3VSKTJI47P' },
};
const INVITEE_PHONE = '15400077001';
// A 1×1 PNG: the photo of a thumbprinted consent form.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const TOWNSHIP = '420114001000';

// A valid GB 11643 ID number (check character) for a person born in Caidian in 1980.
function idNumber(seq) {
  const body = `42011419800101${String(seq).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((n, d, i) => n + Number(d) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

const { axe, shot, signInThroughForm, newPage, apiIn, expectOk, waitUntil, elderChecks, field, run } = await openHarness(process.argv.slice(2));

await run('browser.admin_pages', async ({ server, base, browser, at, dataDir }) => {
  const desktop = { width: 1280, height: 900 };
  const phone = { width: 390, height: 844 };
  // 3. The villager's correction request and "my data" (first: the cadre decides it below).
  at.step = 'villager asks for a correction';
  const { page: villager } = await newPage(browser, 'villager', phone);
  at.page = villager;
  await signInThroughForm(villager, base, ACCOUNTS.villager);
  for (const link of ['nav-accounts', 'nav-audit', 'nav-rules', 'nav-open311']) {
    check(await villager.locator(`[data-test=${link}]`).count() === 0, `a villager is offered ${link}`);
  }
  await villager.goto(`${base}/me/data`);
  await villager.locator('[data-test=correction-field]').selectOption('address');
  await villager.locator('[data-test=send-correction]').click();
  await villager.locator('.error[role=alert]', { hasText: /写明/ }).waitFor();
  await field(villager, 'correction-value').fill('3组46号');
  await field(villager, 'correction-reason').fill('门牌号登记错了');
  await villager.locator('[data-test=send-correction]').click();
  await villager.locator('[data-test=my-correction]').first().waitFor();
  const mine = await expectOk(apiIn(villager, 'GET', '/api/v1/me/corrections'), 'my corrections');
  check(mine.items.length === 1 && mine.items[0].field === 'address' && mine.items[0].status === 'open', `the correction is not on the server: ${JSON.stringify(mine.items)}`);
  await villager.locator('[data-test=acted-for], #acted').first().waitFor();
  await axe(villager, 'my data (corrections, acted for me)');
  // The admin pages are refused to a villager by the router, not only hidden.
  await villager.goto(`${base}/staff/audit`);
  await villager.waitForURL((u) => u.pathname === '/');

  // 1. The village cadre.
  at.step = 'cadre registers a villager';
  const { page: cadre } = await newPage(browser, 'cadre', desktop);
  at.page = cadre;
  await signInThroughForm(cadre, base, ACCOUNTS.cadre);
  await cadre.locator('[data-test=nav-accounts]').waitFor();
  check(await cadre.locator('[data-test=nav-audit]').count() === 0, 'a cadre is offered the audit trail');
  check(await cadre.locator('[data-test=nav-open311]').count() === 0, 'a cadre is offered the Open311 clients');
  await cadre.locator('[data-test=nav-accounts]').click();
  await cadre.locator('[data-test=account-row]').first().waitFor();
  await field(cadre, 'register-name').fill('测试新人');
  await field(cadre, 'register-phone').fill(INVITEE_PHONE);
  await cadre.locator('[data-test=register]').click();
  const code = (await cadre.locator('[data-test=invitation-code]').textContent()).trim();
  check(/^[0-9 -]{10,32}$/.test(code), `no invitation code shown: ${code}`);
  const listed = await expectOk(apiIn(cadre, 'GET', `/api/v1/accounts?village=${DEMO_VILLAGE}&role=villager`), 'accounts');
  const invitee = listed.items.find((a) => a.phone === '154****7001');
  check(invitee && invitee.status === 'invited', 'the registered villager is not on the server as invited');
  await axe(cadre, 'accounts');
  await elderChecks(cadre, 'accounts', '[data-test=register]');
  await shot(cadre, 'accounts', true);

  at.step = 'cadre manages the account';
  await cadre.goto(`${base}/staff/accounts/${invitee.id}`);
  await cadre.locator('[data-test=disable]').click();
  await cadre.locator('[data-test=manage-error]').waitFor();
  await field(cadre, 'manage-reason').fill('核实身份前暂停');
  await cadre.locator('[data-test=disable]').click();
  await cadre.locator('[data-test=enable]').waitFor();
  check((await expectOk(apiIn(cadre, 'GET', `/api/v1/accounts/${invitee.id}`), 'account')).status === 'disabled', 'the account is not disabled');
  await field(cadre, 'manage-reason').fill('身份已核实');
  await cadre.locator('[data-test=enable]').click();
  await cadre.locator('[data-test=disable]').waitFor();
  check((await expectOk(apiIn(cadre, 'GET', `/api/v1/accounts/${invitee.id}`), 'account')).status !== 'disabled', 'the account is still disabled');
  await cadre.locator('[data-test=grant-role]').selectOption('helper');
  await cadre.locator('[data-test=grant]').click();
  await cadre.locator('[data-test=role-grant][data-role=helper]').waitFor();
  let roles = (await expectOk(apiIn(cadre, 'GET', `/api/v1/accounts/${invitee.id}`), 'account')).roles.map((g) => g.role);
  check(roles.includes('helper'), `the role was not granted: ${roles}`);
  await axe(cadre, 'account');
  await cadre.locator('[data-test=revoke-helper]').click();
  await cadre.locator('[data-test=role-grant][data-role=helper]').waitFor({ state: 'detached' });
  roles = (await expectOk(apiIn(cadre, 'GET', `/api/v1/accounts/${invitee.id}`), 'account')).roles.map((g) => g.role);
  check(!roles.includes('helper'), 'the role was not revoked');

  at.step = 'cadre records a consent by phone';
  const villager2 = listed.items.find((a) => a.phone === '154****0002');
  const helpers = await expectOk(apiIn(cadre, 'GET', `/api/v1/accounts?village=${DEMO_VILLAGE}&role=helper`), 'helpers');
  const helperId = helpers.items[0].id;
  await cadre.locator('[data-test=nav-consents]').click();
  await cadre.waitForURL(/\/consents/);
  await cadre.locator('[data-test=consent-row]').first().waitFor();
  await field(cadre, 'consent-villager').fill(villager2.id);
  await field(cadre, 'consent-helper').fill(helperId);
  await cadre.locator('[data-test=consent-method]').selectOption('phone_call');
  await cadre.locator('[data-test=record-consent]').click();
  await cadre.locator('[data-test=consent-error]').waitFor();
  const attestation = '11月29日上午电话联系演示村民二，本人同意由帮办员代为提交和查看诉求，期限90天。';
  await field(cadre, 'consent-attestation').fill(attestation);
  await cadre.locator('[data-test=record-consent]').click();
  const consentId = (await cadre.locator('[data-test=consent-recorded]').textContent()).match(/\d{6,}/)[0];
  const consent = await expectOk(apiIn(cadre, 'GET', `/api/v1/consents/${consentId}`), 'consent');
  check(consent.method === 'phone_call' && consent.villager === villager2.id && consent.status === 'active', `the consent on the server: ${JSON.stringify(consent)}`);
  await cadre.locator('[data-test=show-evidence]').click();
  await cadre.locator('#consent-detail ~ form .error[role=alert]').waitFor(); // no purpose: refused before asking
  await field(cadre, 'evidence-purpose').fill('核对授权方式');
  await cadre.locator('[data-test=show-evidence]').click();
  await cadre.locator('[data-test=evidence-text]', { hasText: '电话联系演示村民二' }).waitFor();
  await axe(cadre, 'consents');

  at.step = 'cadre tightens a deadline';
  await cadre.locator('[data-test=nav-rules]').click();
  await cadre.locator('[data-test=deadline-row]').first().waitFor();
  await cadre.locator('[data-test=accept-roads]').fill('600');
  await cadre.locator('[data-test=answer-roads]').fill('4320');
  await cadre.locator('[data-test=save-deadline-roads]').click();
  await cadre.locator('[data-test=rules-done]').waitFor();
  const roads = (await expectOk(apiIn(cadre, 'GET', `/api/v1/appeals/deadlines?village=${DEMO_VILLAGE}`), 'deadlines')).categories.find((c) => c.category === 'roads');
  check(roads.source === DEMO_VILLAGE && roads.accept_minutes === 600 && roads.answer_minutes === 4320, `the rule on the server: ${JSON.stringify(roads)}`);
  await shot(cadre, 'appeal-rules');
  await cadre.locator('[data-test=answer-roads]').fill('20000');
  await cadre.locator('[data-test=save-deadline-roads]').click();
  await cadre.locator('[data-test=rules-error]').waitFor(); // looser than inherited: the server's words
  await axe(cadre, 'deadline rules');
  // A cadre cannot remove a tightening (the county administrator does, below).

  at.step = 'cadre manages the register';
  await cadre.goto(`${base}/staff/residents?village=${DEMO_VILLAGE}`);
  await cadre.locator('[data-test=manage-link]').click();
  await cadre.locator('[data-test=quality-households]').waitFor();
  const quality = await expectOk(apiIn(cadre, 'GET', `/api/v1/villages/${DEMO_VILLAGE}/data-quality`), 'quality');
  check(Number(await cadre.locator('[data-test=quality-households]').textContent()) === quality.households, 'the quality report is not the server\'s');
  const correction = cadre.locator('[data-test=correction]').first();
  await correction.waitFor();
  const correctionId = await correction.getAttribute('data-id');
  await correction.locator('[data-test=accept-correction]').click();
  await cadre.locator('[data-test=manage-done]').waitFor();
  const decided = await expectOk(apiIn(cadre, 'GET', `/api/v1/villages/${DEMO_VILLAGE}/corrections?status=accepted`), 'corrections');
  check(decided.items.some((c) => c.id === correctionId), 'the correction was not accepted on the server');
  await axe(cadre, 'register management');

  const download = cadre.waitForEvent('download');
  await cadre.locator('[data-test=export]').click();
  const file = await (await download).path();
  const csv = fs.readFileSync(file, 'utf8');
  check(csv.split('\n').length > 10 && /420114\*{8}/.test(csv), 'the masked export is not a masked register');

  const head = idNumber(21);
  await field(cadre, 'hh-address').fill('9组1号');
  await field(cadre, 'member-name-0').fill('测试户主');
  await field(cadre, 'member-id-0').fill(head);
  await cadre.locator('[data-test=create-household]').click();
  await cadre.waitForURL(/\/staff\/households\/\d+$/);
  const householdId = cadre.url().split('/').pop();
  await field(cadre, 'new-member-name').fill('测试子女');
  await field(cadre, 'new-member-id').fill(idNumber(32));
  await cadre.locator('[data-test=add-member]').click();
  await waitUntil(async () => (await cadre.locator('[data-test=member]').count()) === 2, 'the new member listed');
  const household = await expectOk(apiIn(cadre, 'GET', `/api/v1/households/${householdId}`), 'household');
  check(household.members === 2, `the household on the server has ${household.members} members`);
  await axe(cadre, 'household (add member)');
  await cadre.locator('[data-test=member]').first().click();
  await cadre.waitForURL(/\/staff\/residents\/\d+$/);
  const residentId = cadre.url().split('/').pop();
  await field(cadre, 'edit-phone').fill('15400077002');
  await cadre.locator('[data-test=save-resident]').click();
  await cadre.locator('[data-test=edit-done]').waitFor();
  const changed = await expectOk(apiIn(cadre, 'GET', `/api/v1/residents/${residentId}`), 'resident');
  check(changed.phone === '154****7002', `the phone on the server: ${changed.phone}`);

  at.step = 'cadre reads a list\'s originals';
  const lists = await expectOk(apiIn(cadre, 'GET', `/api/v1/disclosure/items?village=${DEMO_VILLAGE}&kind=subsidy_list`), 'lists');
  const listItem = lists.items[0];
  await cadre.goto(`${base}/disclosure/${listItem.id}`);
  await field(cadre, 'originals-purpose').fill('核对发放对象');
  await cadre.locator('[data-test=read-originals]').click();
  const firstName = (await cadre.locator('[data-test=originals] tbody tr td:nth-child(2)').first().textContent()).trim();
  check(firstName && !firstName.includes('*') && listItem.body.recipients[0].name.startsWith(firstName[0]), `the originals are not the list as entered: ${firstName}`);
  await axe(cadre, 'disclosure item (originals)');

  at.step = 'an appeal rejected, contested, upheld';
  const filed = await expectOk(apiIn(villager, 'POST', '/api/v1/appeals', { category: 'dispute', text: '邻居占用了我家的宅基地，请村里处理。' }), 'file');
  await cadre.goto(`${base}/staff/appeals/${filed.id}`);
  await field(cadre, 'staff-note').fill('属于法院受理范围，请通过诉讼解决。');
  await cadre.locator('[data-test=cmd-reject]').click();
  await cadre.locator('[data-test=appeal-state]', { hasText: '不予受理' }).waitFor();
  at.page = villager;
  await villager.goto(`${base}/appeals/${filed.id}`);
  await field(villager, 'own-note').fill('这不是法院的事，村里有调解委员会。');
  await villager.getByRole('button', { name: '申诉' }).click();
  await villager.locator('[data-test=appeal-state]', { hasText: '申诉中' }).waitFor();
  const { page: township } = await newPage(browser, 'township', desktop);
  at.page = township;
  await signInThroughForm(township, base, ACCOUNTS.township);
  const unreadBefore = (await expectOk(apiIn(township, 'GET', '/api/v1/me/appeal-inbox?unread=true&limit=100'), 'inbox')).items.filter((e) => e.appeal_id === filed.id).length;
  await township.goto(`${base}/staff/appeals/${filed.id}`);
  await township.locator('[data-test=cmd-uphold]').waitFor();
  await township.locator('[data-test=suggest]').click();
  await township.locator('[data-test=suggestion], .suggest p[role=status]').first().waitFor();
  await waitUntil(async () => (await apiIn(township, 'GET', '/api/v1/me/appeal-inbox?unread=true&limit=100')).json.items.every((e) => e.appeal_id !== filed.id),
    `the inbox entry of the appeal (${unreadBefore} unread) read on opening`);
  await field(township, 'staff-note').fill('经复核，维持不予受理。');
  await township.locator('[data-test=cmd-uphold]').click();
  await township.locator('[data-test=appeal-state]', { hasText: '不予受理' }).waitFor();
  const upheld = await expectOk(apiIn(township, 'GET', `/api/v1/appeals/${filed.id}`), 'appeal');
  check(upheld.state === 'rejected', `the appeal after uphold is ${upheld.state}`);
  await axe(township, 'staff appeal (contested)');

  at.step = 'a supervisor\'s visit (回访) before the rating window ends';
  const lit = await expectOk(apiIn(villager, 'POST', '/api/v1/appeals', { category: 'street_lights', text: '村口路灯坏了三天了，晚上看不见路。' }), 'file');
  let v = (await expectOk(apiIn(cadre, 'POST', `/api/v1/appeals/${lit.id}/accept`, { version: lit.version }), 'accept')).version;
  v = (await expectOk(apiIn(cadre, 'POST', `/api/v1/appeals/${lit.id}/start`, { version: v }), 'start')).version;
  await expectOk(apiIn(cadre, 'POST', `/api/v1/appeals/${lit.id}/answer`, { version: v, note: '已更换灯泡。' }), 'answer');
  const { page: supervisor } = await newPage(browser, 'supervisor', desktop);
  at.page = supervisor;
  await signInThroughForm(supervisor, base, ACCOUNTS.supervisor);
  await supervisor.goto(`${base}/staff/appeals/${lit.id}`);
  check(await supervisor.locator('[data-test^=cmd-]').count() === 0, 'a supervisor is offered the handling commands');
  await supervisor.locator('[data-test=send-visit]').click();
  await supervisor.locator('[data-test=visit-error]').waitFor(); // no answer chosen: said before asking
  await supervisor.locator('[data-test=visit-satisfied]').click();
  await field(supervisor, 'visit-note').fill('电话回访，村民说路灯已修好。');
  await supervisor.locator('[data-test=send-visit]').click();
  // The rating window (at least an hour) is the villager's: the server's refusal is announced.
  await supervisor.locator('[data-test=visit-error]', { hasText: /.{6,}/ }).waitFor();
  const stillAnswered = await expectOk(apiIn(supervisor, 'GET', `/api/v1/appeals/${lit.id}`), 'appeal');
  check(stillAnswered.state === 'answered', `a visit inside the rating window changed the appeal: ${stillAnswered.state}`);
  await axe(supervisor, 'staff appeal (visit)');

  // 2. The invited person.
  at.step = 'the invitation is accepted';
  const { page: newcomer } = await newPage(browser, 'newcomer', phone);
  at.page = newcomer;
  await newcomer.goto(`${base}/sign-in`);
  await newcomer.locator('[data-test=invite-link]').click();
  await newcomer.waitForURL(/\/invite/);
  await axe(newcomer, 'invitation');
  await newcomer.locator('input[name=code]').fill(code);
  await newcomer.locator('input[name=phone]').fill(INVITEE_PHONE);
  await newcomer.locator('input[name=password]').fill('Xinren-mima-2026');
  await newcomer.locator('input[name=again]').fill('Xinren-mima-2025');
  await newcomer.locator('[data-test=accept-invitation]').click();
  await newcomer.locator('[data-test=invite-error]').waitFor();
  await newcomer.locator('input[name=again]').fill('Xinren-mima-2026');
  await newcomer.locator('input[name=again]').press('Enter'); // the keyboard submits the form
  await newcomer.waitForURL((u) => u.pathname === '/');
  check((await expectOk(apiIn(cadre, 'GET', `/api/v1/accounts/${invitee.id}`), 'account')).status === 'active', 'the invited account is not active');

  at.step = 'cadre records a consent in person with a photo';
  at.page = cadre;
  await cadre.goto(`${base}/consents`);
  await field(cadre, 'consent-villager').fill(invitee.id);
  await field(cadre, 'consent-helper').fill(helperId);
  await cadre.locator('[data-test=consent-method]').selectOption('in_person_thumbprint');
  await cadre.locator('[data-test=consent-photo]').setInputFiles({ name: 'form.png', mimeType: 'image/png', buffer: PNG });
  await cadre.locator('[data-test=record-consent]').click();
  const photoConsentId = (await cadre.locator('[data-test=consent-recorded]').textContent()).match(/\d{6,}/)[0];
  const photoConsent = await expectOk(apiIn(cadre, 'GET', `/api/v1/consents/${photoConsentId}`), 'consent');
  check(photoConsent.method === 'in_person_thumbprint' && photoConsent.evidence?.kind === 'image', `the consent on the server: ${JSON.stringify(photoConsent)}`);
  await field(cadre, 'evidence-purpose').fill('核对授权书');
  await cadre.locator('[data-test=show-evidence]').click();
  await cadre.locator('[data-test=evidence-image]').waitFor();
  check(await cadre.locator('[data-test=evidence-image]').evaluate((img) => img.complete && img.naturalWidth === 1), 'the evidence photo is not the one uploaded');

  at.step = 'cadre records a consent by an SMS code';
  // The demo's SMS gateway writes gammu-smsd files (UTF-16LE) into <data-dir>/sms-outbox: the test
  // reads the code the villager would read out from their phone.
  const villager1 = listed.items.find((a) => a.phone === '154****0001');
  const otherHelper = helpers.items.find((h) => h.id !== helperId);
  await cadre.goto(`${base}/consents`);
  await field(cadre, 'consent-villager').fill(villager1.id);
  await field(cadre, 'consent-helper').fill(otherHelper.id);
  await cadre.locator('[data-test=consent-method]').selectOption('sms_code');
  await cadre.locator('[data-test=record-consent]').click();
  await cadre.locator('[data-test=sms-sent]').waitFor();
  const outbox = path.join(dataDir, 'sms-outbox');
  let smsCode = null;
  await waitUntil(() => {
    const texts = fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((f) => f.includes(`_${ACCOUNTS.villager.phone}_`)) : [];
    for (const f of texts) {
      const m = fs.readFileSync(path.join(outbox, f)).toString('utf16le').match(/\b(\d{6})\b/);
      if (m) smsCode = m[1];
    }
    return smsCode !== null;
  }, 'the SMS code in the outbox');
  await field(cadre, 'sms-code').fill(smsCode);
  await cadre.locator('[data-test=record-consent]').click();
  const smsConsentId = (await cadre.locator('[data-test=consent-recorded]').textContent()).match(/\d{6,}/)[0];
  const smsConsent = await expectOk(apiIn(cadre, 'GET', `/api/v1/consents/${smsConsentId}`), 'consent');
  check(smsConsent.method === 'sms_code' && smsConsent.villager === villager1.id && smsConsent.helper === otherHelper.id, `the SMS consent on the server: ${JSON.stringify(smsConsent)}`);
  await axe(cadre, 'consents (SMS code)');
  at.page = newcomer;

  at.step = 'my account: password, authenticator, sign out everywhere';
  await newcomer.locator('[data-test=nav-account]').click();
  await newcomer.waitForURL(/\/me\/account/);
  await newcomer.locator('input[name=current]').fill('Xinren-mima-2026');
  await newcomer.locator('input[name=new]').fill('Xinren-mima-2027');
  await newcomer.locator('input[name=again]').fill('Xinren-mima-2027');
  await newcomer.locator('[data-test=change-password]').click();
  await newcomer.locator('[data-test=account-done]').waitFor();
  const withNew = await request(server.port, 'POST', '/api/v1/auth/sign-in', { body: { phone: INVITEE_PHONE, password: 'Xinren-mima-2027', client: 'bearer' } });
  check(withNew.status === 200, `the new password does not sign in: ${withNew.status}`);
  await newcomer.locator('[data-test=totp-start]').click();
  const secret = (await newcomer.locator('[data-test=totp-secret]').textContent()).trim();
  await newcomer.locator('input[name=code]').fill(await freshTotp(secret));
  await newcomer.locator('[data-test=totp-confirm]').click();
  await newcomer.locator('[data-test=account-done]', { hasText: '身份验证器已绑定' }).waitFor();
  check((await expectOk(apiIn(newcomer, 'GET', '/api/v1/me'), 'me')).account.totp_enrolled === true, 'the authenticator is not enrolled on the server');
  await axe(newcomer, 'my account');
  await elderChecks(newcomer, 'my account', '[data-test=change-password]');
  await newcomer.locator('[data-test=sign-out-everywhere]').click();
  await newcomer.waitForURL(/\/sign-in/);
  check((await request(server.port, 'GET', '/api/v1/me', { token: withNew.json.token })).status === 401, 'another session survived signing out everywhere');

  // 4. The county administrator.
  at.step = 'county admin: Open311 clients, unit rules, ranking';
  const { page: county } = await newPage(browser, 'county', desktop);
  at.page = county;
  await signInThroughForm(county, base, ACCOUNTS.county);
  await county.locator('[data-test=nav-open311]').click();
  await county.waitForURL(/\/staff\/open311/);
  await field(county, 'client-name').fill('村村通小程序');
  await field(county, 'client-scope').fill('420114');
  await county.locator('[data-test=create-client]').click();
  const key = (await county.locator('[data-test=client-key-value]').textContent()).trim();
  check(key.startsWith('gz311_'), `no key shown: ${key}`);
  let clients = (await expectOk(apiIn(county, 'GET', '/api/v1/open311/clients'), 'clients')).items;
  check(clients.some((c) => c.name === '村村通小程序' && c.status === 'active'), 'the client is not on the server');
  const services = await request(server.port, 'GET', `/open311/v2/requests.json?api_key=${encodeURIComponent(key)}`);
  check(services.status !== 401 && services.status !== 403, `the new key is refused: ${services.status}`);
  await axe(county, 'open311 clients');
  await county.locator('[data-test="revoke-client-村村通小程序"]').click();
  await county.locator('[data-test=client-row][data-status=revoked]').waitFor();
  clients = (await expectOk(apiIn(county, 'GET', '/api/v1/open311/clients'), 'clients')).items;
  check(clients.find((c) => c.name === '村村通小程序').status === 'revoked', 'the client was not revoked on the server');

  await county.goto(`${base}/staff/appeal-rules`);
  await county.locator('[data-test=rules-village]').fill(DEMO_VILLAGE);
  await county.locator('[data-test=rules-village]').press('Enter');
  await county.locator('[data-test=unit-row]').first().waitFor();
  await county.locator('[data-test=reset-deadline-roads]').click();
  await county.locator('[data-test=source-roads]', { hasText: '默认' }).waitFor();
  const roadsNow = (await expectOk(apiIn(county, 'GET', `/api/v1/appeals/deadlines?village=${DEMO_VILLAGE}`), 'deadlines')).categories.find((c) => c.category === 'roads');
  check(roadsNow.source === 'default', 'the village\'s deadline rule was not removed');
  await county.locator('[data-test=level-roads]').selectOption('township');
  await county.locator('[data-test=save-unit-roads]').click();
  await county.locator('[data-test=unit-roads]', { hasText: `township:${TOWNSHIP}` }).waitFor();
  let unit = (await expectOk(apiIn(county, 'GET', `/api/v1/appeals/unit-rules?village=${DEMO_VILLAGE}`), 'units')).categories.find((c) => c.category === 'roads');
  check(unit.unit === `township:${TOWNSHIP}` && unit.source === DEMO_VILLAGE, `the unit rule on the server: ${JSON.stringify(unit)}`);
  await county.locator('[data-test=reset-unit-roads]').click();
  await county.locator('[data-test=unit-roads]', { hasText: `village:${DEMO_VILLAGE}` }).waitFor();
  unit = (await expectOk(apiIn(county, 'GET', `/api/v1/appeals/unit-rules?village=${DEMO_VILLAGE}`), 'units')).categories.find((c) => c.category === 'roads');
  check(unit.source === 'default', 'the unit rule was not removed');
  await axe(county, 'unit rules');

  await county.goto(`${base}/staff/dashboard`);
  await county.locator('[data-test=ranking-table]').waitFor();
  await county.locator('[data-test=rank-by-response]').click();
  const ranking = await expectOk(apiIn(county, 'GET', '/api/v1/appeals/ranking?group_by=village&by=response'), 'ranking');
  await waitUntil(async () => (await county.locator('[data-test=ranked-row], [data-test=unranked-row]').count()) === ranking.ranked.length + ranking.unranked.length,
    'the ranking table has the server\'s groups');
  await axe(county, 'dashboard with ranking');

  // 5. The auditor.
  at.step = 'auditor searches, verifies, exports';
  const { page: auditor } = await newPage(browser, 'auditor', desktop);
  at.page = auditor;
  await signInThroughForm(auditor, base, ACCOUNTS.auditor);
  await auditor.locator('[data-test=nav-audit]').click();
  await auditor.waitForURL(/\/staff\/audit/);
  await field(auditor, 'audit-action').fill('disclosure.read_personal');
  await auditor.locator('[data-test=audit-search]').click();
  await auditor.locator('[data-test=audit-row][data-action="disclosure.read_personal"] [data-test=audit-purpose]', { hasText: '核对发放对象' }).waitFor();
  await auditor.locator('[data-test=audit-verify]').click();
  await auditor.locator('[data-test=audit-chain][data-ok=true]').waitFor();
  const exportDone = auditor.waitForEvent('download');
  await auditor.locator('[data-test=audit-export]').click();
  const auditCsv = fs.readFileSync(await (await exportDone).path(), 'utf8');
  check(auditCsv.includes('disclosure.read_personal') && auditCsv.includes('核对发放对象'), 'the exported CSV lacks the searched records');
  const exports = await expectOk(apiIn(auditor, 'GET', '/api/v1/audit?action=audit.export&limit=5'), 'audit');
  check(exports.items.length >= 1, 'the export was not audited');
  await axe(auditor, 'audit trail');
  await shot(auditor, 'audit', true);
  await auditor.locator('[data-test=language]').click();
  await auditor.locator('h1', { hasText: 'Audit trail' }).waitFor();
  // English texts are fetched when chosen (web/src/i18n.js): lang changes with them, a moment after the click.
  await auditor.locator('html[lang=en]').waitFor({ state: 'attached' }).catch(() => null);
  check(await auditor.evaluate(() => document.documentElement.lang) === 'en', 'English does not set lang=en');
  await axe(auditor, 'audit trail (English)');
}, 'accounts registered, disabled, enabled, granted; invitation accepted; password, authenticator, '
  + 'sign-out everywhere; consent recorded by phone with its evidence; deadline and unit rules set and removed; household, member, '
  + 'phone change, data quality, correction accepted, masked export; originals read and found by the auditor; contest upheld; '
  + 'Open311 client created and revoked; ranking; audit search, chain check, export; roles, elder mode, English, axe clean');
