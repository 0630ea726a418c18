#include "media/detail/frame_prefetch.hpp"

#include <algorithm>

namespace vidgen::media::detail {

FramePrefetch::FramePrefetch(FrameReader& reader, std::size_t depth)
    : reader_(reader), depth_(std::max<std::size_t>(1, depth)), thread_([this] { run(); }) {}

FramePrefetch::~FramePrefetch() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

void FramePrefetch::run() {
    while (true) {
        {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [this] { return stop_ || ready_.size() < depth_; });
            if (stop_) return;
        }
        FramePtr frame = make_frame();
        Result<bool> got = frame ? reader_.next(frame.get())
                                 : Result<bool>(fail(Code::internal, "out of memory for a frame"));
        {
            std::lock_guard lock(mutex_);
            if (!got)
                error_ = got.error();
            else if (*got)
                ready_.push_back(std::move(frame));
            ended_ = !got || !*got;
        }
        changed_.notify_all();
        if (!got || !*got) return;
    }
}

Result<bool> FramePrefetch::next(AVFrame* out) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !ready_.empty() || ended_; });
    if (ready_.empty()) {
        if (error_) return std::unexpected(*error_);
        return false;
    }
    FramePtr frame = std::move(ready_.front());
    ready_.pop_front();
    lock.unlock();
    changed_.notify_all();
    av_frame_unref(out);
    av_frame_move_ref(out, frame.get());
    return true;
}

}  // namespace vidgen::media::detail
