#include "core/backoff.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace roster {

std::int64_t BackoffDelaySeconds(int attempts, std::int64_t initial_seconds,
                                 std::int64_t max_seconds, double jitter) {
  std::int64_t delay = initial_seconds;
  for (int i = 1; i < attempts && delay < max_seconds; ++i) delay *= 2;
  delay = std::min(delay, max_seconds);
  delay -= static_cast<std::int64_t>(std::floor(static_cast<double>(delay) * 0.1 * jitter));
  return std::max<std::int64_t>(delay, 1);
}

double BackoffJitter() {
  thread_local std::mt19937 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

std::string OneLineError(std::string text, std::size_t max_length) {
  std::replace_if(text.begin(), text.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  if (text.size() > max_length) text.resize(max_length);
  return text;
}

}  // namespace roster
