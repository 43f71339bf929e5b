// SQLite's writers commit without syncing the WAL and sync it after giving
// the write lock to the next group; an answer must still come only once its
// commit would survive a power loss. A power loss keeps of each file what
// its last sync wrote: this test runs the writer queue on a VFS that keeps
// exactly that image of the database and its WAL, and after every
// acknowledged write opens a copy of the images (as the machine would find
// its disk after a power cut at that moment) and looks for the row.
// (kill -9 loses less: what COMMIT wrote is in the kernel already.)
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store_fixture.hpp"

namespace roster::testing {
namespace {

using namespace sqlite_api;  // NOLINT: the C API's names, in this file only

// The images: by file name, the bytes as of the file's last sync.
std::mutex images_mutex;
std::map<std::string, std::string> images;  // GUARDED_BY(images_mutex)

sqlite3_vfs* real_vfs = nullptr;
sqlite3_vfs synced_vfs;
sqlite3_io_methods synced_methods;

struct SyncedFile {
  sqlite3_file base;
  sqlite3_file* real;
  const char* name;  // the database or its WAL, else nullptr; valid until xClose
};

SyncedFile* Of(sqlite3_file* file) { return reinterpret_cast<SyncedFile*>(file); }
sqlite3_file* Real(sqlite3_file* file) { return Of(file)->real; }

// The whole file, as it is now (called with images_mutex held).
std::string ReadWhole(sqlite3_file* real) {
  sqlite3_int64 size = 0;
  if (real->pMethods->xFileSize(real, &size) != SQLITE_OK) return {};
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (size > 0) real->pMethods->xRead(real, bytes.data(), static_cast<int>(size), 0);
  return bytes;
}

int Close(sqlite3_file* file) { return Real(file)->pMethods->xClose(Real(file)); }
int Read(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
  return Real(file)->pMethods->xRead(Real(file), buffer, amount, offset);
}
int Write(sqlite3_file* file, const void* buffer, int amount, sqlite3_int64 offset) {
  std::optional<std::lock_guard<std::mutex>> lock;
  if (Of(file)->name != nullptr) lock.emplace(images_mutex);
  return Real(file)->pMethods->xWrite(Real(file), buffer, amount, offset);
}
int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  std::optional<std::lock_guard<std::mutex>> lock;
  if (Of(file)->name != nullptr) lock.emplace(images_mutex);
  return Real(file)->pMethods->xTruncate(Real(file), size);
}
int Sync(sqlite3_file* file, int flags) {
  if (Of(file)->name == nullptr) return Real(file)->pMethods->xSync(Real(file), flags);
  std::lock_guard lock(images_mutex);
  int rc = Real(file)->pMethods->xSync(Real(file), flags);
  if (rc == SQLITE_OK) images[Of(file)->name] = ReadWhole(Real(file));
  return rc;
}
int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  return Real(file)->pMethods->xFileSize(Real(file), size);
}
int Lock(sqlite3_file* file, int level) { return Real(file)->pMethods->xLock(Real(file), level); }
int Unlock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xUnlock(Real(file), level);
}
int CheckReservedLock(sqlite3_file* file, int* out) {
  return Real(file)->pMethods->xCheckReservedLock(Real(file), out);
}
int FileControl(sqlite3_file* file, int op, void* argument) {
  return Real(file)->pMethods->xFileControl(Real(file), op, argument);
}
int SectorSize(sqlite3_file* file) { return Real(file)->pMethods->xSectorSize(Real(file)); }
int DeviceCharacteristics(sqlite3_file* file) {
  return Real(file)->pMethods->xDeviceCharacteristics(Real(file));
}
int ShmMap(sqlite3_file* file, int page, int size, int extend, void volatile** out) {
  return Real(file)->pMethods->xShmMap(Real(file), page, size, extend, out);
}
int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  return Real(file)->pMethods->xShmLock(Real(file), offset, n, flags);
}
void ShmBarrier(sqlite3_file* file) { Real(file)->pMethods->xShmBarrier(Real(file)); }
int ShmUnmap(sqlite3_file* file, int remove) {
  return Real(file)->pMethods->xShmUnmap(Real(file), remove);
}
int Fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  return Real(file)->pMethods->xFetch(Real(file), offset, amount, out);
}
int Unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  return Real(file)->pMethods->xUnfetch(Real(file), offset, page);
}

int Open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  SyncedFile* synced = Of(file);
  synced->base.pMethods = nullptr;
  synced->real = reinterpret_cast<sqlite3_file*>(synced + 1);
  synced->name =
      name != nullptr && (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL)) != 0 ? name : nullptr;
  int rc = real_vfs->xOpen(real_vfs, name, synced->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (synced->real->pMethods != nullptr) synced->real->pMethods->xClose(synced->real);
    return rc;
  }
  synced->base.pMethods = &synced_methods;
  if (synced->name != nullptr) {
    // What a file holds when first opened counts as on the disk.
    std::lock_guard lock(images_mutex);
    if (images.count(synced->name) == 0) images[synced->name] = ReadWhole(synced->real);
  }
  return rc;
}

