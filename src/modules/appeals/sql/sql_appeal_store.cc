// Layer: appeals sql (see sql_appeal_store.h).
#include "modules/appeals/sql/sql_appeal_store.h"

#include <algorithm>
#include <array>

#include "access/principal.h"
#include "modules/appeals/problems.h"
#include "modules/attachments/sql/sql_attachment_store.h"
#include "modules/audit/sql/audit_sql.h"

namespace gz::appeals {
namespace {

using storage::Blob;
using storage::Params;
using storage::ResultSet;
using storage::Row;
using storage::Tx;
using storage::Value;

// client_id came with migration appeals/2; it is the last column in both dialects.
constexpr std::array<std::string_view, 40> kAppealColumns = {
    "id",                  "county_code",         "village_code",     "submitter_account",  "submitter_resident",
    "recorded_by",         "consent_id",          "channel",          "category",           "unit_level",
    "unit_division",       "unit_department",     "escalated_level",  "escalated_division", "state",
    "anonymous_to_public", "text_sealed",         "location_sealed",  "reopen_count",       "contest_count",
    "escalation_count",    "accept_due_ms",       "accept_round",     "answer_due_ms",      "answer_round",
    "rating_due_ms",       "first_accept_due_ms", "first_answer_due_ms", "first_accepted_at_ms", "accepted_on_time",
    "first_answered_at_ms", "rating",             "solved",           "rated_at_ms",        "rated_via",
    "submitted_at_ms",     "updated_at_ms",       "ended_at_ms",      "version",            "client_id"};

std::string JoinColumns() {
  std::string out;
  for (std::string_view c : kAppealColumns) {
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out;
}

const std::string& SelectAppeal() {
  static const std::string sql = "SELECT " + JoinColumns() + " FROM appeals_appeals";
  return sql;
}

const std::string& InsertAppeal() {
  static const std::string sql = [] {
    std::string s = "INSERT INTO appeals_appeals (" + JoinColumns() + ") VALUES (";
    for (size_t i = 1; i <= kAppealColumns.size(); ++i) s += (i > 1 ? ", $" : "$") + std::to_string(i);
    return s + ")";
  }();
  return sql;
}

// Every column but id is set; the trigger refuses the ones that may not change.
const std::string& UpdateAppeal() {
  static const std::string sql = [] {
    std::string s = "UPDATE appeals_appeals SET ";
    for (size_t i = 2; i <= kAppealColumns.size(); ++i) {
      if (i > 2) s += ", ";
      s += std::string(kAppealColumns[i - 1]) + " = $" + std::to_string(i);
    }
    return s + " WHERE id = $1 AND version = $" + std::to_string(kAppealColumns.size() + 1);
  }();
  return sql;
}

constexpr std::string_view kTimelineColumns =
    "id, appeal_id, seq, at_ms, actor_account, acting_for_account, consent_id, capacity, action, from_state, to_state, "
    "visibility, note_sealed, details";

constexpr std::string_view kInboxColumns =
    "id, recipient_kind, recipient_account, unit_level, division, appeal_id, village_code, kind, created_at_ms, "
    "read_at_ms, read_by";

constexpr std::string_view kOpenStates = "('submitted', 'accepted', 'in_progress', 'transferred', 'escalated', 'reopened', 'contested')";

constexpr size_t kMaxScopes = 64;

Value Opt(const std::optional<int64_t>& v) { return v ? Value(*v) : Value(nullptr); }
Value OptBool(const std::optional<bool>& v) { return v ? Value(int64_t{*v ? 1 : 0}) : Value(nullptr); }
Value OptBlob(const std::optional<std::string>& v) { return v ? Value(Blob{*v}) : Value(nullptr); }
Value Code(std::string_view code) { return std::string(code); }

Params TimelineParams(const TimelineEntry& e) {
  return {e.id, e.appeal_id, e.seq, e.at_ms, e.actor_account, e.acting_for_account, e.consent_id, e.capacity,
          e.action, e.from ? Code(StateCode(*e.from)) : Value(nullptr), Code(StateCode(e.to)),
          Code(VisibilityCode(e.visibility)), OptBlob(e.note_sealed), e.details};
}

Params AppealParams(const Appeal& a) {
  return {a.id,
          a.village.substr(0, 6),
          a.village,
          a.submitter_account,
          a.submitter_resident,
          a.recorded_by,
          a.consent_id,
          Code(ChannelCode(a.channel)),
          a.category,
          Code(UnitLevelCode(a.unit.level)),
          a.unit.division,
          a.unit.department,
          a.escalated_to ? Code(UnitLevelCode(a.escalated_to->level)) : Value(nullptr),
          a.escalated_to ? Value(a.escalated_to->division) : Value(nullptr),
          Code(StateCode(a.state)),
          int64_t{a.anonymous_to_public ? 1 : 0},
          Blob{a.text_sealed},
          OptBlob(a.location_sealed),
          int64_t{a.reopen_count},
          int64_t{a.contest_count},
          int64_t{a.escalation_count},
          Opt(a.accept_due_ms),
          int64_t{a.accept_round},
          Opt(a.answer_due_ms),
          int64_t{a.answer_round},
          Opt(a.rating_due_ms),
          a.first_accept_due_ms,
          a.first_answer_due_ms,
          Opt(a.first_accepted_at_ms),
          OptBool(a.accepted_on_time),
          Opt(a.first_answered_at_ms),
          a.rating ? Code(RatingCode(*a.rating)) : Value(nullptr),
          OptBool(a.solved),
          Opt(a.rated_at_ms),
          a.rated_via ? Code(RatedViaCode(*a.rated_via)) : Value(nullptr),
          a.submitted_at_ms,
          a.updated_at_ms,
          Opt(a.ended_at_ms),
          a.version,
          a.client_id};
}

std::optional<bool> RowBool(const Row& row, size_t i) {
  if (row.IsNull(i)) return std::nullopt;
  return row.Int(i) != 0;
}

std::optional<std::string> RowBlob(const Row& row, size_t i) {
  if (row.IsNull(i)) return std::nullopt;
  return row.Text(i);
}

Result<HandlingUnit> RowUnit(const Row& row, size_t level, size_t division, std::optional<size_t> department) {
  std::optional<UnitLevel> l = ParseUnitLevel(row.Text(level));
  if (!l) return Internal("appeals: unknown unit level in the store");
  return HandlingUnit{*l, row.Text(division), department ? row.Text(*department) : ""};
}

Result<Appeal> AppealFromRow(const Row& row) {
  Appeal a;
  a.id = row.Int(0);
  a.village = row.Text(2);
  a.submitter_account = row.Int(3);
  a.submitter_resident = row.Int(4);
  a.recorded_by = row.Int(5);
  a.consent_id = row.Int(6);
  std::optional<Channel> channel = ParseChannel(row.Text(7));
  if (!channel) return Internal("appeals: unknown channel in the store");
  a.channel = *channel;
  a.category = row.Text(8);
  GZ_ASSIGN_OR_RETURN(a.unit, RowUnit(row, 9, 10, 11));
  if (!row.IsNull(12)) {
    GZ_ASSIGN_OR_RETURN(HandlingUnit up, RowUnit(row, 12, 13, std::nullopt));
    a.escalated_to = std::move(up);
  }
  std::optional<AppealState> state = ParseState(row.Text(14));
  if (!state) return Internal("appeals: unknown state in the store");
  a.state = *state;
  a.anonymous_to_public = row.Int(15) != 0;
  a.text_sealed = row.Text(16);
  a.location_sealed = RowBlob(row, 17);
  a.reopen_count = static_cast<int>(row.Int(18));
  a.contest_count = static_cast<int>(row.Int(19));
  a.escalation_count = static_cast<int>(row.Int(20));
  a.accept_due_ms = row.OptionalInt(21);
  a.accept_round = static_cast<int>(row.Int(22));
  a.answer_due_ms = row.OptionalInt(23);
  a.answer_round = static_cast<int>(row.Int(24));
  a.rating_due_ms = row.OptionalInt(25);
  a.first_accept_due_ms = row.Int(26);
  a.first_answer_due_ms = row.Int(27);
  a.first_accepted_at_ms = row.OptionalInt(28);
  a.accepted_on_time = RowBool(row, 29);
  a.first_answered_at_ms = row.OptionalInt(30);
  if (!row.IsNull(31)) {
    a.rating = ParseRating(row.Text(31));
    if (!a.rating) return Internal("appeals: unknown rating in the store");
  }
  a.solved = RowBool(row, 32);
  a.rated_at_ms = row.OptionalInt(33);
  if (!row.IsNull(34)) {
    a.rated_via = ParseRatedVia(row.Text(34));
    if (!a.rated_via) return Internal("appeals: unknown rated_via in the store");
  }
  a.submitted_at_ms = row.Int(35);
  a.updated_at_ms = row.Int(36);
  a.ended_at_ms = row.OptionalInt(37);
  a.version = row.Int(38);
  a.client_id = row.Int(39);
  return a;
}

Result<TimelineEntry> EntryFromRow(const Row& row) {
  TimelineEntry e;
  e.id = row.Int(0);
  e.appeal_id = row.Int(1);
  e.seq = row.Int(2);
  e.at_ms = row.Int(3);
  e.actor_account = row.Int(4);
  e.acting_for_account = row.Int(5);
  e.consent_id = row.Int(6);
  e.capacity = row.Text(7);
  e.action = row.Text(8);
  if (!row.IsNull(9)) {
    e.from = ParseState(row.Text(9));
    if (!e.from) return Internal("appeals: unknown from_state in the store");
  }
  std::optional<AppealState> to = ParseState(row.Text(10));
  std::optional<Visibility> visibility = ParseVisibility(row.Text(11));
  if (!to || !visibility) return Internal("appeals: unknown to_state or visibility in the store");
  e.to = *to;
  e.visibility = *visibility;
  e.note_sealed = RowBlob(row, 12);
  e.details = row.Text(13);
  return e;
}

Result<Notification> NotificationFromRow(const Row& row) {
  Notification n;
  n.id = row.Int(0);
  std::optional<RecipientKind> kind = ParseRecipientKind(row.Text(1));
  if (!kind) return Internal("appeals: unknown recipient kind in the store");
  n.to.kind = *kind;
  n.to.account = row.Int(2);
  if (*kind == RecipientKind::kUnit) {
    std::optional<UnitLevel> level = ParseUnitLevel(row.Text(3));
    if (!level) return Internal("appeals: unknown unit level in the inbox");
    n.to.level = *level;
  }
  n.to.division = row.Text(4);
  n.appeal_id = row.Int(5);
  n.village = row.Text(6);
  n.kind = row.Text(7);
  n.created_at_ms = row.Int(8);
  n.read_at_ms = row.OptionalInt(9);
  n.read_by = row.Int(10);
  return n;
}


// Builds "$n" placeholders as values are added.
struct ParamList {
  Params values;
  std::string Add(Value v) {
    values.push_back(std::move(v));
    return "$" + std::to_string(values.size());
  }
};

// "(col BETWEEN $a AND $b OR ...)" for the scopes, or "" when none is valid.
std::string ScopeClause(ParamList& p, std::string_view column, const std::vector<std::string>& scopes) {
  std::string out;
  for (size_t i = 0; i < scopes.size() && i < kMaxScopes; ++i) {
    std::optional<std::pair<std::string, std::string>> range = access::ScopeRange(scopes[i]);
    if (!range) continue;
    if (!out.empty()) out += " OR ";
    out += std::string(column) + " BETWEEN " + p.Add(range->first) + " AND " + p.Add(range->second);
  }
  return out;
}

std::string InboxReachClause(ParamList& p, const InboxReach& reach) {
  std::string out;
  auto add = [&out](const std::string& part) {
    if (part.empty()) return;
    if (!out.empty()) out += " OR ";
    out += "(" + part + ")";
  };
  if (reach.account > 0) add("recipient_kind = 'account' AND recipient_account = " + p.Add(reach.account));
  for (size_t i = 0; i < reach.units.size() && i < kMaxScopes; ++i) {
    std::string range = ScopeClause(p, "division", {reach.units[i].scope});
    if (range.empty()) continue;
    add("recipient_kind = 'unit' AND unit_level = " + p.Add(std::string(UnitLevelCode(reach.units[i].level))) + " AND (" +
        range + ")");
  }
  std::string supervised = ScopeClause(p, "division", reach.supervised);
  if (!supervised.empty()) add("recipient_kind = 'supervisors' AND (" + supervised + ")");
  return out;
}

}  // namespace

SqlAppealStore::SqlAppealStore(storage::Db& db, AppendAuditFn append_audit)
    : db_(db), append_audit_(append_audit ? std::move(append_audit) : AppendAuditFn(&audit::AppendAuditInTx)) {}

namespace {

Status InsertNotification(Tx& tx, const Notification& n) {
  const bool unit = n.to.kind == RecipientKind::kUnit;
  return tx
      .Exec("INSERT INTO appeals_inbox (" + std::string(kInboxColumns) +
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, 0)",
            {n.id, Code(RecipientKindCode(n.to.kind)), n.to.kind == RecipientKind::kAccount ? n.to.account : 0,
             unit ? Code(UnitLevelCode(n.to.level)) : Code(""),
             n.to.kind == RecipientKind::kAccount ? std::string() : n.to.division, n.appeal_id, n.village, n.kind,
             n.created_at_ms})
      .status();
}

}  // namespace

Status SqlAppealStore::WriteChange(Tx& tx, const Change& c, bool insert) {
  if (c.deadline) {
    GZ_ASSIGN_OR_RETURN(
        int64_t inserted,
        tx.Exec("INSERT INTO appeals_deadline_events (appeal_id, kind, deadline_round, due_ms, fired_at_ms, timeline_seq) "
                "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                {c.deadline->appeal_id, std::string(DeadlineKindCode(c.deadline->kind)), int64_t{c.deadline->round},
                 c.deadline->due_ms, c.now_ms, c.entry.seq}));
    if (inserted == 0) return AlreadyExists(std::string(problems::kDeadlineHandled));
  }
  Params row = AppealParams(c.appeal);
  if (insert) {
    GZ_RETURN_IF_ERROR(tx.Exec(InsertAppeal(), row).status());
  } else {
    row.push_back(c.expected_version);
    GZ_ASSIGN_OR_RETURN(int64_t changed, tx.Exec(UpdateAppeal(), row));
    if (changed == 0) {
      GZ_ASSIGN_OR_RETURN(ResultSet exists, tx.Query("SELECT version FROM appeals_appeals WHERE id = $1", {c.appeal.id}));
      if (exists.empty()) return NotFound(std::string(problems::kAppealNotFound));
      return Aborted(std::string(problems::kEditConflict), "version moved to " + std::to_string(exists.rows[0].Int(0)));
    }
  }
  if (insert && c.submission_key) {
    // After the appeal (the key names it); the primary key makes two nodes filing under one key
    // at once store one appeal: the second waits, inserts nothing, and rolls its appeal back.
    const SubmissionKey& k = *c.submission_key;
    GZ_ASSIGN_OR_RETURN(
        int64_t inserted,
        tx.Exec("INSERT INTO appeals_submission_keys (account_id, idem_key, fingerprint, appeal_id, village_code, created_ms) "
                "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                {k.account, k.key, Blob{k.fingerprint}, c.appeal.id, c.appeal.village, c.now_ms}));
    if (inserted == 0) return AlreadyExists(std::string(problems::kSubmissionKeyUsed));
  }
  const TimelineEntry& e = c.entry;
  GZ_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO appeals_timeline (" + std::string(kTimelineColumns) +
                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
              TimelineParams(e))
          .status());
  for (const Notification& n : c.notifications) GZ_RETURN_IF_ERROR(InsertNotification(tx, n));
  if (c.attachment) GZ_RETURN_IF_ERROR(attachments::InsertAttachmentInTx(tx, *c.attachment));
  return append_audit_(tx, c.audit, c.now_ms);
}

Status SqlAppealStore::Insert(const Change& change) {
  if (change.expected_version != 0 || change.appeal.version != 1) return Internal("appeals: Insert of a non-new appeal");
  return db_.Write([&](Tx& tx) { return WriteChange(tx, change, true); });
}

Result<std::optional<SubmissionRecord>> SqlAppealStore::FindSubmission(int64_t account, const std::string& key,
                                                                       bool after_conflict) {
  std::optional<SubmissionRecord> out;
  auto find = [&](Tx& tx) -> Status {
    out.reset();  // a write callback may run again
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT appeal_id, fingerprint FROM appeals_submission_keys "
                                               "WHERE account_id = $1 AND idem_key = $2",
                                               {account, key}));
    if (rs.empty()) return Status::Ok();
    out = SubmissionRecord{rs.rows[0].Int(0), rs.rows[0].Text(1)};
    return Status::Ok();
  };
  Status s = after_conflict ? db_.Write(find) : db_.Read(find);
  if (!s.ok()) return s;
  return out;
}

