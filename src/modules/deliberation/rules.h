// The procedure for major village matters (四议两公开) as data: steps, the bodies that meet at
// each step, and each body's quorum and majority rules as exact rational thresholds.
//
// Layer: deliberation domain (standard library and core only). No floating point anywhere: a
// rule "at least 2/3 of the members who should attend" is the fraction 2/3 with the comparison
// kAtLeast, and is decided by cross-multiplication in 128-bit integers, so exactly 2/3 passes and
// one member fewer fails, whatever the sizes (docs/deliberation.md explains every default and its
// legal source).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gz::deliberation {

enum class Compare { kAtLeast, kMoreThan };  // >= num/den, > num/den

// "count / total  Compare  num / den". REQUIRES 0 <= num <= den, den > 0.
struct Threshold {
  int64_t num = 1;
  int64_t den = 2;
  Compare compare = Compare::kMoreThan;
  bool operator==(const Threshold&) const = default;
};
// Exact: count * den (>|>=) num * total. A total of 0 never meets a threshold (nobody should
// attend: the body does not exist, nothing can be decided by it).
bool Meets(int64_t count, int64_t total, const Threshold& t);
// "2/3" / "more than 1/2" texts for messages and docs.
std::string ThresholdText(const Threshold& t);

// What a quorum counts: the people present against the members who should attend, or the
// households represented against all households (villagers' meeting, Art. 22).
enum class QuorumBasis { kMembers, kHouseholds };
struct QuorumOption {
  QuorumBasis basis = QuorumBasis::kMembers;
  Threshold threshold;
  bool operator==(const QuorumOption&) const = default;
};
// What a majority is counted against: those present, or all who should attend.
enum class MajorityBasis { kAttendees, kMembers };
// Named votes record who voted how; counted votes only the numbers (a show of hands or a secret
// ballot counted at the meeting).
enum class VoteMode { kNamed, kCounted };

// A body that may meet at a step (支部委员会, 两委联席会议, 党员大会, 村民会议, 村民代表会议, ...).
struct BodyRule {
  std::string code;       // [a-z_]{2,40}
  std::string name_zh;    // 1..40 characters
  // Any ONE option met suffices; empty = no quorum rule.
  std::vector<QuorumOption> quorum;
  MajorityBasis majority_basis = MajorityBasis::kAttendees;
  Threshold majority;
  int notice_days = 0;  // 0..60: days between the notice and the meeting
  VoteMode votes = VoteMode::kCounted;
  bool operator==(const BodyRule&) const = default;
};

enum class StepKind { kMeeting, kPublishResolution, kPublishResult };
std::string_view StepKindCode(StepKind k);  // "meeting", "publish_resolution", "publish_result"
std::optional<StepKind> ParseStepKind(std::string_view code);

// The legal steps of 四议两公开, in order. A chain's steps each cover one or more of them (or
// none: a local addition such as 五议两公开's extra step).
inline constexpr std::string_view kLegalSteps[] = {"propose", "deliberate", "review", "resolve",
                                                   "publish_resolution", "publish_result"};

struct StepDef {
  std::string code;                 // [a-z_]{2,40}, unique in the chain
  std::string name_zh;              // 1..40 characters
  StepKind kind = StepKind::kMeeting;
  std::vector<std::string> covers;  // legal steps this step is (kLegalSteps); empty = local addition
  std::vector<BodyRule> bodies;     // meetings: 1..4 alternatives (村民会议 or 村民代表会议); else empty
  bool operator==(const StepDef&) const = default;
};

struct Chain {
  std::vector<StepDef> steps;
  bool operator==(const Chain&) const = default;
};

inline constexpr size_t kMaxSteps = 12;
inline constexpr size_t kMaxBodies = 4;
inline constexpr int64_t kMaxMembers = 1'000'000;  // a village's adults and households fit easily

// The legal defaults (docs/deliberation.md "The default chain").
const Chain& DefaultChain();

// kInvalidArgument "deliberation/bad-chain" {reason}: the legal steps must each be covered
// exactly once and in order; only "propose" and "deliberate" may be merged into one step (the
// Party secretary chairs the committee: 一肩挑); publication steps are of their own kind and
// cover exactly their legal step; every threshold is a proper fraction; codes unique.
Status ValidateChain(const Chain& chain);

// A compact, versioned text form for storage ("gz-chain/1" then one line per step and body).
std::string EncodeChain(const Chain& chain);
Result<Chain> DecodeChain(std::string_view text);

// ---- a meeting's outcome ----

struct Attendance {
  int64_t members = 0;              // who should attend (应到), recorded for THIS meeting
  int64_t present = 0;              // who attended (实到)
  int64_t households = 0;           // all households (村民会议 by household representatives), else 0
  int64_t households_present = 0;   // households represented
};

struct Tally {
  int64_t in_favour = 0;
  int64_t against = 0;
  int64_t abstain = 0;
};

struct Outcome {
  bool quorum_met = false;
  bool passed = false;        // quorum met AND majority reached
  bool notice_ok = true;
  std::string failure;        // "" | "quorum" | "majority" | "notice" | "counts"
  std::string explanation_zh; // plain words with the numbers
  std::string explanation_en;
};

// kInvalidArgument "deliberation/bad-meeting" {reason} for impossible counts (negative, present
// above members, votes above those present, households without members of that basis).
Status CheckCounts(const Attendance& a, const Tally& t);
// The outcome under `body`. `notice_days_given`: days between notice and meeting (or -1 when
// not recorded). REQUIRES CheckCounts(a, t).ok().
Outcome Evaluate(const BodyRule& body, const Attendance& a, const Tally& t, int notice_days_given);

}  // namespace gz::deliberation
