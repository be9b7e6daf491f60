// Row accessors of the storage port (storage/db.h).
//
// Layer: storage. Conversions are lenient on purpose: SQLite stores a value with the type it was
// given (a REAL column may hold 3 as an integer), PostgreSQL is strict, and module code should
// read the same way on both.
#include "storage/db.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <mutex>
#include <string>

#include "storage/problems.h"

namespace gz::storage {
namespace {

int64_t ToInt(double d) {
  // Casting a double outside the int64 range (or NaN) is undefined behaviour: clamp instead.
  if (std::isnan(d)) return 0;
  if (d >= 9223372036854775807.0) return std::numeric_limits<int64_t>::max();
  if (d <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

// Whole-string decimal integer, else nullopt.
std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::string FormatReal(double d) {
  // Shortest text that reads back as the same double.
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

}  // namespace

int64_t Row::Int(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* p = std::get_if<int64_t>(&v)) return *p;
  if (auto* p = std::get_if<double>(&v)) return ToInt(*p);
  if (auto* p = std::get_if<std::string>(&v)) return ParseInt(*p).value_or(0);
  return 0;  // NULL or Blob
}

double Row::Real(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* p = std::get_if<double>(&v)) return *p;
  if (auto* p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  if (auto* p = std::get_if<std::string>(&v)) {
    double d = 0;
    auto [end, ec] = std::from_chars(p->data(), p->data() + p->size(), d);
    return ec == std::errc() && end == p->data() + p->size() ? d : 0.0;
  }
  return 0.0;
}

std::string Row::Text(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* p = std::get_if<std::string>(&v)) return *p;
  if (auto* p = std::get_if<Blob>(&v)) return p->bytes;
  if (auto* p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (auto* p = std::get_if<double>(&v)) return FormatReal(*p);
  return {};
}

std::string_view Row::TextView(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* p = std::get_if<std::string>(&v)) return *p;
  if (auto* p = std::get_if<Blob>(&v)) return p->bytes;
  return {};
}

std::optional<int64_t> Row::OptionalInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

std::optional<std::string> Row::OptionalText(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

bool IsSelectStatement(std::string_view sql) {
  size_t i = 0;
  while (i < sql.size() && (sql[i] == ' ' || sql[i] == '\n' || sql[i] == '\t' || sql[i] == '\r')) ++i;
  if (sql.size() - i < 7) return false;
  for (size_t k = 0; k < 6; ++k)
    if (std::toupper(static_cast<unsigned char>(sql[i + k])) != "SELECT"[k]) return false;
  const char after = sql[i + 6];
  return after == ' ' || after == '\n' || after == '\t' || after == '\r';
}

Result<ResultSet> Db::ReadStatement(std::string_view sql, const Params& params) {
  if (!IsSelectStatement(sql)) return Internal("ReadStatement() runs a SELECT only: " + std::string(sql.substr(0, 80)));
  ResultSet out;
  GZ_RETURN_IF_ERROR(Read([&](Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(out, tx.Query(sql, params));
    return Status::Ok();
  }));
  return out;
}

Status Db::WithStoreLock(std::string_view, std::chrono::milliseconds wait, const std::function<Status()>& fn) {
  // One lock for all names and stores: it is taken rarely (start-up) and held briefly.
  static std::timed_mutex mu;
  std::unique_lock lk(mu, std::defer_lock);
  if (!lk.try_lock_for(wait)) return Unavailable(std::string(problems::kBusy), "the store lock was not free in time");
  return fn();
}

}  // namespace gz::storage
