#include "modules/identity/seed_demo_accounts.h"

#include "core/log.h"
#include "crypto/crypto.h"
#include "crypto/secrets.h"
#include "modules/identity/identity_sealing.h"
#include "modules/identity/totp.h"

namespace gz::identity {
namespace {

using access::Role;

struct Spec {
  std::string_view phone;
  Role role;
  std::string_view scope;
  std::string_view scope_name;
  std::string_view name;
  int resident_pick;  // villagers: which head of household of the village (1-based), 0: none
  std::string_view note;
};

constexpr Spec kSpecs[] = {
    {"15400000001", Role::kVillager, "420114001205", "成功村", "演示村民一", 1, "gives helper 15400000003 consent"},
    {"15400000002", Role::kVillager, "420114001205", "成功村", "演示村民二", 2, "another household, same village"},
    {"15400000003", Role::kHelper, "420114001205", "成功村", "演示帮办员一", 0, "has 15400000001's consent"},
    {"15400000004", Role::kGridWorker, "420114001205", "成功村", "演示网格员", 0, ""},
    {"15400000005", Role::kVillageCadre, "420114001205", "成功村", "演示村干部", 0, ""},
    {"15400000006", Role::kSupervisor, "420114001205", "成功村", "演示监委会成员", 0, ""},
    {"15400000007", Role::kTownshipOfficial, "420114001000", "蔡甸街道", "演示街道干部", 0, ""},
    {"15400000008", Role::kCountyAdmin, "420114000000", "蔡甸区", "演示县级管理员", 0, ""},
    {"15400000009", Role::kAuditor, "420114000000", "蔡甸区", "演示审计员", 0, ""},
    {"15400000010", Role::kOperator, "420114000000", "蔡甸区", "演示运维", 0, ""},
    {"15400000011", Role::kHelper, "420114001205", "成功村", "演示帮办员二", 0, "no consent"},
    {"15400000012", Role::kVillager, "420114001206", "马家渡村", "演示村民三", 1, "sibling village"},
    {"15400000013", Role::kVillageCadre, "420114003202", "永安村", "演示外镇村干部", 0,
     "village of another township (永安街道)"},
    {"15400000014", Role::kVillageCadre, "420114001206", "马家渡村", "演示村干部（马家渡村）", 0,
     "sibling village: publishes late or not at all"},
    {"15400000015", Role::kSupervisor, "420114001206", "马家渡村", "演示监委会成员（马家渡村）", 0, "sibling village"},
    {"15400000016", Role::kTownshipOfficial, "420114001000", "蔡甸街道", "演示街道干部二", 0,
     "opens what 15400000007 drafts (township-wide budget rounds)"},
    {"15400000017", Role::kVillager, "420114003202", "永安村", "演示外镇村民", 1, "village of another township (永安街道)"},
    {"15400000018", Role::kTownshipOfficial, "420114003000", "永安街道", "演示外镇街道干部", 0, "another township"},
};

// The n-th head of household (1-based) in the village, as ListResidents orders them.
Result<const residents::ResidentInfo*> NthHead(const std::vector<residents::ResidentInfo>& people, int n) {
  int seen = 0;
  for (const auto& r : people)
    if (r.relation == residents::Relation::kHead && ++seen == n) return &r;
  return static_cast<const residents::ResidentInfo*>(nullptr);
}

}  // namespace

std::string DemoTotpSecret(std::string_view phone) {
  std::string digest = crypto::Sha256("gongzhi demo totp " + std::string(phone));
  return Base32Encode(std::string_view(digest).substr(0, kTotpSecretBytes));
}

Result<std::vector<DemoAccount>> SeedDemoAccounts(IdentityService& identity, residents::ResidentStore* residents,
                                                  std::string_view county) {
  std::vector<DemoAccount> out;
  if (county != kDemoCounty) {
    log::Warn("demo.accounts_skipped", {{"county", std::string(county)}, {"reason", "the demo accounts name Caidian (420114)"}});
    return out;
  }
  std::string hash;  // one Argon2id hash for all: they share the demo password anyway
  int created = 0;
  for (const Spec& spec : kSpecs) {
    DemoAccount d;
    d.phone = std::string(spec.phone);
    d.role = spec.role;
    d.scope = std::string(spec.scope);
    d.scope_name = std::string(spec.scope_name);
    d.note = std::string(spec.note);
    if (access::IsStaff(spec.role)) d.totp_secret = DemoTotpSecret(spec.phone);
    GZ_ASSIGN_OR_RETURN(std::optional<AccountWithGrants> existing,
                        identity.store().FindAccountByPhoneIndex(PhoneIndex(identity.cipher(), spec.phone)));
    if (existing) {
      d.account_id = existing->account.id;
      out.push_back(std::move(d));
      continue;
    }
    if (hash.empty()) {
      GZ_ASSIGN_OR_RETURN(hash, identity.HashPassword(kDemoPassword));
    }
    const int64_t now = identity.NowMs();
    AccountRow row;
    row.id = crypto::NewRowId(now);
    row.home_division = d.scope;
    row.status = AccountStatus::kActive;
    row.created_at_ms = now;
    row.password_changed_at_ms = now;
    if (spec.resident_pick > 0 && residents != nullptr) {
      GZ_ASSIGN_OR_RETURN(std::vector<residents::ResidentInfo> people, residents->ListResidents(spec.scope));
      GZ_ASSIGN_OR_RETURN(const residents::ResidentInfo* head, NthHead(people, spec.resident_pick));
      if (head) {
        row.resident_id = head->id.value;
        row.household_id = head->household_id.value;
      }
    }
    SealName(identity.cipher(), row, spec.name);
    SealPhone(identity.cipher(), row, spec.phone);
    SealPasswordHash(identity.cipher(), row, hash);
    if (!d.totp_secret.empty()) {
      std::optional<std::string> secret = Base32Decode(d.totp_secret);
      row.totp_sealed = SealTotp(identity.cipher(), row, "totp", *secret);
    }
    GrantRow grant{crypto::NewRowId(now), row.id, spec.role, d.scope, 0, now};
    access::AuditEvent e;
    e.action = "account.created";
    e.object_type = "account";
    e.object_id = std::to_string(row.id);
    e.division = d.scope;
    e.details = "{\"via\":\"demo\",\"role\":\"" + std::string(access::RoleCode(spec.role)) + "\"}";
    GZ_RETURN_IF_ERROR(identity.store().InsertAccount(row, {grant}, std::nullopt, {e}));
    d.account_id = row.id;
    d.created = true;
    ++created;
    out.push_back(std::move(d));
  }
  log::Info("demo.accounts_seeded", {{"created", created}, {"total", static_cast<int64_t>(out.size())}});
  return out;
}

}  // namespace gz::identity
