// Queue speed for bench/cluster, through the code `vidgen worker` runs: one Store (one connection pool),
// a queue::JobQueue with its StoreWakeups, and N worker threads that each loop as worker::WorkerPool does —
// lease; when nothing is ready, wait for a wake-up in 100 ms slices up to a second; else run the job
// (a no-op render: a LeaseHeartbeat, one lease extension with progress 1, complete with one output).
//   throughput: JOBS jobs inserted first, then drained by N workers; jobs leased and completed per second.
//   latency: N idle workers; LATENCY_JOBS jobs enqueued one at a time at RATE per second through another
//   Store and JobQueue (another node: only PostgreSQL's LISTEN/NOTIFY wakes the workers; with SQLite,
//   which has none, the workers' own JobQueue, as in one `vidgen serve`); enqueue call → lease returned.
// Usage: cluster_queue_bench STORE_URL JOBS LATENCY_JOBS RATE WORKERS...
// Prints one line per measurement (bench/cluster reads them):
//   throughput WORKERS JOBS SECONDS JOBS_PER_SECOND ERRORS
//   latency WORKERS JOBS P50_MS P99_MS MAX_MS ERRORS
#include <fmt/format.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cluster_stats.hpp"
#include "queue/job_queue.hpp"
#include "queue/lease_heartbeat.hpp"
#include "queue/store_wakeups.hpp"
#include "store/store.hpp"

namespace vidgen::bench {
namespace {

using namespace std::chrono_literals;
constexpr auto kIdlePoll = 1000ms;  // worker::PoolOptions::idle_poll's default
constexpr auto kStopCheck = 100ms;  // WorkerPool's idle-wait slice
constexpr const char* kSpec =
    R"({"output":{"width":64,"height":64,"format":"png"},"timeline":{"tracks":[]}})";

struct Target {
    std::string url;
    std::string tenant;
    bool postgres = false;
};

// The queue of one process: a pool of `connections`, a JobQueue on it and the store's wake-ups.
struct Node {
    std::unique_ptr<store::Store> store;
    std::unique_ptr<queue::JobQueue> queue;
    std::unique_ptr<queue::StoreWakeups> wakeups;
};

Node open_node(const std::string& url, int connections) {
    store::StoreOptions options;
    options.min_connections = connections;
    options.max_connections = connections;
    auto opened = store::open_store(url, options);
    if (!opened) {
        fmt::print(stderr, "cluster_queue_bench: {}\n", opened.error().to_string());
        std::exit(1);
    }
    Node node{std::move(*opened), nullptr, nullptr};
    node.queue = std::make_unique<queue::JobQueue>(*node.store);
    node.wakeups = std::make_unique<queue::StoreWakeups>(*node.queue, *node.store);
    return node;
}

std::int64_t steady_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Steady::now().time_since_epoch()).count();
}

// A job whose data carries the steady-clock time it was enqueued at.
store::Job bench_job(const Target& target, std::int64_t enqueued_ns) {
    store::Job job;
    job.tenant_id = target.tenant;
    job.spec_json = kSpec;
    job.data_json = fmt::format(R"({{"t":{}}})", enqueued_ns);
    return job;
}

std::int64_t enqueued_ns(const store::Job& job) {
    std::int64_t value = 0;
    const auto& data = job.data_json;
    if (data.size() > 6) std::from_chars(data.data() + 5, data.data() + data.size() - 1, value);
    return value;
}

// The no-op render of a leased job, with the heartbeat and completion a real one has.
bool run_noop(queue::JobQueue& queue, const store::Job& job) {
    queue::LeaseHeartbeat heartbeat(queue, job);
    heartbeat.set_progress(1);
    auto extended = queue.extend(heartbeat.lease(), 1);
    heartbeat.stop();
    store::Output output{.job_id = job.id, .content_key = "noop", .size = 1, .duration = 0, .format = "png"};
    auto completed = queue.complete(store::lease_of(job), {output});
    return extended && completed;
}

struct Workers {
    queue::JobQueue& queue;
    std::atomic<bool> stop{false};
    std::atomic<long> done{0};
    std::atomic<long> errors{0};
    std::vector<Samples> latency;  // one per thread: enqueue → lease returned
};

void idle_wait(Workers& workers, std::uint64_t generation) {
    for (auto waited = 0ms; waited < kIdlePoll; waited += kStopCheck) {
        if (workers.stop.load() || workers.queue.wait_for_work(kStopCheck, generation)) return;
    }
}

void run_worker(Workers& workers, int index, const std::string& name) {
    const std::string worker = fmt::format("{}-{}", name, index);
    while (!workers.stop.load()) {
        const auto generation = workers.queue.work_generation();
        auto leased = workers.queue.lease(worker);
        if (!leased) workers.errors.fetch_add(1);
        if (!leased || !*leased) {
            idle_wait(workers, generation);
            continue;
        }
        workers.queue.notify_work();  // as worker::WorkerPool: another idle worker looks for the next job
        workers.latency[index].add(std::chrono::nanoseconds(steady_ns() - enqueued_ns(**leased)));
        if (!run_noop(workers.queue, **leased)) workers.errors.fetch_add(1);
        workers.done.fetch_add(1);
    }
}

