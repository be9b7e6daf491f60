// libzip in memory: reading with limits, writing to a buffer. Layer: tabular (internal).
#include "tabular/zip_archive.h"

#include <zip.h>

#include <array>

#include "tabular/format.h"
#include "tabular/problems.h"
#include "tabular/table_builder.h"

namespace gz::tabular::internal {
namespace {

Status BadXlsx(std::string_view reason, std::string note) {
  return InvalidArgument(std::string(problems::kBadXlsx), std::move(note)).With("reason", std::string(reason));
}

// 1 January 2000, local time: any fixed date will do, but not 1980 (the DOS epoch), which some
// tools show as "no date".
constexpr time_t kFixedMtime = 946'684'800;

}  // namespace

struct ZipReader::Impl {
  zip_t* archive = nullptr;
  const ReadLimits* limits = nullptr;
  uint64_t total_inflated = 0;
  ~Impl() {
    if (archive) zip_discard(archive);  // read-only: nothing to write back
  }
};

ZipReader::ZipReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ZipReader::ZipReader(ZipReader&&) noexcept = default;
ZipReader& ZipReader::operator=(ZipReader&&) noexcept = default;
ZipReader::~ZipReader() = default;

Result<ZipReader> ZipReader::Open(std::string_view bytes, const ReadLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return TooLargeError("file-bytes", static_cast<int64_t>(limits.max_file_bytes));
  }
  if (DetectFormat(bytes) == Format::kXls) {
    return InvalidArgument(std::string(problems::kXlsNotSupported),
                           "xls-not-supported: save as .xlsx or CSV (OLE compound file: .xls or encrypted)")
        .With("reason", std::string(problems::kReasonXls));
  }
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!source) {
    zip_error_fini(&error);
    return Internal("libzip: cannot create a buffer source");
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (!archive) {
    zip_source_free(source);  // not taken over on failure
    const int code = zip_error_code_zip(&error);
    std::string note = std::string("libzip: ") + zip_error_strerror(&error);
    zip_error_fini(&error);
    return BadXlsx(code == ZIP_ER_NOZIP ? "not-zip" : "damaged-zip", std::move(note));
  }
  zip_error_fini(&error);
  auto impl = std::make_unique<Impl>();
  impl->archive = archive;
  impl->limits = &limits;
  const zip_int64_t entries = zip_get_num_entries(archive, 0);
  if (entries > limits.max_zip_entries) return TooLargeError("zip-entries", limits.max_zip_entries);
  return ZipReader(std::move(impl));
}

int64_t ZipReader::Find(std::string_view name) const {
  const std::string terminated(name);
  return zip_name_locate(impl_->archive, terminated.c_str(), ZIP_FL_NOCASE);
}

Status ZipReader::Read(int64_t index, const std::function<Status(std::string_view)>& sink) {
  const ReadLimits& limits = *impl_->limits;
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(impl_->archive, static_cast<zip_uint64_t>(index), 0, &stat) != 0) {
    return BadXlsx("damaged-zip", "libzip: cannot stat an entry");
  }
  if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) && stat.encryption_method != ZIP_EM_NONE) {
    return BadXlsx("encrypted", "a ZIP entry is encrypted");
  }
  if ((stat.valid & ZIP_STAT_COMP_METHOD) && !zip_compression_method_supported(stat.comp_method, 0)) {
    return BadXlsx("damaged-zip", "unsupported compression method " + std::to_string(stat.comp_method));
  }
  // The declared size is checked first so that an honest bomb costs nothing; the loop below
  // catches a dishonest one.
  if ((stat.valid & ZIP_STAT_SIZE) &&
      (stat.size > limits.max_entry_bytes || impl_->total_inflated + stat.size > limits.max_total_uncompressed_bytes)) {
    return stat.size > limits.max_entry_bytes
               ? TooLargeError("entry-bytes", static_cast<int64_t>(limits.max_entry_bytes))
               : TooLargeError("total-bytes", static_cast<int64_t>(limits.max_total_uncompressed_bytes));
  }
  zip_file_t* file = zip_fopen_index(impl_->archive, static_cast<zip_uint64_t>(index), 0);
  if (!file) return BadXlsx("damaged-zip", "libzip: cannot open an entry");
  std::array<char, 64 * 1024> buffer;
  uint64_t entry_inflated = 0;
  Status status;
  while (status.ok()) {
    const zip_int64_t n = zip_fread(file, buffer.data(), buffer.size());
    if (n < 0) {
      // A CRC mismatch, a truncated or corrupt deflate stream.
      status = BadXlsx("damaged-zip", std::string("libzip: ") + zip_error_strerror(zip_file_get_error(file)));
      break;
    }
    if (n == 0) break;
    entry_inflated += static_cast<uint64_t>(n);
    impl_->total_inflated += static_cast<uint64_t>(n);
    if (entry_inflated > limits.max_entry_bytes) {
      status = TooLargeError("entry-bytes", static_cast<int64_t>(limits.max_entry_bytes));
    } else if (impl_->total_inflated > limits.max_total_uncompressed_bytes) {
      status = TooLargeError("total-bytes", static_cast<int64_t>(limits.max_total_uncompressed_bytes));
    } else {
      status = sink(std::string_view(buffer.data(), static_cast<size_t>(n)));
    }
  }
  zip_fclose(file);
  return status;
}

Result<std::string> WriteZip(const std::vector<ZipEntry>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_error_fini(&error);
  if (!out) return Internal("libzip: cannot create the output buffer");
  zip_source_keep(out);  // the archive releases its reference on close; we read the bytes after
  zip_error_init(&error);
  zip_t* archive = zip_open_from_source(out, ZIP_TRUNCATE, &error);
  zip_error_fini(&error);
  if (!archive) {
    zip_source_free(out);
    zip_source_free(out);
    return Internal("libzip: cannot open the output archive");
  }
  for (const ZipEntry& entry : entries) {
    // libzip reads entry.data at zip_close(), which happens before `entries` can go away.
    zip_source_t* data = zip_source_buffer(archive, entry.data.data(), entry.data.size(), 0);
    const zip_int64_t index =
        data ? zip_file_add(archive, entry.name.c_str(), data, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) : -1;
    if (index < 0 || zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 6) != 0 ||
        zip_file_set_mtime(archive, static_cast<zip_uint64_t>(index), kFixedMtime, 0) != 0) {
      if (data && index < 0) zip_source_free(data);
      std::string note = std::string("libzip: cannot add ") + entry.name + ": " + zip_strerror(archive);
      zip_discard(archive);
      zip_source_free(out);
      return Internal(std::move(note));
    }
  }
  if (zip_close(archive) != 0) {
    std::string note = std::string("libzip: cannot write the archive: ") + zip_strerror(archive);
    zip_discard(archive);
    zip_source_free(out);
    return Internal(std::move(note));
  }
  std::string bytes;
  zip_stat_t stat;
  zip_stat_init(&stat);
  bool ok = zip_source_stat(out, &stat) == 0 && (stat.valid & ZIP_STAT_SIZE) && zip_source_open(out) == 0;
  if (ok) {
    bytes.resize(stat.size);
    ok = zip_source_read(out, bytes.data(), stat.size) == static_cast<zip_int64_t>(stat.size);
    zip_source_close(out);
  }
  zip_source_free(out);
  if (!ok) return Internal("libzip: cannot read back the written archive");
  return bytes;
}

}  // namespace gz::tabular::internal
