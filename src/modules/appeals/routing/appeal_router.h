// AppealRouter: suggests a category and a handling unit for a new appeal from the village's own
// past appeals (issue #4, "Routing"). A suggestion only: staff always confirm, and nothing here
// changes an appeal.
//
// Layer: appeals domain (service). Reads through the AppealStore port; no HTTP, no SQL.
//
// What it learns from: the confirmed appeals of a scope, i.e. those a handling unit accepted
// (签收: first_accepted_at_ms is set) and did not then reject (rejected, contested). Their
// category is the label of the text classifier (text_classifier.h). Their unit counts towards
// "which unit handles this category here" only while that unit still holds the appeal in hand
// (accepted, in progress, answered, closed, reopened): an appeal transferred or escalated since
// says the unit was wrong. Units are remembered relative to the village (the village committee,
// its township, the county, with the department), so a township's or county's history yields a
// unit that serves the asking village.
//
// Scopes: the village first; when it has fewer than `min_history` confirmed appeals, its
// township, then its county (the answer says which, and how many appeals it learned from). The
// most recent `max_history` confirmed appeals of a scope are used.
//
// Personal data. The texts are sealed at rest (appeal_sealing.h); training opens them in memory
// only, and each training run is ONE audit event, "appeals.route_training" (division and object:
// the scope; details: the asking village, the scope level and the number of texts opened),
// written after the texts are opened and before the model is built, and the run is abandoned
// when the audit cannot be written (fail closed). Neither texts nor n-grams are logged or
// persisted: the model (hashed n-gram weights) lives in this object's memory and is dropped on
// restart. Counting a scope's confirmed appeals opens nothing and is not audited.
//
// Freshness: a model is used for `retrain_after_ms`; the first request after that retrains it
// (other requests meanwhile keep using the old model, so only that one request waits). The
// first request for a scope trains it while concurrent requests for the same scope wait for that
// one training. A scope with too little history is counted again on every request (cheap: fewer
// than min_history rows), so the appeal that reaches the threshold counts at once. At most
// `max_cached_scopes` scopes are kept (least recently used out).
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/audit_event.h"
#include "access/principal.h"
#include "core/clock.h"
#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/appeals/appeal.h"
#include "modules/appeals/appeal_store.h"
#include "modules/appeals/routing/text_classifier.h"

namespace gz::appeals::routing {

struct RouterOptions {
  // Confirmed appeals a scope needs before it is learned from (bench: below ~40 texts the
  // classifier is barely better than always answering the commonest category).
  int min_history = 40;
  int max_history = 1000;
  int64_t retrain_after_ms = 10 * 60 * 1000;
  // A model takes about (distinct n-grams of its texts) x (categories + 1) x 4 bytes: 1.3 MiB for
  // 395 texts in 7 categories (bench). 64 scopes cover the villages of a busy township or two.
  size_t max_cached_scopes = 64;
  int alternatives = 3;
  ClassifierOptions classifier;
};

enum class ScopeLevel { kVillage, kTownship, kCounty };
std::string_view ScopeLevelCode(ScopeLevel level);  // "village" | "township" | "county"

struct SuggestedRoute {
  std::string category;  // a code of the catalogue
  double confidence = 0; // the classifier's probability for the category, 0..1
  HandlingUnit unit;     // serves the asking village
  // How many confirmed appeals of this category in the scope were handled by `unit`, out of how
  // many had a unit to count. 0 of 0: no history for the category; `unit` is the default
  // (DefaultUnitFor).
  int unit_count = 0;
  int unit_total = 0;
};

struct Suggestion {
  SuggestedRoute best;
  std::vector<SuggestedRoute> alternatives;  // the next categories, best first
  ScopeLevel scope = ScopeLevel::kVillage;   // whose history the model learned from
  std::string scope_division;
  int trained_on = 0;          // confirmed appeals the model learned from
  int village_history = 0;     // confirmed appeals of the village itself (within max_history)
  int64_t trained_at_ms = 0;
};

class AppealRouter {
 public:
  // All must outlive the router.
  AppealRouter(AppealStore& store, const crypto::FieldCipher& cipher, access::AuditSink& audit, const Clock& clock,
               RouterOptions options = {});
  ~AppealRouter();
  AppealRouter(const AppealRouter&) = delete;
  AppealRouter& operator=(const AppealRouter&) = delete;

  // A suggestion for `text`, filed (or about to be filed) in `village`. `by` is who asked: named
  // in the audit event of a training run this request causes. The caller has authorized `by`
  // for the village. Errors: kInvalidArgument "appeals/bad-village", "appeals/bad-text";
  // kFailedPrecondition "appeals/not-enough-history" {village_count, township_count,
  // county_count, needed}; the store's errors; the audit sink's kUnavailable (training refused).
  Result<Suggestion> Suggest(const access::Principal& by, std::string_view village, std::string_view text);

  const RouterOptions& options() const { return options_; }

  // For tests: how many training runs have completed (all scopes).
  int64_t training_runs() const;

 private:
  struct Model;
  struct Slot;
  Result<std::shared_ptr<const Model>> ModelFor(const access::Principal& by, ScopeLevel level,
                                                const std::string& division, std::string_view village);
  Result<std::shared_ptr<const Model>> Train(const access::Principal& by, ScopeLevel level,
                                             const std::string& division, std::string_view village);
  std::shared_ptr<const Model> Keep(Slot& slot, std::shared_ptr<const Model> model);
  std::shared_ptr<Slot> SlotFor(const std::string& division);
  bool Fresh(const Model& model) const;

  AppealStore& store_;
  const crypto::FieldCipher& cipher_;
  access::AuditSink& audit_;
  const Clock& clock_;
  RouterOptions options_;

  mutable std::mutex mu_;  // guards the fields below and every Slot::model
  std::map<std::string, std::shared_ptr<Slot>> slots_;
  std::list<std::string> recent_;  // divisions, most recently used first
  int64_t training_runs_ = 0;
};

}  // namespace gz::appeals::routing
