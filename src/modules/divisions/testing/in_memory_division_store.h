// InMemoryDivisionStore: a DivisionStore in a std::map, for domain tests (service, importer) that
// should not need a database. It passes the same contract tests as the SQL store
// (sql/division_store_contract_test.cc), so tests written against it mean the same thing.
//
// Layer: divisions test support. Thread-safe (one mutex).
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "modules/divisions/division_store.h"

namespace gz::divisions {

class InMemoryDivisionStore final : public DivisionStore {
 public:
  Result<Division> Get(const DivisionCode& code) override;
  Result<DivisionPage> Children(const std::optional<DivisionCode>& parent, const Page& page) override;
  Result<std::vector<Division>> Ancestors(const DivisionCode& code) override;
  Result<LevelCounts> CountByLevel(const std::optional<DivisionCode>& root) override;
  Result<UpsertCounts> Upsert(std::span<const Division> batch) override;

  // Makes the next Upsert fail with `status` (once), to test how callers handle store errors.
  void FailNextUpsertForTest(Status status);
  // How many Upsert calls succeeded so far.
  int upsert_calls() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, Division> rows_;  // by canonical code
  Status next_upsert_error_;
  int upsert_calls_ = 0;
};

}  // namespace gz::divisions
