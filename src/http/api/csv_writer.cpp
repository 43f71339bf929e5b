#include "http/api/csv_writer.hpp"

#include <nlohmann/json.hpp>

#include "core/utf8.hpp"

namespace roster::http {
namespace {

bool StartsLikeAFormula(std::string_view text) {
  if (text.empty()) return false;
  switch (text.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      return false;
  }
}

// The text with every invalid UTF-8 sequence replaced by U+FFFD, as the JSON
// answers do; the database only holds such bytes if something outside
// Roster wrote them.
std::string ValidUtf8(std::string_view text) {
  nlohmann::json as_json = std::string(text);
  std::string quoted = as_json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return nlohmann::json::parse(quoted).get<std::string>();
}

}  // namespace

void CsvWriter::Separate() {
  if (!first_) out_ += ',';
  first_ = false;
}

CsvWriter& CsvWriter::Field(std::string_view text) {
  Separate();
  std::string repaired;
  if (!IsValidUtf8(text)) {
    repaired = ValidUtf8(text);
    text = repaired;
  }
  // ';' too: a spreadsheet where the decimal mark is a comma (much of
  // Europe) splits unquoted fields at semicolons, and "Nick;=1+2" would
  // give a cell that starts with '=' past the prefix below.
  bool quote = text.find_first_of(",;\"\r\n") != std::string_view::npos;
  if (quote) out_ += '"';
  if (StartsLikeAFormula(text)) out_ += '\'';
  for (char c : text) {
    if (c == '"') out_ += '"';
    out_ += c;
  }
  if (quote) out_ += '"';
  return *this;
}

CsvWriter& CsvWriter::Field(std::int64_t value) {
  Separate();
  out_ += std::to_string(value);
  return *this;
}

void CsvWriter::End() {
  out_ += "\r\n";
  first_ = true;
}

}  // namespace roster::http
