// Group commit for single-job inserts: callers that arrive while a commit is in flight queue up; when it
// ends, its leader hands the lead to the first of them, who runs every queued insert in one write
// transaction, so they share one fsync. A caller that finds no commit in flight leads at once. Each insert
// runs inside its own SAVEPOINT: one that fails its own checks (unknown template or batch) rolls back alone
// and the others still commit. Every caller gets its own result only after the transaction holding its row
// has committed (or failed as a whole). Thread-safe: insert() is called from any number of threads at once.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "store/detail/sqlite_db.hpp"
#include "store/store.hpp"

namespace vidgen::store::detail {

class JobInsertGroup {
  public:
    // Runs a function on a connection inside one write transaction (BEGIN IMMEDIATE ... COMMIT), rolling
    // back when the function fails.
    using Transact = std::function<Result<void>(const std::function<Result<void>(Connection&)>&)>;

    explicit JobInsertGroup(Transact transact) : transact_(std::move(transact)) {}

    // Inserts `job` with Store::insert_job's rules; returns once its transaction has committed.
    Result<Inserted> insert(Job job);

  private:
    struct Pending {
        Job job;
        std::optional<Result<Inserted>> result;  // set by the leader of its group, under mutex_
        bool leads = false;                      // handed the lead, under mutex_
        std::condition_variable wake;            // result set or lead handed over
    };

    // Takes the queue, commits it, hands out the results and the lead. Called with `lock` held.
    void lead(std::unique_lock<std::mutex>& lock);
    std::vector<Result<Inserted>> commit(std::vector<Pending*>& group);

    Transact transact_;
    std::mutex mutex_;
    std::vector<Pending*> queue_;
    bool leading_ = false;  // a leader is committing, or the lead was handed to a queued caller
};

}  // namespace vidgen::store::detail
