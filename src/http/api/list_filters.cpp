#include "http/api/list_filters.hpp"

#include <algorithm>

#include "http/api/api_support.hpp"

namespace roster::http {

namespace {

// A query parameter outside its closed set of words: 400 with its own code,
// naming the parameter.
Problem QueryProblem(std::string slug, std::string field, std::string detail) {
  Problem problem = Problem::BadRequest(detail);
  problem.slug = std::move(slug);
  problem.errors = {{std::move(field), std::move(detail)}};
  return problem;
}

}  // namespace

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
  if (auto mfa = request.Query("mfa"); mfa && !mfa->empty()) {
    if (*mfa != "true" && *mfa != "false") {
      return Problem::Validation("mfa", "mfa must be true or false.");
    }
    filter.mfa = *mfa == "true";
  }
  if (auto sort = request.Query("sort"); sort && !sort->empty()) {
    auto parsed = domain::ParseMemberSort(*sort);
    if (!parsed) {
      return QueryProblem("invalid_sort", "sort",
                          "sort must be name, joined, last_sign_in or leads, with a leading - "
                          "for the reverse order.");
    }
    filter.sort = *parsed;
  }
  return filter;
}

namespace {

// `status=new,contacted`: one status or a comma-separated list of them.
Result<std::vector<domain::LeadStatus>> QueryLeadStatuses(const Request& request) {
  std::vector<domain::LeadStatus> statuses;
  auto text = request.Query("status");
  if (!text || text->empty()) return statuses;
  std::string_view rest = *text;
  while (true) {
    std::size_t comma = rest.find(',');
    std::string_view word = rest.substr(0, comma);
    auto status = domain::ParseLeadStatus(word);
    if (!status) {
      return QueryProblem("invalid_status", "status",
                          "status must be " + std::string(domain::LeadStatusChoices()) +
                              ", or several of them separated by commas.");
    }
    if (std::find(statuses.begin(), statuses.end(), *status) == statuses.end()) {
      statuses.push_back(*status);
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return statuses;
}

}  // namespace

Result<domain::LeadFilter> ParseLeadFilter(const Request& request) {
  domain::LeadFilter filter;
  filter.limit = ROSTER_TRY(PageLimit(request));
  filter.cursor = PageCursor(request);
  filter.assistant_id = ROSTER_TRY(QueryId(request, "assistant_id"));
  filter.owner_id = ROSTER_TRY(QueryId(request, "owner_id"));
  filter.query = request.Query("q").value_or("");
  filter.statuses = ROSTER_TRY(QueryLeadStatuses(request));
  if (auto sort = request.Query("sort"); sort && !sort->empty()) {
    auto parsed = domain::ParseLeadSort(*sort);
    if (!parsed) {
      return QueryProblem("invalid_sort", "sort",
                          "sort must be " + std::string(domain::LeadSortChoices()) + ".");
    }
    filter.sort = *parsed;
  }
  return filter;
}

namespace {

Result<std::optional<UnixSeconds>> QueryTime(const Request& request, const std::string& name) {
  auto text = request.Query(name);
  if (!text || text->empty()) return std::optional<UnixSeconds>();
  auto time = ParseRfc3339(*text);
  if (!time) return Problem::Validation(name, name + " must be an RFC 3339 time.");
  return std::optional<UnixSeconds>(*time);
}

}  // namespace

Result<domain::AuditFilter> ParseAuditFilter(const Request& request) {
  domain::AuditFilter filter;
  filter.since = ROSTER_TRY(QueryTime(request, "since"));
  filter.until = ROSTER_TRY(QueryTime(request, "until"));
  if (filter.since && filter.until && *filter.until < *filter.since) {
    return Problem::Validation("until", "until must not be before since.");
  }
  filter.actor_user_id = ROSTER_TRY(QueryId(request, "actor"));
  filter.actor_api_key_id = ROSTER_TRY(QueryId(request, "actor_api_key"));
  filter.target_user_id = ROSTER_TRY(QueryId(request, "target"));
  if (auto action = request.Query("action"); action && !action->empty()) {
    if (!domain::IsWellFormedAuditAction(*action)) {
      return Problem::Validation("action", "action must be an audit action such as role_changed.");
    }
    filter.action = *action;
  }
  return filter;
}

}  // namespace roster::http
