#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "domain/leads.hpp"
#include "domain/model.hpp"
#include "store/database.hpp"
#include "store/page.hpp"
#include "store/query.hpp"
#include "store/visibility.hpp"

// Assistants and their users.
namespace roster::store {

// organization id -> the assistants the user manages there.
std::map<Id, std::vector<Id>> ManagedAssistantsOfUser(Tx& tx, Id user_id);

bool AssistantExists(Tx& tx, Id organization_id, Id assistant_id);
// Assigns the user to the assistant with the given manager flag; an existing
// assignment gets the flag too.
// REQUIRES: the user is a member of the organization (a foreign key).
void AssignUser(Tx& tx, Id organization_id, Id assistant_id, Id user_id, bool is_manager,
                UnixSeconds now);

// Returns the new assistant's id. A name that another assistant of the
// organization has (ignoring ASCII case) is a 409 `assistant_name_taken`.
Result<Id> InsertAssistant(Tx& tx, Id organization_id, const std::string& name, UnixSeconds now);
// Renames an assistant, with the same 409 as InsertAssistant.
Status RenameAssistant(Tx& tx, Id organization_id, Id assistant_id, const std::string& name);

// The assistant with its full user count, or nullopt when the organization
// has no such assistant.
std::optional<domain::Assistant> FindAssistant(Tx& tx, Id organization_id, Id assistant_id);

// Every assistant of the organization (id and name), by id; for the import.
std::vector<domain::Assistant> AllAssistants(Tx& tx, Id organization_id);

// The assistants `viewer` may see, by id: all for an admin, else those he is
// assigned to. `user_count` follows the visibility rule: an admin or a
// manager of the assistant counts every user, anyone else only himself.
// A malformed cursor is a 422.
Result<Page<domain::Assistant>> ListAssistants(Tx& tx, Id organization_id, const Viewer& viewer,
                                               int limit, const std::optional<std::string>& cursor);

// The assignment of the user to the assistant, or nullopt.
std::optional<domain::AssistantUser> FindAssistantUser(Tx& tx, Id organization_id,
                                                       Id assistant_id, Id user_id);

// FindAssistantUser as a statement made first and read later, so that it
// can go out in an earlier statement's round trip (Query::With): lead
// creation sends it with the caller's access check.
class AssistantUserLookup {
 public:
  AssistantUserLookup(Tx& tx, Id organization_id, Id assistant_id, Id user_id);
  Query& query() { return query_; }
  std::optional<domain::AssistantUser> Read();

 private:
  Query query_;
};

// The users of the assistant that `viewer` may see, by (name, e-mail, id):
// every one for an admin or a manager of the assistant, else only himself
// (an empty page when he is not assigned). A malformed cursor is a 422.
Result<Page<domain::AssistantUser>> ListAssistantUsers(Tx& tx, Id organization_id,
                                                       Id assistant_id, const Viewer& viewer,
                                                       int limit,
                                                       const std::optional<std::string>& cursor);

void SetManager(Tx& tx, Id assistant_id, Id user_id, bool is_manager);

// The active manager of the assistant, other than `except_user_id`, who owns
// the fewest of its leads (the lowest id among equals); nullopt when it has
// no other active manager. The offboarding policy's first choice.
std::optional<Id> LeastLoadedManager(Tx& tx, Id organization_id, Id assistant_id,
                                     Id except_user_id);

// REQUIRES: the user owns no lead on the assistant (a foreign key).
void UnassignUser(Tx& tx, Id assistant_id, Id user_id);

// (assistant id, user id) of every assignment in the organization.
std::vector<std::pair<Id, Id>> AllAssignments(Tx& tx, Id organization_id);

}  // namespace roster::store