namespace {

// "INSERT INTO table (columns) VALUES ($1, ...), (...)" for `rows` rows of `width` values.
std::string MultiRowInsert(std::string_view table, std::string_view columns, size_t width, size_t rows) {
  std::string sql = "INSERT INTO " + std::string(table) + " (" + std::string(columns) + ") VALUES ";
  for (size_t r = 0; r < rows; ++r) {
    sql += r ? ", (" : "(";
    for (size_t c = 1; c <= width; ++c) sql += (c > 1 ? ", $" : "$") + std::to_string(r * width + c);
    sql += ")";
  }
  return sql;
}

}  // namespace

Status SqlAppealStore::InsertMany(std::span<const Change> changes) {
  // 100 appeals are 4,000 parameters: far under SQLite's 32,766 and PostgreSQL's 65,535.
  constexpr size_t kRows = 100;
  constexpr size_t kTimelineWidth = 14;
  for (const Change& c : changes) {
    if (c.expected_version != 0 || c.appeal.version != 1 || c.deadline || !c.notifications.empty() || c.attachment ||
        c.submission_key)
      return Internal("appeals: InsertMany takes new appeals without deadline events, notifications, attachments or keys");
  }
  const std::string appeal_columns = JoinColumns();
  return db_.Write([&](Tx& tx) -> Status {
    for (size_t at = 0; at < changes.size(); at += kRows) {
      const size_t n = std::min(kRows, changes.size() - at);
      Params appeals, timeline;
      appeals.reserve(n * kAppealColumns.size());
      timeline.reserve(n * kTimelineWidth);
      for (size_t i = at; i < at + n; ++i) {
        for (Value& v : AppealParams(changes[i].appeal)) appeals.push_back(std::move(v));
        for (Value& v : TimelineParams(changes[i].entry)) timeline.push_back(std::move(v));
      }
      GZ_RETURN_IF_ERROR(
          tx.Exec(MultiRowInsert("appeals_appeals", appeal_columns, kAppealColumns.size(), n), appeals).status());
      GZ_RETURN_IF_ERROR(
          tx.Exec(MultiRowInsert("appeals_timeline", kTimelineColumns, kTimelineWidth, n), timeline).status());
      for (size_t i = at; i < at + n; ++i) GZ_RETURN_IF_ERROR(append_audit_(tx, changes[i].audit, changes[i].now_ms));
    }
    return Status::Ok();
  });
}

