#include "store/detail/sqlite_group_commit.hpp"

#include "store/detail/sqlite_store.hpp"

namespace vidgen::store::detail {

namespace {

Result<void> run(Connection& c, std::string_view sql) {
    auto stmt = c.prepare(sql);
    if (!stmt) return std::unexpected(stmt.error());
    return stmt->run();
}

// One insert inside its own savepoint, so that its failure undoes only its own statements. The outer
// Result fails the whole group (the savepoint or the transaction broke); the inner one is this insert's.
Result<Result<Inserted>> insert_in_savepoint(Connection& c, Job job) {
    if (auto ok = run(c, "SAVEPOINT job_insert"); !ok) return std::unexpected(ok.error());
    auto inserted = insert_job_row(c, std::move(job));
    // Some errors (disk full, I/O) make SQLite roll the whole transaction back by itself.
    if (!inserted && sqlite3_get_autocommit(c.handle()) != 0) return std::unexpected(inserted.error());
    if (!inserted) {
        if (auto ok = run(c, "ROLLBACK TO job_insert"); !ok) return std::unexpected(ok.error());
    }
    if (auto ok = run(c, "RELEASE job_insert"); !ok) return std::unexpected(ok.error());
    return inserted;
}

}  // namespace

Result<Inserted> JobInsertGroup::insert(Job job) {
    Pending pending{std::move(job), std::nullopt};
    std::unique_lock lock(mutex_);
    queue_.push_back(&pending);
    if (leading_) pending.wake.wait(lock, [&] { return pending.result || pending.leads; });
    if (!pending.result) lead(lock);
    return std::move(*pending.result);
}

void JobInsertGroup::lead(std::unique_lock<std::mutex>& lock) {
    leading_ = true;
    auto group = std::exchange(queue_, {});
    lock.unlock();
    auto results = commit(group);
    lock.lock();
    for (std::size_t i = 0; i < group.size(); ++i) {
        group[i]->result = std::move(results[i]);
        group[i]->wake.notify_one();
    }
    if (queue_.empty()) {
        leading_ = false;
    } else {
        queue_.front()->leads = true;
        queue_.front()->wake.notify_one();
    }
}

std::vector<Result<Inserted>> JobInsertGroup::commit(std::vector<Pending*>& group) {
    std::vector<Result<Inserted>> results;
    results.reserve(group.size());
    auto committed = transact_([&](Connection& c) -> Result<void> {
        for (auto* pending : group) {
            auto one = insert_in_savepoint(c, std::move(pending->job));
            if (!one) return std::unexpected(one.error());
            results.push_back(std::move(*one));
        }
        return {};
    });
    if (!committed) results.assign(group.size(), Result<Inserted>(std::unexpected(committed.error())));
    return results;
}

}  // namespace vidgen::store::detail
