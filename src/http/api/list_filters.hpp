#pragma once

#include "core/result.hpp"
#include "http/message.hpp"
#include "domain/audit.hpp"
#include "domain/leads.hpp"
#include "domain/model.hpp"

// The query parameters of the member, lead and audit lists, shared by the
// lists and their exports (which take the same filters).
namespace roster::http {

// q, role, status, limit, cursor; 422 naming a bad one. sort (name by
// default); 400 `invalid_sort` for an order that does not exist.
Result<domain::MemberFilter> ParseMemberFilter(const Request& request);
// assistant_id, owner_id, q, status (a comma list), sort, limit, cursor;
// 422 naming a bad one, 400 `invalid_status` / `invalid_sort` for a word
// outside those sets.
Result<domain::LeadFilter> ParseLeadFilter(const Request& request);
// since, until (RFC 3339), actor, target (member IDs), action; 422 naming a
// bad one, or an `until` before `since`.
Result<domain::AuditFilter> ParseAuditFilter(const Request& request);

}  // namespace roster::http
