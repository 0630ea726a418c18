// The BodyReader of a streamed request: the handler thread asks for bytes and waits while the session's
// strand reads one chunk from the socket into this object, so at most one chunk is read ahead of the
// handler. The session is held weakly (it holds this object). read() is for the handler thread;
// chunk() and delivered() are for the strand.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "http/detail/server_state.hpp"
#include "http/message.hpp"

namespace vidgen::http::detail {

class Session;

class BodyStream final : public BodyReader, public std::enable_shared_from_this<BodyStream> {
  public:
    BodyStream(std::weak_ptr<Session> session, ServerState& state,
               std::optional<std::uint64_t> content_length);

    Result<std::size_t> read(char* buffer, std::size_t size) override;
    std::optional<std::uint64_t> content_length() const override { return content_length_; }
    bool limit_exceeded() const { return limit_exceeded_.load(); }

    // Where the strand reads the next chunk, and how it reports it.
    std::span<char> chunk() { return chunk_; }
    void delivered(std::size_t bytes, bool done, std::optional<Error> error);

  private:
    std::weak_ptr<Session> session_;
    ServerState& state_;
    const std::optional<std::uint64_t> content_length_;
    std::vector<char> chunk_;
    std::atomic<bool> limit_exceeded_{false};

    std::mutex mutex_;
    std::condition_variable arrived_;
    std::size_t available_ = 0, offset_ = 0;
    bool pending_ = false, done_ = false;
    std::optional<Error> error_;
};

}  // namespace vidgen::http::detail
