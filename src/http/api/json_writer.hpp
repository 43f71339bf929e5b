#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace roster::http {

// Appends JSON text to a string as it is written, without a DOM in between:
// for a list of 50 members that is one growing buffer instead of hundreds
// of small allocations. The text is what nlohmann::json::dump() prints for
// the same value (compact, UTF-8 kept, invalid UTF-8 replaced by U+FFFD),
// provided keys are written in the order nlohmann keeps them (sorted).
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // REQUIRES: inside an object; the value follows.
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view text);
  JsonWriter& Int(std::int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();

 private:
  void BeforeValue();

  std::string& out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

}  // namespace roster::http
