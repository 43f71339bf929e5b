#pragma once

#include "core/ids.hpp"

// Who is asking, for the store functions that apply SPEC's visibility rule
// inside their SQL:
//   - an admin sees every lead and every assistant user of the organization;
//   - anyone sees the leads he owns and, of an assistant's users, himself;
//   - a manager of assistant A sees every lead of A and every user of A.
// The store reads the viewer's manager flags itself, inside the transaction
// of the query, so a Viewer carries only what the use case already learned
// from the membership.
namespace roster::store {

struct Viewer {
  Id user_id = 0;
  bool is_admin = false;  // an active admin of the organization being queried
};

}  // namespace roster::store
