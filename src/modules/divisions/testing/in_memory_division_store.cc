// InMemoryDivisionStore. Layer: divisions test support.
#include "modules/divisions/testing/in_memory_division_store.h"

#include <set>

#include "modules/divisions/problems.h"

namespace gz::divisions {

Result<Division> InMemoryDivisionStore::Get(const DivisionCode& code) {
  std::lock_guard lock(mu_);
  auto it = rows_.find(code.canonical());
  if (it == rows_.end()) return NotFound(std::string(problems::kUnknownCode)).With("code", code.canonical());
  return it->second;
}

Result<DivisionPage> InMemoryDivisionStore::Children(const std::optional<DivisionCode>& parent, const Page& page) {
  std::lock_guard lock(mu_);
  DivisionPage out;
  for (const auto& [key, d] : rows_) {
    if (d.parent_code() != parent) continue;
    if (out.total >= page.offset && static_cast<int64_t>(out.items.size()) < page.limit) out.items.push_back(d);
    ++out.total;
  }
  return out;
}

Result<std::vector<Division>> InMemoryDivisionStore::Ancestors(const DivisionCode& code) {
  std::lock_guard lock(mu_);
  std::vector<Division> out;
  for (const DivisionCode& a : code.Ancestors())
    if (auto it = rows_.find(a.canonical()); it != rows_.end()) out.push_back(it->second);
  return out;
}

Result<LevelCounts> InMemoryDivisionStore::CountByLevel(const std::optional<DivisionCode>& root) {
  std::lock_guard lock(mu_);
  LevelCounts counts{};
  for (const auto& [key, d] : rows_)
    if (!root || root->Contains(d.code)) ++counts[LevelIndex(d.level())];
  return counts;
}

Result<UpsertCounts> InMemoryDivisionStore::Upsert(std::span<const Division> batch) {
  std::lock_guard lock(mu_);
  if (!next_upsert_error_.ok()) {
    Status error = std::move(next_upsert_error_);
    next_upsert_error_ = Status::Ok();
    return error;
  }
  // All or nothing, like the SQL store's transaction: check every parent before changing anything.
  std::set<std::string> earlier;
  for (const Division& d : batch) {
    std::optional<DivisionCode> parent = d.parent_code();
    if (parent && !rows_.contains(parent->canonical()) && !earlier.contains(parent->canonical()))
      return FailedPrecondition("storage/constraint", "parent of " + d.code.canonical() + " is not stored");
    earlier.insert(d.code.canonical());
  }
  UpsertCounts counts;
  for (const Division& d : batch) {
    int level = LevelIndex(d.level());
    auto [it, inserted] = rows_.try_emplace(d.code.canonical(), d);
    if (inserted) {
      ++counts.inserted[level];
    } else if (it->second.name != d.name || it->second.short_name != d.short_name) {
      it->second = d;
      ++counts.updated[level];
    } else {
      ++counts.unchanged[level];
    }
  }
  ++upsert_calls_;
  return counts;
}

void InMemoryDivisionStore::FailNextUpsertForTest(Status status) {
  std::lock_guard lock(mu_);
  next_upsert_error_ = std::move(status);
}

int InMemoryDivisionStore::upsert_calls() const {
  std::lock_guard lock(mu_);
  return upsert_calls_;
}

}  // namespace gz::divisions
