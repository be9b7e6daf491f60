// Layer: deliberation domain (see rules.h).
#include "modules/deliberation/rules.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "modules/deliberation/problems.h"

namespace gz::deliberation {
namespace {

Status BadChain(std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadChain)).With("reason", std::string(reason));
}

bool IsCode(std::string_view s) {
  if (s.size() < 2 || s.size() > 40) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// UTF-8 code points of a short name without control characters or the encoding's separators.
bool IsName(std::string_view s) {
  if (s.empty() || s.size() > 160) return false;
  size_t chars = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    if (n == 1 && (c < 0x20 || c == 0x7f || c == '|' || c == ',' || c == ';')) return false;
    i += n;
    ++chars;
  }
  return chars >= 1 && chars <= 40;
}

bool ProperFraction(const Threshold& t) { return t.den > 0 && t.den <= 1000 && t.num >= 0 && t.num <= t.den; }

std::string_view CompareCode(Compare c) { return c == Compare::kAtLeast ? "ge" : "gt"; }

std::string FractionCode(const Threshold& t) {
  return std::to_string(t.num) + "/" + std::to_string(t.den) + "/" + std::string(CompareCode(t.compare));
}

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

std::optional<Threshold> ParseFraction(std::string_view s) {
  std::vector<std::string_view> p = Split(s, '/');
  if (p.size() != 3) return std::nullopt;
  std::optional<int64_t> num = ParseInt(p[0]), den = ParseInt(p[1]);
  if (!num || !den || (p[2] != "ge" && p[2] != "gt")) return std::nullopt;
  Threshold t{*num, *den, p[2] == "ge" ? Compare::kAtLeast : Compare::kMoreThan};
  if (!ProperFraction(t)) return std::nullopt;
  return t;
}

BodyRule Body(std::string code, std::string name, std::vector<QuorumOption> quorum, MajorityBasis basis,
              Threshold majority, int notice_days, VoteMode votes) {
  BodyRule b;
  b.code = std::move(code);
  b.name_zh = std::move(name);
  b.quorum = std::move(quorum);
  b.majority_basis = basis;
  b.majority = majority;
  b.notice_days = notice_days;
  b.votes = votes;
  return b;
}

constexpr Threshold kMoreThanHalf{1, 2, Compare::kMoreThan};
constexpr Threshold kAtLeastTwoThirds{2, 3, Compare::kAtLeast};

Chain BuildDefault() {
  Chain c;
  c.steps.push_back(StepDef{"propose", "村党组织提议", StepKind::kMeeting, {"propose"},
                            {Body("party_committee", "村党组织委员会会议", {{QuorumBasis::kMembers, kMoreThanHalf}},
                                  MajorityBasis::kMembers, kMoreThanHalf, 0, VoteMode::kNamed)}});
  c.steps.push_back(StepDef{"deliberate", "村“两委”会议商议", StepKind::kMeeting, {"deliberate"},
                            {Body("joint_meeting", "村“两委”联席会议", {{QuorumBasis::kMembers, kMoreThanHalf}},
                                  MajorityBasis::kAttendees, kMoreThanHalf, 0, VoteMode::kNamed)}});
  c.steps.push_back(StepDef{"review", "党员大会审议", StepKind::kMeeting, {"review"},
                            {Body("party_members", "党员大会", {{QuorumBasis::kMembers, kAtLeastTwoThirds}},
                                  MajorityBasis::kMembers, kMoreThanHalf, 0, VoteMode::kCounted)}});
  c.steps.push_back(StepDef{
      "resolve", "村民会议或村民代表会议决议", StepKind::kMeeting, {"resolve"},
      {Body("villagers_meeting", "村民会议",
            {{QuorumBasis::kMembers, kMoreThanHalf}, {QuorumBasis::kHouseholds, kAtLeastTwoThirds}},
            MajorityBasis::kAttendees, kMoreThanHalf, 10, VoteMode::kCounted),
       Body("representatives_meeting", "村民代表会议", {{QuorumBasis::kMembers, kAtLeastTwoThirds}},
            MajorityBasis::kAttendees, kMoreThanHalf, 0, VoteMode::kCounted)}});
  c.steps.push_back(StepDef{"publish_resolution", "决议公开", StepKind::kPublishResolution, {"publish_resolution"}, {}});
  c.steps.push_back(StepDef{"publish_result", "实施结果公开", StepKind::kPublishResult, {"publish_result"}, {}});
  return c;
}

