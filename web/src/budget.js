// Shared by the participatory-budgeting pages: amounts in whole yuan, the two rules.
export const RULES = ['mes', 'greedy'];
export const yuan = (n) => (n == null ? '' : Number(n).toLocaleString('zh-CN'));
