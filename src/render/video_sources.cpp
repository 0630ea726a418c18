#include "render/video_sources.hpp"

#include <algorithm>
#include <cmath>

#include "render/plan.hpp"

namespace vidgen::render {

Result<media::VideoDecoder*> VideoSources::decoder_for(std::size_t clip_index) {
    auto& slot = decoders_[clip_index];
    if (!slot) {
        const PlannedClip& pc = plan_.clips[clip_index];
        int w = std::max(1, static_cast<int>(std::lround(pc.content.w * pc.oversample)));
        int h = std::max(1, static_cast<int>(std::lround(pc.content.h * pc.oversample)));
        auto opened = media::VideoDecoder::open(pc.source, w, h, plan_.limits, access_);
        if (!opened) return fail(opened.error().code, opened.error().message, pc.clip->pointer);
        slot = std::move(*opened);
    }
    return slot.get();
}

// Sequential access only goes forward: a clip that ended before `time` needs its decoder no more.
void VideoSources::close_finished(double time) {
    if (access_ != media::Access::sequential) return;
    std::erase_if(decoders_, [&](const auto& entry) { return plan_.clips[entry.first].end < time; });
}

Result<std::vector<media::SourceFrame>> VideoSources::frames(const FrameState& state) {
    close_finished(state.time);
    std::vector<media::SourceFrame> out(state.layers.size());
    for (std::size_t i = 0; i < state.layers.size(); ++i) {
        auto clip_index = static_cast<std::size_t>(state.layers[i].clip);
        if (plan_.clips[clip_index].kind != ClipKind::video) continue;
        auto decoder = decoder_for(clip_index);
        if (!decoder) return std::unexpected(decoder.error());
        auto frame = (*decoder)->source_frame_at(state.source_times[i]);
        if (!frame) return std::unexpected(frame.error());
        out[i] = std::move(*frame);
    }
    return out;
}

Result<void> convert_frames(const std::vector<media::SourceFrame>& frames, std::vector<media::Bitmap>& into) {
    into.resize(frames.size());
    for (std::size_t i = 0; i < frames.size(); ++i) {
        if (frames[i].empty()) {
            into[i] = media::Bitmap();
            continue;
        }
        if (auto converted = frames[i].to_bitmap(into[i]); !converted) return converted;
    }
    return {};
}

std::vector<const media::Bitmap*> frame_pointers(const std::vector<media::Bitmap>& frames) {
    std::vector<const media::Bitmap*> out;
    out.reserve(frames.size());
    for (const auto& f : frames) out.push_back(f.empty() ? nullptr : &f);
    return out;
}

}  // namespace vidgen::render
