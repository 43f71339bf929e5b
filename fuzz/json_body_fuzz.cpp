// Every JSON request body of the API, from the bytes on the wire to the use
// cases' types: PreDispatch parses the body as the server does (a JSON POST
// under /api/), then each body reader of http/api/request_bodies.hpp reads
// it (login, password change, new assistant, assignment, manager flag,
// invitation, role change, new lead, lead patch, webhook and webhook patch),
// and what they accept goes through the domain checks the use cases apply
// before touching the database (ValidateLead, ApplyFields, e-mail and name
// validation, the webhook event names).
//
// Checked: malformed JSON is a 400 `malformed_json`; every refusal is a 422
// whose errors name fields of the API (never text from the body) and renders
// as problem+json; accepted values have the types and ranges the use cases
// rely on.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include <spdlog/spdlog.h>

#include "app/leads.hpp"
#include "domain/leads.hpp"
#include "domain/validation.hpp"
#include "domain/webhook_events.hpp"
#include "fuzz_check.hpp"
#include "http/api/request_bodies.hpp"
#include "http/request_pipeline.hpp"

namespace {

using namespace roster;
using namespace roster::http;

template <class T>
bool Accepted(const Result<T>& result) {
  if (result.ok()) return true;
  static const std::set<std::string> kFields = {
      "body",         "email",      "password", "current_password", "new_password",
      "name",         "is_manager", "role",     "assistant_ids",    "company",
      "assistant_id", "owner_id",   "status",   "url",              "events",
      "description",  "enabled",    "lead_ids", "from_owner_id"};
  const Problem& problem = result.problem();
  ROSTER_FUZZ_CHECK(problem.category == ProblemCode::kValidation);
  ROSTER_FUZZ_CHECK(!problem.errors.empty());
  for (const FieldError& error : problem.errors) {
    ROSTER_FUZZ_CHECK(kFields.contains(error.field));
    ROSTER_FUZZ_CHECK(!error.message.empty());
  }
  Response response = Response::FromProblem(problem);
  ROSTER_FUZZ_CHECK(response.status == 422);
  ROSTER_FUZZ_CHECK(!response.body.empty());
  return false;
}

void CheckEmail(const std::string& raw) {
  std::string email = domain::NormalizeEmail(raw);
  ROSTER_FUZZ_CHECK(domain::NormalizeEmail(email) == email);
  if (domain::ValidateEmail(email).ok()) {
    ROSTER_FUZZ_CHECK(!email.empty() && email.size() <= 254);
    ROSTER_FUZZ_CHECK(email.find('@') != std::string::npos);
  }
}

void CheckLabel(const std::string& raw, bool allow_empty) {
  auto label = domain::ValidateLabel(raw, "name", allow_empty);
  if (!Accepted(label)) return;
  ROSTER_FUZZ_CHECK(allow_empty || !label->empty());
  ROSTER_FUZZ_CHECK(domain::ValidateLabel(*label, "name", allow_empty).value() == *label);
  for (unsigned char c : *label) ROSTER_FUZZ_CHECK(c >= 0x20 && c != 0x7F);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);
    return true;
  }();
  (void)quiet;

  Request request;
  request.method = "POST";
  request.target = request.path = "/api/v1/orgs/1/leads";
  request.headers = {{"x-requested-with", "roster"},
                     {"content-type", "application/json; charset=utf-8"}};
  request.body.assign(reinterpret_cast<const char*>(data), size);
  if (std::optional<Response> refusal = PreDispatch(request)) {
    ROSTER_FUZZ_CHECK(refusal->status == 400);
    ROSTER_FUZZ_CHECK(refusal->body.find("malformed_json") != std::string::npos);
    ROSTER_FUZZ_CHECK(request.json.is_null());
    return 0;
  }

  if (auto login = ParseLogin(request); Accepted(login)) CheckEmail(login->email);
  (void)Accepted(ParsePasswordChange(request));
  if (auto name = ParseNewAssistant(request); Accepted(name)) CheckLabel(*name, false);
  (void)Accepted(ParseAssignment(request));
  (void)Accepted(ParseManagerChange(request));
  if (auto invite = ParseInvitation(request); Accepted(invite)) {
    ROSTER_FUZZ_CHECK(invite->assistant_ids.size() <= 1000);
    for (Id id : invite->assistant_ids) ROSTER_FUZZ_CHECK(id > 0);
    CheckEmail(invite->email);
    if (auto name = domain::ValidateName(invite->name); Accepted(name)) {
      ROSTER_FUZZ_CHECK(!name->empty());
    }
  }
  (void)Accepted(ParseRoleChange(request));

  if (auto lead = ParseNewLead(request); Accepted(lead)) {
    ROSTER_FUZZ_CHECK(lead->assistant_id.has_value() && *lead->assistant_id > 0);
    ROSTER_FUZZ_CHECK(!lead->owner_id || *lead->owner_id > 0);
    if (auto valid = app::ValidateLead(*lead); Accepted(valid)) {
      ROSTER_FUZZ_CHECK(!valid->name.empty());
      ROSTER_FUZZ_CHECK(domain::ValidateEmail(valid->email).ok());
      ROSTER_FUZZ_CHECK(valid->assistant_id == *lead->assistant_id);
    }
    CheckLabel(lead->name, false);
    CheckLabel(lead->company, true);
  }
  if (auto patch = ParseLeadPatch(request); Accepted(patch)) {
    ROSTER_FUZZ_CHECK(!patch->owner_id || *patch->owner_id > 0);
    domain::Lead lead;
    lead.name = "Before";
    lead.status = domain::LeadStatus::kNew;
    Status applied = app::ApplyFields(*patch, lead);
    if (Accepted(applied)) {
      if (patch->status) {
        ROSTER_FUZZ_CHECK(domain::ParseLeadStatus(*patch->status) == lead.status);
      }
      ROSTER_FUZZ_CHECK(!lead.name.empty());
    }
  }
  if (auto webhook = ParseNewWebhook(request); Accepted(webhook)) {
    ROSTER_FUZZ_CHECK(webhook->events.size() <= 64);
    if (auto events = domain::ValidateWebhookEvents(webhook->events); Accepted(events)) {
      ROSTER_FUZZ_CHECK(!events->empty() && events->size() <= webhook->events.size());
    }
    CheckLabel(webhook->description, true);
  }
  if (auto patch = ParseWebhookPatch(request); Accepted(patch)) {
    ROSTER_FUZZ_CHECK(!patch->events || patch->events->size() <= 64);
  }
  if (auto move = ParseLeadsReassignment(request); Accepted(move)) {
    // Exactly one form: 1 to 500 named leads, or an assistant and its owner.
    bool named = !move->lead_ids.empty();
    ROSTER_FUZZ_CHECK(move->lead_ids.size() <= app::kMaxLeadsPerReassignment);
    ROSTER_FUZZ_CHECK(named != (move->assistant_id && move->from_owner_id));
  }
  return 0;
}
