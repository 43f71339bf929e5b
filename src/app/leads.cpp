#include "app/leads.hpp"

#include <spdlog/spdlog.h>

#include "app/access.hpp"
#include "app/audit_trail.hpp"
#include "app/lead_rules.hpp"
#include "domain/validation.hpp"
#include "store/assistants.hpp"
#include "store/leads.hpp"
#include "store/organizations.hpp"

namespace roster::app {
namespace {

using store::Tx;

Result<domain::Lead> LoadVisibleLead(Tx& tx, const Access& access, Id lead_id) {
  auto lead = store::FindVisibleLead(tx, access.organization_id, ViewerOf(access), lead_id);
  if (!lead) return Problem::NotFound("No such lead.");
  return *lead;
}

// The first half of invariant 2: the owner is a member, not deactivated.
Status CheckOwnerMembership(Tx& tx, Id organization_id, Id owner_id) {
  auto owner = store::FindMembership(tx, organization_id, owner_id);
  if (!owner) {
    return Problem::Validation("owner_id", "The owner must be a member of this organization.");
  }
  if (owner->state == domain::MembershipState::kDeactivated) {
    return Problem::Validation("owner_id", "A deactivated member cannot own leads.");
  }
  return {};
}

}  // namespace

Status CheckLeadOwner(Tx& tx, Id organization_id, Id assistant_id, Id owner_id) {
  ROSTER_TRY_STATUS(CheckOwnerMembership(tx, organization_id, owner_id));
  if (!store::FindAssistantUser(tx, organization_id, assistant_id, owner_id)) {
    return Problem::Validation("owner_id", "The owner must be assigned to the lead's assistant.");
  }
  return {};
}

Result<domain::NewLead> ValidateLead(const LeadRequest& request) {
  std::vector<FieldError> errors;
  domain::NewLead lead;
  auto collect = [&errors](const Problem& problem) {
    errors.insert(errors.end(), problem.errors.begin(), problem.errors.end());
  };
  if (auto name = domain::ValidateLabel(request.name, "name", false); name.ok()) {
    lead.name = *name;
  } else {
    collect(name.problem());
  }
  lead.email = domain::NormalizeEmail(request.email);
  if (Status email = domain::ValidateEmail(lead.email); !email.ok()) collect(email.problem());
  if (auto company = domain::ValidateLabel(request.company, "company", true); company.ok()) {
    lead.company = *company;
  } else {
    collect(company.problem());
  }
  if (!request.assistant_id) errors.push_back({"assistant_id", "This field is required."});
  if (!errors.empty()) return Problem::Validation(std::move(errors));
  lead.assistant_id = *request.assistant_id;
  return lead;
}

Status ApplyFields(const LeadPatch& patch, domain::Lead& lead) {
  std::vector<FieldError> errors;
  if (patch.name) {
    auto name = domain::ValidateLabel(*patch.name, "name", false);
    if (name.ok()) lead.name = *name; else errors.push_back(name.problem().errors.front());
  }
  if (patch.company) {
    auto company = domain::ValidateLabel(*patch.company, "company", true);
    if (company.ok()) lead.company = *company; else errors.push_back(company.problem().errors.front());
  }
  if (patch.status) {
    auto status = domain::ParseLeadStatus(*patch.status);
    if (status) {
      lead.status = *status;
    } else {
      errors.push_back({"status", "status must be " + std::string(domain::LeadStatusChoices()) + "."});
    }
  }
  if (!errors.empty()) return Problem::Validation(std::move(errors));
  return {};
}

Result<domain::Lead> CreateLead(Context& context, const Principal& caller, Id organization_id,
                                const LeadRequest& request) {
  UnixSeconds now = context.clock.Now();
  return context.database.Write<domain::Lead>([&](Tx& tx) -> Result<domain::Lead> {
    // The owner's assignment (his name and e-mail are the answer's) is the
    // caller's relation when he creates the lead for himself: one read for
    // both, and an assignment proves the assistant exists. It and the
    // lead's id need nothing of the access check, so they go with the
    // check's read; the lead, and its audit event when no webhook endpoint
    // waits for it, then go with the COMMIT: three round trips on
    // PostgreSQL, the session's included.
    std::optional<store::AssistantUserLookup> owner_lookup;
    if (request.assistant_id && (request.owner_id || !caller.IsApiKey())) {
      owner_lookup.emplace(tx, organization_id, *request.assistant_id,
                           request.owner_id.value_or(caller.user_id));
    }
    store::LeadIdAhead lead_id(tx);
    store::Query* ahead = owner_lookup ? &owner_lookup->query() : nullptr;
    if (store::Query* id = lead_id.query()) ahead = ahead ? &ahead->With(*id) : id;
    Access access = ROSTER_TRY(Enter(tx, caller, organization_id, ahead));
    domain::NewLead lead = ROSTER_TRY(ValidateLead(request));
    if (!request.owner_id && access.is_api_key) {
      return Problem::Validation("owner_id", "An API key must name the lead's owner.");
    }
    lead.owner_id = request.owner_id.value_or(access.user_id);
    const bool for_self = lead.owner_id == access.user_id;
    // Validation passed: the assistant and the owner were there to look up.
    // Read, the lookup gives its statement back (RelationTo's is the same
    // one; on SQLite it would otherwise prepare a second).
    std::optional<domain::AssistantUser> owner_assignment = owner_lookup->Read();
    owner_lookup.reset();
    Relation relation;
    if (for_self) {
      relation.assigned_to_assistant = owner_assignment.has_value();
      relation.manages_assistant = owner_assignment && owner_assignment->is_manager;
    } else {
      relation = RelationTo(tx, access, lead.assistant_id);
    }
    // An assistant a member is not on is as unknown to him as one that does
    // not exist (its users list is 404 for him): the same answer for both.
    if (!relation.assigned_to_assistant &&
        (!SeesEverything(access.standing) ||
         (!owner_assignment && !store::AssistantExists(tx, organization_id, lead.assistant_id)))) {
      return Problem::Validation("assistant_id", "No such assistant in this organization.");
    }
    relation.for_self = for_self;
    ROSTER_TRY_STATUS(Check(access, Action::kCreateLead, relation));
    // Entering proved the caller an active member; anyone else is read.
    if (!for_self) ROSTER_TRY_STATUS(CheckOwnerMembership(tx, organization_id, lead.owner_id));
    if (!owner_assignment) {
      return Problem::Validation("owner_id", "The owner must be assigned to the lead's assistant.");
    }
    Id id = store::InsertLeadAtCommit(tx, organization_id, lead, now, lead_id);
    RecordAudit(tx, organization_id, now, access.actor, "lead_created", lead.owner_id,
                {{"lead_id", FormatId(id)},
                 {"assistant_id", FormatId(lead.assistant_id)},
                 {"name", lead.name},
                 {"email", lead.email},
                 {"company", lead.company}});
    // The lead as written: whoever may create it may see it, so a read
    // back would answer the same.
    return domain::Lead{id,           organization_id, lead.assistant_id, lead.owner_id,
                        lead.name,    lead.email,      lead.company,      lead.status,
                        now,          owner_assignment->name, owner_assignment->email};
  });
}

Result<Page<domain::Lead>> ListLeads(Context& context, const Principal& caller,
                                     Id organization_id, const domain::LeadFilter& filter) {
  return context.database.Read<Page<domain::Lead>>([&](Tx& tx) -> Result<Page<domain::Lead>> {
    Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kReadLeads));
    return store::ListVisibleLeads(tx, organization_id, ViewerOf(access), filter);
  });
}

