// What the benchmarks share: clocks, percentiles, a fresh SQLite file, and a
// main() that prints what went wrong.
#pragma once

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace roster::bench {

inline double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// CPU seconds of this thread: the work's cost without the time a shared
// machine's scheduler gives to other processes (SQLite runs in this thread).
inline double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// The sample at `fraction` (0.5 the median, 0.99 the p99) of the sorted samples.
inline double Percentile(std::vector<double> samples, double fraction) {
  std::sort(samples.begin(), samples.end());
  auto index = static_cast<std::size_t>(fraction * static_cast<double>(samples.size()));
  return samples[std::min(samples.size() - 1, index)];
}

// Removes a SQLite database and its WAL files, so the benchmark starts empty.
inline void RemoveSqliteFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

inline int Main(const char* name, int (*run)(int, char**), int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << name << ": " << error.what() << "\n";
    return 1;
  }
}

}  // namespace roster::bench
