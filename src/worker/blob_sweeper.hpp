// BlobSweeper: removes the media store's blobs that no record refers to. A blob is garbage when no output
// and no asset of any tenant names its key (Store::referenced_keys) and it was last stored (put) more than
// grace_seconds ago: a render that stored its blob and whose complete was then refused, an upload whose
// asset was never recorded. Segment outputs whose parent ended failed or canceled are deleted first
// (Store::delete_abandoned_segment_outputs), so their blobs become garbage the same way. The grace period
// keeps a blob that another attempt, tenant or upload has just stored and is about to record (a put of
// bytes already stored refreshes their time). A pass runs every interval_seconds on its own thread, the
// first at a random point of the first interval; sweep_once() runs one now. Several nodes sweeping one store
// at once is harmless: a blob is removed once (BlobStore::remove_if_older), the others skip it.
// Thread-safe; construction and destruction belong to the owner.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <thread>

#include "blob/blob_store.hpp"
#include "core/error.hpp"
#include "store/store.hpp"

namespace vidgen::worker {

struct SweepOptions {
    double interval_seconds = 3600;  // between passes
    double grace_seconds = 86400;    // a younger blob is kept, referenced or not
    int batch = 500;                 // keys per store query and segment outputs per delete
    bool periodic = true;            // false: only sweep_once() sweeps (tests)
};

struct SweepReport {
    std::int64_t examined = 0;         // blobs listed
    std::int64_t removed = 0;          // blobs removed
    std::uint64_t removed_bytes = 0;   // their sizes
    std::int64_t segment_outputs = 0;  // abandoned segment output rows deleted
};

class BlobSweeper {
  public:
    // `store` and `blobs` must outlive the sweeper.
    BlobSweeper(store::Store& store, blob::BlobStore& blobs, SweepOptions options);
    BlobSweeper(const BlobSweeper&) = delete;
    BlobSweeper& operator=(const BlobSweeper&) = delete;
    ~BlobSweeper();

    // One pass: deletes the abandoned segment outputs, then removes the unreferenced blobs older than the
    // grace period (relative to `now`), and logs what it removed. Errors of the store or the blob store end
    // the pass early with that error.
    Result<SweepReport> sweep_once(
        std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

  private:
    void run(const std::stop_token& stop);
    Result<void> delete_abandoned_segments(SweepReport& report);
    Result<void> sweep_batch(std::vector<blob::BlobInfo>& old, std::chrono::system_clock::time_point cutoff,
                             SweepReport& report);

    store::Store& store_;
    blob::BlobStore& blobs_;
    SweepOptions options_;
    std::mutex passes_;  // one pass at a time in a process
    std::jthread thread_;
};

}  // namespace vidgen::worker
