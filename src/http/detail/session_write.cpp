// Session: writing responses (buffers and files) and ending exchanges.
#include <sys/sendfile.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/status.hpp>

#include <cerrno>
#include <ctime>
#include <span>

#include "http/detail/conditional.hpp"
#include "http/detail/session.hpp"

namespace vidgen::http::detail {
namespace beast = boost::beast;
namespace asio = boost::asio;

namespace {

constexpr std::size_t kSendfileStep = 1 << 20;
constexpr std::chrono::seconds kLinger{1};

bool has_body(int status) {
    return status >= 200 && status != 204 && status != 304;
}

bool header_owned_by_server(std::string_view name) {
    return beast::iequals(name, "Content-Length") || beast::iequals(name, "Connection") ||
           beast::iequals(name, "Transfer-Encoding");
}

// "Date: …\r\n" for the current second, formatted once a second per thread.
std::string_view date_line() {
    thread_local std::time_t formatted_second = 0;
    thread_local std::string line;
    const std::time_t now = std::time(nullptr);
    if (now != formatted_second) {
        formatted_second = now;
        line = "Date: " + http_date(std::chrono::system_clock::from_time_t(now)) + "\r\n";
    }
    return line;
}

}  // namespace

std::string Session::header_text(const Response& response,
                                 std::optional<std::uint64_t> content_length) const {
    std::string text;
    text.reserve(256);
    text += "HTTP/1.1 ";
    text += std::to_string(response.status);
    text += ' ';
    text += beast::http::obsolete_reason(static_cast<beast::http::status>(response.status));
    text += "\r\n";
    for (const auto& [name, value] : response.headers.all()) {
        if (header_owned_by_server(name) || name.find_first_of("\r\n") != std::string::npos ||
            value.find_first_of("\r\n") != std::string::npos)
            continue;
        text += name;
        text += ": ";
        text += value;
        text += "\r\n";
    }
    text += date_line();
    if (content_length) text += "Content-Length: " + std::to_string(*content_length) + "\r\n";
    if (!keep_alive_)
        text += "Connection: close\r\n";
    else if (version_ < 11)
        text += "Connection: keep-alive\r\n";
    text += "\r\n";
    return text;
}

void Session::write_response(Response response) {
    status_ = response.status;
    keep_alive_ = keep_alive_ && parser_ && parser_->is_done() && !state_.draining;
    raw_bytes_ = sent_bytes_ = 0;
    pieces_.clear();
    if (auto* body = std::get_if<std::string>(&response.body))
        return write_buffer(response, std::move(*body));
    if (std::holds_alternative<FileBody>(response.body)) return write_file(response);
    write_event_stream(response);
}

void Session::write_buffer(Response& response, std::string body) {
    const bool head = exchange_ && exchange_->request.method == Method::head;
    raw_bytes_ = exchange_ && exchange_->raw_body_bytes > 0 ? exchange_->raw_body_bytes : body.size();
    const bool with_body = has_body(response.status);
    pieces_.push_back(Piece{header_text(response, with_body ? std::optional(body.size()) : std::nullopt)});
    if (with_body && !head && !body.empty()) {
        sent_bytes_ = body.size();
        pieces_.push_back(Piece{std::move(body)});
    }
    send_pieces(0);
}

void Session::send_pieces(std::size_t index) {
    if (index == pieces_.size()) return after_write({});
    if (pieces_[index].file) return send_file_range(index, pieces_[index].first, pieces_[index].last + 1);
    std::size_t next = index;
    while (next < pieces_.size() && !pieces_[next].file) ++next;
    if (write_now(index, next)) return send_pieces(next);
    std::vector<asio::const_buffer> buffers;
    for (std::size_t i = index; i < next; ++i) buffers.push_back(asio::buffer(pieces_[i].text));
    stream_.expires_after(state_.options.idle_timeout);
    asio::async_write(stream_, buffers,
                      [self = shared_from_this(), next](beast::error_code error, std::size_t) {
                          if (error) return self->after_write(error);
                          self->send_pieces(next);
                      });
}

bool Session::write_now(std::size_t& index, std::size_t end) {
    std::array<asio::const_buffer, 8> buffers;
    const std::size_t count = std::min(end - index, buffers.size());
    for (std::size_t i = 0; i < count; ++i) buffers[i] = asio::buffer(pieces_[index + i].text);
    beast::error_code error;
    std::size_t written = stream_.socket().write_some(std::span(buffers.data(), count), error);
    if (error) return false;  // would block, or an error the asynchronous write reports
    for (; index < end && written >= pieces_[index].text.size(); ++index)
        written -= pieces_[index].text.size();
    if (index < end) pieces_[index].text.erase(0, written);
    return index == end;
}

void Session::send_file_range(std::size_t index, std::uint64_t offset, std::uint64_t end) {
    auto& socket = stream_.socket();
    beast::error_code error;
    while (!error && offset < end) {
        auto position = static_cast<off_t>(offset);
        const ssize_t sent = ::sendfile(socket.native_handle(), file_.fd.get(), &position,
                                        std::min<std::uint64_t>(end - offset, kSendfileStep));
        if (sent > 0) {
            offset += static_cast<std::uint64_t>(sent);
            sent_bytes_ += static_cast<std::uint64_t>(sent);
        } else if (sent < 0 && errno == EINTR) {
            continue;
        } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return wait_writable(index, offset, end);
        } else {
            error = sent == 0 ? asio::error::eof : beast::error_code(errno, boost::system::system_category());
        }
    }
    if (error) return after_write(error);
    send_pieces(index + 1);
}

void Session::wait_writable(std::size_t index, std::uint64_t offset, std::uint64_t end) {
    send_deadline_.expires_after(state_.options.idle_timeout);
    send_deadline_.async_wait([weak = weak_from_this()](beast::error_code error) {
        auto self = weak.lock();
        if (!error && self) self->stream_.socket().cancel();
    });
    stream_.socket().async_wait(asio::socket_base::wait_write,
                                [self = shared_from_this(), index, offset, end](beast::error_code error) {
                                    self->send_deadline_.cancel();
                                    if (error) return self->after_write(error);
                                    self->send_file_range(index, offset, end);
                                });
}

void Session::finish_exchange(int status, std::uint64_t raw_bytes, std::uint64_t sent_bytes) {
    if (!exchange_) return;
    state_.record(exchange_->route, exchange_->request.method, status, exchange_->started);
    state_.record_bytes(raw_bytes, sent_bytes);
    state_.in_flight.fetch_sub(1);
    if (state_.metrics.in_flight) state_.metrics.in_flight->add(-1);
    exchange_.reset();
}

void Session::after_write(beast::error_code error) {
    finish_exchange(error ? 499 : status_, raw_bytes_, sent_bytes_);
    pieces_.clear();
    file_ = FileBody{};
    body_stream_.reset();
    if (error) return close();
    if (keep_alive_) return read_request();
    linger_close();
}

void Session::linger_close() {
    if (body_read_pending_) return close();  // a handler stopped reading its body mid-way: no second read
    beast::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLinger);
    drain();
}

void Session::drain() {
    stream_.async_read_some(asio::buffer(drain_),
                            [self = shared_from_this()](beast::error_code error, std::size_t) {
                                if (error) return self->close();
                                self->drain();
                            });
}

}  // namespace vidgen::http::detail
