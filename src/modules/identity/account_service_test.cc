// Registration, invitations, listing and separation of duties (the rules live in the service, so
// the CLI and the routes cannot differ).
#include "modules/identity/account_service.h"

#include <gtest/gtest.h>

#include "modules/identity/problems.h"
#include "modules/identity/testing/identity_fixture.h"

namespace gz::identity {
namespace {

using access::Role;
using testing::IdentityEnv;
using testing::kCounty;
using testing::kGoodPassword;
using testing::kSibling;
using testing::kTownship;
using testing::kVillage;

RequestInfo Info() { return RequestInfo{"127.0.0.1", "req"}; }

TEST(Register, CadreRegistersAVillagerWhoSetsAPasswordWithTheCode) {
  IdentityEnv env;
  int64_t cadre = env.AddAccount("15400000005", Role::kVillageCadre, kVillage);
  auto r = env.accounts->RegisterVillager(env.PrincipalOf(cadre), {std::string(kVillage), "王小明", "154 0000 0021", 0});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->invitation.code.size(), 10u);
  EXPECT_EQ(r->view.account.account.status, AccountStatus::kInvited);
  EXPECT_EQ(r->view.display_name, "王**");
  EXPECT_EQ(r->view.phone_masked, "154****0021");
  ASSERT_EQ(r->view.account.grants.size(), 1u);
  EXPECT_EQ(r->view.account.grants[0].role, Role::kVillager);
  EXPECT_EQ(r->view.account.grants[0].granted_by, cadre);
  // Cannot sign in before accepting.
  EXPECT_FALSE(env.identity->SignIn({"15400000021", std::string(kGoodPassword), std::nullopt, SessionKind::kBearer}, Info()).ok());
  // The phone must be the registered one.
  EXPECT_EQ(env.accounts->AcceptInvitation(r->invitation.code, "15400000022", kGoodPassword, Info()).status().slug(),
            problems::kInvalidInvitation);
  EXPECT_EQ(env.accounts->AcceptInvitation(r->invitation.code, "15400000021", "12345678", Info()).status().slug(),
            problems::kWeakPassword);
  auto accepted = env.accounts->AcceptInvitation(r->invitation.code, "15400000021", kGoodPassword, Info());
  ASSERT_TRUE(accepted.ok()) << accepted.status().ToString();
  EXPECT_EQ(*accepted, r->view.account.account.id);
  EXPECT_TRUE(env.identity->SignIn({"15400000021", std::string(kGoodPassword), std::nullopt, SessionKind::kBearer}, Info()).ok());
  // T-AUTH-5: single use.
  EXPECT_EQ(env.accounts->AcceptInvitation(r->invitation.code, "15400000021", "another passphrase", Info()).status().slug(),
            problems::kInvalidInvitation);
}

TEST(Register, InvitationsExpireAfter72Hours) {
  IdentityEnv env;
  int64_t cadre = env.AddAccount("15400000005", Role::kVillageCadre, kVillage);
  auto r = env.accounts->RegisterVillager(env.PrincipalOf(cadre), {std::string(kVillage), "李四", std::nullopt, 0});
  ASSERT_TRUE(r.ok());
  env.clock.Advance(std::chrono::hours(72));
  EXPECT_EQ(env.accounts->AcceptInvitation(r->invitation.code, "15400000031", kGoodPassword, Info()).status().slug(),
            problems::kInvalidInvitation);
  EXPECT_EQ(env.accounts->AcceptInvitation("0000000000", "15400000031", kGoodPassword, Info()).status().slug(),
            problems::kInvalidInvitation);
  EXPECT_EQ(env.accounts->AcceptInvitation("abc", "15400000031", kGoodPassword, Info()).status().slug(),
            problems::kInvalidInvitation);
}

TEST(Register, AVillagerWithoutPhoneIsRegisteredAndChoosesThePhoneOnAcceptance) {
  IdentityEnv env;
  int64_t cadre = env.AddAccount("15400000005", Role::kVillageCadre, kVillage);
  auto r = env.accounts->RegisterVillager(env.PrincipalOf(cadre), {std::string(kVillage), "李四", std::nullopt, 0});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->view.phone_masked, "");
  // Taken phones stay taken.
  EXPECT_EQ(env.accounts->AcceptInvitation(r->invitation.code, "15400000005", kGoodPassword, Info()).status().slug(),
            problems::kPhoneTaken);
  EXPECT_TRUE(env.accounts->AcceptInvitation(r->invitation.code, "15400000031", kGoodPassword, Info()).ok());
}

