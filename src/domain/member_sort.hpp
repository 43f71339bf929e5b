#pragma once

#include <optional>
#include <string>
#include <string_view>

// The orders of the member list (GET /orgs/{org}/members?sort=, and its
// export). Every order ends with the user id, so it is total and a cursor
// never skips or repeats a member; a descending order is the ascending one
// reversed, tie-breaker included, except that members without a value
// (never joined, never signed in) come last in both.
namespace roster::domain {

enum class MemberSortField { kName, kJoined, kLastSignIn, kLeads };

struct MemberSort {
  MemberSortField key = MemberSortField::kName;  // the default: today's order
  bool descending = false;

  bool operator==(const MemberSort&) const = default;
};

// "name", "-name", "joined", "-joined", "last_sign_in", "-last_sign_in",
// "leads", "-leads"; nullopt for anything else.
std::optional<MemberSort> ParseMemberSort(std::string_view text);
std::string ToString(const MemberSort& sort);

// Whether the order reads a member's details (joined, last sign-in, leads),
// which only those who may see them may sort by: the order would tell them.
bool SortReadsDetails(const MemberSort& sort);

}  // namespace roster::domain
