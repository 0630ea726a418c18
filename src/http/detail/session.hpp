// One client connection: reads requests with Beast's parser under header/body limits and timeouts, runs
// the middleware on the header alone (a refused request's body is never read), then reads a buffered body
// and runs the handler (on the handler pool), and writes the response — a buffer, a file with
// sendfile, or the start of an event stream. Every member runs on the connection's strand except where a
// comment says otherwise. Owned by shared_ptr: by its pending operations, by a posted handler, by an
// event stream or a streamed body reader.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/detail/conditional.hpp"
#include "http/detail/exchange.hpp"
#include "http/detail/server_state.hpp"
#include "http/detail/stream.hpp"

namespace vidgen::http::detail {

class BodyStream;

class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(Socket socket, ServerState& state);
    ~Session();
    void start();

    // Reads the next piece of a streamed body into `into` and reports to it (called by BodyStream from the
    // handler thread; the read runs on the strand).
    void read_body_for(std::shared_ptr<BodyStream> into);

  private:
    using Parser = boost::beast::http::request_parser<boost::beast::http::buffer_body>;

    void read_request();
    void read_header();
    void on_header(boost::beast::error_code error);
    void open_exchange();
    void begin_exchange();
    bool route_request();
    void read_body();
    void on_body(boost::beast::error_code error, std::size_t chunk_bytes);
    void read_body_chunk(const std::shared_ptr<BodyStream>& into);
    void continue_if_expected(std::function<void()> next);
    void run_middleware();
    void after_auth(bool on_pool);
    void handle_on_pool();
    void deliver(Response response);

    void write_response(Response response);
    void write_buffer(Response& response, std::string body);
    void write_file(Response& response);
    void write_byteranges(Response& response, const std::vector<ByteRange>& ranges, bool head);
    void write_event_stream(Response& response);
    void send_pieces(std::size_t index);
    // Writes text pieces [index, end) as far as the non-blocking socket takes them at once, skipping the
    // asynchronous machinery for the usual small response. Moves `index` past what went out whole and
    // trims a piece sent in part; true when all went out.
    bool write_now(std::size_t& index, std::size_t end);
    void send_file_range(std::size_t index, std::uint64_t offset, std::uint64_t end);
    // Waits until the socket takes more, for at most idle_timeout (a client that stops reading is dropped).
    void wait_writable(std::size_t index, std::uint64_t offset, std::uint64_t end);
    void finish_exchange(int status, std::uint64_t raw_bytes, std::uint64_t sent_bytes);
    void after_write(boost::beast::error_code error);
    void fail_request(int status, std::string_view code, std::string_view message);
    void close();
    // Stops sending, reads what the client still sends for a moment, then closes: closing with unread
    // input would reset the connection and could lose the response the client has not read yet.
    void linger_close();
    void drain();

    std::string header_text(const Response& response, std::optional<std::uint64_t> content_length) const;

    ServerState& state_;
    Stream stream_;
    boost::asio::steady_timer send_deadline_;
    boost::beast::flat_buffer buffer_;
    std::optional<Parser> parser_;
    std::vector<char> chunk_;
    std::array<char, 4096> drain_{};
    std::string remote_address_;
    std::optional<Exchange> exchange_;
    std::shared_ptr<BodyStream> body_stream_;
    bool keep_alive_ = false;
    bool expect_continue_ = false;
    bool body_read_pending_ = false;  // a streamed body's read is on the socket
    bool body_pending_ = false;       // a buffered body still to read once the middleware admitted it
    unsigned version_ = 11;

    // The response being written: the serialized header and text pieces, or file ranges.
    struct Piece {
        std::string text;
        std::uint64_t first = 0, last = 0;  // a file range when text is empty and last >= first
        bool file = false;
    };
    std::vector<Piece> pieces_;
    FileBody file_;
    int status_ = 0;
    std::uint64_t raw_bytes_ = 0, sent_bytes_ = 0;
};

}  // namespace vidgen::http::detail
