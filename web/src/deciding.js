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
