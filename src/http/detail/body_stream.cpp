#include "http/detail/body_stream.hpp"

#include <algorithm>
#include <cstring>

#include "http/detail/session.hpp"

namespace vidgen::http::detail {
namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr std::chrono::milliseconds kStopCheck{50};

}  // namespace

BodyStream::BodyStream(std::weak_ptr<Session> session, ServerState& state,
                       std::optional<std::uint64_t> content_length)
    : session_(std::move(session)), state_(state), content_length_(content_length), chunk_(kChunkBytes) {}

Result<std::size_t> BodyStream::read(char* buffer, std::size_t size) {
    std::unique_lock lock(mutex_);
    while (true) {
        if (offset_ < available_) {
            const std::size_t count = std::min(size, available_ - offset_);
            std::memcpy(buffer, chunk_.data() + offset_, count);
            offset_ += count;
            return count;
        }
        if (error_) return std::unexpected(*error_);
        if (done_) return 0;
        if (!pending_) {
            auto session = session_.lock();
            if (!session) return fail(Code::io, "the connection is gone");
            pending_ = true;
            available_ = offset_ = 0;
            lock.unlock();
            session->read_body_for(shared_from_this());
            lock.lock();
            continue;
        }
        arrived_.wait_for(lock, kStopCheck);
        if (pending_ && state_.stopping) error_ = Error{Code::canceled, "the server is stopping"};
    }
}

void BodyStream::delivered(std::size_t bytes, bool done, std::optional<Error> error) {
    if (error && error->code == Code::limit_exceeded) limit_exceeded_ = true;
    {
        std::lock_guard lock(mutex_);
        pending_ = false;
        available_ = bytes;
        offset_ = 0;
        done_ = done;
        if (error && !error_) error_ = std::move(error);
    }
    arrived_.notify_one();
}

}  // namespace vidgen::http::detail