Status SqlAppealStore::Update(const Change& change) {
  if (change.appeal.version != change.expected_version + 1 || change.entry.seq != change.appeal.version)
    return Internal("appeals: Update whose version or seq does not follow the expected version");
  return db_.Write([&](Tx& tx) { return WriteChange(tx, change, false); });
}

Result<std::optional<Appeal>> SqlAppealStore::Get(int64_t id) {
  std::optional<Appeal> out;
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query(SelectAppeal() + " WHERE id = $1", {id}));
    if (rs.empty()) return Status::Ok();
    GZ_ASSIGN_OR_RETURN(out, AppealFromRow(rs.rows.front()));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<TimelineEntry>> SqlAppealStore::Timeline(int64_t appeal_id) {
  std::vector<TimelineEntry> out;
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT " + std::string(kTimelineColumns) +
                                                   " FROM appeals_timeline WHERE appeal_id = $1 ORDER BY seq",
                                               {appeal_id}));
    for (const Row& row : rs.rows) {
      GZ_ASSIGN_OR_RETURN(TimelineEntry e, EntryFromRow(row));
      out.push_back(std::move(e));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<AppealPage> SqlAppealStore::List(const AppealQuery& q) {
  AppealPage page;
  ParamList p;
  std::string reach = ScopeClause(p, "village_code", q.scopes);
  if (q.submitter_account > 0) {
    if (!reach.empty()) reach += " OR ";
    reach += "(submitter_account > 0 AND submitter_account = " + p.Add(q.submitter_account) + ")";  // the partial index's condition
  }
  if (reach.empty()) return page;
  std::string where = " WHERE (" + reach + ")";
  if (!q.village.empty()) where += " AND village_code = " + p.Add(q.village);
  if (!q.category.empty()) where += " AND category = " + p.Add(q.category);
  if (q.unit) {
    where += " AND unit_level = " + p.Add(std::string(UnitLevelCode(q.unit->level))) +
             " AND unit_division = " + p.Add(q.unit->division) + " AND unit_department = " + p.Add(q.unit->department);
  }
  if (!q.states.empty()) {
    where += " AND state IN (";
    for (size_t i = 0; i < q.states.size(); ++i) where += (i ? ", " : "") + p.Add(std::string(StateCode(q.states[i])));
    where += ")";
  }
  if (!q.categories.empty()) {
    where += " AND category IN (";
    for (size_t i = 0; i < q.categories.size() && i < kMaxScopes; ++i) where += (i ? ", " : "") + p.Add(q.categories[i]);
    where += ")";
  }
  if (q.submitted_from_ms) where += " AND submitted_at_ms >= " + p.Add(*q.submitted_from_ms);
  if (q.submitted_to_ms) where += " AND submitted_at_ms < " + p.Add(*q.submitted_to_ms);
  if (q.public_view) {
    where += " AND (anonymous_to_public = 0";
    if (q.visible_client > 0) where += " OR client_id = " + p.Add(q.visible_client);
    where += ")";
  }
  if (q.before_id > 0) where += " AND id < " + p.Add(q.before_id);
  const int limit = std::clamp(q.limit, 1, 200);
  const std::string sql = SelectAppeal() + where + " ORDER BY id DESC LIMIT " + p.Add(int64_t{limit + 1});
  GZ_ASSIGN_OR_RETURN(ResultSet rs, db_.ReadStatement(sql, p.values));  // one statement: no transaction around it
  for (const Row& row : rs.rows) {
    GZ_ASSIGN_OR_RETURN(Appeal a, AppealFromRow(row));
    page.items.push_back(std::move(a));
  }
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(limit);
    page.next_before_id = page.items.back().id;
  }
  return page;
}

