#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/problem.hpp"

namespace roster {

// A value or the Problem that prevented it. Expected failures travel as
// Result; exceptions are reserved for bugs and driver faults, which are
// converted at the store boundary or at the request boundary.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Problem problem) : state_(std::move(problem)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { assert(ok()); return std::get<0>(state_); }
  const T& value() const& { assert(ok()); return std::get<0>(state_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok()
  const Problem& problem() const& { assert(!ok()); return std::get<1>(state_); }
  Problem&& problem() && { assert(!ok()); return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Problem> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Problem problem) : problem_(std::move(problem)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Problem& problem() const& { assert(!ok_); return problem_; }
  Problem&& problem() && { assert(!ok_); return std::move(problem_); }

 private:
  Problem problem_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace roster

// Propagates a failed Result in one line; yields the value otherwise.
#define ROSTER_TRY(expr)                                   \
  ({                                                       \
    auto&& roster_try_result_ = (expr);                    \
    if (!roster_try_result_.ok())                          \
      return std::move(roster_try_result_).problem();      \
    std::move(roster_try_result_).value();                 \
  })

// For Result<void>.
#define ROSTER_TRY_STATUS(expr)                            \
  do {                                                     \
    auto&& roster_try_status_ = (expr);                    \
    if (!roster_try_status_.ok())                          \
      return std::move(roster_try_status_).problem();      \
  } while (0)
