#pragma once

#include <string>

#include <soci/soci.h>

namespace roster::store {

// SQL text and its named parameters, each bound once under a fresh name so
// that a statement assembled from parts works on both drivers.
class SqlBuilder {
 public:
  std::string Bind(long long value);
  std::string Bind(const std::string& value);
  std::string sql;
  soci::values& values() { return values_; }

 private:
  std::string NextName() { return "p" + std::to_string(count_++); }
  soci::values values_;
  int count_ = 0;
};

}  // namespace roster::store
