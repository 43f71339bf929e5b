// SPEC's "Who may do what" and the API key scopes of section 7, as one
// table: a row per action, a column per kind of principal.
#include "app/permissions.hpp"

#include <gtest/gtest.h>

#include <array>
#include <set>

namespace roster::app {
namespace {

constexpr Verdict A = Verdict::kAllowed;
constexpr Verdict F = Verdict::kForbidden;
constexpr Verdict N = Verdict::kNotFound;

// The columns: who asks, and how he relates to the resource's assistant.
struct Column {
  const char* name;
  Standing standing;
  Relation relation;
};
const std::array<Column, 8> kColumns = {{
    {"admin", Standing::kAdmin, {}},
    {"manager of the assistant", Standing::kUser, {.manages_assistant = true, .assigned_to_assistant = true}},
    {"user of the assistant, for himself", Standing::kUser, {.assigned_to_assistant = true, .for_self = true}},
    {"user not of the assistant, for others", Standing::kUser, {}},
    {"admin key", Standing::kAdminKey, {}},
    {"read key", Standing::kReadKey, {}},
    {"scim key", Standing::kScimKey, {}},
    {"outsider", Standing::kOutsider, {}},
}};

struct Row {
  Action action;
  const char* name;
  std::array<Verdict, 8> verdicts;
};

// clang-format off
const Row kTable[] = {
  //                                              admin mgr self other | akey rkey skey | outsider
  {Action::kReadOrganization,    "read organization",     {A, A, A, A,   A, A, F,   N}},
  {Action::kListMembers,         "list members",          {A, A, A, A,   A, A, F,   N}},
  {Action::kSeeMemberDetails,    "see member details",    {A, F, F, F,   A, A, F,   N}},
  {Action::kPreviewRemoval,      "preview a removal",     {A, F, F, F,   A, A, F,   N}},
  {Action::kManageMembers,       "invite/resend/role/remove", {A, F, F, F, A, F, F,   N}},
  {Action::kReadAuditEvents,     "read audit events",     {A, F, F, F,   A, A, F,   N}},
  {Action::kManageAssistants,    "create/assign/manager", {A, F, F, F,   A, F, F,   N}},
  {Action::kListAssistants,      "list assistants",       {A, A, A, A,   A, A, F,   N}},
  {Action::kListAssistantUsers,  "list assistant users",  {A, A, A, N,   A, A, F,   N}},
  {Action::kReadLeads,           "list/read leads",       {A, A, A, A,   A, A, F,   N}},
  {Action::kCreateLead,          "create a lead",         {A, A, A, F,   A, F, F,   N}},
  {Action::kEditLead,            "edit a lead's fields",  {A, A, A, A,   A, F, F,   N}},
  {Action::kReassignLead,        "reassign a lead",       {A, A, F, F,   A, F, F,   N}},
  {Action::kExplainLeadAccess,   "who can see a lead",    {A, A, F, F,   A, A, F,   N}},
  {Action::kManageApiKeys,       "manage API keys",       {A, F, F, F,   F, F, F,   N}},
  {Action::kManageWebhooks,      "manage webhooks",       {A, F, F, F,   F, F, F,   N}},
  {Action::kReadSettings,        "read settings",         {A, F, F, F,   A, A, F,   N}},
  {Action::kManageSettings,      "change settings",       {A, F, F, F,   A, F, F,   N}},
  {Action::kProvisionMembers,    "provision (SCIM)",      {A, F, F, F,   A, F, A,   N}},
};
// clang-format on

const char* Name(Verdict verdict) {
  return verdict == A ? "allowed" : verdict == F ? "403" : "404";
}

TEST(PermissionsTest, EveryActionForEveryPrincipalAsTheTableSays) {
  for (const Row& row : kTable) {
    for (std::size_t c = 0; c < kColumns.size(); ++c) {
      Verdict got = Decide(kColumns[c].standing, row.action, kColumns[c].relation);
      EXPECT_EQ(got, row.verdicts[c])
          << row.name << " by " << kColumns[c].name << ": " << Name(got) << ", table says "
          << Name(row.verdicts[c]);
    }
  }
}

TEST(PermissionsTest, TheTableCoversEveryAction) {
  std::set<Action> covered;
  for (const Row& row : kTable) covered.insert(row.action);
  EXPECT_EQ(covered.size(), static_cast<std::size_t>(Action::kProvisionMembers) + 1);
}

TEST(PermissionsTest, WhoSeesEverythingByTheVisibilityRule) {
  EXPECT_TRUE(SeesEverything(Standing::kAdmin));
  EXPECT_TRUE(SeesEverything(Standing::kAdminKey));
  EXPECT_TRUE(SeesEverything(Standing::kReadKey));
  EXPECT_FALSE(SeesEverything(Standing::kUser));
  EXPECT_FALSE(SeesEverything(Standing::kScimKey));
  EXPECT_FALSE(SeesEverything(Standing::kOutsider));
}

TEST(PermissionsTest, RefusalsSayWhy) {
  EXPECT_EQ(RefusalDetail(Standing::kReadKey, Action::kManageMembers),
            "This API key may only read.");
  EXPECT_EQ(RefusalDetail(Standing::kScimKey, Action::kReadLeads),
            "This API key may only be used for SCIM provisioning.");
  EXPECT_EQ(RefusalDetail(Standing::kAdminKey, Action::kManageApiKeys),
            "API keys and webhooks are managed by an admin in person, not with an API key.");
  EXPECT_EQ(RefusalDetail(Standing::kUser, Action::kReassignLead),
            "Only admins and the assistant's managers can reassign a lead.");
}

}  // namespace
}  // namespace roster::app