Result<domain::Lead> GetLead(Context& context, const Principal& caller, Id organization_id,
                             Id lead_id) {
  return context.database.Read<domain::Lead>([&](Tx& tx) -> Result<domain::Lead> {
    Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kReadLeads));
    return LoadVisibleLead(tx, access, lead_id);
  });
}

Result<std::vector<domain::LeadAccess>> ListLeadAccess(Context& context, const Principal& caller,
                                                       Id organization_id, Id lead_id) {
  return context.database.Read<std::vector<domain::LeadAccess>>(
      [&](Tx& tx) -> Result<std::vector<domain::LeadAccess>> {
        Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kReadLeads));
        domain::Lead lead = ROSTER_TRY(LoadVisibleLead(tx, access, lead_id));
        ROSTER_TRY_STATUS(Check(access, Action::kExplainLeadAccess,
                                RelationTo(tx, access, lead.assistant_id)));
        return store::ListLeadAccess(tx, organization_id, lead);
      });
}

Result<domain::Lead> PatchLead(Context& context, const Principal& caller, Id organization_id,
                               Id lead_id, const LeadPatch& patch) {
  UnixSeconds now = context.clock.Now();
  // SERIALIZABLE: the lead is read, changed in memory and written whole;
  // parallel patches of one lead must not lose each other's fields.
  return context.database.WriteSerializable<domain::Lead>([&](Tx& tx) -> Result<domain::Lead> {
    Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kReadLeads));
    domain::Lead lead = ROSTER_TRY(LoadVisibleLead(tx, access, lead_id));
    ROSTER_TRY_STATUS(Check(access, Action::kEditLead));
    Id previous_owner = lead.owner_id;
    bool reassigning = patch.owner_id && *patch.owner_id != lead.owner_id;
    if (reassigning) {
      ROSTER_TRY_STATUS(
          Check(access, Action::kReassignLead, RelationTo(tx, access, lead.assistant_id)));
    }
    const domain::Lead before = lead;
    ROSTER_TRY_STATUS(ApplyFields(patch, lead));
    if (reassigning) {
      ROSTER_TRY_STATUS(CheckLeadOwner(tx, organization_id, lead.assistant_id, *patch.owner_id));
      lead.owner_id = *patch.owner_id;
    }
    store::UpdateLead(tx, lead);
    // A status (a deal won or lost), name or company that changed is
    // audited and sent to webhooks as `lead.updated`, each field from and to.
    nlohmann::json changes = nlohmann::json::object();
    auto changed = [&](const char* field, std::string_view from, std::string_view to) {
      if (from != to) changes[field] = {{"from", from}, {"to", to}};
    };
    changed("status", domain::ToString(before.status), domain::ToString(lead.status));
    changed("name", before.name, lead.name);
    changed("company", before.company, lead.company);
    if (!changes.empty()) {
      RecordAudit(tx, organization_id, now, access.actor, "lead_updated", previous_owner,
                  {{"lead_id", FormatId(lead.id)},
                   {"assistant_id", FormatId(lead.assistant_id)},
                   {"changes", changes}});
    }
    if (!reassigning) return lead;
    RecordAudit(tx, organization_id, now, access.actor, "lead_reassigned", lead.owner_id,
                {{"lead_id", FormatId(lead.id)},
                 {"assistant_id", FormatId(lead.assistant_id)},
                 {"from", FormatId(previous_owner)},
                 {"to", FormatId(lead.owner_id)}});
    spdlog::info("event=lead_reassigned organization={} actor={} lead={} from={} to={}",
                 organization_id, ActorText(caller), lead.id, previous_owner, lead.owner_id);
    // Read back for the new owner's name. The lead stays on its assistant,
    // so an admin or manager who moved it still sees it.
    return LoadVisibleLead(tx, access, lead.id);
  });
}

}  // namespace roster::app
