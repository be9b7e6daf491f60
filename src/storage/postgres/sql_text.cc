// The SQL lexer of the PostgreSQL backend (storage/postgres/sql_text.h).
#include "storage/postgres/sql_text.h"

#include <cctype>
#include <string>
#include <vector>

namespace gz::storage::postgres {
namespace {

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }
bool IsIdentChar(char c) { return IsIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$'; }

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool IsTransactionControl(const std::vector<std::string>& words) {
  if (words.empty()) return false;
  const std::string& w = words[0];
  if (w == "BEGIN" || w == "START" || w == "COMMIT" || w == "END" || w == "ABORT") return true;
  if (w == "ROLLBACK") return words.size() < 2 || words[1] != "TO";
  if (w == "PREPARE") return words.size() >= 2 && words[1] == "TRANSACTION";
  return false;
}

}  // namespace

Result<SqlShape> AnalyzeSql(std::string_view sql) {
  SqlShape shape;
  std::vector<std::string> words;  // the first two words of the current statement
  bool has_content = false;
  auto end_statement = [&] {
    if (has_content) ++shape.statements;
    if (IsTransactionControl(words)) shape.transaction_control = true;
    words.clear();
    has_content = false;
  };
  size_t i = 0, n = sql.size();
  while (i < n) {
    char c = sql[i];
    if (c == ';') {
      end_statement();
      ++i;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      while (i < n && sql[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      int depth = 0;
      while (i < n) {
        if (sql[i] == '/' && i + 1 < n && sql[i + 1] == '*') {
          ++depth;
          i += 2;
        } else if (sql[i] == '*' && i + 1 < n && sql[i + 1] == '/') {
          i += 2;
          if (--depth == 0) break;
        } else {
          ++i;
        }
      }
      if (depth != 0) return Internal("unterminated /* comment in SQL");
    } else if (c == '\'') {
      // E'...' allows backslash escapes; the E was read as a word just before.
      bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                     (i < 2 || !IsIdentChar(sql[i - 2]));
      has_content = true;
      ++i;
      bool closed = false;
      while (i < n) {
        if (escapes && sql[i] == '\\') {
          i += 2;
        } else if (sql[i] == '\'') {
          if (i + 1 < n && sql[i + 1] == '\'') {
            i += 2;
          } else {
            ++i;
            closed = true;
            break;
          }
        } else {
          ++i;
        }
      }
      if (!closed) return Internal("unterminated string in SQL");
    } else if (c == '"') {
      has_content = true;
      size_t close = sql.find('"', i + 1);
      while (close != std::string_view::npos && close + 1 < n && sql[close + 1] == '"') close = sql.find('"', close + 2);
      if (close == std::string_view::npos) return Internal("unterminated quoted identifier in SQL");
      if (words.size() < 2) words.push_back("\"");
      i = close + 1;
    } else if (c == '$' && i + 1 < n && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      has_content = true;
      size_t j = i + 1;
      long v = 0;
      while (j < n && std::isdigit(static_cast<unsigned char>(sql[j]))) {
        v = v * 10 + (sql[j] - '0');
        if (v > 65535) return Internal("placeholder number too large in SQL");
        ++j;
      }
      if (v >= 1) {
        shape.placeholders.insert(static_cast<int>(v));
        if (v > shape.max_placeholder) shape.max_placeholder = static_cast<int>(v);
      }
      i = j;
    } else if (c == '$') {
      // $tag$ ... $tag$ (tag may be empty).
      size_t j = i + 1;
      while (j < n && IsIdentChar(sql[j]) && sql[j] != '$') ++j;
      if (j < n && sql[j] == '$') {
        std::string_view tag = sql.substr(i, j - i + 1);
        size_t close = sql.find(tag, j + 1);
        if (close == std::string_view::npos) return Internal("unterminated dollar quote in SQL");
        has_content = true;
        i = close + tag.size();
      } else {
        has_content = true;
        ++i;
      }
    } else if (IsIdentStart(c)) {
      size_t j = i;
      while (j < n && IsIdentChar(sql[j])) ++j;
      if (words.size() < 2) words.push_back(Upper(sql.substr(i, j - i)));
      has_content = true;
      i = j;
    } else {
      has_content = true;
      if (words.size() < 2 && !std::isdigit(static_cast<unsigned char>(c))) words.push_back(std::string(1, c));
      ++i;
    }
  }
  end_statement();
  return shape;
}

Status CheckPlaceholders(const SqlShape& shape, size_t count, std::string_view sql) {
  bool exact = shape.placeholders.size() == count &&
               (count == 0 || (*shape.placeholders.begin() == 1 && static_cast<size_t>(shape.max_placeholder) == count));
  if (exact) return Status::Ok();
  std::string excerpt(sql.substr(0, 200));
  return Internal("the statement uses placeholders $1..$" + std::to_string(shape.max_placeholder) + " (" +
                  std::to_string(shape.placeholders.size()) + " distinct) but " + std::to_string(count) +
                  " values were given: " + excerpt);
}

}  // namespace gz::storage::postgres
