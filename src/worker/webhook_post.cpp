#include "worker/webhook_post.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include <memory>
#include <mutex>

#include "media/policy.hpp"

namespace vidgen::worker {
namespace {

struct CurlFree {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

struct Guard {
    bool allow_private = false;
    std::string refused;  // the address refused, if any
};

std::string numeric_address(const sockaddr* address) {
    char text[INET6_ADDRSTRLEN] = {};
    if (address->sa_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text, sizeof text);
    else if (address->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text, sizeof text);
    return text;
}

// Runs for every connection curl opens: the resolved address is checked before the socket exists.
curl_socket_t open_guarded(void* user, curlsocktype, curl_sockaddr* address) {
    auto* guard = static_cast<Guard*>(user);
    auto numeric = numeric_address(&address->addr);
    if (!guard->allow_private && (numeric.empty() || media::is_forbidden_address(numeric))) {
        guard->refused = numeric.empty() ? "an unknown address family" : numeric;
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype, address->protocol);
}

std::size_t discard(char*, std::size_t size, std::size_t count, void*) {
    return size * count;
}

std::unique_ptr<curl_slist, CurlFree> headers_for(const WebhookPost& post) {
    curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json");
    list = curl_slist_append(list, fmt::format("X-Vidgen-Timestamp: {}", post.timestamp).c_str());
    list = curl_slist_append(
        list, fmt::format("X-Vidgen-Signature: {}", webhook_signature(post.secret, post.timestamp, post.body))
                  .c_str());
    list = curl_slist_append(list, "Expect:");
    return std::unique_ptr<curl_slist, CurlFree>(list);
}

void set_options(CURL* curl, const WebhookPost& post, curl_slist* headers, Guard& guard) {
    curl_easy_setopt(curl, CURLOPT_URL, post.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, long(post.timeout_seconds * 1000));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(post.body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "vidgen-webhook");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_guarded);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &guard);
}

}  // namespace

std::string webhook_signature(std::string_view secret, std::int64_t timestamp, std::string_view body) {
    std::string message = fmt::format("{}.{}", timestamp, body);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), int(secret.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
    std::string hex = "sha256=";
    for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
    return hex;
}

Result<int> post_webhook(const WebhookPost& post) {
    if (!post.url.starts_with("https://") && !post.url.starts_with("http://"))
        return fail(Code::unsupported,
                    fmt::format("a webhook URL must be http:// or https://: {}", post.url));
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
    if (!curl) return fail(Code::internal, "curl_easy_init failed");
    auto headers = headers_for(post);
    Guard guard{.allow_private = post.allow_private_targets};
    set_options(curl.get(), post, headers.get(), guard);
    CURLcode code = curl_easy_perform(curl.get());
    if (!guard.refused.empty())
        return fail(Code::unsupported,
                    fmt::format("refusing to call {}: address {} is not public", post.url, guard.refused));
    if (code != CURLE_OK)
        return fail(Code::io, fmt::format("POST {}: {}", post.url, curl_easy_strerror(code)));
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    return int(status);
}

}  // namespace vidgen::worker