std::string Percentish(const Threshold& t) { return std::to_string(t.num) + "/" + std::to_string(t.den); }

}  // namespace

bool Meets(int64_t count, int64_t total, const Threshold& t) {
  if (total <= 0 || count < 0 || t.den <= 0) return false;
  const __int128 lhs = static_cast<__int128>(count) * t.den;
  const __int128 rhs = static_cast<__int128>(t.num) * total;
  return t.compare == Compare::kAtLeast ? lhs >= rhs : lhs > rhs;
}

std::string ThresholdText(const Threshold& t) {
  return (t.compare == Compare::kAtLeast ? "at least " : "more than ") + Percentish(t);
}

std::string_view StepKindCode(StepKind k) {
  switch (k) {
    case StepKind::kMeeting: return "meeting";
    case StepKind::kPublishResolution: return "publish_resolution";
    case StepKind::kPublishResult: return "publish_result";
  }
  return "meeting";
}

std::optional<StepKind> ParseStepKind(std::string_view code) {
  if (code == "meeting") return StepKind::kMeeting;
  if (code == "publish_resolution") return StepKind::kPublishResolution;
  if (code == "publish_result") return StepKind::kPublishResult;
  return std::nullopt;
}

const Chain& DefaultChain() {
  static const Chain chain = BuildDefault();
  return chain;
}

Status ValidateChain(const Chain& chain) {
  if (chain.steps.empty() || chain.steps.size() > kMaxSteps) return BadChain("step-count");
  std::set<std::string> codes;
  std::vector<std::string> covered;
  for (const StepDef& s : chain.steps) {
    if (!IsCode(s.code) || !codes.insert(s.code).second) return BadChain("step-code");
    if (!IsName(s.name_zh)) return BadChain("step-name");
    for (const std::string& c : s.covers) {
      if (std::find(std::begin(kLegalSteps), std::end(kLegalSteps), c) == std::end(kLegalSteps))
        return BadChain("unknown-legal-step");
      covered.push_back(c);
    }
    if (s.covers.size() > 1) {
      // Only the proposal and the committees' deliberation may be one meeting (一肩挑: the Party
      // secretary chairs the villagers' committee); every other legal step is a distinct body.
      if (s.covers != std::vector<std::string>{"propose", "deliberate"}) return BadChain("merge-not-allowed");
    }
    if (s.kind == StepKind::kMeeting) {
      if (s.bodies.empty() || s.bodies.size() > kMaxBodies) return BadChain("bodies");
      for (const std::string& c : s.covers)
        if (c == "publish_resolution" || c == "publish_result") return BadChain("publication-is-not-a-meeting");
      std::set<std::string> body_codes;
      for (const BodyRule& b : s.bodies) {
        if (!IsCode(b.code) || !body_codes.insert(b.code).second) return BadChain("body-code");
        if (!IsName(b.name_zh)) return BadChain("body-name");
        if (b.quorum.size() > 2) return BadChain("quorum");
        for (const QuorumOption& q : b.quorum)
          if (!ProperFraction(q.threshold)) return BadChain("quorum");
        if (!ProperFraction(b.majority)) return BadChain("majority");
        // A majority below one half would let a minority decide against a majority.
        if (b.majority.num * 2 < b.majority.den) return BadChain("majority");
        // "At least half" would let a tie pass both ways: at one half, only "more than".
        if (b.majority.num * 2 == b.majority.den && b.majority.compare == Compare::kAtLeast) return BadChain("majority");
        if (b.notice_days < 0 || b.notice_days > 60) return BadChain("notice-days");
      }
    } else {
      const std::string_view legal = s.kind == StepKind::kPublishResolution ? "publish_resolution" : "publish_result";
      if (!s.bodies.empty() || s.covers.size() != 1 || s.covers[0] != legal) return BadChain("publication-step");
    }
  }
  if (covered != std::vector<std::string>(std::begin(kLegalSteps), std::end(kLegalSteps)))
    return BadChain("legal-steps-out-of-order");
  // The legal rules for the two bodies the law names may be tightened, never loosened.
  for (const StepDef& s : chain.steps) {
    if (s.covers.size() != 1) continue;
    for (const BodyRule& b : s.bodies) {
      for (const StepDef& d : DefaultChain().steps) {
        if (d.covers != s.covers) continue;
        for (const BodyRule& legal : d.bodies) {
          if (legal.code != b.code) continue;
          // Each legal quorum option must be kept at least as strict (same basis, fraction >=).
          for (const QuorumOption& lq : legal.quorum) {
            bool kept = false;
            for (const QuorumOption& q : b.quorum) {
              if (q.basis != lq.basis) continue;
              const __int128 a = static_cast<__int128>(q.threshold.num) * lq.threshold.den;
              const __int128 l = static_cast<__int128>(lq.threshold.num) * q.threshold.den;
              if (a > l || (a == l && (q.threshold.compare == lq.threshold.compare ||
                                       q.threshold.compare == Compare::kMoreThan)))
                kept = true;
            }
            if (!kept) return BadChain("looser-than-law");
          }
          if (b.quorum.size() > legal.quorum.size()) return BadChain("looser-than-law");  // an extra way in
          const __int128 a = static_cast<__int128>(b.majority.num) * legal.majority.den;
          const __int128 l = static_cast<__int128>(legal.majority.num) * b.majority.den;
          if (b.majority_basis != legal.majority_basis && legal.majority_basis == MajorityBasis::kMembers)
            return BadChain("looser-than-law");
          if (a < l || (a == l && legal.majority.compare == Compare::kMoreThan && b.majority.compare == Compare::kAtLeast))
            return BadChain("looser-than-law");
          if (b.notice_days < legal.notice_days) return BadChain("looser-than-law");
        }
      }
    }
  }
  return Status::Ok();
}

