// Bulk invitations: SPEC section 8.
#include "app/bulk_invitations.hpp"
#include "http/api/api_support.hpp"
#include "http/api/for_organization.hpp"
#include "http/api/handlers.hpp"
#include "http/problem_json.hpp"

namespace roster::http {
namespace {

bool IsCsv(const Request& request) {
  std::string type = request.Header("content-type");
  type = type.substr(0, type.find(';'));
  std::erase_if(type, [](char c) { return c == ' ' || c == '\t'; });
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type == "text/csv";
}

// A JSON string, or "" (the row's check then says what is missing).
std::string Text(const nlohmann::json& row, const char* field) {
  if (!row.contains(field) || !row[field].is_string()) return {};
  return row[field].get<std::string>();
}

// {"rows": [{"email", "name", "role"?, "assistants"?}]}: `assistants` an
// array of names or one string of names separated by ';'. A field of the
// wrong type makes its row invalid, not the request.
Result<std::vector<app::BulkInviteRow>> ReadJsonRows(const Request& request) {
  if (!request.json.is_object() || !request.json.contains("rows") ||
      !request.json["rows"].is_array()) {
    return Problem::Validation("rows", "Send {\"rows\": [...]} or a text/csv body.");
  }
  for (const auto& [field, value] : request.json.items()) {
    if (field != "rows") {
      return Problem::Validation(field, "Roster takes no such field here: check its name.");
    }
  }
  const nlohmann::json& rows = request.json["rows"];
  if (rows.size() > app::kMaxBulkRows) {
    return app::TooManyBulkRows();
  }
  std::vector<app::BulkInviteRow> read;
  for (const nlohmann::json& row : rows) {
    app::BulkInviteRow person;
    if (!row.is_object()) {
      person.problems.push_back("Each row must be an object.");
      read.push_back(std::move(person));
      continue;
    }
    for (const char* field : {"email", "name", "role"}) {
      if (row.contains(field) && !row[field].is_string() && !row[field].is_null())
        person.problems.push_back(std::string(field) + " must be a string.");
    }
    person.email = Text(row, "email");
    person.name = Text(row, "name");
    person.role = Text(row, "role");
    if (row.contains("assistants") && row["assistants"].is_array()) {
      for (const auto& name : row["assistants"]) {
        if (name.is_string()) {
          person.assistants.push_back(name.get<std::string>());
        } else {
          person.problems.push_back("assistants must hold names (strings).");
        }
      }
    } else if (row.contains("assistants") && row["assistants"].is_string()) {
      std::string names = row["assistants"].get<std::string>();
      std::size_t start = 0;
      while (start <= names.size()) {
        std::size_t end = names.find(';', start);
        if (end == std::string::npos) end = names.size();
        std::string name = names.substr(start, end - start);
        name.erase(0, name.find_first_not_of(" \t"));
        name.erase(name.find_last_not_of(" \t") + 1);
        if (!name.empty()) person.assistants.push_back(name);
        start = end + 1;
      }
    } else if (row.contains("assistants") && !row["assistants"].is_null()) {
      person.problems.push_back("assistants must be an array of names.");
    }
    read.push_back(std::move(person));
  }
  return read;
}

nlohmann::json OutcomeJson(const app::BulkOutcome& outcome) {
  nlohmann::json results = nlohmann::json::array();
  std::map<std::string, int> counts{{"invited", 0}, {"added", 0}, {"already_member", 0}, {"invalid", 0}};
  for (const auto& row : outcome.rows) {
    std::string result(app::ToString(row.result));
    nlohmann::json item = {{"row", row.row}, {"email", row.email}, {"result", result}};
    if (!row.errors.empty()) {
      nlohmann::json errors = nlohmann::json::array();
      for (const auto& error : row.errors) errors.push_back({{"field", error.field}, {"message", error.message}});
      item["errors"] = std::move(errors);
    }
    if (row.user_id) item["user_id"] = FormatId(*row.user_id);
    results.push_back(std::move(item));
    ++counts[result];
  }
  return {{"dry_run", outcome.dry_run}, {"counts", counts}, {"results", std::move(results)}};
}

}  // namespace

void AddBulkInvitationRoutes(Router& router, app::Context& context) {
  router.Add("POST", "/api/v1/orgs/{org}/invitations/bulk", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    std::optional<std::string> dry_run_text = request.Query("dry_run");
    if (dry_run_text && *dry_run_text != "true" && *dry_run_text != "false") {
      return ProblemResponse(Problem::Validation("dry_run", "dry_run must be true or false."));
    }
    bool dry_run = dry_run_text == "true";
    auto rows = IsCsv(request) ? app::ReadBulkCsv(request.body) : ReadJsonRows(request);
    if (!rows.ok()) return ProblemResponse(rows.problem());
    auto outcome = app::InviteMembers(context, caller, org, std::move(*rows), dry_run);
    if (!outcome.ok()) return ProblemResponse(outcome.problem());
    nlohmann::json body = OutcomeJson(*outcome);
    if (!outcome->any_invalid) return Response::Json(200, body);
    // Nothing was written: the problem carries every row's result, and
    // in `errors` each invalid row's first reason.
    std::vector<FieldError> errors;
    for (const app::BulkRowResult& row : outcome->rows) {
      if (!row.errors.empty()) {
        errors.push_back({row.errors.front().field,
                          "Row " + std::to_string(row.row) + ": " + row.errors.front().message});
      }
    }
    Problem invalid = Problem::Validation(std::move(errors));
    invalid.slug = "invalid_rows";
    invalid.detail = "Some rows are invalid, so nobody was invited; see results.";
    nlohmann::json problem = ProblemJson(422, invalid);
    for (auto& [key, value] : body.items()) problem[key] = value;
    Response response = Response::Json(422, problem);
    response.content_type = "application/problem+json";
    return response;
  }));
}

}  // namespace roster::http
