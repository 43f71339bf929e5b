#pragma once

// A membership's state as domain::ParseMembershipState reads it, for a
// membership `m`: a deactivated one has `deactivated_at` set and keeps the
// status 'invited' that V001's CHECK allows (see V007). A macro so that it
// joins the literals of a statement.
#define ROSTER_MEMBERSHIP_STATE_SQL \
  "CASE WHEN m.deactivated_at IS NULL THEN m.status ELSE 'deactivated' END"
