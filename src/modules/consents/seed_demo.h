// SeedDemoConsent: the demo's recorded consent (villager 15400000001 for helper 15400000003).
//
// Layer: consents domain. The composition root calls it after identity has seeded the demo
// accounts, with their ids (it looks them up by phone; this module knows no phone numbers):
//
//   GZ_ASSIGN_OR_RETURN(consents::DemoConsentReport r,
//       consents::SeedDemoConsent(consent_service, account_facts, villager_id, helper_id));
//
// Records, through ConsentService::Grant and so with every rule and an audit record, an in-person
// consent with a signature photo (a small generated PNG), listing every delegable permission,
// valid for 365 days from now, recorded by the helper. Idempotent: nothing is added while the
// pair has a consent that is not revoked and has not ended.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "modules/consents/account_facts.h"
#include "modules/consents/consent_service.h"

namespace gz::consents {

struct DemoConsentReport {
  bool created = false;
  int64_t consent_id = 0;  // the new consent, or the one already there
};

Result<DemoConsentReport> SeedDemoConsent(ConsentService& service, AccountFacts& accounts, int64_t villager_account,
                                          int64_t helper_account);

// A valid PNG (grey, width x height, 8-bit greyscale, uncompressed deflate blocks) standing in for
// the photo of a signed form. Deterministic.
std::string DemoEvidencePng(int width = 16, int height = 8);

}  // namespace gz::consents
