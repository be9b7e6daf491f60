// Layer: disclosure sql (see sql_disclosure_store.h).
#include "modules/disclosure/sql/sql_disclosure_store.h"

#include "modules/audit/sql/audit_sql.h"
#include "modules/disclosure/canonical_json.h"
#include "modules/disclosure/problems.h"

namespace gz::disclosure {
namespace {

using storage::Blob;
using storage::Params;
using storage::Row;
using storage::Tx;
using storage::Value;

constexpr std::string_view kItemColumns =
    "id, village_code, kind, period, title, body_json, recipients_sealed, attachments, corrects_id, correction_reason, "
    "state, drafted_by, drafted_at_ms, published_by, published_at_ms, publisher_role, entry, log_index";

constexpr std::string_view kQuestionColumns =
    "id, item_id, village_code, asked_by, text, asked_at_ms, answer, answered_by, answered_at_ms, appeal_id, "
    "escalated_at_ms";

std::string AttachmentsText(const std::vector<std::string>& hashes) {
  CanonicalValue a = CanonicalValue::Array();
  for (const std::string& h : hashes) a.Push(CanonicalValue::String(h));
  return a.Serialize();
}

// The stored text is our own canonical array of hex hashes: ["..","..."].
std::vector<std::string> ParseAttachments(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while ((i = text.find('"', i)) != std::string_view::npos) {
    size_t end = text.find('"', i + 1);
    if (end == std::string_view::npos) break;
    out.emplace_back(text.substr(i + 1, end - i - 1));
    i = end + 1;
  }
  return out;
}

Item ItemFrom(const Row& r) {
  Item i;
  i.id = r.Int(0);
  i.village = r.Text(1);
  i.kind = ParseKind(r.Text(2)).value_or(Kind::kOther);
  i.period = r.Text(3);
  i.title = r.Text(4);
  i.body_json = r.Text(5);
  i.recipients_sealed = r.IsNull(6) ? "" : r.Text(6);
  i.attachments = ParseAttachments(r.TextView(7));
  i.corrects = r.IsNull(8) ? 0 : r.Int(8);
  i.correction_reason = r.Text(9);
  i.state = r.Text(10) == "published" ? State::kPublished : State::kDraft;
  i.drafted_by = r.Int(11);
  i.drafted_at_ms = r.Int(12);
  i.published_by = r.Int(13);
  i.published_at_ms = r.Int(14);
  i.publisher_role = r.Text(15);
  i.entry = r.IsNull(16) ? "" : r.Text(16);
  i.log_index = r.IsNull(17) ? -1 : r.Int(17);
  return i;
}

Question QuestionFrom(const Row& r) {
  Question q;
  q.id = r.Int(0);
  q.item_id = r.Int(1);
  q.village = r.Text(2);
  q.asked_by = r.Int(3);
  q.text = r.Text(4);
  q.asked_at_ms = r.Int(5);
  q.answer = r.IsNull(6) ? "" : r.Text(6);
  q.answered_by = r.Int(7);
  q.answered_at_ms = r.IsNull(8) ? 0 : r.Int(8);
  q.appeal_id = r.IsNull(9) ? 0 : r.Int(9);
  q.escalated_at_ms = r.IsNull(10) ? 0 : r.Int(10);
  return q;
}

Value OptionalInt(int64_t v) { return v == 0 ? Value(nullptr) : Value(v); }

}  // namespace

SqlDisclosureStore::SqlDisclosureStore(storage::Db& db, LogAppend log_append, AppendAuditFn append_audit)
    : db_(db), log_append_(std::move(log_append)), append_audit_(std::move(append_audit)) {
  if (!append_audit_) append_audit_ = &audit::AppendAuditInTx;
}

Status SqlDisclosureStore::InsertDraft(const Item& d, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(tx.Exec(
                             "INSERT INTO disclosure_items (" + std::string(kItemColumns) +
                                 ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'draft', $11, $12, NULL, NULL, NULL, "
                                 "NULL, NULL)",
                             Params{d.id, d.village, std::string(KindCode(d.kind)), d.period, d.title, d.body_json,
                                    d.recipients_sealed.empty() ? Value(nullptr) : Value(Blob{d.recipients_sealed}),
                                    AttachmentsText(d.attachments), OptionalInt(d.corrects), d.correction_reason,
                                    d.drafted_by, d.drafted_at_ms})
                           .status());
    return append_audit_(tx, event, now_ms);
  });
}

