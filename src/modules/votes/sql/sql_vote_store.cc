// Layer: votes sql (see sql_vote_store.h).
#include "modules/votes/sql/sql_vote_store.h"

#include <charconv>

#include "modules/audit/sql/audit_sql.h"
#include "modules/votes/problems.h"

namespace gz::votes {
namespace {

using storage::Blob;
using storage::Params;
using storage::Row;
using storage::Tx;
using storage::Value;

constexpr std::string_view kVoteColumns =
    "v.id, v.village_code, v.question, v.options, v.method, v.electorate_rule, v.secret, v.channel, v.opens_at_ms, "
    "v.closes_at_ms, v.state, v.drafted_by, v.drafted_at_ms, v.opened_by, v.opened_at_ms, v.electorate_as_of, "
    "v.electorate_size, v.rules_entry, v.rules_log_index, v.closed_by, v.closed_at_ms, v.tally_entry, v.tally_log_index, "
    "b.budget, b.rule, b.costs, b.round_id, b.round_projects";
// A budget vote is a votes row with a votes_budget row (vote_migrations.cc, votes/2).
constexpr std::string_view kVoteFrom = " FROM votes v LEFT JOIN votes_budget b ON b.vote_id = v.id";

// Options never contain control characters (vote.cc), so a newline separates them safely.
std::string OptionsText(const std::vector<std::string>& options) {
  std::string out;
  for (size_t i = 0; i < options.size(); ++i) {
    if (i > 0) out += '\n';
    out += options[i];
  }
  return out;
}

std::vector<std::string> ParseOptions(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t nl = text.find('\n', start);
    out.emplace_back(text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

std::string CountsText(const std::vector<int64_t>& counts) {
  std::string out = "[";
  for (size_t i = 0; i < counts.size(); ++i) {
    if (i > 0) out += ",";
    out += std::to_string(counts[i]);
  }
  return out + "]";
}

std::vector<int64_t> ParseCounts(std::string_view text) {
  std::vector<int64_t> out;
  if (text.size() < 2) return out;
  std::string_view body = text.substr(1, text.size() - 2);
  while (!body.empty()) {
    size_t comma = body.find(',');
    std::string_view part = body.substr(0, comma);
    int64_t v = 0;
    std::from_chars(part.data(), part.data() + part.size(), v);
    out.push_back(v);
    if (comma == std::string_view::npos) break;
    body.remove_prefix(comma + 1);
  }
  return out;
}

Vote VoteFrom(const Row& r) {
  Vote v;
  v.id = r.Int(0);
  v.village = r.Text(1);
  v.question = r.Text(2);
  v.options = ParseOptions(r.TextView(3));
  v.method = ParseMethod(r.Text(4)).value_or(Method::kSingle);
  v.electorate = ParseElectorate(r.Text(5)).value_or(ElectorateRule::kResidents18);
  v.secret = r.Int(6) != 0;
  v.channel = ParseChannel(r.Text(7)).value_or(Channel::kOnline);
  v.opens_at_ms = r.Int(8);
  v.closes_at_ms = r.Int(9);
  v.state = ParseState(r.Text(10)).value_or(State::kDraft);
  v.drafted_by = r.Int(11);
  v.drafted_at_ms = r.Int(12);
  v.opened_by = r.IsNull(13) ? 0 : r.Int(13);
  v.opened_at_ms = r.IsNull(14) ? 0 : r.Int(14);
  v.electorate_as_of = r.IsNull(15) ? "" : r.Text(15);
  v.electorate_size = r.IsNull(16) ? 0 : r.Int(16);
  v.rules_entry = r.IsNull(17) ? "" : r.Text(17);
  v.rules_log_index = r.IsNull(18) ? -1 : r.Int(18);
  v.closed_by = r.IsNull(19) ? 0 : r.Int(19);
  v.closed_at_ms = r.IsNull(20) ? 0 : r.Int(20);
  v.tally_entry = r.IsNull(21) ? "" : r.Text(21);
  v.tally_log_index = r.IsNull(22) ? -1 : r.Int(22);
  if (!r.IsNull(23)) {
    v.method = Method::kBudget;
    v.budget = r.Int(23);
    v.budget_rule = ParseBudgetRule(r.Text(24)).value_or(BudgetRule::kGreedy);
    v.costs = ParseCounts(r.TextView(25));
    v.round_id = r.IsNull(26) ? 0 : r.Int(26);
    v.round_projects = ParseCounts(r.TextView(27));
  }
  return v;
}

Result<std::optional<Vote>> GetIn(Tx& tx, int64_t id) {
  GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                      tx.Query("SELECT " + std::string(kVoteColumns) + std::string(kVoteFrom) + " WHERE v.id = $1", Params{id}));
  if (rs.empty()) return std::optional<Vote>();
  return std::optional<Vote>(VoteFrom(rs.rows[0]));
}

Result<std::vector<PaperCount>> PaperCountsIn(Tx& tx, int64_t vote_id) {
  GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                      tx.Query("SELECT clerk, ballots, blank, counts, entered_at_ms FROM votes_paper_counts "
                               "WHERE vote_id = $1 ORDER BY entered_at_ms, clerk",
                               Params{vote_id}));
  std::vector<PaperCount> out;
  for (const Row& r : rs.rows) {
    PaperCount c;
    c.clerk = r.Int(0);
    c.ballots = r.Int(1);
    c.blank = r.Int(2);
    c.counts = ParseCounts(r.TextView(3));
    c.entered_at_ms = r.Int(4);
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<Choice>> BallotsIn(Tx& tx, int64_t vote_id) {
  std::vector<Choice> out;
  GZ_RETURN_IF_ERROR(tx.QueryEach("SELECT choice FROM votes_ballots WHERE vote_id = $1 ORDER BY ballot_id", Params{vote_id},
                                  [&](const Row& r) -> Status {
                                    std::optional<Choice> c = ParseChoiceText(r.TextView(0));
                                    if (!c) return Internal("votes: unreadable ballot");
                                    out.push_back(std::move(*c));
                                    return Status::Ok();
                                  }));
  return out;
}

}  // namespace

SqlVoteStore::SqlVoteStore(storage::Db& db, LogAppend log_append, AppendAuditFn append_audit)
    : db_(db), log_append_(std::move(log_append)), append_audit_(std::move(append_audit)) {
  if (!append_audit_) append_audit_ = &audit::AppendAuditInTx;
}

Status SqlVoteStore::InsertDraft(const Vote& d, const access::AuditEvent& event, int64_t now_ms) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO votes (id, village_code, question, options, method, electorate_rule, secret, "
                               "channel, opens_at_ms, closes_at_ms, state, drafted_by, drafted_at_ms) "
                               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'draft', $11, $12)",
                               Params{d.id, d.village, d.question, OptionsText(d.options),
                                      std::string(MethodCode(d.method == Method::kBudget ? Method::kApproval : d.method)),
                                      std::string(ElectorateCode(d.electorate)), int64_t{d.secret ? 1 : 0},
                                      std::string(ChannelCode(d.channel)), d.opens_at_ms, d.closes_at_ms, d.drafted_by,
                                      d.drafted_at_ms})
                           .status());
    if (d.method == Method::kBudget) {
      if (d.round_id != 0) {
        // The round still collects (no vote yet) and its accepted projects are exactly the options.
        GZ_ASSIGN_OR_RETURN(storage::ResultSet taken,
                            tx.Query("SELECT vote_id FROM votes_budget WHERE round_id = $1", Params{d.round_id}));
        if (!taken.empty()) return FailedPrecondition(std::string(problems::kRoundNotCollecting));
        GZ_ASSIGN_OR_RETURN(storage::ResultSet accepted,
                            tx.Query("SELECT id FROM votes_budget_projects WHERE round_id = $1 AND state = 'accepted' "
                                     "ORDER BY id",
                                     Params{d.round_id}));
        std::vector<int64_t> ids;
        for (const Row& r : accepted.rows) ids.push_back(r.Int(0));
        if (ids != d.round_projects) return Aborted(std::string(problems::kRoundNotCollecting), "the accepted projects changed");
      }
      GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO votes_budget (vote_id, round_id, budget, rule, costs, round_projects) "
                                 "VALUES ($1, $2, $3, $4, $5, $6)",
                                 Params{d.id, d.round_id != 0 ? Value(d.round_id) : Value(nullptr), d.budget,
                                        std::string(BudgetRuleCode(d.budget_rule)), CountsText(d.costs),
                                        CountsText(d.round_projects)})
                             .status());
    }
    return append_audit_(tx, event, now_ms);
  });
}

