// The demo's year of disclosures (`gongzhi serve --demo`): monthly finance statements, income and
// expense details, quarterly project progress, resolutions, a subsidy list of synthetic people
// (masked like any list), a correction and a question, for one demo village, published through
// the real maker-checker path (a cadre drafts, the supervisor previews and publishes) so that
// every item is in the transparency log.
//
// Layer: disclosure domain. The people are synthetic (docs/decisions/0005): names from
// residents' generator, ID numbers made up with the village's region code.
//
// Time: the demo walks a clock through the past year so that each item is published when a real
// village would have published it (the calendar then shows a realistic history). The entries
// therefore carry past publication times although they are appended to the log now; that is
// what a demo needs, and it is said here so that nobody mistakes it for a feature.
#pragma once

#include <cstdint>
#include <string>

#include "access/principal.h"
#include "core/clock.h"
#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/disclosure/disclosure_store.h"

namespace gz::disclosure {

struct DemoDisclosurePeople {
  access::Principal cadre;       // drafts
  access::Principal supervisor;  // checks and publishes
  access::Principal villager;    // asks a question (left unanswered: it becomes an appeal)
};

struct DemoDisclosureReport {
  int published = 0;
  bool already_there = false;
};

// Seeds `village` once (nothing happens when it already has published items). `now` is the
// real time; the items cover the twelve months before it.
Result<DemoDisclosureReport> SeedDemoDisclosures(DisclosureStore& store, const crypto::FieldCipher& cipher,
                                                 access::AuditSink& audit, const std::string& village,
                                                 const DemoDisclosurePeople& people, const Clock& now);

// A second demo village that lags (马家渡村): quarterly finances, one statement published late,
// the oldest quarter of the year and every income/expense detail never published, one resolution.
// It gives the township's oversight list (missing and late items) real content. `people.villager`
// is not used. Seeds once, like SeedDemoDisclosures.
Result<DemoDisclosureReport> SeedLaggingDemoDisclosures(DisclosureStore& store, const crypto::FieldCipher& cipher,
                                                        access::AuditSink& audit, const std::string& village,
                                                        const DemoDisclosurePeople& people, const Clock& now);

}  // namespace gz::disclosure
