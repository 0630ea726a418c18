#include "http/detail/session.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

#include "core/log.hpp"
#include "http/detail/body_stream.hpp"
#include "http/detail/middleware.hpp"
#include "http/detail/target.hpp"

namespace vidgen::http::detail {
namespace beast = boost::beast;
namespace asio = boost::asio;

namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;

Method method_of(beast::http::verb verb) {
    switch (verb) {
        case beast::http::verb::get:
            return Method::get;
        case beast::http::verb::head:
            return Method::head;
        case beast::http::verb::post:
            return Method::post;
        case beast::http::verb::put:
            return Method::put;
        case beast::http::verb::patch:
            return Method::patch;
        case beast::http::verb::delete_:
            return Method::del;
        case beast::http::verb::options:
            return Method::options;
        default:
            return Method::other;
    }
}

std::string allow_header(const std::vector<Method>& methods) {
    std::string allow;
    for (Method method : methods) {
        if (allow.find(method_name(method)) != std::string::npos) continue;
        if (!allow.empty()) allow += ", ";
        allow += method_name(method);
    }
    return allow;
}

}  // namespace

Session::Session(Socket socket, ServerState& state)
    : state_(state), stream_(std::move(socket)), send_deadline_(stream_.get_executor()) {
    beast::error_code ignored;
    auto endpoint = stream_.socket().remote_endpoint(ignored);
    remote_address_ = ignored ? std::string() : endpoint.address().to_string();
    stream_.socket().non_blocking(true, ignored);
}

Session::~Session() {
    state_.forget(this);
    if (exchange_) finish_exchange(499, 0, 0);
}

void Session::start() {
    std::weak_ptr<Session> weak = weak_from_this();
    state_.track(this, [weak] {
        if (auto self = weak.lock()) asio::post(self->stream_.get_executor(), [self] { self->close(); });
    });
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->read_request(); });
}

void Session::read_request() {
    if (state_.draining) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(state_.options.max_header_bytes));
    parser_->body_limit(boost::none);  // the route's limit is set once the header is in
    if (buffer_.size() > 0) return read_header();
    stream_.expires_after(state_.options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code error, std::size_t n) {
                                if (error) return self->close();
                                self->buffer_.commit(n);
                                self->read_header();
                            });
}

void Session::read_header() {
    stream_.expires_after(state_.options.read_timeout);
    beast::http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code error, std::size_t) { self->on_header(error); });
}

void Session::on_header(beast::error_code error) {
    if (error == beast::http::error::header_limit)
        return fail_request(431, "headers_too_large", "headers too large");
    if (error == beast::error::timeout)
        return fail_request(408, "timeout", "the request took too long to arrive");
    if (error == beast::http::error::end_of_stream || error == asio::error::eof ||
        error == asio::error::operation_aborted || error == asio::error::connection_reset)
        return close();
    if (error) return fail_request(400, "bad_request", "malformed request");
    begin_exchange();
    if (!route_request()) return;
    const RouteOptions& options = exchange_->route->options;
    const std::uint64_t limit =
        options.max_body_bytes > 0 ? options.max_body_bytes : state_.options.max_body_bytes;
    parser_->body_limit(limit);
    if (auto length = parser_->content_length(); length && *length > limit)
        return fail_request(413, "payload_too_large", "the request body is too large");
    expect_continue_ =
        !parser_->is_done() && beast::iequals(parser_->get()[beast::http::field::expect], "100-continue");
    if (options.stream_body) {
        const auto length = parser_->content_length();
        body_stream_ = std::make_shared<BodyStream>(
            weak_from_this(), state_, length ? std::optional<std::uint64_t>(*length) : std::nullopt);
        exchange_->request.body_reader = body_stream_;
    }
    body_pending_ = !options.stream_body && !parser_->is_done();
    run_middleware();
}

void Session::open_exchange() {
    exchange_.emplace();
    exchange_->started = std::chrono::steady_clock::now();
    exchange_->request.remote_address = remote_address_;
    state_.in_flight.fetch_add(1);
    if (state_.metrics.in_flight) state_.metrics.in_flight->add(1);
}

void Session::begin_exchange() {
    open_exchange();
    const auto& header = parser_->get();
    Request& request = exchange_->request;
    request.method = method_of(header.method());
    request.target.assign(header.target());
    for (const auto& field : header) request.headers.add(field.name_string(), field.value());
    version_ = header.version();
    keep_alive_ = header.keep_alive();
}

bool Session::route_request() {
    Request& request = exchange_->request;
    if (!parse_target(request.target, request)) {
        fail_request(400, "bad_request", "the request path is not allowed");
        return false;
    }
    RouteMatch match = state_.router.match(request.method, request.path, request.params);
    if (match.route == nullptr && match.allowed.empty()) {
        fail_request(404, "not_found", "no such endpoint");
        return false;
    }
    if (match.route == nullptr) {
        Response response = Response::error(405, "method_not_allowed", "method not allowed here");
        response.headers.set("Allow", allow_header(match.allowed));
        keep_alive_ = keep_alive_ && parser_->is_done();
        write_response(std::move(response));
        return false;
    }
    exchange_->route = match.route;
    return true;
}

