// Layer: sms adapter (see gammu_outbox.h).
#include "sms/gammu_outbox.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>

#include "core/log.h"

namespace gz::sms {
namespace {

Status BadMessage(std::string_view reason) {
  return InvalidArgument("sms/bad-message").With("reason", std::string(reason));
}

Status SystemError(std::string_view what, int err) {
  return Status(Code::kUnavailable, "sms/unavailable").With("reason", std::string(what) + ": " + std::strerror(err));
}

bool IsMainlandMobile(std::string_view phone) {
  if (phone.size() != 11 || phone[0] != '1') return false;
  for (char c : phone)
    if (c < '0' || c > '9') return false;
  return true;
}

// Decodes one UTF-8 sequence at `i`; nullopt when it is not well-formed (overlong forms,
// surrogates and values above U+10FFFF included).
std::optional<char32_t> NextCodePoint(std::string_view s, size_t& i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return char32_t(s[i++]);
  int n = 0;
  char32_t cp = 0;
  if ((c & 0xE0) == 0xC0) n = 1, cp = c & 0x1F;
  else if ((c & 0xF0) == 0xE0) n = 2, cp = c & 0x0F;
  else if ((c & 0xF8) == 0xF0) n = 3, cp = c & 0x07;
  else return std::nullopt;
  for (int k = 1; k <= n; ++k) {
    if (i + k >= s.size() || (b(i + k) & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  i += n + 1;
  return cp;
}

std::string FileStamp() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d_%H%M%S", &tm);
  return buf;
}

Status WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return SystemError("write", errno);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

}  // namespace

size_t CountChars(std::string_view utf8) {
  size_t n = 0;
  for (size_t i = 0; i < utf8.size();) {
    if (!NextCodePoint(utf8, i)) ++i;
    ++n;
  }
  return n;
}

std::optional<std::string> ToUtf16LeWithBom(std::string_view utf8) {
  std::string out = "\xFF\xFE";
  const auto unit = [&](uint16_t u) {
    out.push_back(static_cast<char>(u & 0xFF));
    out.push_back(static_cast<char>(u >> 8));
  };
  for (size_t i = 0; i < utf8.size();) {
    std::optional<char32_t> cp = NextCodePoint(utf8, i);
    if (!cp) return std::nullopt;
    if (*cp < 0x10000) {
      unit(static_cast<uint16_t>(*cp));
    } else {
      const char32_t v = *cp - 0x10000;
      unit(static_cast<uint16_t>(0xD800 + (v >> 10)));
      unit(static_cast<uint16_t>(0xDC00 + (v & 0x3FF)));
    }
  }
  return out;
}

GammuOutbox::GammuOutbox(std::string folder) : folder_(std::move(folder)) {}

Status GammuOutbox::Send(const SmsMessage& m) {
  if (m.id <= 0) return BadMessage("id");
  if (!IsMainlandMobile(m.phone)) return BadMessage("phone");
  if (m.text.empty()) return BadMessage("empty");
  if (CountChars(m.text) > kMaxTextChars) return BadMessage("too-long");
  std::optional<std::string> content = ToUtf16LeWithBom(m.text);
  if (!content) return BadMessage("not-utf8");

  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(folder_, ec);
  if (ec) return Status(Code::kUnavailable, "sms/unavailable").With("reason", "outbox folder: " + ec.message());
  ::chmod(folder_.c_str(), 0700);

  // Idempotent per id: a message whose file is still waiting is not queued twice.
  const std::string note = "_gz" + std::to_string(m.id) + ".txt";
  for (const fs::directory_entry& e : fs::directory_iterator(folder_, ec)) {
    const std::string name = e.path().filename().string();
    if (name.starts_with("OUT") && name.ends_with(note)) return Status::Ok();
  }

  const std::string final_name = "OUTA" + FileStamp() + "_00_" + m.phone + note;
  const std::string tmp = folder_ + "/.gz" + std::to_string(m.id) + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return SystemError("open", errno);
  Status written = WriteAll(fd, *content);
  if (written.ok() && ::fsync(fd) != 0) written = SystemError("fsync", errno);
  ::close(fd);
  if (!written.ok()) {
    ::unlink(tmp.c_str());
    return written;
  }
  if (::rename(tmp.c_str(), (folder_ + "/" + final_name).c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return SystemError("rename", err);
  }
  int dir = ::open(folder_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  log::Info("sms.queued", {{"gateway", "gammu-outbox"}, {"message", m.id}, {"to", m.phone.substr(0, 3) + "****" + m.phone.substr(7)}});
  return Status::Ok();
}

}  // namespace gz::sms