StoreStatement CountOpenStatement(int64_t account, int64_t resident) {
  // The "> 0" terms are the partial indexes' own conditions: SQLite uses a partial index only when
  // the query states its condition (a bound $1 proves nothing when the statement is prepared).
  // Without them every submission scanned the whole table.
  if (account > 0)
    return {"SELECT COUNT(*) FROM appeals_appeals WHERE submitter_account > 0 AND submitter_account = $1 AND state IN " +
                std::string(kOpenStates),
            {account}};
  return {"SELECT COUNT(*) FROM appeals_appeals WHERE submitter_resident > 0 AND submitter_resident = $1 AND state IN " +
              std::string(kOpenStates),
          {resident}};
}

Result<int64_t> SqlAppealStore::CountOpenBySubmitter(int64_t account, int64_t resident) {
  int64_t n = 0;
  const StoreStatement st = CountOpenStatement(account, resident);
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query(st.sql, st.params));
    n = rs.rows.front().Int(0);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return n;
}

Result<std::vector<DeadlineKey>> SqlAppealStore::ListDue(int64_t now_ms, int limit) {
  limit = std::clamp(limit, 1, 1000);
  // One query per kind, each on its partial index; the NOT EXISTS probes the events' primary key.
  struct KindQuery {
    DeadlineKind kind;
    std::string sql;
  };
  static const std::array<KindQuery, 3> kQueries = {{
      {DeadlineKind::kAccept,
       "SELECT a.id, a.accept_round, a.accept_due_ms FROM appeals_appeals a WHERE a.accept_due_ms IS NOT NULL "
       "AND a.accept_due_ms <= $1 AND NOT EXISTS (SELECT 1 FROM appeals_deadline_events e WHERE e.appeal_id = a.id "
       "AND e.kind = 'accept' AND e.deadline_round = a.accept_round) ORDER BY a.accept_due_ms LIMIT $2"},
      {DeadlineKind::kAnswer,
       "SELECT a.id, a.answer_round, a.answer_due_ms FROM appeals_appeals a WHERE a.answer_due_ms IS NOT NULL "
       "AND a.state IN ('accepted', 'in_progress') AND a.answer_due_ms <= $1 AND NOT EXISTS (SELECT 1 FROM "
       "appeals_deadline_events e WHERE e.appeal_id = a.id AND e.kind = 'answer' AND e.deadline_round = a.answer_round) "
       "ORDER BY a.answer_due_ms LIMIT $2"},
      {DeadlineKind::kFollowUp,
       "SELECT a.id, a.answer_round, a.rating_due_ms FROM appeals_appeals a WHERE a.rating_due_ms IS NOT NULL "
       "AND a.rating_due_ms <= $1 AND NOT EXISTS (SELECT 1 FROM appeals_deadline_events e WHERE e.appeal_id = a.id "
       "AND e.kind = 'follow_up' AND e.deadline_round = a.answer_round) ORDER BY a.rating_due_ms LIMIT $2"},
  }};
  std::vector<DeadlineKey> out;
  Status s = db_.Read([&](Tx& tx) -> Status {
    for (const KindQuery& q : kQueries) {
      GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query(q.sql, {now_ms, int64_t{limit}}));
      for (const Row& row : rs.rows)
        out.push_back(DeadlineKey{row.Int(0), q.kind, static_cast<int>(row.Int(1)), row.Int(2)});
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  std::sort(out.begin(), out.end(), [](const DeadlineKey& a, const DeadlineKey& b) {
    return a.due_ms != b.due_ms ? a.due_ms < b.due_ms : a.appeal_id < b.appeal_id;
  });
  if (static_cast<int>(out.size()) > limit) out.resize(limit);
  return out;
}

std::optional<StoreStatement> FactsStatement(const FactsQuery& q) {
  ParamList p;
  std::string reach = ScopeClause(p, "village_code", q.scopes);
  if (reach.empty()) return std::nullopt;
  // Every column named here is in the covering index appeals_rates (migration appeals/4), so the
  // rows are read from the index without touching the table.
  std::string sql =
      "SELECT id, village_code, unit_level, unit_division, unit_department, state, submitted_at_ms, accept_due_ms, "
      "answer_due_ms, first_answer_due_ms, first_accepted_at_ms, accepted_on_time, first_answered_at_ms, rating, "
      "solved, reopen_count, escalation_count FROM appeals_appeals WHERE (" +
      reach + ") AND submitted_at_ms >= " + p.Add(q.from_ms) + " AND submitted_at_ms < " + p.Add(q.to_ms);
  return StoreStatement{std::move(sql), std::move(p.values)};
}

Status SqlAppealStore::ForEachFact(const FactsQuery& q, const std::function<Status(const AppealFacts&)>& each) {
  const std::optional<StoreStatement> st = FactsStatement(q);
  if (!st) return Status::Ok();
  return db_.Read([&](Tx& tx) -> Status {
    // One AppealFacts reused for every row, and the row's text viewed, not copied: a county's
    // rates read a million rows.
    AppealFacts f;
    return tx.QueryEach(st->sql, st->params, [&](const Row& row) -> Status {
      f.id = row.Int(0);
      f.village.assign(row.TextView(1));
      std::optional<UnitLevel> level = ParseUnitLevel(row.TextView(2));
      if (!level) return Internal("appeals: unknown unit level in the store");
      f.unit.level = *level;
      f.unit.division.assign(row.TextView(3));
      f.unit.department.assign(row.TextView(4));
      std::optional<AppealState> state = ParseState(row.TextView(5));
      if (!state) return Internal("appeals: unknown state in the store");
      f.state = *state;
      f.submitted_at_ms = row.Int(6);
      f.accept_due_ms = row.OptionalInt(7);
      f.answer_due_ms = row.OptionalInt(8);
      f.first_answer_due_ms = row.Int(9);
      f.first_accepted_at_ms = row.OptionalInt(10);
      f.accepted_on_time = RowBool(row, 11);
      f.first_answered_at_ms = row.OptionalInt(12);
      f.rating = row.IsNull(13) ? std::nullopt : ParseRating(row.TextView(13));
      f.solved = RowBool(row, 14);
      f.reopen_count = static_cast<int>(row.Int(15));
      f.escalation_count = static_cast<int>(row.Int(16));
      return each(f);
    });
  });
}

Result<std::vector<AppealFacts>> SqlAppealStore::LoadFacts(const FactsQuery& q) {
  std::vector<AppealFacts> out;
  GZ_RETURN_IF_ERROR(ForEachFact(q, [&](const AppealFacts& f) {
    out.push_back(f);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Notification>> SqlAppealStore::ListInbox(const InboxQuery& q) {
  std::vector<Notification> out;
  ParamList p;
  std::string reach = InboxReachClause(p, q.reach);
  if (reach.empty()) return out;
  std::string sql = "SELECT " + std::string(kInboxColumns) + " FROM appeals_inbox WHERE (" + reach + ")";
  if (q.unread_only) sql += " AND read_at_ms IS NULL";
  if (q.before_id > 0) sql += " AND id < " + p.Add(q.before_id);
  sql += " ORDER BY id DESC LIMIT " + p.Add(int64_t{std::clamp(q.limit, 1, 200)});
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query(sql, p.values));
    for (const Row& row : rs.rows) {
      GZ_ASSIGN_OR_RETURN(Notification n, NotificationFromRow(row));
      out.push_back(std::move(n));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status SqlAppealStore::MarkRead(const InboxReach& reach, int64_t notification_id, int64_t by, int64_t now_ms) {
  ParamList p;
  const std::string id = p.Add(notification_id);
  std::string clause = InboxReachClause(p, reach);
  if (clause.empty() || by <= 0) return NotFound(std::string(problems::kNotificationNotFound));
  const std::string sql = "SELECT read_at_ms FROM appeals_inbox WHERE id = " + id + " AND (" + clause + ")";
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query(sql, p.values));
    if (rs.empty()) return NotFound(std::string(problems::kNotificationNotFound));
    if (!rs.rows.front().IsNull(0)) return Status::Ok();  // read already (by another member)
    return tx.Exec("UPDATE appeals_inbox SET read_at_ms = $1, read_by = $2 WHERE id = $3", {now_ms, by, notification_id})
        .status();
  });
}

Status SqlAppealStore::AddSupporter(int64_t appeal_id, int64_t account, const std::string& village, int64_t now_ms,
                                    const Notification& n, const access::AuditEvent& event) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet existing,
                        tx.Query("SELECT 1 FROM appeals_supporters WHERE appeal_id = $1 AND account_id = $2",
                                 {appeal_id, account}));
    if (!existing.empty()) return AlreadyExists(std::string(problems::kAlreadyJoined));
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO appeals_supporters (appeal_id, account_id, village_code, joined_at_ms) "
                               "VALUES ($1, $2, $3, $4)",
                               {appeal_id, account, village, now_ms})
                           .status());
    GZ_RETURN_IF_ERROR(InsertNotification(tx, n));
    return append_audit_(tx, event, now_ms);
  });
}

