#include "support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace vidgen::http::testing {

RawClient::RawClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

RawClient::~RawClient() {
    if (fd_ >= 0) ::close(fd_);
}

bool RawClient::send(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
}

bool RawClient::read_until(std::string_view marker, long timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (received_.find(marker) == std::string::npos) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd poll_fd{fd_, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&poll_fd, 1, static_cast<int>(left.count())) <= 0) return false;
        char buffer[8192];
        const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
        if (got <= 0) return received_.find(marker) != std::string::npos;
        received_.append(buffer, static_cast<std::size_t>(got));
    }
    return true;
}

bool RawClient::wait_closed(long timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd poll_fd{fd_, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&poll_fd, 1, static_cast<int>(left.count())) <= 0) return false;
        char buffer[8192];
        const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
        if (got <= 0) return true;
        received_.append(buffer, static_cast<std::size_t>(got));
    }
}

void wait_idle(Server& server) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (server.performance().in_flight > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

ServerOptions test_options() {
    ServerOptions options;
    options.io_threads = 2;
    options.handler_threads = 4;
    options.read_timeout = std::chrono::milliseconds{2'000};
    options.idle_timeout = std::chrono::milliseconds{5'000};
    options.sse_keepalive = std::chrono::milliseconds{200};
    return options;
}

TestServer::TestServer(Router router, ServerOptions options) : router_(std::move(router)) {
    options.listen = "127.0.0.1:0";
    auto authenticate = [this](std::string_view key) -> Result<Principal> {
        ++authenticator_calls_;
        if (key == kTenantKey) return Principal{"tenant-1", "key-1", false};
        if (key == kAdminKey) return Principal{"tenant-0", "key-0", true};
        return fail(Code::not_found, "unknown key");
    };
    server_ = std::make_unique<Server>(std::move(options), router_, authenticate, &cache_, &metrics_);
    auto started = server_->start();
    EXPECT_TRUE(started) << started.error().to_string();
}

TestServer::~TestServer() {
    server_->stop(std::chrono::milliseconds{1'000});
}

std::string TestServer::url(std::string_view target) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + std::string(target);
}

}  // namespace vidgen::http::testing
