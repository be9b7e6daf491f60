// Notifications: the in-app inbox (站内消息) of submitters, handling units and supervisors, and
// the port SMS and voice channels will implement.
//
// Layer: appeals domain.
//
// An inbox entry is written in the SAME transaction as the change it reports, so a change is
// never lost without its notification, nor notified twice (the sweep's escalations included).
// Entries carry no personal data: the appeal id, its village and what happened (`kind` = the
// timeline action); the app renders the words in the reader's language and fetches the appeal
// (an audited read) if the reader opens it.
//
// Addressing: an entry goes to an account (the submitter), to a handling unit (every member of
// it sees it: village_cadre / township_official / county_admin over the unit's division, as in
// relations.h), or to the supervision committee of a village (every supervisor over it). A unit
// entry is "read" once one member has read it (the inbox is a work queue there, not a mailbox).
//
// Later channels (SMS, voice calls to villagers without a smartphone) implement
// NotificationChannel and are fed from the inbox in id order (the inbox doubles as the outbox:
// delivery can be retried from a cursor without touching the transaction that made the entry).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "modules/appeals/appeal.h"

namespace gz::appeals {

enum class RecipientKind { kAccount, kUnit, kSupervisors };
std::string_view RecipientKindCode(RecipientKind k);  // "account" | "unit" | "supervisors"
std::optional<RecipientKind> ParseRecipientKind(std::string_view code);

struct Recipient {
  RecipientKind kind = RecipientKind::kAccount;
  int64_t account = 0;                     // kAccount
  UnitLevel level = UnitLevel::kVillage;   // kUnit
  std::string division;                    // kUnit: the unit's division; kSupervisors: the village
  bool operator==(const Recipient&) const = default;

  static Recipient Account(int64_t account) { return {RecipientKind::kAccount, account, UnitLevel::kVillage, ""}; }
  // Departments are not addressed separately: every member of the level sees the entry.
  static Recipient Unit(const HandlingUnit& unit) { return {RecipientKind::kUnit, 0, unit.level, unit.division}; }
  static Recipient Supervisors(std::string_view village) {
    return {RecipientKind::kSupervisors, 0, UnitLevel::kVillage, std::string(village)};
  }
};

struct Notification {
  int64_t id = 0;  // crypto::NewRowId: time-ordered
  Recipient to;
  int64_t appeal_id = 0;
  std::string village;   // the appeal's village (list narrowing)
  std::string kind;      // the timeline action: "submit", "accept", "escalate", "follow_up", "note", ...
  int64_t created_at_ms = 0;
  std::optional<int64_t> read_at_ms;
  int64_t read_by = 0;
  bool operator==(const Notification&) const = default;
};

// What a reader's inbox covers, built from the reader's principal (InboxReachFor in
// appeal_service.h): their account, the units they are members of, the villages they supervise.
struct InboxReach {
  int64_t account = 0;
  struct UnitScope {
    UnitLevel level;
    std::string scope;  // canonical code: entries of units at `level` inside this subtree
  };
  std::vector<UnitScope> units;
  std::vector<std::string> supervised;  // canonical scopes of supervisor grants
  bool empty() const { return account == 0 && units.empty() && supervised.empty(); }
};

struct InboxQuery {
  InboxReach reach;
  bool unread_only = false;
  int64_t before_id = 0;  // paging: entries with id < before_id; 0 = from the newest
  int limit = 50;         // 1..200
};

// A channel beyond the in-app inbox. Implementations must be idempotent per notification id
// (a relay may deliver again after a crash) and must not log the recipient's phone number.
class NotificationChannel {
 public:
  virtual ~NotificationChannel() = default;
  virtual std::string_view name() const = 0;  // "sms", "voice"
  // kUnavailable to retry later; other errors are logged and the entry is skipped.
  virtual Status Deliver(const Notification& notification) = 0;
};

}  // namespace gz::appeals
