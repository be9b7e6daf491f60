// DivisionStore: the port through which the divisions domain reads and writes the tree.
//
// Layer: divisions domain (interface only). Implementations: sql/sql_division_store.h (SQLite
// and PostgreSQL through storage::Db) and testing/in_memory_division_store.h (for domain
// tests). Both pass the same contract tests (sql/division_store_contract_test.cc).
//
// Every method is safe to call from any thread. Lists are ordered by code, so a division's
// children come in NBS order (districts before counties, 街道 before 镇 before 乡).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/status.h"
#include "modules/divisions/division.h"
#include "modules/divisions/paging.h"

namespace gz::divisions {

// A count for each level, indexed by LevelIndex() (province = 0).
using LevelCounts = std::array<int64_t, kLevelCount>;

struct DivisionPage {
  std::vector<Division> items;  // at most page.limit, ordered by code
  int64_t total = 0;            // how many there are in all, ignoring limit and offset
};

// What Upsert did with each division it was given, per level.
struct UpsertCounts {
  LevelCounts inserted{};   // the code was not in the store
  LevelCounts updated{};    // the code was there with another name or short name
  LevelCounts unchanged{};  // the code was there with the same names
};

class DivisionStore {
 public:
  virtual ~DivisionStore() = default;

  // The division with this code. kNotFound "divisions/unknown-code" (argument code, 12-digit)
  // if there is none; kUnavailable / kInternal if the store fails.
  virtual Result<Division> Get(const DivisionCode& code) = 0;

  // The divisions directly below `parent` (by parent_code), a page at a time; with nullopt,
  // the provinces. An unknown parent simply has no children: callers that must tell "unknown"
  // from "leaf" call Get first.
  // REQUIRES: ValidatePage(page).ok().
  virtual Result<DivisionPage> Children(const std::optional<DivisionCode>& parent, const Page& page) = 0;

  // The stored divisions among code.Ancestors(), province first. Missing ones are left out, so
  // the result is shorter than code.Ancestors() only if the tree was imported incompletely.
  virtual Result<std::vector<Division>> Ancestors(const DivisionCode& code) = 0;

  // How many divisions of each level lie in the subtree of `root` (including root itself);
  // with nullopt, in the whole store.
  virtual Result<LevelCounts> CountByLevel(const std::optional<DivisionCode>& root) = 0;

  // Inserts the divisions that are new and rewrites those whose names changed, all in one write
  // transaction (all or nothing), and says which was which. Idempotent: the same batch again
  // reports everything unchanged. Divisions are never deleted here (records elsewhere carry
  // their codes). Size the batch for one transaction (the importer uses 5,000).
  // Every division's parent must be stored already or come earlier in `batch` (parents first):
  // otherwise kFailedPrecondition "storage/constraint" and nothing of the batch is kept.
  // REQUIRES: no code appears twice in `batch`.
  virtual Result<UpsertCounts> Upsert(std::span<const Division> batch) = 0;
};

}  // namespace gz::divisions