std::string EncodeChain(const Chain& chain) {
  std::string out = "gz-chain/1\n";
  for (const StepDef& s : chain.steps) {
    out += "step|" + s.code + "|" + s.name_zh + "|" + std::string(StepKindCode(s.kind)) + "|";
    for (size_t i = 0; i < s.covers.size(); ++i) out += (i ? "," : "") + s.covers[i];
    out += "\n";
    for (const BodyRule& b : s.bodies) {
      out += "body|" + b.code + "|" + b.name_zh + "|" + (b.votes == VoteMode::kNamed ? "named" : "counted") + "|" +
             (b.majority_basis == MajorityBasis::kMembers ? "members" : "attendees") + "|" + FractionCode(b.majority) +
             "|" + std::to_string(b.notice_days) + "|";
      for (size_t i = 0; i < b.quorum.size(); ++i)
        out += std::string(i ? "," : "") + (b.quorum[i].basis == QuorumBasis::kHouseholds ? "households:" : "members:") +
               FractionCode(b.quorum[i].threshold);
      out += "\n";
    }
  }
  return out;
}

Result<Chain> DecodeChain(std::string_view text) {
  auto bad = [] { return Internal("deliberation: a stored chain is not in the gz-chain/1 form"); };
  std::vector<std::string_view> lines = Split(text, '\n');
  if (lines.empty() || lines[0] != "gz-chain/1") return bad();
  Chain c;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    std::vector<std::string_view> f = Split(lines[i], '|');
    if (f[0] == "step" && f.size() == 5) {
      StepDef s;
      s.code = f[1];
      s.name_zh = f[2];
      std::optional<StepKind> k = ParseStepKind(f[3]);
      if (!k) return bad();
      s.kind = *k;
      if (!f[4].empty())
        for (std::string_view cv : Split(f[4], ',')) s.covers.emplace_back(cv);
      c.steps.push_back(std::move(s));
    } else if (f[0] == "body" && f.size() == 8 && !c.steps.empty()) {
      BodyRule b;
      b.code = f[1];
      b.name_zh = f[2];
      b.votes = f[3] == "named" ? VoteMode::kNamed : VoteMode::kCounted;
      b.majority_basis = f[4] == "members" ? MajorityBasis::kMembers : MajorityBasis::kAttendees;
      std::optional<Threshold> m = ParseFraction(f[5]);
      std::optional<int64_t> notice = ParseInt(f[6]);
      if (!m || !notice) return bad();
      b.majority = *m;
      b.notice_days = static_cast<int>(*notice);
      if (!f[7].empty()) {
        for (std::string_view q : Split(f[7], ',')) {
          size_t colon = q.find(':');
          if (colon == std::string_view::npos) return bad();
          std::optional<Threshold> t = ParseFraction(q.substr(colon + 1));
          if (!t) return bad();
          b.quorum.push_back(
              QuorumOption{q.substr(0, colon) == "households" ? QuorumBasis::kHouseholds : QuorumBasis::kMembers, *t});
        }
      }
      c.steps.back().bodies.push_back(std::move(b));
    } else {
      return bad();
    }
  }
  return c;
}