TEST(Register, RefusesBadInput) {
  IdentityEnv env;
  access::Principal cadre = env.PrincipalOf(env.AddAccount("15400000005", Role::kVillageCadre, kVillage));
  EXPECT_EQ(env.accounts->RegisterVillager(cadre, {std::string(kTownship), "甲", std::nullopt, 0}).status().slug(),
            problems::kBadVillage);
  EXPECT_EQ(env.accounts->RegisterVillager(cadre, {std::string(kVillage), "", std::nullopt, 0}).status().slug(),
            problems::kBadName);
  EXPECT_EQ(env.accounts->RegisterVillager(cadre, {std::string(kVillage), std::string(65, 'a'), std::nullopt, 0}).status().slug(),
            problems::kBadName);
  EXPECT_EQ(env.accounts->RegisterVillager(cadre, {std::string(kVillage), "甲", "12345", 0}).status().slug(),
            problems::kBadPhone);
  EXPECT_EQ(env.accounts->RegisterVillager(cadre, {std::string(kVillage), "甲", "15400000005", 0}).status().slug(),
            problems::kPhoneTaken);
  EXPECT_EQ(env.accounts->RegisterVillager(cadre, {std::string(kVillage), "甲", std::nullopt, 42}).status().slug(),
            problems::kBadResident);
}

TEST(SeparationOfDuties, NobodyGrantsToThemself) {
  IdentityEnv env;
  int64_t admin = env.AddAccount("15400000008", Role::kCountyAdmin, kCounty);
  EXPECT_EQ(env.accounts->Grant(env.PrincipalOf(admin), admin, "township_official", std::string(kTownship)).status().slug(),
            problems::kSelfGrant);
  auto grants = env.store->GetAccount(admin);
  EXPECT_EQ(env.accounts->Revoke(env.PrincipalOf(admin), admin, (*grants)->grants[0].id).slug(), problems::kSelfGrant);
  EXPECT_EQ(env.accounts->Apply(env.PrincipalOf(admin), admin, AccountAction::kDisable, "test").status().slug(),
            problems::kCannotManage);
}

TEST(SeparationOfDuties, OnlyRolesCanGrantAllowsAndOnlyInsideTheGrantersScope) {
  IdentityEnv env;
  access::Principal cadre = env.PrincipalOf(env.AddAccount("15400000005", Role::kVillageCadre, kVillage));
  access::Principal township = env.PrincipalOf(env.AddAccount("15400000007", Role::kTownshipOfficial, kTownship));
  int64_t target = env.AddAccount("15400000001", Role::kVillager, kVillage);
  // A cadre grants helper in the own village, not in the sibling, and never grid_worker.
  EXPECT_TRUE(env.accounts->Grant(cadre, target, "helper", std::string(kVillage)).ok());
  EXPECT_EQ(env.accounts->Grant(cadre, target, "helper", std::string(kSibling)).status().slug(), problems::kCannotGrant);
  EXPECT_EQ(env.accounts->Grant(cadre, target, "grid_worker", std::string(kVillage)).status().slug(), problems::kCannotGrant);
  EXPECT_EQ(env.accounts->Grant(cadre, target, "helper", std::string(kVillage)).status().slug(), problems::kAlreadyGranted);
  // A township official grants grid_worker in a village of the township.
  auto g = env.accounts->Grant(township, target, "grid_worker", std::string(kSibling));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(env.accounts->Grant(township, target, "county_admin", std::string(kCounty)).status().slug(), problems::kCannotGrant);
  EXPECT_EQ(env.accounts->Grant(township, target, "grid_worker", "420114002001").status().slug(), problems::kCannotGrant);
  // Revoking follows the same rule: the cadre cannot revoke the township's grid_worker grant.
  EXPECT_EQ(env.accounts->Revoke(cadre, target, g->id).slug(), problems::kCannotGrant);
  EXPECT_TRUE(env.accounts->Revoke(township, target, g->id).ok());
  EXPECT_EQ(env.accounts->Revoke(township, target, g->id).slug(), problems::kGrantNotFound);
  EXPECT_EQ(env.accounts->Grant(township, target, "emperor", std::string(kVillage)).status().slug(), problems::kBadRole);
  EXPECT_EQ(env.accounts->Grant(township, target, "helper", "42x").status().slug(), problems::kBadScope);
  auto actions = env.AuditActions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "account.grant_added:ok"), 2);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "account.grant_revoked:ok"), 1);
}

TEST(SeparationOfDuties, AuditorAndAdministratorNeverOnOneAccount) {
  IdentityEnv env;
  access::Principal op = env.PrincipalOf(env.AddAccount("15400000010", Role::kOperator, kCounty));
  int64_t admin = env.AddAccount("15400000008", Role::kCountyAdmin, kCounty);
  int64_t auditor = env.AddAccount("15400000009", Role::kAuditor, kCounty);
  Status s = env.accounts->Grant(op, admin, "auditor", std::string(kCounty)).status();
  EXPECT_EQ(s.slug(), problems::kIncompatibleRoles);
  EXPECT_EQ(env.accounts->Grant(op, auditor, "county_admin", std::string(kCounty)).status().slug(),
            problems::kIncompatibleRoles);
}