Status SqlDisclosureStore::UpdateDraft(const Item& d, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t changed,
                        tx.Exec("UPDATE disclosure_items SET period = $3, title = $4, body_json = $5, recipients_sealed = $6, "
                                "attachments = $7, correction_reason = $8 WHERE id = $1 AND drafted_by = $2 AND state = 'draft'",
                                Params{d.id, d.drafted_by, d.period, d.title, d.body_json,
                                       d.recipients_sealed.empty() ? Value(nullptr) : Value(Blob{d.recipients_sealed}),
                                       AttachmentsText(d.attachments), d.correction_reason}));
    if (changed != 1) return Aborted(std::string(problems::kNotADraft));
    return append_audit_(tx, event, now_ms);
  });
}

Status SqlDisclosureStore::DeleteDraft(const Item& d, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t changed,
                        tx.Exec("DELETE FROM disclosure_items WHERE id = $1 AND drafted_by = $2 AND state = 'draft'",
                                Params{d.id, d.drafted_by}));
    if (changed != 1) return Aborted(std::string(problems::kNotADraft));
    return append_audit_(tx, event, now_ms);
  });
}

Result<int64_t> SqlDisclosureStore::Publish(const Item& p, const access::AuditEvent& event, int64_t now_ms) {
  if (!log_append_) return FailedPrecondition(std::string(problems::kNoLog), "no transparency log is wired");
  int64_t index = -1;
  GZ_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT state FROM disclosure_items WHERE id = $1", Params{p.id}));
    if (rs.empty()) return NotFound(std::string(problems::kItemNotFound));
    if (rs.rows[0].Text(0) != "draft") return Aborted(std::string(problems::kNotADraft));
    GZ_ASSIGN_OR_RETURN(std::uint64_t appended, log_append_(tx, p.village, p.entry));
    index = static_cast<int64_t>(appended);
    GZ_ASSIGN_OR_RETURN(int64_t changed,
                        tx.Exec("UPDATE disclosure_items SET state = 'published', published_by = $2, published_at_ms = $3, "
                                "publisher_role = $4, entry = $5, log_index = $6 WHERE id = $1 AND state = 'draft'",
                                Params{p.id, p.published_by, p.published_at_ms, p.publisher_role, Blob{p.entry}, index}));
    if (changed != 1) return Aborted(std::string(problems::kNotADraft));
    return append_audit_(tx, event, now_ms);
  }));
  return index;
}

Result<std::optional<Item>> SqlDisclosureStore::Get(int64_t id) {
  std::optional<Item> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + std::string(kItemColumns) + " FROM disclosure_items WHERE id = $1", Params{id}));
    if (!rs.empty()) out = ItemFrom(rs.rows[0]);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<int64_t>> SqlDisclosureStore::CorrectedBy(int64_t id) {
  std::vector<int64_t> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT id FROM disclosure_items WHERE corrects_id = $1 AND state = 'published' "
                                 "ORDER BY published_at_ms, id",
                                 Params{id}));
    for (const Row& r : rs.rows) out.push_back(r.Int(0));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Item>> SqlDisclosureStore::List(const ItemQuery& q) {
  std::string sql = "SELECT " + std::string(kItemColumns) + " FROM disclosure_items WHERE village_code = $1";
  Params params{q.village};
  if (q.state) {
    params.push_back(std::string(StateCode(*q.state)));
    sql += " AND state = $" + std::to_string(params.size());
  }
  if (q.kind) {
    params.push_back(std::string(KindCode(*q.kind)));
    sql += " AND kind = $" + std::to_string(params.size());
  }
  if (!q.period_prefix.empty()) {
    // Periods are short ASCII codes: a prefix is a range [p, p || '~') ('~' sorts after '-', digits, 'Q').
    params.push_back(q.period_prefix);
    sql += " AND period >= $" + std::to_string(params.size());
    params.push_back(q.period_prefix + "~");
    sql += " AND period < $" + std::to_string(params.size());
  }
  if (q.before_id > 0) {
    params.push_back(q.before_id);
    sql += " AND id < $" + std::to_string(params.size());
  }
  params.push_back(static_cast<int64_t>(q.limit < 1 ? 1 : q.limit > 500 ? 500 : q.limit));
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(params.size());
  std::vector<Item> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query(sql, params));
    for (const Row& r : rs.rows) out.push_back(ItemFrom(r));
    return Status::Ok();
  }));
  return out;
}

