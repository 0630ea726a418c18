#include <curl/curl.h>
#include <netdb.h>

#include <cctype>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "media/policy.hpp"

namespace vidgen::media {
namespace {

constexpr int kMaxRedirects = 5;

struct CurlDeleter {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
    void operator()(CURLU* url) const { curl_url_cleanup(url); }
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
    void operator()(std::FILE* file) const { std::fclose(file); }
    void operator()(addrinfo* info) const { freeaddrinfo(info); }
};
template <typename T>
using Owned = std::unique_ptr<T, CurlDeleter>;

struct Target {
    std::string host;  // without IPv6 brackets
    std::string port;
    bool literal = false;  // the host is a numeric address
};

std::string curl_part(CURLU* url, CURLUPart part, unsigned flags = 0) {
    char* text = nullptr;
    if (curl_url_get(url, part, &text, flags) != CURLUE_OK || !text) return {};
    std::string out(text);
    curl_free(text);
    return out;
}

Result<Target> parse_https(const std::string& url) {
    std::string scheme = url.substr(0, 8);
    for (char& c : scheme) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (scheme != "https://")
        return fail(Code::unsupported, fmt::format("only https:// URLs may be fetched: {}", url));
    Owned<CURLU> parsed(curl_url());
    if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
        return fail(Code::invalid_argument, fmt::format("not a valid URL: {}", url));
    }
    Target target{curl_part(parsed.get(), CURLUPART_HOST),
                  curl_part(parsed.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT)};
    if (target.host.size() > 2 && target.host.front() == '[')
        target.host = target.host.substr(1, target.host.size() - 2);
    if (target.host.empty()) return fail(Code::invalid_argument, fmt::format("URL has no host: {}", url));
    addrinfo hints{};
    hints.ai_flags = AI_NUMERICHOST;
    addrinfo* numeric = nullptr;
    target.literal = getaddrinfo(target.host.c_str(), nullptr, &hints, &numeric) == 0;
    Owned<addrinfo> owned(numeric);
    return target;
}

// Every address the host resolves to, numeric.
Result<std::vector<std::string>> resolve(const Target& target) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (int err = getaddrinfo(target.host.c_str(), target.port.c_str(), &hints, &found); err != 0) {
        return fail(Code::not_found, fmt::format("cannot resolve {}: {}", target.host, gai_strerror(err)));
    }
    Owned<addrinfo> owned(found);
    std::vector<std::string> addresses;
    for (const addrinfo* a = found; a; a = a->ai_next) {
        char text[NI_MAXHOST];
        if (getnameinfo(a->ai_addr, a->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST) == 0) {
            addresses.emplace_back(text);
        }
    }
    if (addresses.empty()) return fail(Code::not_found, fmt::format("{} has no address", target.host));
    return addresses;
}

Result<std::vector<std::string>> guarded_addresses(const Target& target, const InputLimits& limits) {
    auto addresses = resolve(target);
    if (!addresses) return addresses;
    for (const auto& address : *addresses) {
        if (is_forbidden_address(address) && !limits.allow_private_addresses) {
            return fail(Code::unsupported, fmt::format("refusing to fetch from {}: address {} is not public",
                                                       target.host, address));
        }
    }
    return addresses;
}

struct Sink {
    std::FILE* file;
    std::uint64_t written = 0;
    std::uint64_t limit;
    bool over = false;
};

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const std::size_t bytes = size * count;
    if (sink->written + bytes > sink->limit) {
        sink->over = true;
        return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    sink->written += bytes;
    return std::fwrite(data, 1, bytes, sink->file);
}

struct Response {
    long status = 0;
    std::string redirect;  // absolute URL of a 3xx Location, or empty
};

