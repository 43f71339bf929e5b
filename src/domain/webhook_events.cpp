#include "domain/webhook_events.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace roster::domain {
namespace {

constexpr std::array<std::string_view, 20> kTypes = {
    "member.invited",          "member.invite_resent",      "member.invite_undelivered",
    "member.joined",           "member.role_changed",       "member.updated",
    "member.removed",          "member.deactivated",        "member.reactivated",
    "assistant.created",       "assistant.renamed",         "assistant.user_assigned",
    "assistant.user_unassigned", "assistant.manager_granted", "assistant.manager_revoked",
    "lead.created",            "lead.updated",              "lead.reassigned",
    "leads.reassigned",        "leads.imported",
};

// Audit action -> webhook type. A revoked invitation is a removal of the
// membership (DELETE .../members/{user} on an invited member), so it is
// `member.removed` too; its data says the member was only invited.
// Audited, but no webhook event: the management of webhooks and API keys,
// two-factor and password resets (a person's security, not the team), the
// organization's creation and settings. docs/webhooks.md lists them.
constexpr std::array<std::pair<std::string_view, std::string_view>, 21> kByAction = {{
    {"invited", "member.invited"},
    {"invite_resent", "member.invite_resent"},
    {"invite_undelivered", "member.invite_undelivered"},
    {"invitation_accepted", "member.joined"},
    {"role_changed", "member.role_changed"},
    {"scim_user_updated", "member.updated"},
    {"member_removed", "member.removed"},
    {"invite_revoked", "member.removed"},
    {"member_deactivated", "member.deactivated"},
    {"member_reactivated", "member.reactivated"},
    {"assistant_created", "assistant.created"},
    {"assistant_renamed", "assistant.renamed"},
    {"assistant_user_assigned", "assistant.user_assigned"},
    {"assistant_user_unassigned", "assistant.user_unassigned"},
    {"assistant_manager_granted", "assistant.manager_granted"},
    {"assistant_manager_revoked", "assistant.manager_revoked"},
    {"lead_created", "lead.created"},
    {"lead_updated", "lead.updated"},
    {"lead_reassigned", "lead.reassigned"},
    {"leads_reassigned", "leads.reassigned"},
    {"leads_imported", "leads.imported"},
}};

}  // namespace

std::span<const std::string_view> WebhookEventTypes() { return kTypes; }

std::optional<std::string_view> WebhookTypeOfAuditAction(std::string_view action) {
  for (const auto& [audit_action, type] : kByAction) {
    if (audit_action == action) return type;
  }
  return std::nullopt;
}

Result<std::vector<std::string>> ValidateWebhookEvents(const std::vector<std::string>& events,
                                                       std::string_view field) {
  if (events.empty()) {
    return Problem::Validation(std::string(field), "Choose at least one event type, or \"*\".");
  }
  std::vector<std::string> kept;
  for (const std::string& event : events) {
    bool known = std::find(kTypes.begin(), kTypes.end(), event) != kTypes.end();
    if (!known && event != kAllWebhookEvents) {
      std::string shown = event.size() > 60 ? event.substr(0, 60) + "..." : event;
      return Problem::Validation(std::string(field), "Unknown event type \"" + shown + "\".");
    }
    if (std::find(kept.begin(), kept.end(), event) == kept.end()) kept.push_back(event);
  }
  bool has_all = std::find(kept.begin(), kept.end(), kAllWebhookEvents) != kept.end();
  if (has_all && kept.size() > 1) {
    return Problem::Validation(std::string(field), "\"*\" subscribes to everything; send it alone.");
  }
  return kept;
}

bool WebhookSubscribes(const std::vector<std::string>& events, std::string_view type) {
  return std::any_of(events.begin(), events.end(), [&](const std::string& event) {
    return event == kAllWebhookEvents || event == type;
  });
}

const char* ToString(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::kPending: return "pending";
    case DeliveryStatus::kDelivered: return "delivered";
    case DeliveryStatus::kFailed: return "failed";
  }
  return "pending";
}

std::optional<DeliveryStatus> ParseDeliveryStatus(std::string_view text) {
  if (text == "pending") return DeliveryStatus::kPending;
  if (text == "delivered") return DeliveryStatus::kDelivered;
  if (text == "failed") return DeliveryStatus::kFailed;
  return std::nullopt;
}

}  // namespace roster::domain
