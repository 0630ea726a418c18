// The request and response of vidgen's HTTP server, as plain value types, so handlers (api/) never see
// Boost.Beast. A Request is filled by the server from the wire; a Response is built by a handler and
// written by the server, which adds compression, caching headers, Range and conditional handling for file
// bodies, and Server-Sent Events for event bodies. Value types; thread-compatible.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/error.hpp"
#include "core/unique_fd.hpp"

namespace vidgen::http {

enum class Method { get, head, post, put, patch, del, options, other };
const char* method_name(Method method);

// Header names compare case-insensitively; order and repeats are kept.
class Headers {
  public:
    // The first value of `name`, or nullopt.
    std::optional<std::string_view> get(std::string_view name) const;
    // Replaces every value of `name` with `value`.
    void set(std::string_view name, std::string_view value);
    void add(std::string_view name, std::string_view value);
    void erase(std::string_view name);
    const std::vector<std::pair<std::string, std::string>>& all() const { return fields_; }

  private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

// Who made a request, as the server's Authenticator found from its API key.
struct Principal {
    std::string tenant_id;
    std::string key_id;
    bool admin = false;
};

// Pulls a streamed request body (routes with RouteOptions::stream_body). Blocking; called only from the
// handler's thread. read() returns 0 at the end of the body; an error means the client went away, sent
// more than the route's limit (Code::limit_exceeded) or stalled past the read timeout.
class BodyReader {
  public:
    virtual ~BodyReader() = default;
    virtual Result<std::size_t> read(char* buffer, std::size_t size) = 0;
    // Content-Length when the client sent one.
    virtual std::optional<std::uint64_t> content_length() const = 0;
};

struct Request {
    Method method = Method::get;
    std::string target;  // as received: "/api/v1/jobs?status=done"
    std::string path;    // percent-decoded path without the query: "/api/v1/jobs"
    std::multimap<std::string, std::string, std::less<>> query;  // decoded query parameters
    Headers headers;
    std::string body;                                        // buffered body (empty for streamed routes)
    std::shared_ptr<BodyReader> body_reader;                 // streamed routes only
    std::map<std::string, std::string, std::less<>> params;  // route parameters: {"id": "j_123"}
    std::optional<Principal> principal;                      // set when the route requires auth and it passed
    std::string remote_address;

    // The first query value of `name`, or nullopt.
    std::optional<std::string_view> query_value(std::string_view name) const;
    // The route parameter `name` (empty when the route has none).
    std::string_view param(std::string_view name) const;
};

// A file to send: the server answers HEAD, Range (206/416) and If-None-Match/If-Modified-Since (304) for
// it and sends it with sendfile where it can.
struct FileBody {
    UniqueFd fd;
    std::uint64_t size = 0;
    std::string etag;  // strong, quoted
    std::chrono::system_clock::time_point last_modified;
};

// The sending side of a Server-Sent Events stream. Thread-safe: send() may be called from any thread; it
// queues the event and never blocks. It returns false once the stream is closed (client gone, server
// stopping) or when the client reads so slowly that too much is queued (the stream is then closed).
// on_close callbacks run on the server's handler pool. A sink may be kept after the server is gone: it is
// closed by then.
class EventSink {
  public:
    virtual ~EventSink() = default;
    virtual bool send(std::string_view event, std::string_view data, std::string_view id = {}) = 0;
    virtual bool closed() const = 0;
    // Ends the stream from the server side (after the last event is written); idempotent.
    virtual void close() = 0;
    // Runs `callback` once when the stream closes (at once when it already has).
    virtual void on_close(std::function<void()> callback) = 0;
};

// Called by the server with the sink once the event stream's headers are on the wire.
using EventStreamStart = std::function<void(std::shared_ptr<EventSink>)>;

struct Response {
    int status = 200;
    Headers headers;
    std::variant<std::string, FileBody, EventStreamStart> body;
    // Response cache: a 200 to a GET on a route with RouteOptions::cacheable is kept for cache_ttl under
    // the caller's tenant and target and dropped when any of `cache_tags` is invalidated. Empty tags: not
    // cached.
    std::vector<std::string> cache_tags;
    std::chrono::milliseconds cache_ttl{0};
    bool compressible = true;  // false for bodies already compressed (media)

    static Response json(int status, std::string body);
    static Response text(int status, std::string body,
                         std::string_view content_type = "text/plain; charset=utf-8");
    // {"error": {"code", "message", "field"?}}
    static Response error(int status, std::string_view code, std::string_view message,
                          std::string_view field = {});
    static Response file(FileBody file, std::string_view content_type);
    static Response events(EventStreamStart start);
};

}  // namespace vidgen::http