Status CheckCounts(const Attendance& a, const Tally& t) {
  auto bad = [](std::string_view reason) {
    return InvalidArgument(std::string(problems::kBadMeeting)).With("reason", std::string(reason));
  };
  if (a.members < 1 || a.members > kMaxMembers) return bad("members");
  if (a.present < 0 || a.present > a.members) return bad("present");
  if (a.households < 0 || a.households > kMaxMembers) return bad("households");
  if (a.households_present < 0 || a.households_present > a.households) return bad("households-present");
  if (t.in_favour < 0 || t.against < 0 || t.abstain < 0) return bad("votes");
  if (t.in_favour + t.against + t.abstain > a.present) return bad("votes-above-present");
  return Status::Ok();
}

Outcome Evaluate(const BodyRule& body, const Attendance& a, const Tally& t, int notice_days_given) {
  Outcome o;
  std::string quorum_zh, quorum_en;
  o.quorum_met = body.quorum.empty();
  for (const QuorumOption& q : body.quorum) {
    const bool households = q.basis == QuorumBasis::kHouseholds;
    const int64_t count = households ? a.households_present : a.present;
    const int64_t total = households ? a.households : a.members;
    const bool met = Meets(count, total, q.threshold);
    o.quorum_met = o.quorum_met || met;
    const std::string rule_zh = std::string(q.threshold.compare == Compare::kAtLeast ? "不少于" : "超过") +
                                Percentish(q.threshold);
    if (!quorum_zh.empty()) {
      quorum_zh += "；或";
      quorum_en += "; or ";
    }
    quorum_zh += (households ? "到会户代表 " : "到会 ") + std::to_string(count) + (households ? " 户，共 " : " 人，应到 ") +
                 std::to_string(total) + (households ? " 户" : " 人") + "，须" + rule_zh + (met ? "（满足）" : "（不满足）");
    quorum_en += std::to_string(count) + (households ? " of " : " present of ") + std::to_string(total) +
                 (households ? " households represented" : " members") + ", needs " + ThresholdText(q.threshold) +
                 (met ? " (met)" : " (not met)");
  }
  const int64_t base = body.majority_basis == MajorityBasis::kMembers ? a.members : a.present;
  const bool majority = Meets(t.in_favour, base, body.majority);
  const std::string maj_zh = "赞成 " + std::to_string(t.in_favour) + " 票，须" + (body.majority.compare == Compare::kAtLeast ? "不少于" : "超过") +
                             (body.majority_basis == MajorityBasis::kMembers ? "应到人数 " : "到会人数 ") +
                             std::to_string(base) + " 的 " + Percentish(body.majority);
  const std::string maj_en = std::to_string(t.in_favour) + " in favour, needs " + ThresholdText(body.majority) + " of " +
                             std::to_string(base) +
                             (body.majority_basis == MajorityBasis::kMembers ? " members who should attend" : " present");
  o.notice_ok = body.notice_days == 0 || notice_days_given >= body.notice_days;
  o.explanation_zh = (quorum_zh.empty() ? "" : quorum_zh + "。") + maj_zh + (majority ? "（满足）" : "（不满足）") + "。";
  o.explanation_en = (quorum_en.empty() ? "" : quorum_en + ". ") + maj_en + (majority ? " (met)." : " (not met).");
  if (!o.notice_ok) {
    o.explanation_zh += "须提前 " + std::to_string(body.notice_days) + " 天通知，实际 " +
                        std::to_string(notice_days_given < 0 ? 0 : notice_days_given) + " 天。";
    o.explanation_en += " Needs " + std::to_string(body.notice_days) + " days' notice, had " +
                        std::to_string(notice_days_given < 0 ? 0 : notice_days_given) + ".";
  }
  if (!o.quorum_met) o.failure = "quorum";
  else if (!o.notice_ok) o.failure = "notice";
  else if (!majority) o.failure = "majority";
  o.passed = o.quorum_met && o.notice_ok && majority;
  return o;
}

}  // namespace gz::deliberation
