// Remembers which Principal an API key named, for a short time, so requests with a key already seen are
// authenticated on the network thread without calling the Authenticator (a revoked key stops working
// within the TTL). Only successful lookups are kept. Sharded; thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/message.hpp"

namespace vidgen::http::detail {

class PrincipalMemo {
  public:
    using Clock = std::chrono::steady_clock;
    explicit PrincipalMemo(std::chrono::milliseconds ttl) : ttl_(ttl) {}

    std::optional<Principal> find(std::string_view api_key, Clock::time_point now = Clock::now());
    void remember(std::string_view api_key, const Principal& principal, Clock::time_point now = Clock::now());

  private:
    struct Entry {
        Principal principal;
        Clock::time_point expires;
    };
    struct KeyHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view key) const { return std::hash<std::string_view>()(key); }
    };
    struct Shard {
        std::mutex mutex;
        std::unordered_map<std::string, Entry, KeyHash, std::equal_to<>> entries;
    };
    Shard& shard_of(std::string_view api_key);

    std::chrono::milliseconds ttl_;
    std::array<Shard, 16> shards_;
};

}  // namespace vidgen::http::detail
