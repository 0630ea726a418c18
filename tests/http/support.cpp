#include "support.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <thread>

namespace vidgen::http::testing {
namespace {

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

std::size_t write_header(char* data, std::size_t size, std::size_t count, void* out) {
    std::string_view line(data, size * count);
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
        std::string name(line.substr(0, colon));
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
        (*static_cast<std::map<std::string, std::string>*>(out))[name] = std::string(value);
    }
    return size * count;
}

}  // namespace

Reply fetch(const std::string& url, const Call& call) {
    Reply reply;
    CURL* curl = curl_easy_init();
    curl_slist* headers = nullptr;
    for (const std::string& header : call.headers) headers = curl_slist_append(headers, header.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, call.method.c_str());
    if (call.method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (!call.body.empty() || call.method == "POST" || call.method == "PUT") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, call.body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, call.timeout_ms);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, write_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
    const CURLcode code = curl_easy_perform(curl);
    if (code == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return reply;
}

Reply upload(const std::string& url, std::uint64_t bytes, bool chunked,
             const std::vector<std::string>& headers) {
    struct Source {
        std::uint64_t left;
        static std::size_t read(char* buffer, std::size_t size, std::size_t count, void* self) {
            auto* source = static_cast<Source*>(self);
            const std::size_t n =
                static_cast<std::size_t>(std::min<std::uint64_t>(size * count, source->left));
            std::memset(buffer, 'x', n);
            source->left -= n;
            return n;
        }
    } source{bytes};
    Reply reply;
    CURL* curl = curl_easy_init();
    curl_slist* list = nullptr;
    for (const std::string& header : headers) list = curl_slist_append(list, header.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "POST");
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, Source::read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &source);
    if (!chunked) curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(bytes));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 20'000L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, write_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
    curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    return reply;
}

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
