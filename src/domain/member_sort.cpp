#include "domain/member_sort.hpp"

#include <array>
#include <utility>

namespace roster::domain {
namespace {

constexpr std::array<std::pair<MemberSortField, std::string_view>, 4> kNames = {{
    {MemberSortField::kName, "name"},
    {MemberSortField::kJoined, "joined"},
    {MemberSortField::kLastSignIn, "last_sign_in"},
    {MemberSortField::kLeads, "leads"},
}};

}  // namespace

std::optional<MemberSort> ParseMemberSort(std::string_view text) {
  MemberSort sort;
  if (text.starts_with('-')) {
    sort.descending = true;
    text.remove_prefix(1);
  }
  for (const auto& [key, name] : kNames) {
    if (text == name) {
      sort.key = key;
      return sort;
    }
  }
  return std::nullopt;
}

std::string ToString(const MemberSort& sort) {
  for (const auto& [key, name] : kNames) {
    if (key == sort.key) return std::string(sort.descending ? "-" : "").append(name);
  }
  return "name";
}

bool SortReadsDetails(const MemberSort& sort) { return sort.key != MemberSortField::kName; }

}  // namespace roster::domain
