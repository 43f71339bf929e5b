#include "store/scan_cache.hpp"

#include <exception>
#include <string>

#include <soci/soci.h>

namespace roster::store {

ScanCache::ScanCache(Tx& tx) : tx_(tx) {
  if (tx.backend != Backend::kSqlite) return;
  int cache_size = 0;
  tx.sql() << "PRAGMA cache_size", soci::into(cache_size);
  saved_cache_size_ = cache_size;
  // A smaller size frees the cached pages beyond it at once.
  tx.sql() << "PRAGMA cache_size = -" + std::to_string(kScanCacheKiB);
}

ScanCache::~ScanCache() {
  if (!saved_cache_size_) return;
  try {
    tx_.sql() << "PRAGMA cache_size = " + std::to_string(*saved_cache_size_);
  } catch (const std::exception&) {
    // The connection is broken; the pool reopens it with the default size.
  }
}

}  // namespace roster::store