Result<std::vector<std::pair<int64_t, int64_t>>> SqlAppealStore::SupporterCounts(const std::vector<int64_t>& ids) {
  std::vector<std::pair<int64_t, int64_t>> out;
  if (ids.empty()) return out;
  if (ids.size() > 200) return InvalidArgument(std::string(problems::kBadQuery)).With("param", "ids").With("reason", "too-many");
  Params params;
  std::string in;
  for (int64_t id : ids) {
    params.push_back(id);
    if (!in.empty()) in += ", ";
    in += "$" + std::to_string(params.size());
  }
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT appeal_id, COUNT(*) FROM appeals_supporters WHERE appeal_id IN (" +
                                                   in + ") GROUP BY appeal_id",
                                               params));
    for (const Row& r : rs.rows) out.emplace_back(r.Int(0), r.Int(1));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<bool> SqlAppealStore::IsSupporter(int64_t appeal_id, int64_t account) {
  bool found = false;
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT 1 FROM appeals_supporters WHERE appeal_id = $1 AND account_id = $2",
                                               {appeal_id, account}));
    found = !rs.empty();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return found;
}

Result<std::vector<DeadlineRule>> SqlAppealStore::DeadlineRules(const std::vector<std::string>& scopes) {
  std::vector<DeadlineRule> out;
  if (scopes.empty()) return out;
  ParamList p;
  std::string in;
  for (size_t i = 0; i < scopes.size() && i < kMaxScopes; ++i) in += (i ? ", " : "") + p.Add(scopes[i]);
  const std::string sql = "SELECT scope_code, category, accept_ms, answer_ms, set_by, set_at_ms FROM "
                          "appeals_deadline_rules WHERE scope_code IN (" + in + ") ORDER BY scope_code, category";
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query(sql, p.values));
    for (const Row& row : rs.rows)
      out.push_back(DeadlineRule{row.Text(0), row.Text(1), {row.Int(2), row.Int(3)}, row.Int(4), row.Int(5)});
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status SqlAppealStore::PutDeadlineRule(const DeadlineRule& r, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO appeals_deadline_rules (scope_code, category, accept_ms, answer_ms, set_by, set_at_ms) "
                "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope_code, category) DO UPDATE SET "
                "accept_ms = excluded.accept_ms, answer_ms = excluded.answer_ms, set_by = excluded.set_by, "
                "set_at_ms = excluded.set_at_ms",
                {r.scope, r.category, r.durations.accept_ms, r.durations.answer_ms, r.set_by, r.set_at_ms})
            .status());
    return append_audit_(tx, event, now_ms);
  });
}

