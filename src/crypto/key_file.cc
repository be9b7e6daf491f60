#include "crypto/key_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>

#include "crypto/crypto.h"
#include "crypto/problems.h"

namespace gz::crypto {
namespace {

constexpr size_t kMaxKeyFileBytes = 64 * 1024;
constexpr std::string_view kMagic = "gz-field-keys";

// A std::string that is wiped before its memory is released (it holds hex key material).
struct WipedString {
  std::string s;
  ~WipedString() { sodium_memzero(s.data(), s.size()); }
};

Status Malformed(const std::filesystem::path& path, int line, std::string note) {
  return FailedPrecondition(std::string(problems::kKeyFileMalformed), std::move(note))
      .With("path", path.string())
      .With("line", std::to_string(line));
}

std::string OctalMode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

bool ParseId(std::string_view text, uint8_t* out) {
  unsigned v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < 1 || v > 255) return false;
  *out = static_cast<uint8_t>(v);
  return true;
}

// Splits on spaces/tabs; the file format has at most three fields per line.
std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

Result<KeyRing> Parse(const std::filesystem::path& path, std::string_view text) {
  KeyRing ring;
  bool seen_magic = false;
  int active = -1, index = -1, active_line = 0, index_line = 0;
  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto f = Fields(line);
    if (f.empty() || f[0].front() == '#') {
      if (end == text.size()) break;
      continue;
    }
    if (!seen_magic) {
      if (f.size() != 2 || f[0] != kMagic) return Malformed(path, line_no, "missing 'gz-field-keys 1' header");
      if (f[1] != "1") return Malformed(path, line_no, "unsupported key file version");
      seen_magic = true;
    } else if (f[0] == "active" || f[0] == "index") {
      uint8_t id = 0;
      if (f.size() != 2 || !ParseId(f[1], &id)) return Malformed(path, line_no, "expected '<active|index> <id 1..255>'");
      int& slot = f[0] == "active" ? active : index;
      if (slot != -1) return Malformed(path, line_no, "repeated line");
      slot = id;
      (f[0] == "active" ? active_line : index_line) = line_no;
    } else if (f[0] == "key") {
      uint8_t id = 0;
      if (f.size() != 3 || !ParseId(f[1], &id)) return Malformed(path, line_no, "expected 'key <id 1..255> <64 hex digits>'");
      if (f[2].size() != SecretKey::kSize * 2) return Malformed(path, line_no, "a key is 64 hex digits");
      SecretKey key;
      size_t bin_len = 0;
      if (sodium_hex2bin(key.data(), key.size(), f[2].data(), f[2].size(), nullptr, &bin_len, nullptr) != 0 ||
          bin_len != key.size()) {
        return Malformed(path, line_no, "a key is 64 hex digits");
      }
      if (Status s = ring.Add(id, std::move(key)); !s.ok()) return Malformed(path, line_no, "duplicate key id");
    } else {
      return Malformed(path, line_no, "unknown line");
    }
    if (end == text.size()) break;
  }
  if (!seen_magic) return Malformed(path, line_no, "empty key file");
  if (ring.empty()) return Malformed(path, line_no, "no key");
  if (active != -1 && !ring.SetActive(static_cast<uint8_t>(active)).ok())
    return Malformed(path, active_line, "active key id not in the file");
  if (index != -1 && !ring.SetIndex(static_cast<uint8_t>(index)).ok())
    return Malformed(path, index_line, "index key id not in the file");
  return ring;
}

Status Unreadable(Code code, const std::filesystem::path& path, int err) {
  return Status(code, std::string(problems::kKeyFileUnreadable), std::strerror(err)).With("path", path.string());
}

Status NotWritable(const std::filesystem::path& path, std::string what, int err) {
  return FailedPrecondition(std::string(problems::kKeyFileNotWritable), what + ": " + std::strerror(err))
      .With("path", path.string());
}

WipedString Serialize(const KeyRing& ring) {
  WipedString out;
  out.s.reserve(512);
  out.s += "# gongzhi field-encryption master keys (docs/decisions/0004-personal-data-encryption.md).\n";
  out.s += "# SECRET. Keep mode 0600. Never print, paste or commit this file; back it up apart from the data.\n";
  out.s += std::string(kMagic) + " 1\n";
  out.s += "active " + std::to_string(ring.active_id()) + "\n";
  out.s += "index " + std::to_string(ring.index_id()) + "\n";
  for (uint8_t id : ring.ids()) {
    char hex[SecretKey::kSize * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, ring.Find(id)->data(), SecretKey::kSize);
    out.s += "key " + std::to_string(id) + " ";
    out.s.append(hex, SecretKey::kSize * 2);
    out.s += "\n";
    sodium_memzero(hex, sizeof hex);
  }
  return out;
}

