// Suggestions from a village's history. Layer: appeals domain (see appeal_router.h).
#include "modules/appeals/routing/appeal_router.h"

#include <algorithm>
#include <tuple>

#include "core/log.h"
#include "modules/appeals/appeal_sealing.h"
#include "modules/appeals/appeal_service.h"
#include "modules/appeals/categories.h"
#include "modules/appeals/problems.h"
#include "modules/appeals/routing/problems.h"

namespace gz::appeals::routing {
namespace {

// The purpose recorded with each training run (security.md: a read of personal data names why).
constexpr std::string_view kTrainingPurpose = "诉求分派建议：在内存中训练分类模型";
constexpr int kPageSize = 200;

// States whose appeals may have been accepted once; first_accepted_at_ms decides.
constexpr AppealState kMaybeConfirmed[] = {AppealState::kAccepted, AppealState::kInProgress, AppealState::kAnswered,
                                           AppealState::kClosed,   AppealState::kTransferred, AppealState::kEscalated,
                                           AppealState::kReopened, AppealState::kWithdrawn};

// The unit that accepted the appeal still holds it: its unit is a confirmed routing.
bool UnitInHand(AppealState s) {
  return s == AppealState::kAccepted || s == AppealState::kInProgress || s == AppealState::kAnswered ||
         s == AppealState::kClosed || s == AppealState::kReopened;
}

// A unit relative to the village it served: the level and department, not the division.
struct RelativeUnit {
  UnitLevel level = UnitLevel::kVillage;
  std::string department;
  bool operator<(const RelativeUnit& o) const {
    return std::tie(level, department) < std::tie(o.level, o.department);
  }
};

std::string DivisionAt(UnitLevel level, std::string_view village) {
  switch (level) {
    case UnitLevel::kVillage: return std::string(village);
    case UnitLevel::kTownship: return TownshipOf(village);
    case UnitLevel::kCounty: return CountyOf(village);
  }
  return std::string(village);
}

}  // namespace

std::string_view ScopeLevelCode(ScopeLevel level) {
  switch (level) {
    case ScopeLevel::kVillage: return "village";
    case ScopeLevel::kTownship: return "township";
    case ScopeLevel::kCounty: return "county";
  }
  return "village";
}

struct AppealRouter::Model {
  ScopeLevel level = ScopeLevel::kVillage;
  std::string division;
  int count = 0;  // confirmed appeals found (at most max_history)
  int64_t trained_at_ms = 0;
  std::vector<std::string> labels;  // category code of each classifier label
  TextClassifier classifier;        // label_count 0 when the scope had too little history
  std::map<std::string, std::map<RelativeUnit, int>> units;  // category -> unit -> appeals
};

struct AppealRouter::Slot {
  std::mutex train_mu;                  // one training of this scope at a time
  std::shared_ptr<const Model> model;   // guarded by AppealRouter::mu_
};

AppealRouter::AppealRouter(AppealStore& store, const crypto::FieldCipher& cipher, access::AuditSink& audit,
                           const Clock& clock, RouterOptions options)
    : store_(store), cipher_(cipher), audit_(audit), clock_(clock), options_(std::move(options)) {
  options_.min_history = std::max(1, options_.min_history);
  options_.max_history = std::max(options_.min_history, options_.max_history);
  options_.max_cached_scopes = std::max<size_t>(3, options_.max_cached_scopes);
  options_.alternatives = std::clamp(options_.alternatives, 0, 16);
}

AppealRouter::~AppealRouter() = default;

int64_t AppealRouter::training_runs() const {
  std::lock_guard lock(mu_);
  return training_runs_;
}

bool AppealRouter::Fresh(const Model& model) const {
  const int64_t age = NowMsOf(clock_) - model.trained_at_ms;
  // A clock stepped back makes the age negative: retrain rather than trust a model "from the future".
  return age >= 0 && age < options_.retrain_after_ms;
}

std::shared_ptr<AppealRouter::Slot> AppealRouter::SlotFor(const std::string& division) {
  std::lock_guard lock(mu_);
  auto it = slots_.find(division);
  recent_.remove(division);
  recent_.push_front(division);
  if (it != slots_.end()) return it->second;
  auto slot = std::make_shared<Slot>();
  slots_.emplace(division, slot);
  while (slots_.size() > options_.max_cached_scopes) {
    // In-flight requests keep their shared_ptr; the model is simply not kept for the next one.
    slots_.erase(recent_.back());
    recent_.pop_back();
  }
  return slot;
}

Result<std::shared_ptr<const AppealRouter::Model>> AppealRouter::ModelFor(const access::Principal& by,
                                                                          ScopeLevel level,
                                                                          const std::string& division,
                                                                          std::string_view village) {
  std::shared_ptr<Slot> slot = SlotFor(division);
  std::shared_ptr<const Model> current;
  {
    std::lock_guard lock(mu_);
    current = slot->model;
  }
  if (current && Fresh(*current)) return current;
  if (current) {
    // Stale: one request retrains, the others keep answering from the old model meanwhile.
    std::unique_lock training(slot->train_mu, std::try_to_lock);
    if (!training.owns_lock()) return current;
    {
      std::lock_guard lock(mu_);
      if (slot->model && slot->model != current && Fresh(*slot->model)) return slot->model;
    }
    Result<std::shared_ptr<const Model>> trained = Train(by, level, division, village);
    if (!trained.ok()) {
      // The old model opens nothing new: better a stale suggestion than none.
      log::Warn("appeals.routing.retrain_failed",
                {{"scope", division}, {"problem", trained.status().slug()}});
      return current;
    }
    return Keep(*slot, *trained);
  }
  std::lock_guard training(slot->train_mu);  // a concurrent first training: wait for it
  {
    std::lock_guard lock(mu_);
    if (slot->model && Fresh(*slot->model)) return slot->model;
  }
  GZ_ASSIGN_OR_RETURN(std::shared_ptr<const Model> trained, Train(by, level, division, village));
  return Keep(*slot, trained);
}

std::shared_ptr<const AppealRouter::Model> AppealRouter::Keep(Slot& slot, std::shared_ptr<const Model> model) {
  // Only trained models are kept. "Too little history" is counted again on the next request:
  // it costs a read of fewer than min_history rows, and the first appeal that reaches the
  // threshold must count at once, not after retrain_after_ms.
  std::lock_guard lock(mu_);
  if (model->classifier.label_count() > 0) slot.model = model;
  else slot.model.reset();
  return model;
}

Result<std::shared_ptr<const AppealRouter::Model>> AppealRouter::Train(const access::Principal& by,
                                                                       ScopeLevel level,
                                                                       const std::string& division,
                                                                       std::string_view village) {
  auto model = std::make_shared<Model>();
  model->level = level;
  model->division = division;
  model->trained_at_ms = NowMsOf(clock_);

  // The most recent confirmed appeals of the scope, still sealed.
  std::vector<Appeal> rows;
  AppealQuery q;
  q.scopes = {division};
  q.states.assign(std::begin(kMaybeConfirmed), std::end(kMaybeConfirmed));
  q.limit = kPageSize;
  while (static_cast<int>(rows.size()) < options_.max_history) {
    GZ_ASSIGN_OR_RETURN(AppealPage page, store_.List(q));
    for (Appeal& a : page.items) {
      if (!a.first_accepted_at_ms || static_cast<int>(rows.size()) >= options_.max_history) continue;
      rows.push_back(std::move(a));
    }
    if (page.next_before_id == 0) break;
    q.before_id = page.next_before_id;
  }
  model->count = static_cast<int>(rows.size());
  if (model->count < options_.min_history) return std::shared_ptr<const Model>(model);

  std::vector<std::string> texts;
  texts.reserve(rows.size());
  std::vector<const Appeal*> opened;
  int unopenable = 0;
  for (const Appeal& a : rows) {
    Result<AppealContent> content = OpenContent(cipher_, a);
    if (!content.ok()) {
      ++unopenable;  // tampered or under a missing key: left out, reported by count only
      continue;
    }
    texts.push_back(std::move(content->text));
    opened.push_back(&a);
  }
  const auto wipe = [&texts] {
    for (std::string& t : texts) std::fill(t.begin(), t.end(), '\0');
    texts.clear();
  };
  if (unopenable > 0)
    log::Warn("appeals.routing.unopenable", {{"scope", division}, {"count", unopenable}});

  access::AuditEvent e = access::EventFor(by, "appeals.route_training");
  e.division = division;
  e.object_type = "division";
  e.object_id = division;
  e.purpose = std::string(kTrainingPurpose);
  e.details = "{\"village\":\"" + std::string(village) + "\",\"scope\":\"" + std::string(ScopeLevelCode(level)) +
              "\",\"count\":" + std::to_string(texts.size()) + ",\"unopenable\":" + std::to_string(unopenable) + "}";
  if (Status audited = audit_.Append(e); !audited.ok()) {
    wipe();
    return audited;
  }

  if (static_cast<int>(texts.size()) < options_.min_history) {
    wipe();
    model->count = static_cast<int>(texts.size());
    return std::shared_ptr<const Model>(model);
  }
  std::map<std::string, int> label_of;
  std::vector<Example> examples;
  examples.reserve(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    const Appeal& a = *opened[i];
    auto [it, added] = label_of.emplace(a.category, static_cast<int>(model->labels.size()));
    if (added) model->labels.push_back(a.category);
    examples.push_back(Example{texts[i], it->second});
    if (UnitInHand(a.state)) ++model->units[a.category][RelativeUnit{a.unit.level, a.unit.department}];
  }
  model->classifier =
      TextClassifier::Train(examples, static_cast<int>(model->labels.size()), options_.classifier);
  examples.clear();
  wipe();
  {
    std::lock_guard lock(mu_);
    ++training_runs_;
  }
  log::Info("appeals.routing.trained", {{"scope", division},
                                        {"level", std::string(ScopeLevelCode(level))},
                                        {"count", model->count},
                                        {"categories", static_cast<int>(model->labels.size())}});
  return std::shared_ptr<const Model>(model);
}

Result<Suggestion> AppealRouter::Suggest(const access::Principal& by, std::string_view village,
                                         std::string_view text) {
  if (!IsVillageCode(village)) return InvalidArgument(std::string(appeals::problems::kBadVillage));
  GZ_RETURN_IF_ERROR(ValidateAppealText(text));

  const std::pair<ScopeLevel, std::string> scopes[] = {{ScopeLevel::kVillage, std::string(village)},
                                                       {ScopeLevel::kTownship, TownshipOf(village)},
                                                       {ScopeLevel::kCounty, CountyOf(village)}};
  int counts[3] = {0, 0, 0};
  std::shared_ptr<const Model> chosen;
  for (int i = 0; i < 3 && !chosen; ++i) {
    GZ_ASSIGN_OR_RETURN(std::shared_ptr<const Model> model, ModelFor(by, scopes[i].first, scopes[i].second, village));
    counts[i] = model->count;
    if (model->classifier.label_count() > 0) chosen = model;
  }
  const auto not_enough = [&] {
    return FailedPrecondition(std::string(problems::kNotEnoughHistory))
        .With("village_count", std::to_string(counts[0]))
        .With("township_count", std::to_string(counts[1]))
        .With("county_count", std::to_string(counts[2]))
        .With("needed", std::to_string(options_.min_history));
  };
  if (!chosen) return not_enough();

  const std::vector<double> p = chosen->classifier.Probabilities(text);
  // Without history of a unit, the suggestion is the unit the place's rules name for the category.
  GZ_ASSIGN_OR_RETURN(std::vector<UnitRule> unit_rules, store_.UnitRules(RuleScopesFor(village)));
  Suggestion s;
  s.scope = chosen->level;
  s.scope_division = chosen->division;
  s.trained_on = chosen->count;
  s.village_history = counts[0];
  s.trained_at_ms = chosen->trained_at_ms;
  int taken = 0;
  for (int label : RankLabels(p)) {
    const std::string& code = chosen->labels[label];
    const Category* category = FindCategory(code);
    if (category == nullptr || category->retired) continue;  // history may hold retired codes
    SuggestedRoute r;
    r.category = code;
    r.confidence = p[label];
    r.unit = ResolveUnit(unit_rules, code, village).unit;
    if (auto it = chosen->units.find(code); it != chosen->units.end()) {
      const RelativeUnit* best = nullptr;
      for (const auto& [unit, n] : it->second) {
        r.unit_total += n;
        if (best == nullptr || n > r.unit_count) best = &unit, r.unit_count = n;
      }
      Result<HandlingUnit> unit = MakeUnit(best->level, DivisionAt(best->level, village), best->department);
      if (unit.ok()) r.unit = *unit;
      else r.unit_count = r.unit_total = 0;
    }
    if (taken++ == 0) s.best = std::move(r);
    else s.alternatives.push_back(std::move(r));
    if (taken > options_.alternatives) break;
  }
  if (taken == 0) return not_enough();
  return s;
}

}  // namespace gz::appeals::routing
