#include "app/exports.hpp"

#include "app/access.hpp"
#include "app/member_rules.hpp"
#include "store/audit.hpp"
#include "store/leads.hpp"
#include "store/organizations.hpp"
#include "store/scan_cache.hpp"

namespace roster::app {

using store::Tx;

Result<LeadExportPage> ExportLeadsPage(Context& context, const Principal& caller,
                                       Id organization_id, const domain::LeadFilter& filter) {
  return context.database.Read<LeadExportPage>([&](Tx& tx) -> Result<LeadExportPage> {
    store::ScanCache scan(tx);
    Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kReadLeads));
    store::Viewer viewer = ViewerOf(access);
    return LeadExportPage{ROSTER_TRY(store::ListVisibleLeads(tx, organization_id, viewer, filter)),
                          viewer.sees_all};
  });
}

Result<MemberExportPage> ExportMembersPage(Context& context, const Principal& caller,
                                           Id organization_id, domain::MemberFilter filter) {
  filter.now = context.clock.Now();
  return context.database.Read<MemberExportPage>([&](Tx& tx) -> Result<MemberExportPage> {
    store::ScanCache scan(tx);
    Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kListMembers));
    MemberExportPage page;
    page.with_details = Check(access, Action::kSeeMemberDetails).ok();
    ROSTER_TRY_STATUS(CheckDetailsAsked(filter, page.with_details));
    page.list = ROSTER_TRY(ReadMemberPage(tx, access, filter, page.with_details));
    return page;
  });
}

Result<Page<domain::NamedAuditEvent>> ExportAuditEventsPage(
    Context& context, const Principal& caller, Id organization_id, int limit,
    const std::optional<std::string>& cursor, const domain::AuditFilter& filter) {
  return context.database.Read<Page<domain::NamedAuditEvent>>(
      [&](Tx& tx) -> Result<Page<domain::NamedAuditEvent>> {
        store::ScanCache scan(tx);
        ROSTER_TRY(Require(tx, caller, organization_id, Action::kReadAuditEvents));
        return store::ListAuditEvents(tx, organization_id, limit, cursor, filter);
      });
}

}  // namespace roster::app
