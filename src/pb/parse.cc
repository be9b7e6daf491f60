// The pabulib .pb reader. Strict about structure (sections in order, one field per header
// column, known project ids, counts that match META), tolerant about what real files do (CRLF or
// LF, a UTF-8 byte order mark, blank lines, spaces around fields).

#include <algorithm>
#include <charconv>
#include <limits>
#include <unordered_map>

#include "pb/pb.h"

namespace gz::pb {
namespace {

Status Malformed(size_t line, std::string reason) {
  return InvalidArgument("pb/malformed", reason).With("line", std::to_string(line)).With("reason", std::move(reason));
}
Status Oversized(size_t line, std::string reason) {
  return TooLarge("pb/too-large", reason).With("line", std::to_string(line)).With("reason", std::move(reason));
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// One CSV row with ';' as the delimiter; quoted fields with "" for a quote inside.
Result<std::vector<std::string>> SplitRow(std::string_view row, size_t line) {
  std::vector<std::string> fields;
  size_t i = 0;
  while (true) {
    while (i < row.size() && (row[i] == ' ' || row[i] == '\t')) ++i;
    std::string field;
    if (i < row.size() && row[i] == '"') {
      ++i;
      bool closed = false;
      while (i < row.size()) {
        if (row[i] == '"') {
          if (i + 1 < row.size() && row[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        field.push_back(row[i++]);
      }
      if (!closed) return Malformed(line, "a quoted field is not closed (fields cannot span lines)");
      while (i < row.size() && (row[i] == ' ' || row[i] == '\t')) ++i;
      if (i < row.size() && row[i] != ';')
        return Malformed(line, "text after the closing quote of a field (a quote inside a quoted field is written \"\")");
    } else {
      size_t end = row.find(';', i);
      if (end == std::string_view::npos) end = row.size();
      std::string_view raw = row.substr(i, end - i);
      if (raw.find('"') != std::string_view::npos)
        return Malformed(line, "a field contains a quote but is not quoted");
      field = std::string(TrimSpaces(raw));
      i = end;
    }
    fields.push_back(std::move(field));
    if (i >= row.size()) break;
    ++i;  // the ';'
  }
  return fields;
}

// A non-negative decimal number as written in .pb files ("400000", "400000.0", "102533.36"):
// its digits without the point, and how many decimals it has (trailing zeros dropped).
struct Decimal {
  std::string digits;  // no leading zeros beyond one, no point
  int decimals = 0;
};

Result<Decimal> ParseDecimal(std::string_view text, size_t line, std::string_view what, int max_decimals) {
  std::string_view s = TrimSpaces(text);
  if (s.empty()) return Malformed(line, std::string(what) + " is empty");
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  auto all_digits = [](std::string_view d) {
    return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || !all_digits(whole) || !all_digits(frac) || (dot != std::string_view::npos && frac.empty())) {
    if (!s.empty() && s.front() == '-') return Malformed(line, std::string(what) + " is negative: " + std::string(s));
    if (s.find(',') != std::string_view::npos)
      return Malformed(line, std::string(what) + " uses a decimal comma (write a point): " + std::string(s));
    return Malformed(line, std::string(what) + " is not a number: " + std::string(s));
  }
  while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
  if (static_cast<int>(frac.size()) > max_decimals)
    return Malformed(line, std::string(what) + " has more than " + std::to_string(max_decimals) + " decimals: " +
                               std::string(s));
  while (whole.size() > 1 && whole.front() == '0') whole.remove_prefix(1);
  Decimal d;
  d.digits = std::string(whole) + std::string(frac);
  d.decimals = static_cast<int>(frac.size());
  return d;
}

// value * 10^(scale_decimals - decimals), checked against the limit that keeps sums of all
// costs within int64.
constexpr int64_t kMaxAmount = int64_t{1} << 52;

std::optional<int64_t> ScaleDecimal(const Decimal& d, int scale_decimals) {
  std::string digits = d.digits + std::string(static_cast<size_t>(scale_decimals - d.decimals), '0');
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || value > kMaxAmount) return std::nullopt;
  return value;
}

Result<int64_t> ParseInteger(std::string_view text, size_t line, std::string_view what) {
  std::string_view s = TrimSpaces(text);
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size())
    return Malformed(line, std::string(what) + " is not a whole number: " + std::string(s));
  return value;
}

struct Line {
  size_t number = 0;
  std::string_view text;
};

enum class Section { kNone, kMeta, kProjects, kVotes };

std::optional<Section> SectionName(std::string_view text) {
  std::string name = Lower(TrimSpaces(text));
  if (name == "meta") return Section::kMeta;
  if (name == "projects") return Section::kProjects;
  if (name == "votes") return Section::kVotes;
  return std::nullopt;
}

int ColumnIndex(const std::vector<std::string>& header, std::string_view name) {
  for (size_t i = 0; i < header.size(); ++i)
    if (Lower(header[i]) == name) return static_cast<int>(i);
  return -1;
}

std::vector<std::string_view> SplitList(std::string_view s) {
  std::vector<std::string_view> out;
  s = TrimSpaces(s);
  if (s.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t comma = s.find(',', start);
    out.push_back(TrimSpaces(s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

std::string_view Instance::Meta(std::string_view key) const {
  for (const auto& [k, v] : meta)
    if (k == key) return v;
  return {};
}

std::string DescribeParseError(const Status& status) {
  std::string_view line = status.Arg("line");
  std::string_view reason = status.Arg("reason");
  if (reason.empty()) return status.ToString();
  if (line.empty() || line == "0") return std::string(reason);
  return "line " + std::string(line) + ": " + std::string(reason);
}

Result<Instance> ParsePabulib(std::string_view text, const ParseLimits& limits) {
  if (text.size() > limits.max_bytes)
    return Oversized(0, "the file has " + std::to_string(text.size()) + " bytes, more than the limit of " +
                            std::to_string(limits.max_bytes));
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);

  // Split into lines, remembering numbers; CRLF or LF.
  std::vector<Line> lines;
  size_t number = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = text.substr(pos, end - pos);
    ++number;
    pos = end + 1;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.size() > limits.max_line_bytes)
      return Oversized(number, "the line has " + std::to_string(l.size()) + " bytes, more than the limit of " +
                                   std::to_string(limits.max_line_bytes));
    if (l.find('\0') != std::string_view::npos) return Malformed(number, "the line contains a NUL byte");
    if (TrimSpaces(l).empty()) continue;  // the checker forbids blank lines; a tolerant reader skips them
    lines.push_back({number, l});
  }
  if (lines.empty()) return Malformed(0, "the file is empty");

  Instance instance;
  Section section = Section::kNone;
  std::vector<std::string> header;
  bool expect_header = false;
  size_t header_line = 0;
  int col_id = -1, col_cost = -1, col_name = -1, col_selected = -1, col_votes = -1, col_score = -1;
  int col_voter = -1, col_vote = -1, col_points = -1;
  std::vector<Decimal> cost_texts;
  std::vector<size_t> cost_lines;
  std::vector<std::optional<int64_t>> votes_column, score_column;
  std::vector<size_t> project_lines;
  std::unordered_map<std::string, size_t> project_index;
  std::unordered_map<std::string, size_t> voter_seen;
  std::vector<size_t> ballot_lines;
  bool seen[4] = {false, false, false, false};
  std::string vote_type;
  bool has_points = false;

  for (const Line& line : lines) {
    if (auto next = SectionName(line.text)) {
      if (seen[static_cast<int>(*next)])
        return Malformed(line.number, "the section " + std::string(TrimSpaces(line.text)) + " appears twice");
      if (static_cast<int>(*next) != static_cast<int>(section) + 1)
        return Malformed(line.number, "sections must come in the order META, PROJECTS, VOTES; found " +
                                          std::string(TrimSpaces(line.text)) + " out of order");
      if (expect_header) return Malformed(line.number, "the previous section has no header line");
      section = *next;
      seen[static_cast<int>(section)] = true;
      expect_header = true;
      if (section == Section::kProjects) {
        vote_type = Lower(instance.Meta("vote_type"));
        if (vote_type.empty()) return Malformed(line.number, "META has no vote_type");
        if (vote_type != "approval" && vote_type != "choose-1" && vote_type != "cumulative" && vote_type != "scoring" &&
            vote_type != "ordinal")
          return Malformed(line.number, "META vote_type " + vote_type +
                                            " is not one of approval, choose-1, cumulative, scoring, ordinal");
      }
      continue;
    }
    if (section == Section::kNone)
      return Malformed(line.number, "the file must start with the line META (found: " +
                                        std::string(line.text.substr(0, 40)) + ")");
    GZ_ASSIGN_OR_RETURN(std::vector<std::string> fields, SplitRow(line.text, line.number));
    if (expect_header) {
      header = std::move(fields);
      header_line = line.number;
      expect_header = false;
      for (auto& h : header) h = std::string(TrimSpaces(h));
      if (section == Section::kMeta) {
        if (header.size() != 2 || Lower(header[0]) != "key" || Lower(header[1]) != "value")
          return Malformed(line.number, "the META header must be key;value");
      } else if (section == Section::kProjects) {
        col_id = ColumnIndex(header, "project_id");
        col_cost = ColumnIndex(header, "cost");
        col_name = ColumnIndex(header, "name");
        col_selected = ColumnIndex(header, "selected");
        col_votes = ColumnIndex(header, "votes");
        col_score = ColumnIndex(header, "score");
        if (col_id < 0 || col_cost < 0)
          return Malformed(line.number, "the PROJECTS header must have the columns project_id and cost");
      } else {
        col_voter = ColumnIndex(header, "voter_id");
        col_vote = ColumnIndex(header, "vote");
        col_points = ColumnIndex(header, "points");
        if (col_voter < 0 || col_vote < 0)
          return Malformed(line.number, "the VOTES header must have the columns voter_id and vote");
        has_points = vote_type == "cumulative" || vote_type == "scoring";
        if (has_points && col_points < 0)
          return Malformed(line.number, "vote_type " + vote_type + " needs a points column in VOTES");
      }
      continue;
    }
    if (fields.size() != header.size())
      return Malformed(line.number, "the row has " + std::to_string(fields.size()) + " fields but the header (line " +
                                        std::to_string(header_line) + ") has " + std::to_string(header.size()));
    if (section == Section::kMeta) {
      std::string key = std::string(TrimSpaces(fields[0]));
      if (key.empty()) return Malformed(line.number, "a META key is empty");
      if (std::any_of(instance.meta.begin(), instance.meta.end(), [&](const auto& kv) { return kv.first == key; }))
        return Malformed(line.number, "the META key " + key + " appears twice");
      instance.meta.emplace_back(std::move(key), std::string(TrimSpaces(fields[1])));
      continue;
    }
    if (section == Section::kProjects) {
      if (instance.projects.size() >= limits.max_projects)
        return Oversized(line.number, "more than " + std::to_string(limits.max_projects) + " projects");
      Project p;
      p.id = fields[col_id];
      if (p.id.empty()) return Malformed(line.number, "a project_id is empty");
      if (p.id.find(',') != std::string::npos)
        return Malformed(line.number, "the project_id " + p.id + " contains a comma, which ballots cannot name");
      if (!project_index.emplace(p.id, instance.projects.size()).second)
        return Malformed(line.number, "the project_id " + p.id + " appears twice");
      GZ_ASSIGN_OR_RETURN(Decimal cost, ParseDecimal(fields[col_cost], line.number, "the cost of project " + p.id,
                                                     limits.max_decimals));
      cost_texts.push_back(std::move(cost));
      if (col_name >= 0) p.name = fields[col_name];
      if (col_selected >= 0 && !TrimSpaces(fields[col_selected]).empty()) {
        GZ_ASSIGN_OR_RETURN(int64_t sel, ParseInteger(fields[col_selected], line.number, "selected"));
        if (sel < 0 || sel > 2) return Malformed(line.number, "selected must be 0, 1 or 2, not " + std::to_string(sel));
        p.selected_in_file = sel;
      }
      std::optional<int64_t> votes, score;
      if (col_votes >= 0 && !TrimSpaces(fields[col_votes]).empty()) {
        GZ_ASSIGN_OR_RETURN(int64_t v, ParseInteger(fields[col_votes], line.number, "votes"));
        votes = v;
      }
      if (col_score >= 0 && !TrimSpaces(fields[col_score]).empty()) {
        GZ_ASSIGN_OR_RETURN(int64_t v, ParseInteger(fields[col_score], line.number, "score"));
        score = v;
      }
      votes_column.push_back(votes);
      score_column.push_back(score);
      project_lines.push_back(line.number);
      instance.projects.push_back(std::move(p));
      continue;
    }
    // VOTES
    if (instance.ballots.size() >= limits.max_ballots)
      return Oversized(line.number, "more than " + std::to_string(limits.max_ballots) + " ballots");
    Ballot b;
    b.voter_id = fields[col_voter];
    if (b.voter_id.empty()) return Malformed(line.number, "a voter_id is empty");
    if (auto [it, fresh] = voter_seen.emplace(b.voter_id, line.number); !fresh)
      return Malformed(line.number, "the voter_id " + b.voter_id + " already voted on line " + std::to_string(it->second));
    std::vector<std::string_view> ids = SplitList(fields[col_vote]);
    std::vector<bool> named(instance.projects.size(), false);
    for (std::string_view id : ids) {
      auto it = project_index.find(std::string(id));
      if (it == project_index.end())
        return Malformed(line.number, "the ballot of voter " + b.voter_id + " names project " + std::string(id) +
                                          ", which PROJECTS does not list");
      if (named[it->second])
        return Malformed(line.number, "the ballot of voter " + b.voter_id + " names project " + std::string(id) + " twice");
      named[it->second] = true;
      b.approved.push_back(it->second);
    }
    if (vote_type == "choose-1" && b.approved.size() > 1)
      return Malformed(line.number, "a choose-1 ballot names " + std::to_string(b.approved.size()) + " projects");
    if (has_points) {
      std::vector<std::string_view> pts = SplitList(fields[col_points]);
      if (pts.size() != b.approved.size())
        return Malformed(line.number, "the ballot of voter " + b.voter_id + " has " + std::to_string(b.approved.size()) +
                                          " projects but " + std::to_string(pts.size()) + " points");
      for (std::string_view p : pts) {
        GZ_ASSIGN_OR_RETURN(int64_t v, ParseInteger(p, line.number, "a point value"));
        if (v < 0 || v > (int64_t{1} << 31)) return Malformed(line.number, "a point value is out of range: " + std::string(p));
        b.points.push_back(v);
      }
    }
    ballot_lines.push_back(line.number);
    instance.ballots.push_back(std::move(b));
  }
  if (expect_header) return Malformed(lines.back().number, "the last section has no header line");
  if (!seen[static_cast<int>(Section::kVotes)])
    return Malformed(lines.back().number, "the file has no VOTES section (META, PROJECTS and VOTES are required)");

  // Budget and costs in one exact scale: the most decimals any of them has.
  std::string_view budget_text = instance.Meta("budget");
  if (budget_text.empty()) return Malformed(0, "META has no budget");
  GZ_ASSIGN_OR_RETURN(Decimal budget, ParseDecimal(budget_text, 0, "the budget", limits.max_decimals));
  int decimals = budget.decimals;
  for (const Decimal& d : cost_texts) decimals = std::max(decimals, d.decimals);
  instance.unit_scale = 1;
  for (int i = 0; i < decimals; ++i) instance.unit_scale *= 10;
  std::optional<int64_t> scaled_budget = ScaleDecimal(budget, decimals);
  if (!scaled_budget) return Malformed(0, "the budget is too large");
  instance.budget = *scaled_budget;
  for (size_t i = 0; i < instance.projects.size(); ++i) {
    std::optional<int64_t> cost = ScaleDecimal(cost_texts[i], decimals);
    if (!cost) return Malformed(project_lines[i], "the cost of project " + instance.projects[i].id + " is too large");
    instance.projects[i].cost = *cost;
  }

  // Counts in META and the votes/score columns must agree with the rows.
  auto check_count = [&](std::string_view key, size_t actual) -> Status {
    std::string_view v = instance.Meta(key);
    if (v.empty()) return Status::Ok();
    Result<int64_t> n = ParseInteger(v, 0, "META " + std::string(key));
    if (!n.ok()) return n.status();
    if (*n < 0 || static_cast<size_t>(*n) != actual)
      return Malformed(0, "META " + std::string(key) + " says " + std::string(v) + " but the file has " +
                              std::to_string(actual) + " rows");
    return Status::Ok();
  };
  GZ_RETURN_IF_ERROR(check_count("num_projects", instance.projects.size()));
  GZ_RETURN_IF_ERROR(check_count("num_votes", instance.ballots.size()));
  std::vector<int64_t> counts = ApprovalCounts(instance);
  std::vector<int64_t> scores = Support(instance);
  for (size_t i = 0; i < instance.projects.size(); ++i) {
    if (votes_column[i] && *votes_column[i] != counts[i])
      return Malformed(project_lines[i], "project " + instance.projects[i].id + " has votes " +
                                             std::to_string(*votes_column[i]) + " but " + std::to_string(counts[i]) +
                                             " ballots name it");
    if (has_points && score_column[i] && *score_column[i] != scores[i])
      return Malformed(project_lines[i], "project " + instance.projects[i].id + " has score " +
                                             std::to_string(*score_column[i]) + " but its points add up to " +
                                             std::to_string(scores[i]));
  }
  return instance;
}

}  // namespace gz::pb
