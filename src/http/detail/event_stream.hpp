// The EventSink of one Server-Sent Events response, written on the session's strand after the headers.
// send() formats and queues an event from any thread; the strand writes the queue in order, sends a
// keepalive comment every ServerOptions::sse_keepalive, and notices the client leaving by reading. A
// client that stops reading is dropped: more than ServerOptions::sse_max_queued_bytes waiting, or one
// event's write taking longer than sse_write_timeout, closes the stream and frees its queue. close() runs
// the on_close callbacks once, on the handler pool. Keeps its session alive until the stream is shut;
// thread-safe. A sink kept after the server is destroyed only answers closed() and send() (false).
#pragma once

#include <boost/asio/steady_timer.hpp>

#include <array>
#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "http/detail/server_state.hpp"
#include "http/detail/stream.hpp"
#include "http/message.hpp"

namespace vidgen::http::detail {

class EventStream final : public EventSink, public std::enable_shared_from_this<EventStream> {
  public:
    EventStream(Stream& stream, std::shared_ptr<void> owner, ServerState& state);

    // Starts watching the socket and the keepalive timer; call once, on the strand.
    void open();
    // Ends the stream after the events already sent are written.
    void close() override { end(true); }
    // Ends the stream; without `flush`, events not yet written are dropped (client gone, server stopping,
    // too much queued).
    void end(bool flush);

    bool send(std::string_view event, std::string_view data, std::string_view id = {}) override;
    bool closed() const override { return closed_.load(); }
    void on_close(std::function<void()> callback) override;

  private:
    bool enqueue(std::string text);
    void write_next();
    // Closes the socket; the session is released once no write is in flight (a write refers to it).
    void shut();
    void release();
    // Runs `work` on the strand; false once the stream is shut.
    bool post(std::function<void()> work);
    void watch();
    void keepalive();

    Stream& stream_;
    std::mutex strand_mutex_;
    std::optional<Strand> strand_;  // reset once shut: nothing here outlives the server's io_context
    std::shared_ptr<void> owner_;
    ServerState& state_;
    std::unique_ptr<boost::asio::steady_timer> timer_;  // gone once shut: no I/O object outlives the server
    std::atomic<bool> closed_{false};
    std::atomic<std::size_t> queued_bytes_{0};

    std::mutex mutex_;
    std::vector<std::function<void()>> callbacks_;

    std::deque<std::string> queue_;  // strand only
    bool writing_ = false;           // strand only
    bool closing_ = false;           // strand only: shut once the queue is written
    bool shut_ = false;              // strand only: the socket is closed
    std::array<char, 512> scratch_{};
};

// "id: …\nevent: …\ndata: line\n…\n\n"; CR and LF in the event name and id are dropped.
std::string format_event(std::string_view event, std::string_view data, std::string_view id);

}  // namespace vidgen::http::detail
