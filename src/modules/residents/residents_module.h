// ResidentsModule: the residents module's services, built once by the composition root.
//
// Layer: residents domain. Owns the registry, the masked register, the two readers (the audited
// one wraps the sealed one; only the audited one is handed out), correction requests and the
// "my data" export, wired to one store, cipher, clock and audit sink.
#pragma once

#include "access/audit_event.h"
#include "core/clock.h"
#include "crypto/field_cipher.h"
#include "modules/residents/corrections.h"
#include "modules/residents/masked_register.h"
#include "modules/residents/my_data.h"
#include "modules/residents/personal_data_reader.h"
#include "modules/residents/places.h"
#include "modules/residents/resident_registry.h"
#include "modules/residents/resident_store.h"

namespace gz::residents {

class ResidentsModule {
 public:
  // Everything must outlive the module. `regions` may be null (region cross-checks skipped).
  ResidentsModule(ResidentStore& store, const crypto::FieldCipher& cipher, const Clock& clock,
                  access::AuditSink& audit_sink, const VillageDirectory& villages, const RegionCodes* regions)
      : store_(store),
        clock_(clock),
        villages_(villages),
        regions_(regions),
        registry_(store, cipher, clock, regions),
        masked_(store, registry_, cipher),
        sealed_reader_(store, cipher),
        reader_(sealed_reader_, audit_sink),
        corrections_(store, registry_, cipher, audit_sink),
        my_data_(reader_, store, corrections_, clock) {}

  ResidentStore& store() { return store_; }
  const Clock& clock() const { return clock_; }
  const VillageDirectory& villages() const { return villages_; }
  const RegionCodes* regions() const { return regions_; }
  ResidentRegistry& registry() { return registry_; }
  MaskedRegister& masked() { return masked_; }
  PersonalDataReader& reader() { return reader_; }  // audited
  CorrectionService& corrections() { return corrections_; }
  MyDataService& my_data() { return my_data_; }

 private:
  ResidentStore& store_;
  const Clock& clock_;
  const VillageDirectory& villages_;
  const RegionCodes* regions_;
  ResidentRegistry registry_;
  MaskedRegister masked_;
  SealedPersonalDataReader sealed_reader_;
  AuditedPersonalDataReader reader_;
  CorrectionService corrections_;
  MyDataService my_data_;
};

}  // namespace gz::residents
