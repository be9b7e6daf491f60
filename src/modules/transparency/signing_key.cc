// Layer: transparency domain (see signing_key.h).
#include "modules/transparency/signing_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace gz::transparency {
namespace {

Status KeyFileError(const std::filesystem::path& path, std::string reason) {
  return Status(Code::kFailedPrecondition, "tlog/key-file").With("path", path.string()).With("reason", std::move(reason));
}

}  // namespace

std::filesystem::path DefaultSigningKeyPath(const std::filesystem::path& data_dir) { return data_dir / "keys" / "tlog.key"; }

Result<tlog::SignerKey> LoadSigningKey(const std::filesystem::path& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status(Code::kNotFound, "tlog/key-file").With("path", path.string()).With("reason", "missing");
    return KeyFileError(path, std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return KeyFileError(path, "not a regular file");
  if ((st.st_mode & 077) != 0) return KeyFileError(path, "readable by group or others (chmod 600)");
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    Result<tlog::SignerKey> key = tlog::ParseSignerKey(line);
    if (!key.ok()) return KeyFileError(path, "malformed signer key");
    return key;
  }
  return KeyFileError(path, "no key in the file");
}

Result<tlog::SignerKey> LoadOrCreateSigningKey(const std::filesystem::path& path, std::string_view origin,
                                               bool origin_must_match, bool* created) {
  if (created) *created = false;
  Result<tlog::SignerKey> loaded = LoadSigningKey(path);
  if (!loaded.ok() && loaded.status().code() != Code::kNotFound) return loaded.status();
  if (loaded.ok()) {
    if (origin_must_match && loaded->name != origin)
      return KeyFileError(path, "the key is for origin \"" + loaded->name + "\", the configured origin is \"" +
                                    std::string(origin) + "\"");
    return loaded;
  }
  GZ_ASSIGN_OR_RETURN(tlog::SignerKey key, tlog::GenerateSignerKey(origin));
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  ::chmod(path.parent_path().c_str(), 0700);
  std::string text = "# gongzhi transparency log signing key (Go note signer-key format). Never share it.\n" +
                     tlog::FormatSignerKey(key) + "\n";
  std::filesystem::path tmp = path;
  tmp += ".tmp" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return KeyFileError(path, std::string("cannot create: ") + std::strerror(errno));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  std::fill(text.begin(), text.end(), '\0');
  // link() refuses to replace a key another process created meanwhile; then that one is used.
  if (ok && ::link(tmp.c_str(), path.c_str()) != 0 && errno != EEXIST) ok = false;
  ::unlink(tmp.c_str());
  if (!ok) return KeyFileError(path, "cannot write the key file");
  int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  GZ_ASSIGN_OR_RETURN(tlog::SignerKey stored, LoadSigningKey(path));
  if (origin_must_match && stored.name != origin) return KeyFileError(path, "origin mismatch");
  if (created) *created = stored.public_key == key.public_key;
  return stored;
}

}  // namespace gz::transparency
