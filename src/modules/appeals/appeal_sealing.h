// How the appeals module seals its personal fields: the associated data that binds each
// ciphertext to its row, and opening with those checks. The one place that knows the bindings.
//
// Layer: appeals domain (crypto interface only; no sodium.h).
//
// Associated data:
//   appeals_appeals.text:<id>|<village>|<submitter account>|<submitter resident>|<submitted_at_ms>
//   appeals_appeals.location:<same>
//   appeals_timeline.note:<entry id>|<appeal id>|<seq>|<visibility>|<action>
// so a text copied to another appeal, an appeal moved to another village or submitter in the
// database file, or an internal note turned public or moved to another entry fails to open:
// tampering is found on the next read (T-INTEG).
#pragma once

#include <optional>
#include <string>

#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/appeals/appeal.h"
#include "modules/appeals/timeline.h"

namespace gz::appeals {

// Seals content into `appeal` (text_sealed, location_sealed). REQUIRES: the id, village,
// submitter fields and submitted_at_ms of `appeal` are final (they are bound into the envelope).
void SealContent(const crypto::FieldCipher& cipher, Appeal& appeal, const AppealContent& content);
// kFailedPrecondition "crypto/integrity-failure" {column} if a field fails to open; the crypto
// layer's "crypto/unknown-key" passes through.
Result<AppealContent> OpenContent(const crypto::FieldCipher& cipher, const Appeal& appeal);

// Seals `note` into entry.note_sealed. REQUIRES: id, appeal_id, seq, visibility, action final.
void SealNote(const crypto::FieldCipher& cipher, TimelineEntry& entry, const std::string& note);
// nullopt for an entry without a note; errors as OpenContent.
Result<std::optional<std::string>> OpenNote(const crypto::FieldCipher& cipher, const TimelineEntry& entry);

// Location <-> the bytes sealed for it (fixed-precision text, so equal locations round-trip).
std::string EncodeLocation(const Location& location);
Result<Location> DecodeLocation(std::string_view encoded);

}  // namespace gz::appeals
