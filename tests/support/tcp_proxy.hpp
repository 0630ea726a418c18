// A TCP forwarder for tests that cut one client's link to a real server while other clients keep theirs:
// it listens on a free loopback port and forwards each connection to 127.0.0.1:target. cut() closes every
// forwarded connection and, until restore(), closes new ones as soon as they are accepted. Its sockets are
// close-on-exec, so child processes never hold a cut connection open. One background thread does the
// forwarding; every method is thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "core/error.hpp"
#include "core/unique_fd.hpp"

namespace vidgen::testing {

class TcpProxy {
  public:
    static Result<std::unique_ptr<TcpProxy>> start(int target_port);
    TcpProxy(const TcpProxy&) = delete;
    TcpProxy& operator=(const TcpProxy&) = delete;
    ~TcpProxy() = default;  // the thread stops first: it is the last member

    int port() const { return port_; }
    void cut() { cut_ = true; }
    void restore() { cut_ = false; }

  private:
    TcpProxy(UniqueFd listener, int port, int target_port);
    void run(const std::stop_token& stop);

    UniqueFd listener_;
    int port_;
    int target_port_;
    std::atomic<bool> cut_ = false;
    std::jthread thread_;
};

}  // namespace vidgen::testing