// Pins the host to the checked addresses so curl cannot resolve it again to another one.
Owned<curl_slist> pinned(const Target& target, const std::vector<std::string>& addresses) {
    if (target.literal) return nullptr;
    std::string entry = target.host + ":" + target.port + ":";
    for (std::size_t i = 0; i < addresses.size(); ++i) {
        if (i) entry += ',';
        entry += addresses[i].find(':') == std::string::npos ? addresses[i] : "[" + addresses[i] + "]";
    }
    return Owned<curl_slist>(curl_slist_append(nullptr, entry.c_str()));
}

void set_options(CURL* curl, const std::string& url, curl_slist* resolve_list, Sink& sink,
                 const InputLimits& limits) {
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve_list);
    curl_easy_setopt(curl, CURLOPT_PROXY, "");  // ignore *_proxy variables: a proxy would bypass the guard
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(limits.max_file_bytes));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, long(limits.fetch_timeout_seconds * 1000));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "vidgen");
    if (!limits.fetch_ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, limits.fetch_ca_file.c_str());
}

Result<Response> transfer(const std::string& url, const Target& target,
                          const std::vector<std::string>& addresses, const std::filesystem::path& part,
                          const InputLimits& limits) {
    Owned<std::FILE> file(std::fopen(part.c_str(), "wb"));
    if (!file) return fail(Code::io, fmt::format("cannot write {}", part.string()));
    Owned<CURL> curl(curl_easy_init());
    if (!curl) return fail(Code::internal, "curl_easy_init failed");
    Sink sink{file.get(), 0, limits.max_file_bytes};
    auto resolve_list = pinned(target, addresses);
    set_options(curl.get(), url, resolve_list.get(), sink, limits);
    const CURLcode code = curl_easy_perform(curl.get());
    if (sink.over || code == CURLE_FILESIZE_EXCEEDED) {
        return fail(Code::limit_exceeded,
                    fmt::format("{} is larger than {} bytes", url, limits.max_file_bytes));
    }
    if (code == CURLE_OPERATION_TIMEDOUT)
        return fail(Code::limit_exceeded, fmt::format("fetching {} timed out", url));
    if (code != CURLE_OK)
        return fail(Code::io, fmt::format("fetching {}: {}", url, curl_easy_strerror(code)));
    Response response;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &response.status);
    char* location = nullptr;
    if (response.status / 100 == 3 &&
        curl_easy_getinfo(curl.get(), CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location) {
        response.redirect = location;
    }
    if (std::fflush(file.get()) != 0) return fail(Code::io, fmt::format("cannot write {}", part.string()));
    return response;
}

Result<Response> fetch_once(const std::string& url, const std::filesystem::path& part,
                            const InputLimits& limits) {
    auto target = parse_https(url);
    if (!target) return std::unexpected(target.error());
    auto addresses = guarded_addresses(*target, limits);
    if (!addresses) return std::unexpected(addresses.error());
    return transfer(url, *target, *addresses, part, limits);
}

}  // namespace

Result<std::filesystem::path> fetch_https(std::string_view url, const std::filesystem::path& dest,
                                          const InputLimits& limits) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    const std::filesystem::path part = dest.string() + ".part";
    std::error_code ec;
    std::string current(url);
    for (int hop = 0; hop <= kMaxRedirects; ++hop) {
        auto response = fetch_once(current, part, limits);
        if (!response) {
            std::filesystem::remove(part, ec);
            return std::unexpected(response.error());
        }
        if (!response->redirect.empty()) {
            current = response->redirect;
            continue;
        }
        if (response->status / 100 != 2) {
            std::filesystem::remove(part, ec);
            return fail(Code::io, fmt::format("fetching {}: HTTP status {}", current, response->status));
        }
        std::filesystem::rename(part, dest, ec);
        if (ec)
            return fail(Code::io,
                        fmt::format("cannot move the download to {}: {}", dest.string(), ec.message()));
        return dest;
    }
    std::filesystem::remove(part, ec);
    return fail(Code::limit_exceeded, fmt::format("{}: more than {} redirects", url, kMaxRedirects));
}

}  // namespace vidgen::media
