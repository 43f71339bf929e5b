#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace roster::http {

// Appends RFC 4180 CSV records to a string: fields separated by commas, a
// field quoted (with "" for a quote) when it holds a comma, a quote, CR or
// LF, each record ended by CRLF. Text is UTF-8; invalid bytes become U+FFFD.
//
// A field that starts with `=`, `+`, `-`, `@`, a tab or a CR is written with
// an apostrophe in front: spreadsheets read such a cell as a formula, so
// a lead named "=HYPERLINK(...)" would run in the reader's spreadsheet
// (CSV injection). The apostrophe is what they show as "text follows".
class CsvWriter {
 public:
  explicit CsvWriter(std::string& out) : out_(out) {}

  CsvWriter& Field(std::string_view text);
  CsvWriter& Field(std::int64_t value);
  // Ends the record.
  void End();

 private:
  void Separate();

  std::string& out_;
  bool first_ = true;  // no field written in this record yet
};

}  // namespace roster::http
