#pragma once

#include <optional>
#include <string>

#include "app/context.hpp"
#include "core/result.hpp"
#include "domain/leads.hpp"
#include "core/page.hpp"

// Leads: SPEC's visibility rule and "who may do what". Non-members get 404;
// a lead the caller may not see answers 404 exactly like a missing one.
namespace roster::app {

struct LeadRequest {
  std::string name;
  std::string email;
  std::string company;
  std::optional<Id> assistant_id;  // required
  std::optional<Id> owner_id;      // the caller when absent (required for an API key)
};
// The lead's fields checked and normalized (name and company labels, the
// e-mail normalized and valid, an assistant); 422 naming every bad field.
// CreateLead's first step, apart for the request-body fuzz target.
Result<domain::NewLead> ValidateLead(const LeadRequest& request);

// Who may create for whom: anyone for himself, a manager of the assistant
// for any owner, an admin for anyone; otherwise 403 `forbidden`. The owner
// must be a member assigned to the assistant (invariant 2), else 422.
Result<domain::Lead> CreateLead(Context& context, const Principal& caller, Id organization_id,
                                const LeadRequest& request);

// The visible leads, newest first; the filter only narrows them.
Result<Page<domain::Lead>> ListLeads(Context& context, const Principal& caller,
                                     Id organization_id, const domain::LeadFilter& filter);

Result<domain::Lead> GetLead(Context& context, const Principal& caller, Id organization_id,
                             Id lead_id);

struct LeadPatch {
  std::optional<Id> owner_id;
  std::optional<std::string> status;
  std::optional<std::string> name;
  std::optional<std::string> company;
};
// Applies the name, company and status of `patch` to `lead` (owner_id is
// PatchLead's own business); 422 naming every bad field.
Status ApplyFields(const LeadPatch& patch, domain::Lead& lead);

// Anyone who sees the lead may change its name, company and status. Moving
// it to another owner is for admins and managers of its assistant (403 for
// the others); the new owner must be assigned to the assistant (422).
Result<domain::Lead> PatchLead(Context& context, const Principal& caller, Id organization_id,
                               Id lead_id, const LeadPatch& patch);

}  // namespace roster::app
