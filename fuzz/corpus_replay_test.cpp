// Replays every file of every fuzz corpus (fuzz/corpus/<target>/: the seeds
// and the regression inputs of fixed findings) through the fuzz targets'
// own entry points, without libFuzzer. A property check failing, or any
// crash, fails the test.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#define ROSTER_FUZZ_ENTRY(name) \
  extern "C" int RosterFuzz_##name(const std::uint8_t* data, std::size_t size);
ROSTER_FUZZ_ENTRY(http_request)
ROSTER_FUZZ_ENTRY(json_body)
ROSTER_FUZZ_ENTRY(csv_import)
ROSTER_FUZZ_ENTRY(url_settings)
ROSTER_FUZZ_ENTRY(cursor)
ROSTER_FUZZ_ENTRY(mail_headers)
ROSTER_FUZZ_ENTRY(quoted_printable)
ROSTER_FUZZ_ENTRY(webhook_url)

namespace {

using Entry = int (*)(const std::uint8_t*, std::size_t);

void Replay(const std::string& target, Entry entry) {
  std::filesystem::path directory = std::filesystem::path(ROSTER_FUZZ_CORPUS) / target;
  ASSERT_TRUE(std::filesystem::is_directory(directory)) << directory;
  std::vector<std::filesystem::path> files;
  for (const auto& file : std::filesystem::directory_iterator(directory)) {
    if (file.is_regular_file()) files.push_back(file.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 3u) << "a corpus needs seeds: " << directory;
  for (const auto& path : files) {
    SCOPED_TRACE(path.filename().string());
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // libFuzzer never passes a null pointer; keep that for empty files too.
    static const std::uint8_t kEmpty = 0;
    const auto* data =
        bytes.empty() ? &kEmpty : reinterpret_cast<const std::uint8_t*>(bytes.data());
    EXPECT_EQ(entry(data, bytes.size()), 0);
  }
}

}  // namespace

#define ROSTER_FUZZ_REPLAY(name) \
  TEST(FuzzCorpus, name) { Replay(#name, RosterFuzz_##name); }
ROSTER_FUZZ_REPLAY(http_request)
ROSTER_FUZZ_REPLAY(json_body)
ROSTER_FUZZ_REPLAY(csv_import)
ROSTER_FUZZ_REPLAY(url_settings)
ROSTER_FUZZ_REPLAY(cursor)
ROSTER_FUZZ_REPLAY(mail_headers)
ROSTER_FUZZ_REPLAY(quoted_printable)
ROSTER_FUZZ_REPLAY(webhook_url)