Result<std::optional<Vote>> SqlVoteStore::Get(int64_t id) {
  std::optional<Vote> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(out, GetIn(tx, id));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Vote>> SqlVoteStore::List(const std::string& village, bool with_drafts, int limit) {
  std::string sql = "SELECT " + std::string(kVoteColumns) + std::string(kVoteFrom) + " WHERE v.village_code = $1";
  if (!with_drafts) sql += " AND v.state <> 'draft'";
  sql += " ORDER BY v.id DESC LIMIT $2";
  std::vector<Vote> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query(sql, Params{village, static_cast<int64_t>(limit < 1 ? 1 : limit)}));
    for (const Row& r : rs.rows) out.push_back(VoteFrom(r));
    return Status::Ok();
  }));
  return out;
}

Result<int64_t> SqlVoteStore::Open(const Vote& v, const std::vector<Elector>& electorate, const access::AuditEvent& event,
                                   int64_t now_ms) {
  if (!log_append_) return FailedPrecondition(std::string(problems::kNoLog), "no transparency log is wired");
  int64_t index = -1;
  GZ_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT state FROM votes WHERE id = $1", Params{v.id}));
    if (rs.empty()) return NotFound(std::string(problems::kVoteNotFound));
    if (rs.rows[0].Text(0) != "draft") return Aborted(std::string(problems::kNotADraft));
    // A township's electorate is tens of thousands of rows: many rows per statement (one round
    // trip each on PostgreSQL), within SQLite's 999 parameters.
    const std::string county = v.village.substr(0, 6);
    constexpr size_t kRowsPerInsert = 200;
    for (size_t first = 0; first < electorate.size(); first += kRowsPerInsert) {
      const size_t last = std::min(electorate.size(), first + kRowsPerInsert);
      std::string sql = "INSERT INTO votes_electorate (vote_id, resident_id, unit_id, county_code) VALUES ";
      Params params;
      for (size_t i = first; i < last; ++i) {
        const size_t n = params.size();
        if (i != first) sql += ", ";
        sql += "($" + std::to_string(n + 1) + ", $" + std::to_string(n + 2) + ", $" + std::to_string(n + 3) + ", $" +
               std::to_string(n + 4) + ")";
        params.push_back(Value(v.id));
        params.push_back(Value(electorate[i].resident_id));
        params.push_back(Value(electorate[i].unit_id));
        params.push_back(Value(county));
      }
      GZ_RETURN_IF_ERROR(tx.Exec(sql, params).status());
    }
    GZ_ASSIGN_OR_RETURN(std::uint64_t appended, log_append_(tx, v.village, v.rules_entry));
    index = static_cast<int64_t>(appended);
    GZ_ASSIGN_OR_RETURN(int64_t changed,
                        tx.Exec("UPDATE votes SET state = 'open', opened_by = $2, opened_at_ms = $3, electorate_as_of = $4, "
                                "electorate_size = $5, rules_entry = $6, rules_log_index = $7 WHERE id = $1 AND state = 'draft'",
                                Params{v.id, v.opened_by, v.opened_at_ms, v.electorate_as_of, v.electorate_size,
                                       Blob{v.rules_entry}, index}));
    if (changed != 1) return Aborted(std::string(problems::kNotADraft));
    return append_audit_(tx, event, now_ms);
  }));
  return index;
}

