#include "app/exports.hpp"

#include "app/access.hpp"
#include "store/organizations.hpp"
#include "store/scan_cache.hpp"

namespace roster::app {

using store::Tx;

Result<store::Page<domain::Lead>> ExportLeadsPage(Context& context, const Principal& caller,
                                                  Id organization_id,
                                                  const store::LeadFilter& filter) {
  return context.database.Read<store::Page<domain::Lead>>(
      [&](Tx& tx) -> Result<store::Page<domain::Lead>> {
        store::ScanCache scan(tx);
        domain::Member self = ROSTER_TRY(RequireMember(tx, caller, organization_id));
        store::Viewer viewer{self.user_id, self.role == domain::Role::kAdmin};
        return store::ListVisibleLeads(tx, organization_id, viewer, filter);
      });
}

Result<MemberList> ExportMembersPage(Context& context, const Principal& caller,
                                     Id organization_id, store::MemberFilter filter) {
  return context.database.Read<MemberList>([&](Tx& tx) -> Result<MemberList> {
    store::ScanCache scan(tx);
    domain::Member self = ROSTER_TRY(RequireMember(tx, caller, organization_id));
    store::Page<domain::Member> page = ROSTER_TRY(store::ListMembers(tx, organization_id, filter));
    return MemberList{std::move(page), self.role == domain::Role::kAdmin};
  });
}

Result<store::Page<store::NamedAuditEvent>> ExportAuditEventsPage(
    Context& context, const Principal& caller, Id organization_id, int limit,
    const std::optional<std::string>& cursor, const store::AuditRange& range) {
  return context.database.Read<store::Page<store::NamedAuditEvent>>(
      [&](Tx& tx) -> Result<store::Page<store::NamedAuditEvent>> {
        store::ScanCache scan(tx);
        ROSTER_TRY(RequireAdmin(tx, caller, organization_id));
        return store::ListAuditEvents(tx, organization_id, limit, cursor, range);
      });
}

}  // namespace roster::app
