#include "support/tcp_proxy.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace vidgen::testing {
namespace {

struct Link {
    UniqueFd client;
    UniqueFd server;
};

sockaddr_in loopback(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    return address;
}

UniqueFd connect_to(int port) {
    UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    auto address = loopback(port);
    if (fd && connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) fd.reset();
    return fd;
}

// Moves what `from` has to `to`; false when `from` closed or either side failed.
bool forward(const pollfd& polled, const UniqueFd& from, const UniqueFd& to) {
    if ((polled.revents & (POLLIN | POLLHUP | POLLERR)) == 0) return true;
    char buffer[64 * 1024];
    const ssize_t n = read(from.get(), buffer, sizeof buffer);
    if (n <= 0) return false;
    for (ssize_t sent = 0; sent < n;) {
        const ssize_t wrote = write(to.get(), buffer + sent, static_cast<std::size_t>(n - sent));
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote <= 0) return false;
        sent += wrote;
    }
    return true;
}

}  // namespace

Result<std::unique_ptr<TcpProxy>> TcpProxy::start(int target_port) {
    UniqueFd listener(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    auto address = loopback(0);
    socklen_t size = sizeof(address);
    auto* raw = reinterpret_cast<sockaddr*>(&address);
    if (!listener || bind(listener.get(), raw, size) != 0 || listen(listener.get(), 64) != 0 ||
        getsockname(listener.get(), raw, &size) != 0) {
        return fail(Code::io, fmt::format("cannot listen on loopback: {}", std::strerror(errno)));
    }
    return std::unique_ptr<TcpProxy>(new TcpProxy(std::move(listener), ntohs(address.sin_port), target_port));
}

TcpProxy::TcpProxy(UniqueFd listener, int port, int target_port)
    : listener_(std::move(listener)),
      port_(port),
      target_port_(target_port),
      thread_([this](const std::stop_token& stop) { run(stop); }) {}

void TcpProxy::run(const std::stop_token& stop) {
    std::vector<Link> links;
    while (!stop.stop_requested()) {
        if (cut_.load()) links.clear();
        std::vector<pollfd> polled{{listener_.get(), POLLIN, 0}};
        for (const auto& link : links) {
            polled.push_back({link.client.get(), POLLIN, 0});
            polled.push_back({link.server.get(), POLLIN, 0});
        }
        if (poll(polled.data(), polled.size(), 20) <= 0) continue;
        std::vector<Link> open;
        for (std::size_t i = 0; i < links.size(); ++i) {
            auto& link = links[i];
            if (forward(polled[1 + 2 * i], link.client, link.server) &&
                forward(polled[2 + 2 * i], link.server, link.client)) {
                open.push_back(std::move(link));
            }
        }
        links = std::move(open);
        if ((polled[0].revents & POLLIN) == 0) continue;
        UniqueFd client(accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (!client || cut_.load()) continue;  // a cut link closes what it accepts
        if (UniqueFd server = connect_to(target_port_))
            links.push_back({std::move(client), std::move(server)});
    }
}

}  // namespace vidgen::testing
