// ZipReader and WriteZip: the ZIP container of .xlsx files, over libzip, in memory.
//
// Layer: tabular (internal; the only files that include zip.h are zip_archive.cc and tests).
// The reader is where zip bombs are stopped: an entry's declared size is checked before it is
// opened, and the bytes actually inflated are counted while they stream, so an entry that lies
// about its size is cut off at the limit too. Nothing is inflated into one big buffer: each part
// streams in 64 KiB chunks to the XML parser.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "tabular/table.h"

namespace gz::tabular::internal {

class ZipReader {
 public:
  // `bytes` must outlive the reader (libzip reads it in place). Fails with "tabular/bad-xlsx"
  // (reason "not-zip" or "damaged-zip"), "tabular/too-large" or "tabular/xls-not-supported".
  static Result<ZipReader> Open(std::string_view bytes, const ReadLimits& limits);

  ZipReader(ZipReader&&) noexcept;
  ZipReader& operator=(ZipReader&&) noexcept;
  ~ZipReader();

  // Index of the entry named `name` (OPC part names are case-insensitive), or -1.
  int64_t Find(std::string_view name) const;

  // Hands the inflated bytes of entry `index` to `sink` chunk by chunk; stops at the first
  // non-OK status from `sink` and returns it. Counts towards the per-entry and total limits.
  Status Read(int64_t index, const std::function<Status(std::string_view)>& sink);

 private:
  struct Impl;
  explicit ZipReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct ZipEntry {
  std::string name;
  std::string data;
};

// A ZIP archive of `entries`, deflated, in this order, with a fixed timestamp so that the same
// table always exports to the same bytes. kInternal if libzip fails (out of memory).
Result<std::string> WriteZip(const std::vector<ZipEntry>& entries);

}  // namespace gz::tabular::internal