Status FsyncDir(const std::filesystem::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return NotWritable(dir, "open folder", errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return NotWritable(dir, "fsync folder", err);
  return Status::Ok();
}

Status EnsureKeyFolder(const std::filesystem::path& dir) {
  if (dir.empty()) return Status::Ok();
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return Status::Ok();
  if (!dir.parent_path().empty()) std::filesystem::create_directories(dir.parent_path(), ec);
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return NotWritable(dir, "mkdir", errno);
  return Status::Ok();
}

// Checks and parses the key file open on `fd`. Permissions are checked on the opened file, not
// the name, so a swap in between cannot fool it. `st_out` (optional) receives its stat.
Result<KeyRing> ReadOpenKeyFile(int fd, const std::filesystem::path& path, struct stat* st_out) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Unreadable(Code::kFailedPrecondition, path, errno);
  if (!S_ISREG(st.st_mode) || (st.st_mode & 077) != 0) {
    return FailedPrecondition(std::string(problems::kKeyFilePermissions),
                              S_ISREG(st.st_mode) ? "group/other may access the key file; chmod 600 it"
                                                  : "the key file is not a regular file")
        .With("path", path.string())
        .With("mode", OctalMode(st.st_mode));
  }
  if (static_cast<size_t>(st.st_size) > kMaxKeyFileBytes) return Malformed(path, 0, "key file too large");
  WipedString text;
  text.s.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < text.s.size()) {
    ssize_t n = ::pread(fd, text.s.data() + got, text.s.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Unreadable(Code::kFailedPrecondition, path, n < 0 ? errno : EIO);
    got += static_cast<size_t>(n);
  }
  if (st_out) *st_out = st;
  return Parse(path, text.s);
}

// Writes `ring` to a new temporary file beside `path` with `mode`, fsynced, and returns its name.
// The caller link()s or rename()s it into place, so the key file never appears half-written.
Result<std::filesystem::path> WriteTempKeyFile(const std::filesystem::path& path, const KeyRing& ring, mode_t mode) {
  std::filesystem::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());
  ::unlink(tmp.c_str());  // a leftover from a crashed attempt of this same pid number
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return NotWritable(tmp, "create", errno);
  WipedString text = Serialize(ring);
  size_t done = 0;
  int err = 0;
  if (::fchmod(fd, mode) != 0) err = errno;  // whatever the umask was
  while (err == 0 && done < text.s.size()) {
    ssize_t n = ::write(fd, text.s.data() + done, text.s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) err = n < 0 ? errno : EIO;
    else done += static_cast<size_t>(n);
  }
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  ::close(fd);
  if (err != 0) {
    ::unlink(tmp.c_str());
    return NotWritable(tmp, "write", err);
  }
  return tmp;
}

bool SameKeys(const KeyRing& a, const KeyRing& b) {
  if (a.ids() != b.ids() || a.active_id() != b.active_id() || a.index_id() != b.index_id()) return false;
  for (uint8_t id : a.ids())
    if (sodium_memcmp(a.Find(id)->data(), b.Find(id)->data(), SecretKey::kSize) != 0) return false;
  return true;
}

// Puts `ring` in place of the key file whose stat is `old`, keeping its mode and owner (a rotation
// run as root must not leave the server's user unable to read its keys).
Status WriteReplacement(const std::filesystem::path& path, const KeyRing& ring, const struct stat& old) {
  GZ_ASSIGN_OR_RETURN(std::filesystem::path tmp, WriteTempKeyFile(path, ring, old.st_mode & 0700));
  auto fail = [&tmp](Status s) {
    ::unlink(tmp.c_str());
    return s;
  };
  if ((old.st_uid != ::geteuid() || old.st_gid != ::getegid()) && ::lchown(tmp.c_str(), old.st_uid, old.st_gid) != 0)
    return fail(NotWritable(path, "keep the key file's owner (run as that user)", errno));
  int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return fail(NotWritable(tmp, "read back", errno));
  Result<KeyRing> written = ReadOpenKeyFile(fd, tmp, nullptr);
  ::close(fd);
  if (!written.ok() || !SameKeys(*written, ring))
    return fail(NotWritable(tmp, "read back: the new key file differs from what was written", EIO));
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail(NotWritable(path, "rename", errno));
  return FsyncDir(path.parent_path());
}

