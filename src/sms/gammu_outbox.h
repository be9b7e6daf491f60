// GammuOutbox: an SmsGateway that writes each message into the outbox folder of gammu-smsd's
// FILES backend (man 7 gammu-smsd-files; Debian package gammu-smsd), which sends it through a GSM
// modem or phone and moves it to its "sent" folder.
//
// Layer: sms adapter (standard library, POSIX, core).
//
// File format, as gammu-smsd reads it: the name is
//   OUT<priority><date>_<time>_<serial>_<recipient>_<note>.txt
// e.g. OUTA20261128_233000_00_15400000001_gz7263541.txt (priority A, UTC time, note "gz" + the
// message id); the content is the text in UTF-16LE after a byte-order mark (gammu's "Unicode"
// text files; without the mark it would read the default 7-bit alphabet and mangle Chinese).
// A message is written to a hidden temporary file, flushed with fsync, then renamed into place
// and the folder fsynced: gammu-smsd never sees half a message, and an acknowledged Send()
// survives a power cut. A second Send() of the same id finds its file and does nothing.
#pragma once

#include <string>

#include "sms/sms_gateway.h"

namespace gz::sms {

class GammuOutbox final : public SmsGateway {
 public:
  // `folder` is gammu-smsd's OutboxPath; created (owner-only) on the first Send() if missing.
  explicit GammuOutbox(std::string folder);
  std::string_view name() const override { return "gammu-outbox"; }
  Status Send(const SmsMessage& message) override;
  const std::string& folder() const { return folder_; }

 private:
  std::string folder_;
};

// UTF-16LE with a byte-order mark, or nullopt for text that is not valid UTF-8.
std::optional<std::string> ToUtf16LeWithBom(std::string_view utf8);

}  // namespace gz::sms
