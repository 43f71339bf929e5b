#pragma once

#include <optional>

#include "store/database.hpp"

namespace roster::store {

// For work that walks far more rows than a page cache should keep (a page
// of an export, a leaver's leads moving to someone else): while it lives, a
// SQLite connection's page cache is cut to kScanCacheKiB, so a million-row
// export or a 100,000-lead move neither grows the process by the 64 MiB
// cache of every pooled connection it passes through nor pushes everyone
// else's hot pages out (PostgreSQL gives large scans a small ring of buffers
// for the same reason). A write spills its dirty pages to the log as it goes,
// which costs it no time. The cache gets its size back at the end and
// refills on demand. Nothing on PostgreSQL, whose cache is the server's.
class ScanCache {
 public:
  static constexpr int kScanCacheKiB = 2048;

  explicit ScanCache(Tx& tx);
  ~ScanCache();
  ScanCache(const ScanCache&) = delete;
  ScanCache& operator=(const ScanCache&) = delete;

 private:
  Tx& tx_;
  std::optional<int> saved_cache_size_;
};

}  // namespace roster::store
