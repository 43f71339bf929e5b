#pragma once

// Shared by the fuzz targets: a check that stops the run (libFuzzer reports
// it as a crash and saves the input; the corpus replay test fails) when a
// property of the code under test does not hold.

#include <cstdio>
#include <cstdlib>

#define ROSTER_FUZZ_CHECK(condition)                                                        \
  do {                                                                                      \
    if (!(condition)) {                                                                     \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                         \
    }                                                                                       \
  } while (false)