Status SqlVoteStore::Cast(const CastRecord& c, const access::AuditEvent& event) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT state, opens_at_ms, closes_at_ms, secret, village_code FROM votes WHERE id = $1",
                                 Params{c.vote_id}));
    if (rs.empty()) return NotFound(std::string(problems::kVoteNotFound));
    const std::string state = rs.rows[0].Text(0);
    if (state != "open") return FailedPrecondition(std::string(problems::kNotOpen)).With("reason", state);
    if (c.now_ms < rs.rows[0].Int(1)) return FailedPrecondition(std::string(problems::kNotOpen)).With("reason", "not-yet");
    if (c.now_ms >= rs.rows[0].Int(2)) return FailedPrecondition(std::string(problems::kNotOpen)).With("reason", "closed");
    const bool secret = rs.rows[0].Int(3) != 0;
    const std::string county = rs.rows[0].Text(4).substr(0, 6);
    GZ_ASSIGN_OR_RETURN(storage::ResultSet el,
                        tx.Query("SELECT unit_id FROM votes_electorate WHERE vote_id = $1 AND resident_id = $2",
                                 Params{c.vote_id, c.resident_id}));
    if (el.empty()) return PermissionDenied(std::string(problems::kNotEligible));
    const int64_t unit = el.rows[0].Int(0);
    GZ_ASSIGN_OR_RETURN(int64_t written,
                        tx.Exec("INSERT INTO votes_participation (vote_id, unit_id, cast_by, consent_id, cast_at_ms, county_code) "
                                "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (vote_id, unit_id) DO NOTHING",
                                Params{c.vote_id, unit, c.cast_by_account, c.consent_id, c.now_ms, county}));
    if (written != 1) return AlreadyExists(std::string(problems::kAlreadyVoted));
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO votes_ballots (vote_id, ballot_id, choice, unit_id, cast_at_ms, county_code) "
                               "VALUES ($1, $2, $3, $4, $5, $6)",
                               Params{c.vote_id, c.ballot_id, ChoiceText(c.choice), secret ? Value(nullptr) : Value(unit),
                                      secret ? Value(nullptr) : Value(c.now_ms), county})
                           .status());
    return append_audit_(tx, event, c.now_ms);
  });
}

