#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace roster::app {

// Reads RFC 4180 CSV from memory: comma-separated fields, optionally in
// double quotes ("" inside quotes is a quote; quoted fields may hold commas
// and line breaks), records ending with LF or CRLF. A leading UTF-8 BOM is
// skipped; empty lines are skipped.
//
// A spreadsheet saved as CSV where the decimal mark is a comma (Excel in
// much of Europe) separates its fields with semicolons: such a file is read
// with ';' when its first line has a semicolon and no comma outside quotes.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text);

  // The separator this reader uses: ',' or ';'.
  char separator() const { return separator_; }

  // Reads the next record into `fields`. Returns false at the end of the
  // text. A malformed record (a quote inside an unquoted field, text after a
  // closing quote, a quote never closed) returns true and sets `error`;
  // reading goes on at the next line.
  bool Next(std::vector<std::string>& fields, std::string& error);

  // The line (from 1) on which the record last returned by Next started.
  std::size_t line() const { return record_line_; }

 private:
  bool ReadQuoted(std::string& field, std::string& error);
  void SkipToNextLine();

  std::string_view text_;
  char separator_ = ',';
  std::size_t position_ = 0;
  std::size_t current_line_ = 1;
  std::size_t record_line_ = 0;
};

// A header line naming `columns`, for messages: "email,name,role".
std::string HeaderLineOf(std::span<const std::string_view> columns);

}  // namespace roster::app
