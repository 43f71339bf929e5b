#pragma once

#include <optional>
#include <string>
#include <vector>

namespace roster {

// One page of a keyset-paged list. `next_cursor` is opaque to clients and
// absent on the last page.
template <class T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;
};

}  // namespace roster
