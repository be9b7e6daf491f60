// DeliberationStore: the port through which the deliberation domain reaches its data. Every
// change is written with its audit event in ONE transaction (sql/sql_deliberation_store.h).
//
// Layer: deliberation domain (port).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/audit_event.h"
#include "core/status.h"
#include "modules/deliberation/matter.h"

namespace gz::deliberation {

// How a proposal that reached its threshold is answered or taken into the procedure.
struct MatterFromProposal {
  int64_t proposal_id = 0;
  std::string answer;  // set as the proposal's answer when it had none
};

class DeliberationStore {
 public:
  virtual ~DeliberationStore() = default;

  // ---- chains and settings ----
  virtual Result<std::optional<ChainSetting>> GetChain(const std::string& scope) = 0;
  virtual Status PutChain(const ChainSetting& setting, const access::AuditEvent& event, int64_t now_ms) = 0;
  virtual Result<VillageSettings> GetSettings(const std::string& village) = 0;
  virtual Status PutSettings(const VillageSettings& s, int64_t by, const access::AuditEvent& event, int64_t now_ms) = 0;

  // ---- matters ----
  // With `from` set, also links the proposal to the matter (and answers it if unanswered), in
  // the same transaction; kAborted "deliberation/already-answered" if it is already linked or
  // was escalated.
  virtual Status InsertMatter(const Matter& m, const std::optional<MatterFromProposal>& from,
                              const access::AuditEvent& event, int64_t now_ms) = 0;
  virtual Result<std::optional<Matter>> GetMatter(int64_t id) = 0;
  // Newest first.
  virtual Result<std::vector<Matter>> ListMatters(const std::string& village, int64_t before_id, int limit) = 0;
  // Moves the matter from `m.version` (kAborted "deliberation/edit-conflict" if it changed).
  virtual Status UpdateMatter(const Matter& m, int64_t expected_version, const access::AuditEvent& event,
                              int64_t now_ms) = 0;

  virtual Status InsertMeeting(const Meeting& m, const access::AuditEvent& event, int64_t now_ms) = 0;
  // An audit record alone (an audited read), durable when this returns.
  virtual Status AppendAudit(const access::AuditEvent& event, int64_t now_ms) = 0;
  // Oldest first.
  virtual Result<std::vector<Meeting>> Meetings(int64_t matter_id) = 0;

  // kAlreadyExists "storage/conflict" when the step already has its publication.
  virtual Status InsertPublication(const Publication& p, const access::AuditEvent& event, int64_t now_ms) = 0;
  virtual Result<std::vector<Publication>> Publications(int64_t matter_id) = 0;

  virtual Status InsertSpending(const Spending& s, const access::AuditEvent& event, int64_t now_ms) = 0;
  virtual Result<std::vector<Spending>> SpendingOf(int64_t matter_id) = 0;
  // Flagged spending of villages in [first_code, last_code], newest first.
  virtual Result<std::vector<Spending>> FlaggedSpending(const std::string& first_code, const std::string& last_code,
                                                        int limit) = 0;

  // ---- proposals ----
  virtual Status InsertProposal(const Proposal& p, const access::AuditEvent& event, int64_t now_ms) = 0;
  virtual Result<std::optional<Proposal>> GetProposal(int64_t id) = 0;
  virtual Result<std::vector<Proposal>> ListProposals(const std::string& village, int64_t before_id, int limit) = 0;
  // One support per person (UNIQUE in the database): kAlreadyExists "deliberation/already-supported".
  // Counts it and, when the count reaches the proposal's threshold for the first time, sets the
  // answer deadline to now + answer_days. Returns the proposal after.
  virtual Result<Proposal> Support(int64_t proposal_id, int64_t account, int answer_days, const access::AuditEvent& event,
                                   int64_t now_ms) = 0;
  // Once. kAborted "deliberation/already-answered" when answered, escalated or in the procedure.
  virtual Status AnswerProposal(int64_t id, const std::string& answer, int64_t by, const access::AuditEvent& event,
                                int64_t now_ms) = 0;
  // Reached the threshold, unanswered, not escalated, deadline before `now_ms`; oldest first.
  virtual Result<std::vector<Proposal>> DueForEscalation(int64_t now_ms, int limit) = 0;
  // Records the appeal once. kFailedPrecondition "deliberation/already-answered" otherwise.
  virtual Status MarkEscalated(int64_t id, int64_t appeal_id, const access::AuditEvent& event, int64_t now_ms) = 0;

  virtual Status InsertComment(const Comment& c, const access::AuditEvent& event, int64_t now_ms) = 0;
  virtual Result<std::optional<Comment>> GetComment(int64_t id) = 0;
  // Oldest first.
  virtual Result<std::vector<Comment>> Comments(int64_t proposal_id) = 0;
  // Once. kAborted "deliberation/edit-conflict" when already hidden.
  virtual Status HideComment(int64_t id, const std::string& reason, int64_t by, const access::AuditEvent& event,
                             int64_t now_ms) = 0;
};

}  // namespace gz::deliberation
