#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
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

// A page of a list as the API answers it, {"items": [...], "next_cursor":
// ...}, each item written by `write(JsonWriter&, item)` straight into the
// text; `item_bytes` is a guess of one item's size, to allocate once.
template <class Items, class Write>
std::string PageText(const Items& items, const std::optional<std::string>& next_cursor,
                     std::size_t item_bytes, Write write) {
  std::string text;
  text.reserve(64 + items.size() * item_bytes);
  JsonWriter out(text);
  out.BeginObject().Key("items").BeginArray();
  for (const auto& item : items) write(out, item);
  out.EndArray().Key("next_cursor");
  if (next_cursor) {
    out.String(*next_cursor);
  } else {
    out.Null();
  }
  out.EndObject();
  return text;
}

}  // namespace roster::http
