#pragma once

#include <optional>
#include <string>

#include "app/context.hpp"
#include "app/members.hpp"
#include "core/result.hpp"
#include "domain/leads.hpp"
#include "store/audit.hpp"
#include "store/leads.hpp"
#include "store/page.hpp"

// The pages of an export (SPEC 7). Each is the page its list answers for the
// same caller and filter (the same membership check, 404 for a non-member,
// the same visibility SQL), read in a transaction of its own with the
// page cache of a scan (store/scan_cache.hpp): an export asks for one page
// after another, passing the previous page's cursor.
namespace roster::app {

Result<store::Page<domain::Lead>> ExportLeadsPage(Context& context, const Principal& caller,
                                                  Id organization_id,
                                                  const store::LeadFilter& filter);

Result<MemberList> ExportMembersPage(Context& context, const Principal& caller,
                                     Id organization_id, store::MemberFilter filter);

// Admins only (403 for other members).
Result<store::Page<store::NamedAuditEvent>> ExportAuditEventsPage(
    Context& context, const Principal& caller, Id organization_id, int limit,
    const std::optional<std::string>& cursor, const store::AuditRange& range);

}  // namespace roster::app
