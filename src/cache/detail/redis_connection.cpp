#include "cache/detail/redis_connection.hpp"

#include <fmt/format.h>
#include <hiredis/hiredis.h>
#include <poll.h>

#include <charconv>
#include <optional>

namespace vidgen::cache::detail {
namespace {

timeval to_timeval(std::chrono::milliseconds duration) {
    return timeval{static_cast<time_t>(duration.count() / 1000),
                   static_cast<suseconds_t>(duration.count() % 1000 * 1000)};
}

Result<int> parse_number(std::string_view text, std::string_view what, std::string_view url) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0) {
        return fail(Code::invalid_argument, fmt::format("redis url {}: bad {} '{}'", url, what, text));
    }
    return value;
}

}  // namespace

Result<RedisAddress> parse_redis_url(std::string_view url) {
    constexpr std::string_view kScheme = "redis://";
    if (!url.starts_with(kScheme)) {
        return fail(Code::invalid_argument, fmt::format("redis url {}: must start with redis://", url));
    }
    std::string_view rest = url.substr(kScheme.size());
    if (rest.find('@') != std::string_view::npos) {
        return fail(Code::unsupported, fmt::format("redis url {}: credentials are not supported", url));
    }
    RedisAddress address;
    if (auto slash = rest.find('/'); slash != std::string_view::npos) {
        auto db = parse_number(rest.substr(slash + 1), "db", url);
        if (!db) return std::unexpected(db.error());
        address.db = *db;
        rest = rest.substr(0, slash);
    }
    if (auto colon = rest.rfind(':'); colon != std::string_view::npos) {
        auto port = parse_number(rest.substr(colon + 1), "port", url);
        if (!port) return std::unexpected(port.error());
        address.port = *port;
        rest = rest.substr(0, colon);
    }
    if (rest.empty()) return fail(Code::invalid_argument, fmt::format("redis url {}: no host", url));
    address.host = std::string(rest);
    return address;
}

void ReplyDeleter::operator()(redisReply* reply) const {
    freeReplyObject(reply);
}

std::string reply_text(const redisReply& reply) {
    if (reply.type == REDIS_REPLY_INTEGER) return std::to_string(reply.integer);
    if (reply.str == nullptr) return {};
    return std::string(reply.str, reply.len);
}

long long reply_integer(const redisReply& reply) {
    return reply.type == REDIS_REPLY_INTEGER ? reply.integer : 0;
}

bool reply_is_nil(const redisReply& reply) {
    return reply.type == REDIS_REPLY_NIL;
}

std::vector<const redisReply*> reply_elements(const redisReply& reply) {
    if (reply.type != REDIS_REPLY_ARRAY) return {};
    return {reply.element, reply.element + reply.elements};
}

Result<std::unique_ptr<RedisConnection>> RedisConnection::open(const RedisAddress& address,
                                                               std::chrono::milliseconds timeout) {
    redisContext* context = redisConnectWithTimeout(address.host.c_str(), address.port, to_timeval(timeout));
    if (context == nullptr) return fail(Code::io, "redis: cannot allocate a connection");
    std::unique_ptr<RedisConnection> connection(new RedisConnection(context));
    if (context->err != 0) return std::unexpected(connection->io_error("connect"));
    redisSetTimeout(context, to_timeval(timeout));
    redisEnableKeepAlive(context);
    if (address.db != 0) {
        auto selected = connection->run({"SELECT", std::to_string(address.db)});
        if (!selected) return std::unexpected(selected.error());
    }
    return connection;
}

RedisConnection::~RedisConnection() {
    redisFree(context_);
}

Error RedisConnection::io_error(std::string_view what) {
    broken_ = true;
    return Error{Code::io, fmt::format("redis {}: {}", what, context_->errstr), {}};
}

Result<void> RedisConnection::append(const Command& command) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const std::string& arg : command) {
        argv.push_back(arg.data());
        lengths.push_back(arg.size());
    }
    if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lengths.data()) !=
        REDIS_OK) {
        return std::unexpected(io_error("write"));
    }
    return {};
}

Result<Reply> RedisConnection::read_reply() {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK) return std::unexpected(io_error("read"));
    Reply reply(static_cast<redisReply*>(raw));
    if (reply->type == REDIS_REPLY_ERROR) return fail(Code::internal, "redis: " + reply_text(*reply));
    return reply;
}

Result<Reply> RedisConnection::run(const Command& command) {
    if (auto sent = append(command); !sent) return std::unexpected(sent.error());
    return read_reply();
}

Result<std::vector<Reply>> RedisConnection::pipeline(const std::vector<Command>& commands) {
    for (const Command& command : commands) {
        if (auto sent = append(command); !sent) return std::unexpected(sent.error());
    }
    std::vector<Reply> replies;
    std::optional<Error> first_error;
    for (std::size_t i = 0; i < commands.size(); ++i) {
        auto reply = read_reply();
        if (!reply && broken_) return std::unexpected(reply.error());
        if (!reply && !first_error) first_error = reply.error();
        if (reply) replies.push_back(std::move(*reply));
    }
    if (first_error) return std::unexpected(*first_error);
    return replies;
}

Result<void> RedisConnection::send(const Command& command) {
    if (auto sent = append(command); !sent) return sent;
    int done = 0;
    while (done == 0) {
        if (redisBufferWrite(context_, &done) != REDIS_OK) return std::unexpected(io_error("write"));
    }
    return {};
}

Result<Reply> RedisConnection::next_reply(std::chrono::milliseconds wait) {
    void* raw = nullptr;
    if (redisReaderGetReply(context_->reader, &raw) != REDIS_OK) return std::unexpected(io_error("parse"));
    if (raw == nullptr) {
        pollfd ready{context_->fd, POLLIN, 0};
        const int polled = poll(&ready, 1, static_cast<int>(wait.count()));
        if (polled < 0) return std::unexpected(io_error("poll"));
        if (polled == 0) return Reply();
        if (redisBufferRead(context_) != REDIS_OK) return std::unexpected(io_error("read"));
        if (redisReaderGetReply(context_->reader, &raw) != REDIS_OK) {
            return std::unexpected(io_error("parse"));
        }
    }
    return Reply(static_cast<redisReply*>(raw));
}

}  // namespace vidgen::cache::detail
