// Durable job inserts into the SQLite store from 1, 8 and 64 threads at once, side by side in one run:
// insert_job (group commit: callers that arrive together share one transaction and one fsync) against
// insert_jobs with one job (a transaction and an fsync per call, as insert_job did before). The database
// is in a fresh folder under /tmp; synchronous=FULL as in production. `make bench` runs it.
#include <benchmark/benchmark.h>

#include <atomic>
#include <filesystem>
#include <memory>

#include "core/scratch_dir.hpp"
#include "store/store.hpp"

namespace vidgen::store {
namespace {

std::unique_ptr<ScratchDir> g_scratch;
std::unique_ptr<Store> g_store;
std::string g_tenant;

void open_fresh_store(const benchmark::State&) {
    g_scratch = std::make_unique<ScratchDir>(ScratchDir::create("vidgen-store-bench").value());
    g_store = open_store("sqlite://" + (g_scratch->path() / "store.db").string()).value();
    g_tenant = g_store->create_tenant({.id = "", .name = "bench", .created = 1}).value().id;
}

void close_store(const benchmark::State&) {
    g_store.reset();
    g_scratch.reset();
}

Job small_job() {
    Job job;
    job.tenant_id = g_tenant;
    job.spec_json = R"({"output":{"width":64,"height":64,"format":"png"},"timeline":{"tracks":[]}})";
    job.data_json = "{}";
    job.created = 1;
    return job;
}

void GroupCommittedInsertJob(benchmark::State& state) {
    for (auto _ : state) {
        if (!g_store->insert_job(small_job())) state.SkipWithError("insert failed");
    }
    state.SetItemsProcessed(state.iterations());
}

void OneCommitPerInsert(benchmark::State& state) {
    for (auto _ : state) {
        if (!g_store->insert_jobs({small_job()})) state.SkipWithError("insert failed");
    }
    state.SetItemsProcessed(state.iterations());
}

BENCHMARK(GroupCommittedInsertJob)
    ->Setup(open_fresh_store)
    ->Teardown(close_store)
    ->Threads(1)
    ->Threads(8)
    ->Threads(64)
    ->UseRealTime()
    ->MinTime(2.0);
BENCHMARK(OneCommitPerInsert)
    ->Setup(open_fresh_store)
    ->Teardown(close_store)
    ->Threads(1)
    ->Threads(8)
    ->Threads(64)
    ->UseRealTime()
    ->MinTime(2.0);

}  // namespace
}  // namespace vidgen::store

BENCHMARK_MAIN();
