// DivisionCode parsing and tree arithmetic. Layer: divisions domain.
#include "modules/divisions/division_code.h"

#include <array>

#include "modules/divisions/problems.h"

namespace gz::divisions {
namespace {

constexpr std::array<int, kLevelCount> kNativeLength = {2, 4, 6, 9, 12};
constexpr std::array<std::string_view, kLevelCount> kLevelNames = {"province", "city", "county", "township",
                                                                   "village"};
// Inputs are echoed into problem details and logs; a bound keeps hostile input short.
constexpr size_t kMaxEchoBytes = 40;

bool IsLengthOfSomeLevel(size_t n) {
  for (int len : kNativeLength)
    if (static_cast<size_t>(len) == n) return true;
  return false;
}

bool GroupIsZero(std::string_view canonical, int level_index) {
  int begin = level_index == 0 ? 0 : kNativeLength[level_index - 1];
  for (int i = begin; i < kNativeLength[level_index]; ++i)
    if (canonical[i] != '0') return false;
  return true;
}

// The level of a canonical code is its deepest non-zero group.
Level DeepestLevel(std::string_view canonical) {
  for (int i = kLevelCount - 1; i > 0; --i)
    if (!GroupIsZero(canonical, i)) return LevelFromIndex(i);
  return Level::kProvince;
}

Status BadCode(std::string_view text, std::string_view reason) {
  std::string echo(text.substr(0, kMaxEchoBytes));
  return InvalidArgument(std::string(problems::kBadCode))
      .With("code", std::move(echo))
      .With("reason", std::string(reason));
}

}  // namespace

std::string_view LevelName(Level level) { return kLevelNames[LevelIndex(level)]; }

std::optional<Level> ParseLevel(std::string_view name) {
  for (int i = 0; i < kLevelCount; ++i)
    if (kLevelNames[i] == name) return LevelFromIndex(i);
  return std::nullopt;
}

int NativeLength(Level level) { return kNativeLength[LevelIndex(level)]; }

DivisionCode::DivisionCode(std::string canonical)
    : canonical_(std::move(canonical)), level_(DeepestLevel(canonical_)) {}

Result<DivisionCode> DivisionCode::Parse(std::string_view text) {
  if (text.empty()) return BadCode(text, bad_code::kEmpty);
  for (char c : text)
    if (c < '0' || c > '9') return BadCode(text, bad_code::kNotDigits);
  if (!IsLengthOfSomeLevel(text.size())) return BadCode(text, bad_code::kBadLength);
  std::string canonical(text);
  canonical.resize(12, '0');
  if (GroupIsZero(canonical, 0)) return BadCode(text, bad_code::kZeroProvince);
  return DivisionCode(std::move(canonical));
}

std::optional<DivisionCode> DivisionCode::Parent() const {
  if (level_ == Level::kProvince) return std::nullopt;
  std::string up = canonical_;
  for (int i = NativeLength(LevelFromIndex(LevelIndex(level_) - 1)); i < 12; ++i) up[i] = '0';
  return DivisionCode(std::move(up));
}

std::vector<DivisionCode> DivisionCode::Ancestors() const {
  std::vector<DivisionCode> chain;
  for (auto p = Parent(); p.has_value(); p = p->Parent()) chain.push_back(*p);
  return {chain.rbegin(), chain.rend()};
}

bool DivisionCode::Contains(const DivisionCode& other) const {
  return other.canonical_.compare(0, NativeLength(level_), canonical_, 0, NativeLength(level_)) == 0;
}

std::string DivisionCode::SubtreeLast() const {
  std::string last = canonical_;
  for (int i = NativeLength(level_); i < 12; ++i) last[i] = '9';
  return last;
}

}  // namespace gz::divisions
