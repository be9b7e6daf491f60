// SmsGateway: the port through which gongzhi sends a text message to a phone.
//
// Layer: a low-level library (standard library and core only), so that domain modules may hold a
// pointer to it. Adapters: GammuOutbox (gammu_outbox.h) hands messages to gammu-smsd, the Debian
// SMS daemon that drives a GSM modem or phone; a commercial SMS platform (阿里云短信, 腾讯云短信)
// would be a second adapter behind the same interface.
//
// The message text may hold a one-time code: an adapter must never log the text or the full phone
// number (log the message id and a masked number at most).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gz::sms {

struct SmsMessage {
  // Unique per message; an adapter uses it to make a retried Send() deliver once.
  int64_t id = 0;
  // Mainland mobile number, 11 digits (identity's normalized form), without "+86".
  std::string phone;
  // The text, UTF-8. At most kMaxTextChars characters: a longer text is refused, not cut, because
  // a cut code or a cut "do not tell anyone" would be worse than no message.
  std::string text;
};

// 5 concatenated UCS-2 parts of 67 characters: room for a consent request with its actions.
inline constexpr size_t kMaxTextChars = 335;

class SmsGateway {
 public:
  virtual ~SmsGateway() = default;
  virtual std::string_view name() const = 0;  // "gammu-outbox"
  // Queues the message for delivery. OK means the gateway has it durably (it will be sent even if
  // gongzhi stops now), not that the phone received it. kInvalidArgument "sms/bad-message"
  // {reason}; kUnavailable "sms/unavailable" (the gateway cannot take it now).
  virtual Status Send(const SmsMessage& message) = 0;
};

// Number of Unicode characters of a UTF-8 text (invalid sequences count one per byte).
size_t CountChars(std::string_view utf8);

}  // namespace gz::sms
