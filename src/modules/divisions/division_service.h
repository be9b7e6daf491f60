// DivisionService: what callers (the API, other modules, the CLI) ask of the division tree.
//
// Layer: divisions domain. Reads go through the DivisionStore port. Division data is public
// (it is the national statistical code list), so no method takes an Actor.
// Thread-safe if the store is (both stores are).
#pragma once

#include <optional>
#include <vector>

#include "core/status.h"
#include "modules/divisions/division.h"
#include "modules/divisions/division_store.h"
#include "modules/divisions/paging.h"

namespace gz::divisions {

struct DivisionWithAncestors {
  Division division;
  std::vector<Division> ancestors;  // province first, without `division` itself
};

struct ChildList {
  std::optional<Division> parent;  // nullopt for the list of provinces
  std::vector<Division> items;
  int64_t total = 0;
  Page page;
};

class DivisionService {
 public:
  // `store` must outlive the service.
  explicit DivisionService(DivisionStore& store) : store_(store) {}

  // The division and its ancestors. kNotFound "divisions/unknown-code" if the code names no
  // stored division.
  Result<DivisionWithAncestors> Get(const DivisionCode& code);

  // The division alone (one store read; Get reads its ancestors too). Same errors as Get.
  Result<Division> Find(const DivisionCode& code);

  // The divisions directly below `code`, a page at a time (empty for a village).
  // kNotFound "divisions/unknown-code" if `code` is not stored; kInvalidArgument
  // "divisions/bad-paging" if the page is out of range.
  Result<ChildList> Children(const DivisionCode& code, const Page& page);

  // The provinces (the roots of the tree), a page at a time.
  Result<ChildList> Roots(const Page& page);

  // Counts per level in the subtree of `root` (nullopt: everything), for the CLI and stats.
  Result<LevelCounts> CountByLevel(const std::optional<DivisionCode>& root);

 private:
  DivisionStore& store_;
};

}  // namespace gz::divisions
