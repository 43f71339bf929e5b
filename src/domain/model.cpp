#include "domain/model.hpp"

namespace roster::domain {

std::string_view ToString(Role role) { return role == Role::kAdmin ? "admin" : "user"; }

std::string_view ToString(MembershipState state) {
  switch (state) {
    case MembershipState::kInvited:
      return "invited";
    case MembershipState::kActive:
      return "active";
    case MembershipState::kDeactivated:
      return "deactivated";
  }
  return "invited";
}

std::string_view ToString(MemberStatus status) {
  switch (status) {
    case MemberStatus::kInvited:
      return "invited";
    case MemberStatus::kInviteExpired:
      return "invite_expired";
    case MemberStatus::kActive:
      return "active";
    case MemberStatus::kDeactivated:
      return "deactivated";
  }
  return "active";
}

std::optional<Role> ParseRole(std::string_view text) {
  if (text == "admin") return Role::kAdmin;
  if (text == "user") return Role::kUser;
  return std::nullopt;
}

std::optional<MembershipState> ParseMembershipState(std::string_view text) {
  if (text == "invited") return MembershipState::kInvited;
  if (text == "active") return MembershipState::kActive;
  if (text == "deactivated") return MembershipState::kDeactivated;
  return std::nullopt;
}

std::optional<MemberStatus> ParseMemberStatus(std::string_view text) {
  if (text == "invited") return MemberStatus::kInvited;
  if (text == "invite_expired") return MemberStatus::kInviteExpired;
  if (text == "active") return MemberStatus::kActive;
  if (text == "deactivated") return MemberStatus::kDeactivated;
  return std::nullopt;
}

MemberStatus StatusAt(MembershipState state, std::optional<UnixSeconds> invite_expires_at,
                      UnixSeconds now) {
  if (state == MembershipState::kActive) return MemberStatus::kActive;
  if (state == MembershipState::kDeactivated) return MemberStatus::kDeactivated;
  if (invite_expires_at && *invite_expires_at <= now) return MemberStatus::kInviteExpired;
  return MemberStatus::kInvited;
}

MemberStatus Member::StatusAt(UnixSeconds now) const {
  return domain::StatusAt(state, invite_expires_at, now);
}

}  // namespace roster::domain

namespace roster::domain {

std::string_view ToString(ApiKeyScope scope) {
  switch (scope) {
    case ApiKeyScope::kAdmin:
      return "admin";
    case ApiKeyScope::kRead:
      return "read";
    case ApiKeyScope::kScim:
      return "scim";
  }
  return "read";
}

std::optional<ApiKeyScope> ParseApiKeyScope(std::string_view text) {
  if (text == "admin") return ApiKeyScope::kAdmin;
  if (text == "read") return ApiKeyScope::kRead;
  if (text == "scim") return ApiKeyScope::kScim;
  return std::nullopt;
}

}  // namespace roster::domain
