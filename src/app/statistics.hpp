#pragma once

#include <spdlog/spdlog.h>

#include "store/database.hpp"

namespace roster::app {

// After a bulk change (a lead import, a large bulk invitation): the
// planner's statistics refreshed now rather than whenever autovacuum comes
// by. A failure is logged; the change it follows is done and stays done.
inline void RefreshStatistics(store::Database& database) {
  if (Status analyzed = database.Analyze(); !analyzed.ok()) {
    spdlog::warn("event=analyze_failed error={}", analyzed.problem().internal);
  }
}

}  // namespace roster::app
