#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace roster {

// The retry schedule shared by the mail outbox and webhook deliveries: the
// first delay, doubled per failed attempt up to a ceiling, less up to a tenth
// at random (`jitter` in [0, 1)) so that receivers that failed together are
// not retried together. Never below one second.
std::int64_t BackoffDelaySeconds(int attempts, std::int64_t initial_seconds,
                                 std::int64_t max_seconds, double jitter);

// A uniform draw from [0, 1) for BackoffDelaySeconds.
double BackoffJitter();

// A delivery error as stored: one line (CR and LF become spaces), at most
// `max_length` bytes.
std::string OneLineError(std::string text, std::size_t max_length);

}  // namespace roster