Result<std::optional<Elector>> SqlVoteStore::FindElector(int64_t vote_id, int64_t resident_id) {
  std::optional<Elector> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT unit_id FROM votes_electorate WHERE vote_id = $1 AND resident_id = $2",
                                 Params{vote_id, resident_id}));
    if (!rs.empty()) out = Elector{resident_id, rs.rows[0].Int(0)};
    return Status::Ok();
  }));
  return out;
}

Result<std::optional<Participation>> SqlVoteStore::GetParticipation(int64_t vote_id, int64_t unit_id) {
  std::optional<Participation> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT cast_by, consent_id, cast_at_ms FROM votes_participation "
                                 "WHERE vote_id = $1 AND unit_id = $2",
                                 Params{vote_id, unit_id}));
    if (!rs.empty()) out = Participation{unit_id, rs.rows[0].Int(0), rs.rows[0].Int(1), rs.rows[0].Int(2)};
    return Status::Ok();
  }));
  return out;
}

Result<int64_t> SqlVoteStore::ParticipationCount(int64_t vote_id) {
  int64_t n = 0;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                        tx.Query("SELECT COUNT(*) FROM votes_participation WHERE vote_id = $1", Params{vote_id}));
    n = rs.rows[0].Int(0);
    return Status::Ok();
  }));
  return n;
}

