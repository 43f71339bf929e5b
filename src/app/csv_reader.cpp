#include "app/csv_reader.hpp"

namespace roster::app {

namespace {

// ';' when the first line has a semicolon and no comma outside quotes.
char SeparatorOf(std::string_view text) {
  bool quoted = false;
  bool comma = false;
  bool semicolon = false;
  for (char c : text) {
    if (c == '"') {
      quoted = !quoted;
    } else if (quoted) {
      continue;
    } else if (c == '\n') {
      break;
    } else if (c == ',') {
      comma = true;
    } else if (c == ';') {
      semicolon = true;
    }
  }
  return semicolon && !comma ? ';' : ',';
}

}  // namespace

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (text_.starts_with("\xEF\xBB\xBF")) position_ = 3;
  separator_ = SeparatorOf(text_.substr(position_));
}

void CsvReader::SkipToNextLine() {
  while (position_ < text_.size() && text_[position_] != '\n') ++position_;
  if (position_ < text_.size()) {
    ++position_;
    ++current_line_;
  }
}

// At an opening quote; leaves position_ after the closing one.
bool CsvReader::ReadQuoted(std::string& field, std::string& error) {
  ++position_;
  while (position_ < text_.size()) {
    char c = text_[position_++];
    if (c == '"') {
      if (position_ < text_.size() && text_[position_] == '"') {
        field += '"';
        ++position_;
        continue;
      }
      return true;
    }
    if (c == '\n') ++current_line_;
    field += c;
  }
  error = "a quoted field is never closed";
  return false;
}

bool CsvReader::Next(std::vector<std::string>& fields, std::string& error) {
  fields.clear();
  error.clear();
  // Empty lines separate nothing.
  while (position_ < text_.size() && (text_[position_] == '\n' || text_[position_] == '\r')) {
    if (text_[position_] == '\n') ++current_line_;
    ++position_;
  }
  if (position_ >= text_.size()) return false;
  record_line_ = current_line_;
  std::string field;
  while (true) {
    if (position_ < text_.size() && text_[position_] == '"') {
      if (!ReadQuoted(field, error)) return true;
      if (position_ < text_.size() && text_[position_] != separator_ && text_[position_] != '\n' &&
          !(text_[position_] == '\r' &&
            (position_ + 1 == text_.size() || text_[position_ + 1] == '\n'))) {
        error = "text follows a closing quote";
        SkipToNextLine();
        return true;
      }
    } else {
      while (position_ < text_.size() && text_[position_] != separator_ &&
             text_[position_] != '\n') {
        char c = text_[position_];
        if (c == '"') {
          error = "a quote inside an unquoted field";
          SkipToNextLine();
          return true;
        }
        if (c == '\r' && (position_ + 1 == text_.size() || text_[position_ + 1] == '\n')) {
          ++position_;
          continue;
        }
        field += c;
        ++position_;
      }
    }
    fields.push_back(std::move(field));
    field.clear();
    if (position_ < text_.size() && text_[position_] == '\r') ++position_;
    if (position_ >= text_.size()) return true;
    char separator = text_[position_++];
    if (separator == '\n') {
      ++current_line_;
      return true;
    }
  }
}

std::string HeaderLineOf(std::span<const std::string_view> columns) {
  std::string line;
  for (std::string_view column : columns) {
    if (!line.empty()) line += ',';
    line += column;
  }
  return line;
}

}  // namespace roster::app
