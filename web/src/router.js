import { createRouter, createWebHistory } from 'vue-router';
import { session, loadMe, isStaff, isHelper, roles } from './session.js';
import { acting } from './acting.js';
import { can, loadPolicy } from './permissions.js';
import { loadStaffTexts } from './i18n.js';
import SignIn from './pages/SignIn.vue';
import Home from './pages/Home.vue';

// The villager pages a phone loads first (sign-in, home) are in the entry chunk; everything else
// is split off, and the staff dashboard alone pulls in ECharts.
const routes = [
  { path: '/sign-in', component: SignIn, meta: { public: true, title: 'signIn.title' } },
  { path: '/', component: Home, meta: { title: 'nav.home' } },
  { path: '/appeals/new', component: () => import('./pages/NewAppeal.vue'), meta: { title: 'newAppeal.title' } },
  { path: '/appeals/:id', component: () => import('./pages/AppealDetail.vue'), meta: { title: 'appeal.title' } },
  { path: '/me/data', component: () => import('./pages/MyData.vue'), meta: { title: 'myData.title' } },
  { path: '/disclosure', component: () => import('./pages/Disclosure.vue'), meta: { title: 'disclosure.title' } },
  { path: '/disclosure/:id(\\d+)', component: () => import('./pages/DisclosureItem.vue'), meta: { title: 'disclosure.item' } },
  { path: '/staff', component: () => import('./pages/StaffQueue.vue'), meta: { staff: true, title: 'staff.queue' } },
  { path: '/staff/appeals/:id', component: () => import('./pages/StaffAppeal.vue'), meta: { staff: true, title: 'appeal.title' } },
  { path: '/staff/dashboard', component: () => import('./pages/Dashboard.vue'), meta: { staff: true, title: 'dashboard.title' } },
  { path: '/helper', component: () => import('./pages/HelperConsole.vue'), meta: { title: 'helper.title' } },
  { path: '/staff/escalations', component: () => import('./pages/Escalations.vue'), meta: { staff: true, title: 'escalations.title' } },
  { path: '/staff/residents', component: () => import('./pages/Residents.vue'), meta: { staff: true, title: 'residents.title' } },
  { path: '/staff/residents/import', component: () => import('./pages/ResidentImport.vue'), meta: { staff: true, title: 'residentImport.title' } },
  { path: '/staff/residents/:id(\\d+)', component: () => import('./pages/Resident.vue'), meta: { staff: true, title: 'residents.resident' } },
  { path: '/staff/households/:id(\\d+)', component: () => import('./pages/Household.vue'), meta: { staff: true, title: 'residents.household' } },
  { path: '/staff/disclosure', component: () => import('./pages/Disclosure.vue'), meta: { staff: true, title: 'disclosure.title' } },
  { path: '/staff/disclosure/new', component: () => import('./pages/DisclosureDraft.vue'), meta: { staff: true, title: 'disclosure.newDraft' } },
  { path: '/invite', component: () => import('./pages/Invitation.vue'), meta: { public: true, title: 'invite.title' } },
  { path: '/me/account', component: () => import('./pages/MyAccount.vue'), meta: { title: 'account.title' } },
  { path: '/consents', component: () => import('./pages/Consents.vue'), meta: { permission: 'consents.read', title: 'consents.title' } },
  { path: '/staff/accounts', component: () => import('./pages/Accounts.vue'), meta: { staff: true, permission: 'accounts.read', title: 'accounts.title' } },
  { path: '/staff/accounts/:id(\\d+)', component: () => import('./pages/Account.vue'), meta: { staff: true, permission: 'accounts.read', title: 'accounts.one' } },
  { path: '/staff/audit', component: () => import('./pages/Audit.vue'), meta: { staff: true, permission: ['audit.search', 'audit.verify'], title: 'audit.title' } },
  { path: '/staff/appeal-rules', component: () => import('./pages/AppealRules.vue'), meta: { staff: true, permission: ['appeals.deadlines', 'appeals.unit_rules'], title: 'rules.title' } },
  { path: '/staff/open311', component: () => import('./pages/Open311Clients.vue'), meta: { staff: true, permission: 'open311.clients', title: 'open311.title' } },
  { path: '/staff/residents/manage', component: () => import('./pages/ResidentsManage.vue'), meta: { staff: true, permission: ['residents.quality', 'corrections.list', 'residents.write', 'residents.export'], title: 'manage.title' } },
  { path: '/votes', component: () => import('./pages/Votes.vue'), meta: { title: 'votes.title' } },
  { path: '/votes/:id(\\d+)', component: () => import('./pages/Vote.vue'), meta: { title: 'votes.one' } },
  { path: '/budget', component: () => import('./pages/BudgetRounds.vue'), meta: { title: 'budget.title' } },
  { path: '/budget/:id(\\d+)', component: () => import('./pages/BudgetRound.vue'), meta: { title: 'budget.title' } },
  { path: '/budget/votes/:id(\\d+)', component: () => import('./pages/BudgetVote.vue'), meta: { title: 'budget.vote' } },
  { path: '/deliberation', component: () => import('./pages/Deliberation.vue'), meta: { title: 'delib.title' } },
  { path: '/deliberation/matters/:id(\\d+)', component: () => import('./pages/Matter.vue'), meta: { title: 'delib.matter' } },
  { path: '/proposals', component: () => import('./pages/Proposals.vue'), meta: { title: 'proposals.title' } },
  { path: '/proposals/:id(\\d+)', component: () => import('./pages/Proposal.vue'), meta: { title: 'proposals.one' } },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  if (!session.loaded) await loadMe().catch(() => null);
  if (to.meta.public) return true;
  if (!session.me) return { path: '/sign-in', query: to.fullPath !== '/' ? { next: to.fullPath } : {} };
  // The staff pages' texts (i18n.js) before a staff page renders; a villager never fetches them.
  if (to.meta.staff) await loadStaffTexts().catch(() => null);
  // A page for some permissions only (the server's policy table says which roles hold them).
  if (to.meta.permission) {
    await loadPolicy().catch(() => null);
    if (![].concat(to.meta.permission).some((p) => can(p, session.me))) return '/';
  } else if (isStaff() || isHelper()) {
    // Staff menus show links by permission; a villager's pages need no policy (nothing fetched on 3G).
    loadPolicy().catch(() => null);
  }
  if (to.path === '/' && isStaff()) return '/staff';
  // A helper's home is the console, unless they are a villager too (their own home then).
  if (to.path === '/' && isHelper() && !acting.accountId && !roles().includes('villager')) return '/helper';
  return true;
});
