#include "queue/store_wakeups.hpp"

#include <chrono>

namespace vidgen::queue {

StoreWakeups::StoreWakeups(JobQueue& queue, store::Store& store)
    : thread_([&queue, &store](const std::stop_token& stop) {
          while (!stop.stop_requested()) {
              if (store.wait_for_jobs(std::chrono::milliseconds(250))) queue.notify_work();
          }
      }) {}

}  // namespace vidgen::queue
