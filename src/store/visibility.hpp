#pragma once

#include "core/ids.hpp"

// Who is asking, for the store functions that apply SPEC's visibility rule
// inside their SQL:
//   - an admin sees every lead and every assistant user of the organization;
//   - anyone sees the leads he owns and, of an assistant's users, himself;
//   - a manager of assistant A sees every lead of A and every user of A.
// The caller's manager flags are read by the query itself (assistant_users),
// so a Viewer carries only what the membership already told the use case.
namespace roster::store {

struct Viewer {
  Id user_id = 0;
  bool is_admin = false;  // an active admin of the organization being queried
};

}  // namespace roster::store
