// The opaque list cursors that clients send back: DecodeKeyCursor (assistant
// users, "key\nid" in base64url), DecodeMemberCursor (members, with their
// sort: "sort\nKvalue\nid"), ParseId (assistants, leads,
// audit events) and DecodeBase64Url under them. Whatever a decoder accepts
// must encode back to a cursor that decodes to the same position, and
// base64url decoding must invert encoding.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base64.hpp"
#include "core/ids.hpp"
#include "fuzz_check.hpp"
#include "store/cursor.hpp"
#include "store/member_cursor.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace roster;
  std::string text(reinterpret_cast<const char*>(data), size);

  if (auto decoded = DecodeBase64Url(text)) {
    ROSTER_FUZZ_CHECK(decoded->size() <= text.size());
    ROSTER_FUZZ_CHECK(DecodeBase64Url(EncodeBase64Url(*decoded)) == decoded);
  }
  std::string raw_encoded = EncodeBase64Url(text);
  ROSTER_FUZZ_CHECK(DecodeBase64Url(raw_encoded) == text);
  for (char c : raw_encoded) {
    ROSTER_FUZZ_CHECK((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_');
  }

  if (auto position = store::DecodeKeyCursor(text)) {
    ROSTER_FUZZ_CHECK(position->second > 0);
    std::string again = store::EncodeKeyCursor(position->first, position->second);
    ROSTER_FUZZ_CHECK(store::DecodeKeyCursor(again) == position);
  }
  // A cursor the server made from any sort key decodes to that key.
  std::string key = text.substr(0, text.size() / 2);
  auto made = store::DecodeKeyCursor(store::EncodeKeyCursor(key, 42));
  ROSTER_FUZZ_CHECK(made && made->first == key && made->second == 42);

  if (auto position = store::DecodeMemberCursor(text)) {
    ROSTER_FUZZ_CHECK(position->user_id > 0);
    ROSTER_FUZZ_CHECK(store::DecodeMemberCursor(store::EncodeMemberCursor(*position)) == position);
  }
  // Any sort value, present or missing, comes back as it was made.
  for (std::optional<std::string> value : {std::optional<std::string>(key), std::optional<std::string>()}) {
    store::MemberPosition made_position{"-last_sign_in", value, 7};
    ROSTER_FUZZ_CHECK(store::DecodeMemberCursor(store::EncodeMemberCursor(made_position)) ==
                      made_position);
  }

  if (auto id = ParseId(text)) {
    ROSTER_FUZZ_CHECK(*id > 0);
    ROSTER_FUZZ_CHECK(FormatId(*id) == text);  // one spelling per ID
  }
  return 0;
}
