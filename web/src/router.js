import { createRouter, createWebHistory } from 'vue-router';
import { session, loadMe, isStaff, isHelper, roles } from './session.js';
import { acting } from './acting.js';
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
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  if (!session.loaded) await loadMe().catch(() => null);
  if (to.meta.public) return true;
  if (!session.me) return { path: '/sign-in', query: to.fullPath !== '/' ? { next: to.fullPath } : {} };
  if (to.path === '/' && isStaff()) return '/staff';
  // A helper's home is the console, unless they are a villager too (their own home then).
  if (to.path === '/' && isHelper() && !acting.accountId && !roles().includes('villager')) return '/helper';
  return true;
});