// Replaces the key file with `change` applied to its ring. Rotations are serialized by an
// exclusive flock on the current file; the new file is written beside it, read back and compared
// with what was meant before it is renamed over the old one, because losing a key here loses every
// field sealed under it. Readers (a starting server) see the old file or the new one, never a mix.
Status RewriteKeyFile(const std::filesystem::path& path, const std::function<Status(KeyRing&)>& change) {
  GZ_RETURN_IF_ERROR(Initialize());
  for (int attempt = 0; attempt < 100; ++attempt) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return Unreadable(errno == ENOENT ? Code::kNotFound : Code::kFailedPrecondition, path, errno);
    auto close_fd = [fd] { ::close(fd); };  // closing releases the lock
    int rc;
    do rc = ::flock(fd, LOCK_EX);
    while (rc != 0 && errno == EINTR);
    if (rc != 0) {
      const int err = errno;
      close_fd();
      return NotWritable(path, "lock", err);
    }
    // Another rotation may have renamed a new file into place while this one waited for the lock
    // of the old one: start again on the current file.
    struct stat by_name {};
    struct stat st {};
    Result<KeyRing> ring = ReadOpenKeyFile(fd, path, &st);
    if (ring.ok() &&
        (::stat(path.c_str(), &by_name) != 0 || by_name.st_ino != st.st_ino || by_name.st_dev != st.st_dev)) {
      close_fd();
      continue;
    }
    if (!ring.ok()) {
      close_fd();
      return ring.status();
    }
    Status s = change(*ring);
    if (s.ok()) s = WriteReplacement(path, *ring, st);
    close_fd();
    return s;
  }
  return NotWritable(path, "the key file kept being replaced while waiting for its lock", EBUSY);
}

}  // namespace

std::filesystem::path DefaultKeyFilePath(const std::filesystem::path& data_dir) {
  return data_dir / "keys" / "field.key";
}

Result<KeyRing> LoadKeyFile(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return Unreadable(errno == ENOENT ? Code::kNotFound : Code::kFailedPrecondition, path, errno);
  Result<KeyRing> ring = ReadOpenKeyFile(fd, path, nullptr);
  ::close(fd);
  return ring;
}

Status WriteNewKeyFile(const std::filesystem::path& path, const KeyRing& ring) {
  if (ring.empty()) return InvalidArgument(std::string(problems::kKeyFileMalformed), "empty key ring");
  const std::filesystem::path dir = path.parent_path();
  GZ_RETURN_IF_ERROR(EnsureKeyFolder(dir));
  GZ_ASSIGN_OR_RETURN(std::filesystem::path tmp, WriteTempKeyFile(path, ring, 0600));
  // link() fails if the name exists: the key file appears complete and is never overwritten.
  if (::link(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    if (err == EEXIST) return AlreadyExists(std::string(problems::kKeyFileNotWritable), "key file exists").With("path", path.string());
    return NotWritable(path, "link", err);
  }
  ::unlink(tmp.c_str());
  return FsyncDir(dir);
}

Result<KeyRing> LoadOrCreateKeyFile(const std::filesystem::path& path, bool* created) {
  if (created) *created = false;
  GZ_RETURN_IF_ERROR(Initialize());
  Result<KeyRing> loaded = LoadKeyFile(path);
  if (loaded.ok() || loaded.status().code() != Code::kNotFound) return loaded;
  KeyRing ring = KeyRing::Generate();
  Status written = WriteNewKeyFile(path, ring);
  if (written.code() == Code::kAlreadyExists) return LoadKeyFile(path);  // lost a creation race
  GZ_RETURN_IF_ERROR(written);
  if (created) *created = true;
  return ring;
}

Result<uint8_t> AddKeyToKeyFile(const std::filesystem::path& path, bool make_active) {
  uint8_t added = 0;
  GZ_RETURN_IF_ERROR(RewriteKeyFile(path, [&](KeyRing& ring) -> Status {
    // Ids are never reused: a reused id would turn "unknown key" into a silent wrong-key failure
    // for any field still sealed under a key that was removed by hand.
    const uint8_t largest = ring.ids().back();
    if (largest == 255) {
      return FailedPrecondition(std::string(problems::kKeyIdsExhausted), "key id 255 is taken; no larger id is left")
          .With("path", path.string());
    }
    added = static_cast<uint8_t>(largest + 1);
    GZ_RETURN_IF_ERROR(ring.Add(added, SecretKey::Random()));
    return make_active ? ring.SetActive(added) : Status::Ok();
  }));
  return added;
}

Status SetActiveKeyInKeyFile(const std::filesystem::path& path, uint8_t id) {
  return RewriteKeyFile(path, [&](KeyRing& ring) { return ring.SetActive(id); });
}

}  // namespace gz::crypto
