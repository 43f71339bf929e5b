#include "http/api/list_filters.hpp"

#include "http/api/api_support.hpp"

namespace roster::http {

Result<domain::MemberFilter> ParseMemberFilter(const Request& request) {
  domain::MemberFilter filter;
  filter.limit = ROSTER_TRY(PageLimit(request));
  filter.cursor = PageCursor(request);
  filter.query = request.Query("q").value_or("");
  if (auto role = request.Query("role"); role && !role->empty()) {
    filter.role = domain::ParseRole(*role);
    if (!filter.role) return Problem::Validation("role", "role must be admin or user.");
  }
  if (auto status = request.Query("status"); status && !status->empty()) {
    filter.status = domain::ParseMemberStatus(*status);
    if (!filter.status) {
      return Problem::Validation("status", "status must be invited, invite_expired, active or deactivated.");
    }
  }
  return filter;
}

Result<domain::LeadFilter> ParseLeadFilter(const Request& request) {
  domain::LeadFilter filter;
  filter.limit = ROSTER_TRY(PageLimit(request));
  filter.cursor = PageCursor(request);
  filter.assistant_id = ROSTER_TRY(QueryId(request, "assistant_id"));
  filter.owner_id = ROSTER_TRY(QueryId(request, "owner_id"));
  filter.query = request.Query("q").value_or("");
  return filter;
}

}  // namespace roster::http