std::vector<std::jthread> start_workers(Workers& workers, int count, const std::string& name) {
    workers.latency.resize(count);
    std::vector<std::jthread> threads;
    for (int i = 0; i < count; ++i)
        threads.emplace_back([&workers, i, name] { run_worker(workers, i, name); });
    return threads;
}

// Waits until `count` jobs are done or `limit` passes; false on the timeout.
bool await_done(const Workers& workers, long count, std::chrono::seconds limit) {
    auto deadline = Steady::now() + limit;
    while (workers.done.load() < count) {
        if (Steady::now() > deadline) return false;
        std::this_thread::sleep_for(200us);
    }
    return true;
}

void insert_jobs(store::Store& store, queue::JobQueue& queue, const Target& target, long count) {
    constexpr long kChunk = 500;
    for (long first = 0; first < count; first += kChunk) {
        std::vector<store::Job> jobs;
        for (long i = first; i < std::min(count, first + kChunk); ++i) {
            jobs.push_back(bench_job(target, 0));
            jobs.back().created = jobs.back().updated = queue.now();
        }
        if (auto inserted = store.insert_jobs(std::move(jobs)); !inserted) {
            fmt::print(stderr, "cluster_queue_bench: insert: {}\n", inserted.error().to_string());
            std::exit(1);
        }
    }
}

void measure_throughput(const Target& target, int count, long jobs) {
    Node node = open_node(target.url, count);
    insert_jobs(*node.store, *node.queue, target, jobs);
    Workers workers{.queue = *node.queue};
    auto started = Steady::now();
    auto threads = start_workers(workers, count, fmt::format("t{}", count));
    bool finished = await_done(workers, jobs, std::chrono::seconds(600));
    double seconds = std::chrono::duration<double>(Steady::now() - started).count();
    workers.stop = true;
    threads.clear();
    if (!finished) workers.errors.fetch_add(jobs - workers.done.load());
    fmt::print("throughput {} {} {:.3f} {:.0f} {}\n", count, jobs, seconds,
               double(workers.done.load()) / seconds, workers.errors.load());
}

void produce(queue::JobQueue& queue, const Target& target, long jobs, double rate,
             std::atomic<long>& errors) {
    auto interval = std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(1.0 / rate));
    auto next = Steady::now();
    for (long i = 0; i < jobs; ++i) {
        std::this_thread::sleep_until(next);
        next += interval;
        if (!queue.enqueue(bench_job(target, steady_ns()))) errors.fetch_add(1);
    }
}

void measure_latency(const Target& target, int count, long jobs, double rate) {
    Node node = open_node(target.url, count);
    Node producer = target.postgres ? open_node(target.url, 1) : Node{};
    Workers workers{.queue = *node.queue};
    auto threads = start_workers(workers, count, fmt::format("l{}", count));
    std::this_thread::sleep_for(200ms);  // the workers find the queue empty and wait
    produce(target.postgres ? *producer.queue : *node.queue, target, jobs, rate, workers.errors);
    if (!await_done(workers, jobs, std::chrono::seconds(60)))
        workers.errors.fetch_add(jobs - workers.done.load());
    workers.stop = true;
    threads.clear();
    Samples all;
    for (const auto& samples : workers.latency) all.merge(samples);
    fmt::print("latency {} {} {:.3f} {:.3f} {:.3f} {}\n", count, jobs, all.percentile(50) / 1000,
               all.percentile(99) / 1000, all.percentile(100) / 1000, workers.errors.load());
}

Target prepare(const std::string& url) {
    Node node = open_node(url, 1);
    store::Tenant tenant{
        .id = "", .name = fmt::format("bench-{}", steady_ns()), .created = node.queue->now()};
    auto created = node.store->create_tenant(tenant);
    if (!created) {
        fmt::print(stderr, "cluster_queue_bench: tenant: {}\n", created.error().to_string());
        std::exit(1);
    }
    return {url, created->id, url.starts_with("postgres")};
}

}  // namespace
}  // namespace vidgen::bench

int main(int argc, char** argv) {
    using namespace vidgen::bench;
    if (argc < 6) {
        fmt::print(stderr, "usage: cluster_queue_bench STORE_URL JOBS LATENCY_JOBS RATE WORKERS...\n");
        return 2;
    }
    auto target = prepare(argv[1]);
    long jobs = std::atol(argv[2]);
    long latency_jobs = std::atol(argv[3]);
    double rate = std::atof(argv[4]);
    std::vector<int> counts;
    for (int i = 5; i < argc; ++i) counts.push_back(std::atoi(argv[i]));
    for (int count : counts) measure_throughput(target, count, jobs);
    for (int count : counts) measure_latency(target, count, latency_jobs, rate);
    return 0;
}