Result<std::vector<Choice>> SqlVoteStore::Ballots(int64_t vote_id) {
  std::vector<Choice> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(out, BallotsIn(tx, vote_id));
    return Status::Ok();
  }));
  return out;
}

Status SqlVoteStore::PutPaperCount(int64_t vote_id, const PaperCount& c, const access::AuditEvent& event) {
  return db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT state FROM votes WHERE id = $1", Params{vote_id}));
    if (rs.empty()) return NotFound(std::string(problems::kVoteNotFound));
    if (rs.rows[0].Text(0) != "open")
      return FailedPrecondition(std::string(problems::kNotOpen)).With("reason", rs.rows[0].Text(0));
    GZ_ASSIGN_OR_RETURN(storage::ResultSet others,
                        tx.Query("SELECT COUNT(*) FROM votes_paper_counts WHERE vote_id = $1 AND clerk <> $2",
                                 Params{vote_id, c.clerk}));
    if (others.rows[0].Int(0) >= 2)
      return FailedPrecondition(std::string(problems::kCountsDiffer)).With("reason", "two-clerks");
    GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO votes_paper_counts (vote_id, clerk, ballots, blank, counts, entered_at_ms) "
                               "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (vote_id, clerk) DO UPDATE SET "
                               "ballots = excluded.ballots, blank = excluded.blank, counts = excluded.counts, "
                               "entered_at_ms = excluded.entered_at_ms",
                               Params{vote_id, c.clerk, c.ballots, c.blank, CountsText(c.counts), c.entered_at_ms})
                           .status());
    return append_audit_(tx, event, c.entered_at_ms);
  });
}

Result<std::vector<PaperCount>> SqlVoteStore::PaperCounts(int64_t vote_id) {
  std::vector<PaperCount> out;
  GZ_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(out, PaperCountsIn(tx, vote_id));
    return Status::Ok();
  }));
  return out;
}

Result<Vote> SqlVoteStore::Close(int64_t vote_id, const CloseFn& close, const access::AuditEvent& event, int64_t now_ms) {
  if (!log_append_) return FailedPrecondition(std::string(problems::kNoLog), "no transparency log is wired");
  Vote closed;
  GZ_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(std::optional<Vote> open, GetIn(tx, vote_id));
    if (!open) return NotFound(std::string(problems::kVoteNotFound));
    if (open->state != State::kOpen)
      return Aborted(std::string(problems::kNotOpen)).With("reason", std::string(StateCode(open->state)));
    std::vector<Choice> ballots;
    if (open->channel == Channel::kOnline) {
      GZ_ASSIGN_OR_RETURN(ballots, BallotsIn(tx, vote_id));
    }
    GZ_ASSIGN_OR_RETURN(std::vector<PaperCount> counts, PaperCountsIn(tx, vote_id));
    GZ_ASSIGN_OR_RETURN(closed, close(*open, ballots, counts));
    GZ_ASSIGN_OR_RETURN(std::uint64_t appended, log_append_(tx, closed.village, closed.tally_entry));
    closed.tally_log_index = static_cast<int64_t>(appended);
    closed.closed_by = event.actor_account;
    GZ_ASSIGN_OR_RETURN(int64_t changed,
                        tx.Exec("UPDATE votes SET state = 'closed', closed_by = $2, closed_at_ms = $3, tally_entry = $4, "
                                "tally_log_index = $5 WHERE id = $1 AND state = 'open'",
                                Params{vote_id, closed.closed_by, closed.closed_at_ms, Blob{closed.tally_entry},
                                       closed.tally_log_index}));
    if (changed != 1) return Aborted(std::string(problems::kNotOpen)).With("reason", "closed");
    return append_audit_(tx, event, now_ms);
  }));
  return closed;
}

Status SqlVoteStore::AwaitEarlierWrites() {
  return db_.Write([](Tx&) { return Status::Ok(); });
}

}  // namespace gz::votes
