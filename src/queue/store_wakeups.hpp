// StoreWakeups: carries the store's cross-process "jobs were queued" signal (PostgreSQL LISTEN/NOTIFY) to a
// JobQueue's waiting workers, so a job submitted through another node starts at once instead of at the next
// poll. One thread, started by the constructor and stopped by the destructor; the queue and the store must
// outlive it. With SQLite, which has no such signal, the thread only sleeps.
#pragma once

#include <thread>

#include "queue/job_queue.hpp"
#include "store/store.hpp"

namespace vidgen::queue {

class StoreWakeups {
  public:
    StoreWakeups(JobQueue& queue, store::Store& store);
    StoreWakeups(const StoreWakeups&) = delete;
    StoreWakeups& operator=(const StoreWakeups&) = delete;

  private:
    std::jthread thread_;
};

}  // namespace vidgen::queue