Status SqlAppealStore::DeleteDeadlineRule(const std::string& scope, const std::string& category,
                                          const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t n, tx.Exec("DELETE FROM appeals_deadline_rules WHERE scope_code = $1 AND category = $2",
                                           {scope, category}));
    if (n == 0) return NotFound(std::string(problems::kDeadlineRuleNotFound));
    return append_audit_(tx, event, now_ms);
  });
}

Result<std::vector<UnitRule>> SqlAppealStore::UnitRules(const std::vector<std::string>& scopes) {
  std::vector<UnitRule> out;
  if (scopes.empty()) return out;
  ParamList p;
  std::string in;
  for (size_t i = 0; i < scopes.size() && i < kMaxScopes; ++i) in += (i ? ", " : "") + p.Add(scopes[i]);
  const std::string sql = "SELECT scope_code, category, unit_level, department, set_by, set_at_ms FROM "
                          "appeals_unit_rules WHERE scope_code IN (" + in + ") ORDER BY scope_code, category";
  Status s = db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query(sql, p.values));
    for (const Row& row : rs.rows) {
      std::optional<UnitLevel> level = ParseUnitLevel(row.Text(2));
      if (!level) return Internal("appeals_unit_rules: unknown level");
      out.push_back(UnitRule{row.Text(0), row.Text(1), *level, row.Text(3), row.Int(4), row.Int(5)});
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status SqlAppealStore::PutUnitRule(const UnitRule& r, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO appeals_unit_rules (scope_code, category, unit_level, department, set_by, set_at_ms) "
                "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope_code, category) DO UPDATE SET "
                "unit_level = excluded.unit_level, department = excluded.department, set_by = excluded.set_by, "
                "set_at_ms = excluded.set_at_ms",
                {r.scope, r.category, std::string(UnitLevelCode(r.level)), r.department, r.set_by, r.set_at_ms})
            .status());
    return append_audit_(tx, event, now_ms);
  });
}

Status SqlAppealStore::DeleteUnitRule(const std::string& scope, const std::string& category,
                                      const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t n, tx.Exec("DELETE FROM appeals_unit_rules WHERE scope_code = $1 AND category = $2",
                                           {scope, category}));
    if (n == 0) return NotFound(std::string(problems::kUnitRuleNotFound));
    return append_audit_(tx, event, now_ms);
  });
}

}  // namespace gz::appeals