void Session::continue_if_expected(std::function<void()> next) {
    if (!expect_continue_) return next();
    expect_continue_ = false;
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    stream_.expires_after(state_.options.read_timeout);
    asio::async_write(
        stream_, asio::buffer(kContinue.data(), kContinue.size()),
        [self = shared_from_this(), next = std::move(next)](beast::error_code error, std::size_t) {
            if (error) return self->close();
            next();
        });
}

void Session::read_body() {
    chunk_.resize(kChunkBytes);
    auto& body = parser_->get().body();
    body.data = chunk_.data();
    body.size = chunk_.size();
    stream_.expires_after(state_.options.read_timeout);
    beast::http::async_read_some(
        stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code error, std::size_t) {
            self->on_body(error, self->chunk_.size() - self->parser_->get().body().size);
        });
}

void Session::on_body(beast::error_code error, std::size_t chunk_bytes) {
    if (error == beast::http::error::need_buffer) error = {};
    if (error == beast::http::error::body_limit)
        return fail_request(413, "payload_too_large", "the request body is too large");
    if (error) return linger_close();
    exchange_->request.body.append(chunk_.data(), chunk_bytes);
    if (!parser_->is_done()) return read_body();
    asio::post(state_.handlers, [self = shared_from_this()] { self->handle_on_pool(); });
}

void Session::run_middleware() {
    std::optional<Response> early;
    if (authorize_fast(state_, *exchange_, early) == AuthStep::done) {
        if (early) return write_response(std::move(*early));
        return after_auth(false);
    }
    asio::post(state_.handlers, [self = shared_from_this()] {
        if (auto early = authorize_slow(self->state_, *self->exchange_))
            return self->deliver(std::move(*early));
        self->after_auth(true);
    });
}

void Session::after_auth(bool on_pool) {
    if (auto early = limit_and_lookup(state_, *exchange_)) {
        if (on_pool) return deliver(std::move(*early));
        return write_response(std::move(*early));
    }
    if (body_pending_) {
        // Only now, with the request admitted, is its body worth reading.
        if (!on_pool) return continue_if_expected([this] { read_body(); });
        return asio::post(stream_.get_executor(), [self = shared_from_this()] {
            self->continue_if_expected([self] { self->read_body(); });
        });
    }
    if (on_pool) return handle_on_pool();
    asio::post(state_.handlers, [self = shared_from_this()] { self->handle_on_pool(); });
}

void Session::handle_on_pool() {
    Response response = run_handler(*exchange_);
    exchange_->request.body_reader.reset();
    if (body_stream_ && body_stream_->limit_exceeded())
        response = Response::error(413, "payload_too_large", "the request body is too large");
    finalize(state_, *exchange_, response);
    deliver(std::move(response));
}

void Session::deliver(Response response) {
    asio::post(stream_.get_executor(), [self = shared_from_this(), response = std::move(response)]() mutable {
        self->write_response(std::move(response));
    });
}

void Session::fail_request(int status, std::string_view code, std::string_view message) {
    if (!exchange_) open_exchange();
    keep_alive_ = false;
    write_response(Response::error(status, code, message));
}

void Session::read_body_for(std::shared_ptr<BodyStream> into) {
    asio::post(stream_.get_executor(), [self = shared_from_this(), into = std::move(into)]() mutable {
        self->continue_if_expected([self, into] { self->read_body_chunk(into); });
    });
}

void Session::read_body_chunk(const std::shared_ptr<BodyStream>& into) {
    if (parser_->is_done()) return into->delivered(0, true, std::nullopt);
    std::span<char> chunk = into->chunk();
    parser_->get().body().data = chunk.data();
    parser_->get().body().size = chunk.size();
    stream_.expires_after(state_.options.read_timeout);
    body_read_pending_ = true;
    beast::http::async_read_some(
        stream_, buffer_, *parser_, [self = shared_from_this(), into](beast::error_code error, std::size_t) {
            self->body_read_pending_ = false;
            if (error == beast::http::error::need_buffer) error = {};
            const std::size_t bytes = into->chunk().size() - self->parser_->get().body().size;
            if (error == beast::http::error::body_limit)
                return into->delivered(0, false,
                                       Error{Code::limit_exceeded, "the request body is too large"});
            if (error) return into->delivered(0, false, Error{Code::io, "reading the request body failed"});
            into->delivered(bytes, self->parser_->is_done(), std::nullopt);
        });
}

void Session::close() {
    state_.forget(this);
    beast::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
}

}  // namespace vidgen::http::detail