int Delete(sqlite3_vfs*, const char* name, int sync_directory) {
  std::lock_guard lock(images_mutex);
  images.erase(name);
  return real_vfs->xDelete(real_vfs, name, sync_directory);
}

// Becomes the default VFS until the end of the scope.
class SyncedImagesVfs {
 public:
  SyncedImagesVfs() {
    real_vfs = sqlite3_vfs_find("unix");
    synced_vfs = *real_vfs;
    synced_vfs.zName = "synced-images";
    synced_vfs.pNext = nullptr;
    synced_vfs.szOsFile = static_cast<int>(sizeof(SyncedFile)) + real_vfs->szOsFile;
    synced_vfs.xOpen = Open;
    synced_vfs.xDelete = Delete;
    synced_methods = sqlite3_io_methods{3,        Close,      Read,     Write,
                                        Truncate, Sync,       FileSize, Lock,
                                        Unlock,   CheckReservedLock,   FileControl,
                                        SectorSize,          DeviceCharacteristics,
                                        ShmMap,   ShmLock,    ShmBarrier, ShmUnmap,
                                        Fetch,    Unfetch};
    sqlite3_vfs_register(&synced_vfs, 1);
  }
  ~SyncedImagesVfs() {
    sqlite3_vfs_unregister(&synced_vfs);
    std::lock_guard lock(images_mutex);
    images.clear();
  }
};

class WriteQueueDurabilityTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    if (is_postgres()) GTEST_SKIP() << "the WAL sync after the lock is SQLite's writer queue's";
    path_ = (std::filesystem::weakly_canonical(directory_) / "durable.db").string();
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                              "unix"),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "PRAGMA journal_mode=WAL; CREATE TABLE t (n INTEGER PRIMARY KEY)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);  // checkpoints, syncs and removes the WAL
  }

  // Opens what a power cut now would leave of the database (on the real
  // VFS, in a directory of its own) and counts the rows with `n`.
  long long RowsAfterAPowerCut(long long n) {
    std::string database, wal;
    bool has_wal = false;
    {
      std::lock_guard lock(images_mutex);
      database = images[path_];
      if (auto found = images.find(path_ + "-wal"); found != images.end()) {
        has_wal = true;
        wal = found->second;
      }
    }
    std::string copy = directory_ + "/after-power-cut-" +
                       std::to_string(copies_.fetch_add(1)) + ".db";
    std::ofstream(copy, std::ios::binary) << database;
    if (has_wal) std::ofstream(copy + "-wal", std::ios::binary) << wal;
    sqlite3* raw = nullptr;
    long long count = -1;
    if (sqlite3_open_v2(copy.c_str(), &raw, SQLITE_OPEN_READWRITE, "unix") == SQLITE_OK) {
      sqlite3_stmt* statement = nullptr;
      if (sqlite3_prepare_v2(raw, "SELECT COUNT(*) FROM t WHERE n = ?", -1, &statement,
                             nullptr) == SQLITE_OK) {
        sqlite3_bind_int64(statement, 1, n);
        if (sqlite3_step(statement) == SQLITE_ROW) count = sqlite3_column_int64(statement, 0);
      }
      sqlite3_finalize(statement);
    }
    sqlite3_close(raw);
    std::filesystem::remove(copy);
    std::filesystem::remove(copy + "-wal");
    std::filesystem::remove(copy + "-shm");
    return count;
  }

  std::string path_;
  std::atomic<int> copies_ = 0;
};

TEST_F(WriteQueueDurabilityTest, EveryAcknowledgedWriteSurvivesAPowerCutRightAfterItsAnswer) {
  constexpr int kWriters = 4;
  constexpr int kWritesEach = 25;
  SyncedImagesVfs vfs;
  {
    auto opened = store::Database::Open("sqlite:" + path_, kWriters + 1);
    ASSERT_TRUE(opened.ok()) << opened.problem().detail;
    std::unique_ptr<store::Database> database = std::move(opened).value();
    std::atomic<int> acknowledged = 0;
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        for (int i = 0; i < kWritesEach; ++i) {
          long long n = w * 1000 + i;
          Status done = database->Write<void>([&](store::Tx& tx) -> Status {
            tx.sql() << "INSERT INTO t (n) VALUES (:n)", soci::use(n);
            return {};
          });
          ASSERT_TRUE(done.ok()) << done.problem().internal;
          ++acknowledged;
          EXPECT_EQ(RowsAfterAPowerCut(n), 1) << "write " << n << " was answered before it was synced";
        }
      });
    }
    for (std::thread& writer : writers) writer.join();
    EXPECT_EQ(acknowledged, kWriters * kWritesEach);
  }
}

}  // namespace
}  // namespace roster::testing
