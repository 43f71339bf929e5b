#pragma once

#include <optional>
#include <string>
#include <utility>

#include "core/base64.hpp"
#include "core/ids.hpp"
#include "core/utf8.hpp"

// Opaque cursors for lists ordered by (text key, id): base64url of
// "key\nid". Clients must not build or parse them.
namespace roster::store {

inline std::string EncodeKeyCursor(const std::string& key, Id id) {
  return EncodeBase64Url(key + '\n' + FormatId(id));
}

// nullopt for anything EncodeKeyCursor did not make.
inline std::optional<std::pair<std::string, Id>> DecodeKeyCursor(const std::string& cursor) {
  auto decoded = DecodeBase64Url(cursor);
  if (!decoded) return std::nullopt;
  auto newline = decoded->rfind('\n');
  if (newline == std::string::npos) return std::nullopt;
  auto id = ParseId(std::string_view(*decoded).substr(newline + 1));
  if (!id) return std::nullopt;
  std::string key = decoded->substr(0, newline);
  if (!IsValidUtf8(key)) return std::nullopt;  // the database would refuse it
  return std::make_pair(std::move(key), *id);
}

}  // namespace roster::store