TEST(SeparationOfDuties, ManagingNeedsTheRightToGrantEveryRoleTheAccountHolds) {
  IdentityEnv env;
  access::Principal cadre = env.PrincipalOf(env.AddAccount("15400000005", Role::kVillageCadre, kVillage));
  access::Principal township = env.PrincipalOf(env.AddAccount("15400000007", Role::kTownshipOfficial, kTownship));
  int64_t villager = env.AddAccount("15400000001", Role::kVillager, kVillage);
  int64_t grid = env.AddAccount("15400000004", Role::kGridWorker, kVillage);
  EXPECT_EQ(env.accounts->Apply(cadre, grid, AccountAction::kDisable, "left the job").status().slug(),
            problems::kCannotManage);
  EXPECT_EQ(env.accounts->Apply(cadre, villager, AccountAction::kDisable, "").status().slug(), problems::kBadReason);
  auto disabled = env.accounts->Apply(cadre, villager, AccountAction::kDisable, "moved away");
  ASSERT_TRUE(disabled.ok()) << disabled.status().ToString();
  EXPECT_EQ(disabled->account.account.status, AccountStatus::kDisabled);
  EXPECT_TRUE(env.accounts->Apply(township, grid, AccountAction::kDisable, "left the job").ok());
  auto enabled = env.accounts->Apply(cadre, villager, AccountAction::kEnable, "came back");
  ASSERT_TRUE(enabled.ok());
  EXPECT_EQ(enabled->account.account.status, AccountStatus::kActive);
}

TEST(Unlock, LiftsALockout) {
  IdentityEnv env;
  access::Principal cadre = env.PrincipalOf(env.AddAccount("15400000005", Role::kVillageCadre, kVillage));
  int64_t villager = env.AddAccount("15400000001", Role::kVillager, kVillage);
  for (int i = 0; i < 5; ++i) (void)env.identity->SignIn({"15400000001", "wrong one!", std::nullopt, SessionKind::kBearer}, Info());
  EXPECT_EQ(env.identity->SignIn({"15400000001", std::string(kGoodPassword), std::nullopt, SessionKind::kBearer}, Info()).status().slug(),
            problems::kSignInLocked);
  ASSERT_TRUE(env.accounts->Apply(cadre, villager, AccountAction::kUnlock, "phoned the office").ok());
  EXPECT_TRUE(env.identity->SignIn({"15400000001", std::string(kGoodPassword), std::nullopt, SessionKind::kBearer}, Info()).ok());
}

TEST(List, NarrowedToTheCallersArea) {
  IdentityEnv env;
  access::Principal cadre = env.PrincipalOf(env.AddAccount("15400000005", Role::kVillageCadre, kVillage));
  access::Principal township = env.PrincipalOf(env.AddAccount("15400000007", Role::kTownshipOfficial, kTownship));
  access::Principal villager = env.PrincipalOf(env.AddAccount("15400000001", Role::kVillager, kVillage));
  env.AddAccount("15400000012", Role::kVillager, kSibling);
  env.AddAccount("15400000013", Role::kVillageCadre, "420114003202");
  auto mine = env.accounts->List(cadre, "", std::nullopt, 1);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  EXPECT_EQ(mine->total, 2);  // the cadre and the villager of 420114001205
  auto all = env.accounts->List(township, "", std::nullopt, 1);
  EXPECT_EQ(all->total, 4);  // + the township official and the sibling village's villager
  auto villagers = env.accounts->List(township, "", Role::kVillager, 1);
  EXPECT_EQ(villagers->total, 2);
  auto sibling = env.accounts->List(township, std::string(kSibling), std::nullopt, 1);
  EXPECT_EQ(sibling->total, 1);
  EXPECT_EQ(sibling->items[0].phone_masked, "154****0012");
  auto nothing = env.accounts->List(villager, "", std::nullopt, 1);  // no accounts.read
  EXPECT_EQ(nothing->total, 0);
  EXPECT_EQ(env.accounts->List(cadre, "", std::nullopt, 0).status().slug(), problems::kBadPage);
}

TEST(Bootstrap, CreateWithRoleGivesAnActiveAccountAndAnInvitation) {
  IdentityEnv env;
  auto r = env.accounts->CreateWithRole("15400000010", "运维", Role::kOperator, "420114");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->view.account.account.home_division, "420114000000");
  EXPECT_EQ(r->view.account.account.status, AccountStatus::kActive);
  EXPECT_EQ(env.accounts->AcceptInvitation(r->invitation.code, "15400000010", "short pass", Info()).status().slug(),
            problems::kWeakPassword);  // staff: 12 characters
  ASSERT_TRUE(env.accounts->AcceptInvitation(r->invitation.code, "15400000010", "operator passphrase", Info()).ok());
  auto s = env.identity->SignIn({"15400000010", "operator passphrase", std::nullopt, SessionKind::kBearer}, Info());
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->session.limited);  // must enrol TOTP first
  EXPECT_EQ(env.accounts->CreateWithRole("15400000010", "x", Role::kOperator, "420114").status().slug(),
            problems::kPhoneTaken);
  auto again = env.accounts->Reinvite(r->view.account.account.id);
  EXPECT_TRUE(again.ok());
}

}  // namespace
}  // namespace gz::identity
