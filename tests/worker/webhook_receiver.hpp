// A tiny real HTTP/1.1 server on 127.0.0.1 for webhook tests: it answers each POST with the next status
// of a script (the last one repeats), records every request, and closes each connection after answering.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

namespace vidgen::worker::testing {

struct ReceivedRequest {
    std::string request_line;
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;
};

class WebhookReceiver {
  public:
    explicit WebhookReceiver(std::vector<int> statuses) : statuses_(std::move(statuses)) {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::listen(listener_, 16);
        socklen_t length = sizeof address;
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~WebhookReceiver() {
        ::shutdown(listener_, SHUT_RDWR);
        thread_.join();
        ::close(listener_);
    }

    std::string url() const { return fmt::format("http://127.0.0.1:{}/hook", port_); }

    // Waits (bounded) until `count` requests arrived; returns what arrived.
    std::vector<ReceivedRequest> wait_for(std::size_t count) {
        std::unique_lock lock(mutex_);
        arrived_.wait_for(lock, std::chrono::seconds(30), [&] { return requests_.size() >= count; });
        return requests_;
    }

  private:
    void serve() {
        for (;;) {
            int client = ::accept(listener_, nullptr, nullptr);
            if (client < 0) return;
            auto request = read_request(client);
            int status = 0;
            {
                std::lock_guard lock(mutex_);
                status = statuses_[std::min(requests_.size(), statuses_.size() - 1)];
                requests_.push_back(std::move(request));
            }
            auto answer =
                fmt::format("HTTP/1.1 {} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status);
            (void)::send(client, answer.data(), answer.size(), MSG_NOSIGNAL);
            ::close(client);
            arrived_.notify_all();
        }
    }

    static ReceivedRequest read_request(int client) {
        std::string data;
        char buffer[4096];
        std::size_t header_end = std::string::npos;
        while (header_end == std::string::npos) {
            auto got = ::recv(client, buffer, sizeof buffer, 0);
            if (got <= 0) return {};
            data.append(buffer, std::size_t(got));
            header_end = data.find("\r\n\r\n");
        }
        ReceivedRequest request = parse_head(data.substr(0, header_end));
        std::size_t length = std::stoul(request.headers["content-length"]);
        std::string body = data.substr(header_end + 4);
        while (body.size() < length) {
            auto got = ::recv(client, buffer, sizeof buffer, 0);
            if (got <= 0) break;
            body.append(buffer, std::size_t(got));
        }
        request.body = std::move(body);
        return request;
    }

    static ReceivedRequest parse_head(const std::string& head) {
        ReceivedRequest request;
        std::size_t start = 0;
        for (std::size_t end; (end = head.find("\r\n", start)) != std::string::npos || start < head.size();
             start = end + 2) {
            if (end == std::string::npos) end = head.size();
            std::string line = head.substr(start, end - start);
            if (request.request_line.empty()) {
                request.request_line = line;
                continue;
            }
            auto colon = line.find(':');
            std::string name = line.substr(0, colon);
            std::ranges::transform(name, name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
            request.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
        }
        return request;
    }

    std::vector<int> statuses_;
    int listener_ = -1;
    int port_ = 0;
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::vector<ReceivedRequest> requests_;
    std::thread thread_;
};

}  // namespace vidgen::worker::testing
