#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <soci/soci.h>

// Typed reads of a soci::row that work the same on SQLite and PostgreSQL,
// whose drivers report integer columns with different widths.
namespace roster::store {

inline std::int64_t Int64(const soci::row& row, std::size_t column) {
  switch (row.get_properties(column).get_data_type()) {
    case soci::dt_integer: return row.get<int>(column);
    case soci::dt_long_long: return row.get<long long>(column);
    case soci::dt_unsigned_long_long: return static_cast<std::int64_t>(row.get<unsigned long long>(column));
    case soci::dt_double: return static_cast<std::int64_t>(row.get<double>(column));
    case soci::dt_string: return std::stoll(row.get<std::string>(column));
    default: throw soci::soci_error("column " + std::to_string(column) + " is not an integer");
  }
}

inline std::optional<std::int64_t> OptionalInt64(const soci::row& row, std::size_t column) {
  if (row.get_indicator(column) == soci::i_null) return std::nullopt;
  return Int64(row, column);
}

inline std::string Text(const soci::row& row, std::size_t column) {
  if (row.get_indicator(column) == soci::i_null) return {};
  return row.get<std::string>(column);
}

inline std::optional<std::string> OptionalText(const soci::row& row, std::size_t column) {
  if (row.get_indicator(column) == soci::i_null) return std::nullopt;
  return row.get<std::string>(column);
}

// Escapes LIKE wildcards so user input matches literally (ESCAPE '\').
inline std::string LikePattern(const std::string& text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

}  // namespace roster::store
