#pragma once

#include "core/result.hpp"
#include "http/message.hpp"
#include "domain/leads.hpp"
#include "domain/model.hpp"

// The query parameters of the member and lead lists, shared by the lists
// and their exports (which take the same filters).
namespace roster::http {

// q, role, status, limit, cursor; 422 naming a bad one.
Result<domain::MemberFilter> ParseMemberFilter(const Request& request);
// assistant_id, owner_id, q, limit, cursor; 422 naming a bad one.
Result<domain::LeadFilter> ParseLeadFilter(const Request& request);

}  // namespace roster::http
