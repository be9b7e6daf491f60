// Shared by the pages of issue #7 (votes, 四议两公开, 村民议事): the rules of a body in plain words,
// and small formatting of the API's values.
import { i18n } from './i18n.js';

const t = (...a) => i18n.global.t(...a);

// "at least 2/3 of the members", "more than 1/2 of the attendees": the body's rule as the law says it.
export function fraction(r) {
  const share = r.num === 1 && r.den === 2 ? t('chain.half') : `${r.num}/${r.den}`;
  return t(`chain.${r.compare}`, { share, basis: t(`chain.basis.${r.basis}`) });
}
export function quorumText(body) {
  if (!body.quorum?.length) return t('chain.noQuorum');
  return body.quorum.map(fraction).join(t('chain.or'));
}
export function majorityText(body) {
  return body.majority ? fraction(body.majority) : t('chain.noMajority');
}

export const METHODS = ['single', 'approval', 'ranked'];
export const percent = (perMille) => `${(perMille / 10).toFixed(1)}%`;

// The law's chain (src/modules/deliberation/rules.cc, BuildDefault) names its steps and bodies in
// Chinese only; the app names them in the reader's language. A village's own chain may reuse a
// code with its own name: a name other than the law's is the village's record and shown as is.
const LAW_STEPS = {
  propose: '村党组织提议',
  deliberate: '村“两委”会议商议',
  review: '党员大会审议',
  resolve: '村民会议或村民代表会议决议',
  publish_resolution: '决议公开',
  publish_result: '实施结果公开',
};
const LAW_BODIES = {
  party_committee: '村党组织委员会会议',
  joint_meeting: '村“两委”联席会议',
  party_members: '党员大会',
  villagers_meeting: '村民会议',
  representatives_meeting: '村民代表会议',
};
export function stepName(step) {
  return step?.code && LAW_STEPS[step.code] === step.name ? t('lawStep.' + step.code) : step?.name || '';
}
export function bodyName(body) {
  return body?.code && LAW_BODIES[body.code] === body.name ? t('lawBody.' + body.code) : body?.name || '';
}
