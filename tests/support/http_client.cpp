#include "support/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string_view>

namespace vidgen::testing {
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

// A handle set up for `call` whose headers land in `reply`; the caller sets where the body goes.
CURL* prepare(const std::string& url, const Call& call, curl_slist*& headers, Reply& reply) {
    CURL* curl = curl_easy_init();
    for (const std::string& header : call.headers) headers = curl_slist_append(headers, header.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, call.method.c_str());
    if (call.method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (!call.body.empty() || call.method == "POST" || call.method == "PUT") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, call.body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, call.timeout_ms);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, write_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
    return curl;
}

struct StreamSink {
    std::string* body;
    const std::function<bool(const std::string&)>* enough;
    static std::size_t write(char* data, std::size_t size, std::size_t count, void* self) {
        auto* sink = static_cast<StreamSink*>(self);
        sink->body->append(data, size * count);
        return (*sink->enough)(*sink->body) ? 0 : size * count;  // 0 ends the transfer
    }
};

}  // namespace

Reply fetch(const std::string& url, const Call& call) {
    Reply reply;
    curl_slist* headers = nullptr;
    CURL* curl = prepare(url, call, headers, reply);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return reply;
}

Reply fetch_until(const std::string& url, const Call& call,
                  const std::function<bool(const std::string&)>& enough) {
    Reply reply;
    curl_slist* headers = nullptr;
    CURL* curl = prepare(url, call, headers, reply);
    StreamSink sink{&reply.body, &enough};
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, StreamSink::write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
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

}  // namespace vidgen::testing
