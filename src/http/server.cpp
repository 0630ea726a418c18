#include "http/server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <charconv>
#include <thread>

#include "core/log.hpp"
#include "http/detail/server_state.hpp"
#include "http/detail/session.hpp"

namespace vidgen::http {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr std::chrono::milliseconds kPoll{5};
constexpr std::chrono::seconds kCloseWait{2};
constexpr std::chrono::milliseconds kAcceptBackoff{50};

Result<tcp::endpoint> parse_listen(std::string_view listen) {
    const std::size_t colon = listen.rfind(':');
    if (colon == std::string_view::npos)
        return fail(Code::invalid_argument, "listen address needs host:port");
    std::string host(listen.substr(0, colon));
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::string_view port_text = listen.substr(colon + 1);
    std::uint16_t port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size())
        return fail(Code::invalid_argument, "bad port in listen address: " + std::string(listen));
    boost::system::error_code error;
    auto address = asio::ip::make_address(host.empty() ? "0.0.0.0" : host, error);
    if (error) return fail(Code::invalid_argument, "bad host in listen address: " + std::string(listen));
    return tcp::endpoint(address, port);
}

template <typename Predicate>
void wait_until(Predicate done, std::chrono::steady_clock::time_point deadline) {
    while (!done() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(kPoll);
}

}  // namespace

class Server::Impl {
  public:
    Impl(ServerOptions options, const Router& router, Authenticator authenticator, cache::Cache* cache,
         MetricsRegistry* metrics)
        : state_(std::move(options), router, std::move(authenticator), cache, metrics),
          acceptor_(asio::make_strand(state_.io)),
          work_(state_.io.get_executor()) {}

    ~Impl() { stop(std::chrono::milliseconds{0}); }

    Result<void> start() {
        auto endpoint = parse_listen(state_.options.listen);
        if (!endpoint) return std::unexpected(endpoint.error());
        boost::system::error_code error;
        acceptor_.open(endpoint->protocol(), error);
        if (!error) acceptor_.set_option(asio::socket_base::reuse_address(true), error);
        if (!error) acceptor_.bind(*endpoint, error);
        if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
        if (error)
            return fail(Code::io, "cannot listen on " + state_.options.listen + ": " + error.message());
        port_ = acceptor_.local_endpoint().port();
        accept();
        for (int i = 0; i < std::max(1, state_.options.io_threads); ++i)
            threads_.emplace_back([this] { state_.io.run(); });
        started_ = true;
        return {};
    }

    std::uint16_t port() const { return port_; }

    void stop(std::chrono::milliseconds grace) {
        if (stopped_.exchange(true)) return;
        if (!started_) return state_.handlers.join();
        state_.draining = true;
        asio::post(acceptor_.get_executor(), [this] {
            boost::system::error_code ignored;
            accept_backoff_.cancel();
            acceptor_.close(ignored);
        });
        wait_until([this] { return state_.in_flight.load() <= 0; }, std::chrono::steady_clock::now() + grace);
        state_.stopping = true;
        state_.close_all();
        wait_until([this] { return state_.tracked() == 0; }, std::chrono::steady_clock::now() + kCloseWait);
        work_.reset();
        state_.handlers.join();
        state_.io.stop();
        for (auto& thread : threads_) thread.join();
        state_.io.restart();
        state_.io.poll();  // what stop() left queued, such as closing event streams still held by handlers
    }

    Performance performance() const {
        const detail::LatencySummary latency = state_.latencies.snapshot();
        Performance result;
        result.total_requests = latency.count;
        result.in_flight = static_cast<std::uint64_t>(std::max<std::int64_t>(0, state_.in_flight.load()));
        result.average_ms = latency.average_ms;
        result.p50_ms = latency.p50_ms;
        result.p95_ms = latency.p95_ms;
        result.p99_ms = latency.p99_ms;
        result.uptime_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - state_.started).count();
        return result;
    }

  private:
    void accept() {
        acceptor_.async_accept(detail::Strand(state_.io.get_executor()),
                               [this](boost::system::error_code error, detail::Socket socket) {
                                   if (error == asio::error::operation_aborted || !acceptor_.is_open())
                                       return;
                                   if (error) return accept_later(error);
                                   socket.set_option(tcp::no_delay(true), error);
                                   std::make_shared<detail::Session>(std::move(socket), state_)->start();
                                   accept();
                               });
    }

    // Out of descriptors or memory: try again shortly rather than spin.
    void accept_later(boost::system::error_code error) {
        spdlog::warn("http: accept failed: {}", error.message());
        accept_backoff_.expires_after(kAcceptBackoff);
        accept_backoff_.async_wait([this](boost::system::error_code wait_error) {
            if (!wait_error && acceptor_.is_open()) accept();
        });
    }

    detail::ServerState state_;
    tcp::acceptor acceptor_;
    asio::steady_timer accept_backoff_{acceptor_.get_executor()};
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    std::vector<std::thread> threads_;
    std::uint16_t port_ = 0;
    bool started_ = false;
    std::atomic<bool> stopped_{false};
};

Server::Server(ServerOptions options, const Router& router, Authenticator authenticator, cache::Cache* cache,
               MetricsRegistry* metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, std::move(authenticator), cache, metrics)) {}

Server::~Server() = default;

Result<void> Server::start() {
    return impl_->start();
}
std::uint16_t Server::port() const {
    return impl_->port();
}
void Server::stop(std::chrono::milliseconds grace) {
    impl_->stop(grace);
}
Server::Performance Server::performance() const {
    return impl_->performance();
}

}  // namespace vidgen::http
