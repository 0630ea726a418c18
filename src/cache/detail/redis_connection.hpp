// RedisConnection: one hiredis connection (RAII over redisContext) with blocking, timed commands and
// pipelines. Internal to cache/. Not thread-safe: one thread uses a connection at a time (the pool hands
// each out to one caller). After an I/O error the connection is broken and must be dropped.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

struct redisContext;
struct redisReply;

namespace vidgen::cache::detail {

struct RedisAddress {
    std::string host = "127.0.0.1";
    int port = 6379;
    int db = 0;
};

// redis://host:port[/db]; the port defaults to 6379 and the db to 0. No credentials (unsupported).
Result<RedisAddress> parse_redis_url(std::string_view url);

struct ReplyDeleter {
    void operator()(redisReply* reply) const;
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

using Command = std::vector<std::string>;

// A reply's payload as text ("" for nil); its integer (0 when it is not one); its array elements.
std::string reply_text(const redisReply& reply);
long long reply_integer(const redisReply& reply);
bool reply_is_nil(const redisReply& reply);
std::vector<const redisReply*> reply_elements(const redisReply& reply);

class RedisConnection {
  public:
    // Connects, sets the I/O timeout and SELECTs the db; a Code::io error when any of it fails.
    static Result<std::unique_ptr<RedisConnection>> open(const RedisAddress& address,
                                                         std::chrono::milliseconds timeout);
    ~RedisConnection();
    RedisConnection(const RedisConnection&) = delete;
    RedisConnection& operator=(const RedisConnection&) = delete;

    // One command; a Redis error reply is a Code::internal error, a broken connection a Code::io one.
    Result<Reply> run(const Command& command);
    // Several commands sent in one write, their replies read in order (RESP pipelining).
    Result<std::vector<Reply>> pipeline(const std::vector<Command>& commands);

    // Sends a command without reading its reply (for SUBSCRIBE).
    Result<void> send(const Command& command);
    // The next reply if one arrives within `wait`, nullptr if none does.
    Result<Reply> next_reply(std::chrono::milliseconds wait);

    bool broken() const { return broken_; }

  private:
    explicit RedisConnection(redisContext* context) : context_(context) {}
    Result<void> append(const Command& command);
    Result<Reply> read_reply();
    Error io_error(std::string_view what);

    redisContext* context_;
    bool broken_ = false;
};

}  // namespace vidgen::cache::detail
