#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace roster::store {

class Query;

// SQL text assembled from parts, and its parameters: each Bind returns the
// next positional parameter ($1, $2, ...) to write into the text. Text that
// varies without bound (a list of ids, one range per managed assistant)
// runs as a Query::Reuse::kOnce statement.
class SqlBuilder {
 public:
  std::string Bind(long long value);
  std::string Bind(const std::string& value);
  std::string sql;
  // Binds the parameters, in their order, to a Query made of `sql`.
  void BindTo(Query& query) const;

 private:
  std::vector<std::variant<std::int64_t, std::string>> values_;
};

}  // namespace roster::store
