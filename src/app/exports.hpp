#pragma once

#include <optional>
#include <string>

#include "app/context.hpp"
#include "app/members.hpp"
#include "core/page.hpp"
#include "core/result.hpp"
#include "domain/audit.hpp"
#include "domain/leads.hpp"

// The pages of an export (SPEC 7). Each is the page its list answers for the
// same principal and filter (the same access check, 404 for an outsider,
// the same visibility SQL), read in a transaction of its own with the
// page cache of a scan (store/scan_cache.hpp): an export asks for one page
// after another, passing the previous page's cursor.
namespace roster::app {

// `sees_all`: whether the principal sees every lead of the organization; an
// export ends when it changes between pages rather than go on with another
// set of leads under the same file.
struct LeadExportPage {
  Page<domain::Lead> leads;
  bool sees_all = false;
};
Result<LeadExportPage> ExportLeadsPage(Context& context, const Principal& caller,
                                       Id organization_id, const domain::LeadFilter& filter);

// `with_details`: whether the principal sees members' details (the export's
// columns); every page of one export must agree.
struct MemberExportPage {
  MemberList list;
  bool with_details = false;
};
Result<MemberExportPage> ExportMembersPage(Context& context, const Principal& caller,
                                           Id organization_id, domain::MemberFilter filter);

Result<Page<domain::NamedAuditEvent>> ExportAuditEventsPage(
    Context& context, const Principal& caller, Id organization_id, int limit,
    const std::optional<std::string>& cursor, const domain::AuditFilter& filter);

}  // namespace roster::app