Result<Cadence> SqlDisclosureStore::GetCadence(const std::string& village) {
  Cadence c = Cadence::kMonthly;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT cadence FROM disclosure_settings WHERE village_code = $1", Params{village}));
    if (!rs.empty()) c = ParseCadence(rs.rows[0].Text(0)).value_or(Cadence::kMonthly);
    return Status::Ok();
  }));
  return c;
}

Status SqlDisclosureStore::SetCadence(const std::string& village, Cadence cadence, int64_t by,
                                      const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO disclosure_settings (village_code, cadence, set_by, set_at_ms) VALUES ($1, $2, $3, $4) "
                               "ON CONFLICT (village_code) DO UPDATE SET cadence = excluded.cadence, set_by = excluded.set_by, "
                               "set_at_ms = excluded.set_at_ms",
                               Params{village, std::string(CadenceCode(cadence)), by, now_ms})
                           .status());
    return append_audit_(tx, event, now_ms);
  });
}

Status SqlDisclosureStore::InsertQuestion(const Question& q, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO disclosure_questions (id, item_id, village_code, asked_by, text, asked_at_ms) "
                               "VALUES ($1, $2, $3, $4, $5, $6)",
                               Params{q.id, q.item_id, q.village, q.asked_by, q.text, q.asked_at_ms})
                           .status());
    return append_audit_(tx, event, now_ms);
  });
}

Result<std::optional<Question>> SqlDisclosureStore::GetQuestion(int64_t id) {
  std::optional<Question> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT " + std::string(kQuestionColumns) +
                                                            " FROM disclosure_questions WHERE id = $1",
                                                        Params{id}));
    if (!rs.empty()) out = QuestionFrom(rs.rows[0]);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Question>> SqlDisclosureStore::Questions(int64_t item_id) {
  std::vector<Question> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + std::string(kQuestionColumns) +
                                     " FROM disclosure_questions WHERE item_id = $1 ORDER BY id LIMIT 1000",
                                 Params{item_id}));
    for (const Row& r : rs.rows) out.push_back(QuestionFrom(r));
    return Status::Ok();
  }));
  return out;
}

Status SqlDisclosureStore::Answer(int64_t question_id, const std::string& answer, int64_t by, int64_t now_ms,
                                  const access::AuditEvent& event) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t changed,
                        tx.Exec("UPDATE disclosure_questions SET answer = $2, answered_by = $3, answered_at_ms = $4 "
                                "WHERE id = $1 AND answer IS NULL AND appeal_id IS NULL",
                                Params{question_id, answer, by, now_ms}));
    if (changed != 1) return FailedPrecondition(std::string(problems::kAlreadyAnswered));
    return append_audit_(tx, event, now_ms);
  });
}

Result<std::vector<Question>> SqlDisclosureStore::DueForEscalation(int64_t asked_before_ms, int limit) {
  std::vector<Question> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT " + std::string(kQuestionColumns) +
                                     " FROM disclosure_questions WHERE answer IS NULL AND appeal_id IS NULL AND asked_at_ms < $1 "
                                     "ORDER BY asked_at_ms LIMIT $2",
                                 Params{asked_before_ms, static_cast<int64_t>(limit)}));
    for (const Row& r : rs.rows) out.push_back(QuestionFrom(r));
    return Status::Ok();
  }));
  return out;
}

Status SqlDisclosureStore::MarkEscalated(int64_t question_id, int64_t appeal_id, int64_t now_ms,
                                         const access::AuditEvent& event) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t changed,
                        tx.Exec("UPDATE disclosure_questions SET appeal_id = $2, escalated_at_ms = $3 "
                                "WHERE id = $1 AND answer IS NULL AND appeal_id IS NULL",
                                Params{question_id, appeal_id, now_ms}));
    if (changed != 1) return FailedPrecondition(std::string(problems::kAlreadyAnswered));
    return append_audit_(tx, event, now_ms);
  });
}

}  // namespace gz::disclosure
