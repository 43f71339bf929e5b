// GET /orgs/{org}/{members,leads,audit-events}/export (SPEC 7): the rows of
// the list, for the same caller and with the same filters, as CSV or NDJSON,
// streamed page by page so the server holds one page at a time.
//
// Each page is its own read transaction (the list's query with a larger
// page and the previous page's cursor, app/exports.hpp), so a download holds no database
// connection and no handler thread while the client reads, and a long one
// keeps no snapshot open (SQLite could not checkpoint its WAL past it,
// PostgreSQL's vacuum could not clean up behind it). Each page is read for
// the request's credentials authenticated again, as the next request would
// be: a member removed or demoted, a session ended or a key revoked during
// a download stops getting rows.
// The price is that an export is not one snapshot: a row changed while it
// runs appears as it was when its page was read (see docs/exports.md).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/exports.hpp"
#include "http/api/api_json.hpp"
#include "http/api/api_support.hpp"
#include "http/api/csv_writer.hpp"
#include "http/api/for_organization.hpp"
#include "http/api/handlers.hpp"
#include "http/api/lead_json.hpp"
#include "http/api/list_filters.hpp"

namespace roster::http {
namespace {

// Rows per page, and so per chunk of the answer (about 200 KB of leads).
constexpr int kExportPageRows = 1000;

enum class ExportFormat { kCsv, kNdjson };

// An export is the whole list: the list's paging parameters play no part.
void DropPaging(Request& request) {
  request.query.erase("limit");
  request.query.erase("cursor");
}

Result<ExportFormat> ParseFormat(const Request& request) {
  std::string format = request.Query("format").value_or("csv");
  if (format == "csv") return ExportFormat::kCsv;
  if (format == "ndjson") return ExportFormat::kNdjson;
  return Problem::Validation("format", "format must be csv or ndjson.");
}

// One exported row of the small exports: the list item's JSON object,
// written as an NDJSON line or as a CSV record of `columns` (null as an
// empty cell, objects as JSON). Both formats come from the list's own
// renderer, so they cannot drift from the list or from each other.
void AppendRow(ExportFormat format, const std::vector<std::string>& columns,
               const nlohmann::json& item, std::string& out) {
  if (format == ExportFormat::kNdjson) {
    out += item.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += '\n';
    return;
  }
  CsvWriter csv(out);
  for (const std::string& column : columns) {
    const nlohmann::json& value = item.at(column);
    if (value.is_string()) {
      csv.Field(value.get_ref<const std::string&>());
    } else if (value.is_null()) {
      csv.Field(std::string_view());
    } else {
      csv.Field(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
  }
  csv.End();
}

std::string HeaderRow(ExportFormat format, const std::vector<std::string>& columns) {
  std::string out;
  if (format == ExportFormat::kNdjson) return out;
  CsvWriter csv(out);
  for (const std::string& column : columns) csv.Field(column);
  csv.End();
  return out;
}

// The answer's body: the header row and the first page (read by the handler,
// so that a refusal is still a problem+json answer), then one page per part.
template <class Item>
class PagedExport : public BodySource {
 public:
  using Fetch = std::function<Result<Page<Item>>(const std::string& cursor)>;
  using Render = std::function<void(const Item&, std::string& out)>;

  PagedExport(ExportFormat format, std::vector<std::string> columns, Page<Item> first,
              Fetch fetch, Render render)
      : format_(format),
        columns_(std::move(columns)),
        first_(std::move(first)),
        fetch_(std::move(fetch)),
        render_(std::move(render)) {}

  Result<bool> Next(std::string& part) override {
    part.clear();
    Page<Item> page;
    if (first_) {
      part = HeaderRow(format_, columns_);
      page = std::move(*first_);
      first_.reset();
    } else {
      page = ROSTER_TRY(fetch_(cursor_));
    }
    for (const Item& item : page.items) render_(item, part);
    if (!page.next_cursor) return false;
    cursor_ = std::move(*page.next_cursor);
    return true;
  }

 private:
  ExportFormat format_;
  std::vector<std::string> columns_;
  std::optional<Page<Item>> first_;
  Fetch fetch_;
  Render render_;
  std::string cursor_;
};

// Renders an item through its list JSON (`to_json`), for the small exports.
template <class Item, class ToJson>
std::function<void(const Item&, std::string&)> ThroughJson(ExportFormat format,
                                                           std::vector<std::string> columns,
                                                           ToJson to_json) {
  return [format, columns = std::move(columns), to_json](const Item& item, std::string& out) {
    AppendRow(format, columns, to_json(item), out);
  };
}

// A lead written straight from its fields: the big export, a million rows
// without a JSON object each. NDJSON is WriteLead, as the API's answers; the CSV
// columns are kLeadColumns.
void RenderLead(ExportFormat format, const domain::Lead& lead, std::string& out) {
  if (format == ExportFormat::kNdjson) {
    JsonWriter json(out);
    WriteLead(json, lead);
    out += '\n';
    return;
  }
  CsvWriter csv(out);
  csv.Field(FormatId(lead.id)).Field(lead.name).Field(lead.email).Field(lead.company);
  csv.Field(domain::ToString(lead.status)).Field(FormatId(lead.assistant_id));
  csv.Field(FormatId(lead.owner_id)).Field(lead.owner_name).Field(lead.owner_email);
  csv.Field(FormatRfc3339(lead.created_at));
  csv.End();
}

// 200 with the streamed body, or the first page's problem.
template <class Item>
Response ExportResponse(ExportFormat format, const std::string& file_stem, UnixSeconds now,
                        std::vector<std::string> columns, Result<Page<Item>> first,
                        typename PagedExport<Item>::Fetch fetch,
                        typename PagedExport<Item>::Render render) {
  if (!first.ok()) return ProblemResponse(first.problem());
  Response response;
  bool csv = format == ExportFormat::kCsv;
  response.content_type = csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
  response.AddHeader("Content-Disposition",
                     "attachment; filename=\"" + file_stem + "-" +
                         FormatRfc3339(now).substr(0, 10) + (csv ? ".csv\"" : ".ndjson\""));
  response.stream = std::make_shared<PagedExport<Item>>(
      format, std::move(columns), std::move(first).value(), std::move(fetch), std::move(render));
  return response;
}

// The caller of an export's next page: the request's session or key
// authenticated again, his membership read again with it.
std::function<Result<app::Principal>()> CallerAgain(app::Context& context, const Request& request,
                                                    Id org) {
  return [&context, credentials = CredentialsOf(request), org] {
    return RequireCaller(context, credentials, SessionUse::kAnyRequest, org);
  };
}

Problem AccessChanged() {
  return Problem::Forbidden("The caller's access changed during the export; export again.",
                            "access_changed");
}

const std::vector<std::string> kLeadColumns = {"id",          "name",       "email",
                                               "company",     "status",     "assistant_id",
                                               "owner_id",    "owner_name", "owner_email",
                                               "created_at"};
const std::vector<std::string> kMemberColumns = {"user_id", "name", "email", "role", "status"};
const std::vector<std::string> kAdminMemberColumns = {
    "user_id", "name",      "email",         "role",       "status",
    "invited_at", "invite_expires_at", "invite_undelivered", "joined_at", "last_login_at",
    "lead_count", "mfa", "assistants"};
const std::vector<std::string> kAuditColumns = {
    "id",          "at",     "actor_user_id",  "actor_name",  "actor_email",
    "actor_api_key_id", "actor_api_key_name", "action", "target_user_id", "target_name",
    "target_email", "details"};

Response ExportLeads(app::Context& context, Request& request, const app::Principal& caller,
                     Id org) {
  auto format = ParseFormat(request);
  if (!format.ok()) return ProblemResponse(format.problem());
  DropPaging(request);
  auto filter = ParseLeadFilter(request);
  if (!filter.ok()) return ProblemResponse(filter.problem());
  filter->limit = kExportPageRows;
  filter->cursor.reset();
  auto first = app::ExportLeadsPage(context, caller, org, *filter);
  if (!first.ok()) return ProblemResponse(first.problem());
  // Every page must be of the same leads: an admin demoted during the
  // download ends it rather than finish it as a smaller file.
  auto fetch = [&context, again = CallerAgain(context, request, org), org, filter = *filter,
                sees_all = first->sees_all](const std::string& cursor)
      -> Result<Page<domain::Lead>> {
    domain::LeadFilter page = filter;
    page.cursor = cursor;
    app::Principal caller = ROSTER_TRY(again());
    app::LeadExportPage next = ROSTER_TRY(app::ExportLeadsPage(context, caller, org, page));
    if (next.sees_all != sees_all) return AccessChanged();
    return std::move(next.leads);
  };
  auto render = [format = *format](const domain::Lead& lead, std::string& out) {
    RenderLead(format, lead, out);
  };
  return ExportResponse<domain::Lead>(*format, "leads-" + FormatId(org), context.clock.Now(),
                                      kLeadColumns, std::move(first->leads), fetch, render);
}

Response ExportMembers(app::Context& context, Request& request, const app::Principal& caller,
                       Id org) {
  auto format = ParseFormat(request);
  if (!format.ok()) return ProblemResponse(format.problem());
  DropPaging(request);
  auto filter = ParseMemberFilter(request);
  if (!filter.ok()) return ProblemResponse(filter.problem());
  UnixSeconds now = context.clock.Now();
  filter->limit = kExportPageRows;
  filter->cursor.reset();
  filter->now = now;
  auto first = app::ExportMembersPage(context, caller, org, *filter);
  if (!first.ok()) return ProblemResponse(first.problem());
  bool admin = first->with_details;
  // Every page must have the columns of the first: a caller whose role
  // changes during the download ends it rather than get mixed rows.
  auto fetch = [&context, again = CallerAgain(context, request, org), org, filter = *filter,
                admin](const std::string& cursor) -> Result<app::MemberList> {
    domain::MemberFilter page = filter;
    page.cursor = cursor;
    app::Principal caller = ROSTER_TRY(again());
    app::MemberExportPage next = ROSTER_TRY(app::ExportMembersPage(context, caller, org, page));
    if (next.with_details != admin) return AccessChanged();
    return std::move(next.list);
  };
  const std::vector<std::string>& columns = admin ? kAdminMemberColumns : kMemberColumns;
  auto render = ThroughJson<app::MemberView>(*format, columns, MemberJson);
  return ExportResponse<app::MemberView>(*format, "members-" + FormatId(org), now, columns,
                                         std::move(first->list), fetch, render);
}

Response ExportAuditEvents(app::Context& context, Request& request, const app::Principal& caller,
                           Id org) {
  auto format = ParseFormat(request);
  if (!format.ok()) return ProblemResponse(format.problem());
  auto filter = ParseAuditFilter(request);
  if (!filter.ok()) return ProblemResponse(filter.problem());
  auto fetch = [&context, again = CallerAgain(context, request, org), org,
                filter = *filter](const std::string& cursor)
      -> Result<Page<domain::NamedAuditEvent>> {
    app::Principal caller = ROSTER_TRY(again());
    return app::ExportAuditEventsPage(context, caller, org, kExportPageRows, cursor, filter);
  };
  return ExportResponse<domain::NamedAuditEvent>(
      *format, "audit-events-" + FormatId(org), context.clock.Now(), kAuditColumns,
      app::ExportAuditEventsPage(context, caller, org, kExportPageRows, std::nullopt, *filter),
      fetch, ThroughJson<domain::NamedAuditEvent>(*format, kAuditColumns, AuditEventJson));
}

}  // namespace

void AddExportRoutes(Router& router, app::Context& context) {
  router.Add("GET", "/api/v1/orgs/{org}/members/export",
             ForOrganization(context, [&context](Request& request, const app::Principal& caller,
                                                 Id org) {
               return ExportMembers(context, request, caller, org);
             }));
  router.Add("GET", "/api/v1/orgs/{org}/leads/export",
             ForOrganization(context, [&context](Request& request, const app::Principal& caller,
                                                 Id org) {
               return ExportLeads(context, request, caller, org);
             }));
  router.Add("GET", "/api/v1/orgs/{org}/audit-events/export",
             ForOrganization(context, [&context](Request& request, const app::Principal& caller,
                                                 Id org) {
               return ExportAuditEvents(context, request, caller, org);
             }));
}

}  // namespace roster::http
