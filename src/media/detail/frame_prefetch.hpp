// Decoding ahead: a thread of its own pulls frames from a FrameReader into a short queue, so that the
// caller finds the next frame decoded while it worked on the last one. While a FramePrefetch exists it
// owns the reader (nobody else may call it); destroying it stops the thread after the frame being
// decoded. next() is for one consumer thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "core/error.hpp"
#include "media/detail/decoding.hpp"

namespace vidgen::media::detail {

class FramePrefetch {
  public:
    // Starts decoding at once; keeps up to `depth` (>= 1) decoded frames waiting.
    FramePrefetch(FrameReader& reader, std::size_t depth);
    ~FramePrefetch();
    FramePrefetch(const FramePrefetch&) = delete;
    FramePrefetch& operator=(const FramePrefetch&) = delete;

    // The next frame into `out` (waiting for it); false at the end of the stream; the reader's error
    // once the frames before it are taken.
    Result<bool> next(AVFrame* out);

  private:
    void run();

    FrameReader& reader_;
    const std::size_t depth_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<FramePtr> ready_;
    bool ended_ = false, stop_ = false;
    std::optional<Error> error_;
    std::thread thread_;  // last: starts once everything above is constructed
};

}  // namespace vidgen::media::detail
