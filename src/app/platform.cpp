#include "app/platform.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "api/api_keys.hpp"
#include "api/auth.hpp"
#include "api/routes.hpp"
#include "app/serve_config.hpp"
#include "blob/local_blob_store.hpp"
#include "cache/open_cache.hpp"
#include "cache/record_cache.hpp"
#include "core/log.hpp"
#include "http/rate_limiter.hpp"
#include "queue/redis_event_bus.hpp"

namespace vidgen::app {
namespace {

// How long a record read from the database stays in the cache at most. Writes drop it at once (on every
// node through Redis); the bound covers a read that raced with a write and cached the older record.
constexpr std::chrono::milliseconds kRecordTtl{60'000};

namespace fs = std::filesystem;

// The webhook signing key: the setting, or a random one made once and kept in the data dir (mode 0600).
Result<std::string> webhook_secret(const Settings& settings) {
    if (!settings.webhook_secret.empty()) return settings.webhook_secret;
    auto path = fs::path(settings.data_dir) / "webhook-secret";
    if (std::ifstream in(path); in) {
        std::string secret;
        std::getline(in, secret);
        if (!secret.empty()) return secret;
    }
    std::random_device random;
    std::string secret;
    for (int i = 0; i < 8; ++i) secret += fmt::format("{:08x}", random());
    auto old_mask = ::umask(077);
    std::ofstream out(path, std::ios::trunc);
    out << secret << '\n';
    ::umask(old_mask);
    if (!out.flush()) return fail(Code::io, fmt::format("cannot write {}", path.string()));
    return secret;
}

// Jobs' downloads and partial renders live under <data_dir>/scratch, emptied at start: whatever is there
// belongs to renders of an earlier run of this process that was killed. Empty on failure.
fs::path clean_scratch_root(const Settings& settings) {
    auto root = fs::path(settings.data_dir) / "scratch";
    std::error_code error;
    fs::remove_all(root, error);
    fs::create_directories(root, error);
    return error ? fs::path() : root;
}

int worker_count(const Settings& settings) {
    if (settings.workers > 0) return static_cast<int>(settings.workers);
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

std::string worker_id() {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    return fmt::format("{}:{}", host, ::getpid());
}

http::ServerOptions server_options(const Settings& settings) {
    http::ServerOptions options;
    options.listen = settings.listen;
    // Handlers block on the database; a group commit can only be as large as the number of handlers
    // waiting in it, so job creation scales with this (docs/BENCHMARKS.md, API).
    options.handler_threads = 64;
    options.compression.threshold = static_cast<std::uint64_t>(settings.compression_threshold);
    options.compression.brotli = settings.enable_brotli;
    options.compression.level = static_cast<int>(settings.compression_level);
    options.rate_limit.requests_per_second = static_cast<double>(settings.rate_limit);
    options.rate_limit.burst = 2.0 * static_cast<double>(settings.rate_limit);
    options.response_cache_ttl = settings.cache_default_ttl;
    return options;
}

}  // namespace

Platform::Platform(const Settings& settings) : settings_(settings) {}

Platform::~Platform() {
    stop(std::chrono::milliseconds{0});
}

Result<std::unique_ptr<Platform>> Platform::open(const Settings& settings) {
    std::unique_ptr<Platform> platform(new Platform(settings));
    platform->metrics_ = std::make_unique<MetricsRegistry>();
    register_process_metrics(*platform->metrics_);
    auto cache = cache::open_cache(settings.redis_url, {}, platform->metrics_.get());
    if (!cache) return std::unexpected(cache.error());
    platform->cache_ = std::move(*cache);
    platform->records_ = cache::make_record_cache(*platform->cache_, kRecordTtl);
    auto store = open_records(settings, platform->metrics_.get(), platform->records_.get());
    if (!store) return std::unexpected(store.error());
    platform->store_ = std::move(*store);
    auto media =
        settings.media_dir.empty() ? fs::path(settings.data_dir) / "media" : fs::path(settings.media_dir);
    auto blobs = blob::LocalBlobStore::open_root(media);
    if (!blobs) return std::unexpected(blobs.error());
    platform->blobs_ = std::move(*blobs);
    if (settings.redis_url.empty()) {
        platform->events_ = queue::make_local_event_bus();
    } else {
        auto bus = queue::make_redis_event_bus(settings.redis_url, worker_id());
        if (!bus) return std::unexpected(bus.error());
        platform->events_ = std::move(*bus);
    }
    queue::QueueOptions queue_options;
    queue_options.lease_seconds = std::chrono::duration<double>(settings.lease_timeout).count();
    platform->queue_ = std::make_unique<queue::JobQueue>(*platform->store_, queue_options);
    return platform;
}

Result<std::string> Platform::ensure_first_key() {
    auto tenants = store_->list_tenants();
    if (!tenants) return std::unexpected(tenants.error());
    if (!tenants->empty()) return std::string();
    return api::create_api_key(*store_, "admin", true, "first key, made by vidgen serve");
}

Result<void> Platform::start(Role role) {
    if (role == Role::serve) {
        add_api_routes();
    } else {
        add_worker_routes();
    }
    auto options = server_options(settings_);
    if (!settings_.redis_url.empty() && settings_.rate_limit > 0) {
        auto limiter = http::make_redis_rate_limiter(settings_.redis_url, options.rate_limit);
        if (!limiter) return std::unexpected(limiter.error());
        limiter_ = std::move(*limiter);
        options.rate_limiter = limiter_.get();
    }
    server_ = std::make_unique<http::Server>(options, router_, api::make_authenticator(*store_), cache_.get(),
                                             metrics_.get());
    if (auto started = server_->start(); !started) return started;
    if (settings_.performance_monitoring) context_.server = server_.get();
    auto media_prefix = media_url_prefix(role);
    context_.public_url = settings_.public_url.empty() ? url() : settings_.public_url;
    return start_workers(role, media_prefix);
}

// Outputs' URLs in events and webhooks: absolute when the public URL is known (serve always knows it).
std::string Platform::media_url_prefix(Role role) const {
    if (!settings_.public_url.empty()) return settings_.public_url + "/api/v1/media/";
    return role == Role::serve ? url() + "/api/v1/media/" : "/api/v1/media/";
}

void Platform::add_api_routes() {
    context_ = api::Context{.store = store_.get(),
                            .queue = queue_.get(),
                            .blobs = blobs_.get(),
                            .cache = cache_.get(),
                            .events = events_.get(),
                            .metrics = settings_.metrics_enabled ? metrics_.get() : nullptr,
                            .data_dir = settings_.data_dir,
                            .allow_http_webhooks = settings_.webhook_allow_private};
    context_.renders = settings_.render;
    if (settings_.render) context_.workers = [this] { return worker_figures(); };
    api::add_routes(router_, context_);
}

// A worker process answers /health (its workers) and /metrics on its own port, for its supervisor.
void Platform::add_worker_routes() {
    http::RouteOptions open{.access = http::Access::open};
    router_.add(
        http::Method::get, "/health",
        [this](http::Request&) {
            auto figures = worker_figures();
            return http::Response::json(
                200, fmt::format(R"({{"status":"ok","workers":{{"total":{},"busy":{},"finished":{}}}}})",
                                 figures.total, figures.busy, figures.jobs_finished));
        },
        open);
    if (!settings_.metrics_enabled) return;
    router_.add(
        http::Method::get, "/metrics",
        [this](http::Request&) {
            return http::Response::text(200, metrics_->render(), "text/plain; version=0.0.4; charset=utf-8");
        },
        open);
}

api::WorkerFigures Platform::worker_figures() const {
    if (!workers_) return {};
    auto figures = workers_->figures();
    return api::WorkerFigures{figures.total, figures.busy, static_cast<std::uint64_t>(figures.finished),
                              figures.jobs_per_minute};
}

Result<void> Platform::start_workers(Role role, const std::string& media_prefix) {
    auto secret = webhook_secret(settings_);
    if (!secret) return std::unexpected(secret.error());
    worker::WebhookOptions hooks;
    hooks.secret = *secret;
    hooks.allow_private_targets = settings_.webhook_allow_private;
    hooks.media_url_prefix = media_prefix;
    webhooks_ = std::make_unique<worker::WebhookDispatcher>(*store_, *events_, hooks);
    if (settings_.blob_sweep_interval.count() > 0) {
        sweeper_ = std::make_unique<worker::BlobSweeper>(
            *store_, *blobs_,
            worker::SweepOptions{
                .interval_seconds = std::chrono::duration<double>(settings_.blob_sweep_interval).count(),
                .grace_seconds = std::chrono::duration<double>(settings_.blob_sweep_grace).count()});
    }

    if (role == Role::serve && !settings_.render) return {};

    worker::PoolOptions pool;
    pool.threads = worker_count(settings_);
    pool.worker_id = worker_id();
    pool.job.media_url_prefix = media_prefix;
    pool.job.segment_threshold = std::chrono::duration<double>(settings_.segment_threshold).count();
    pool.job.segment_seconds = std::chrono::duration<double>(settings_.segment_length).count();
    pool.job.scratch_root = clean_scratch_root(settings_);
    if (pool.job.scratch_root.empty())
        return fail(Code::io, "cannot create the scratch folder under " + settings_.data_dir);
    workers_ = std::make_unique<worker::WorkerPool>(
        worker::WorkerServices{*queue_, *store_, *blobs_, events_.get(), cache_.get()}, pool, metrics_.get());
    wakeups_ = std::make_unique<queue::StoreWakeups>(*queue_, *store_);
    workers_->start();
    return {};
}

void Platform::stop(std::chrono::milliseconds grace) {
    if (server_) server_->stop(grace);
    wakeups_.reset();
    if (workers_) workers_->stop(true);
    webhooks_.reset();
    sweeper_.reset();
}

std::string Platform::url() const {
    auto host = settings_.listen.substr(0, settings_.listen.rfind(':'));
    if (host.empty() || host == "0.0.0.0" || host == "[::]") host = "127.0.0.1";
    return fmt::format("http://{}:{}", host, server_ ? server_->port() : 0);
}

}  // namespace vidgen::app
