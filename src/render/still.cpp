#include "render/still.hpp"

#include <algorithm>
#include <vector>

#include "render/compose.hpp"
#include "render/frame_state.hpp"
#include "render/plan.hpp"
#include "render/video_sources.hpp"

namespace vidgen::render {

Result<media::Bitmap> compose_at(const Plan& plan, double seconds) {
    double last = std::max(0.0, plan.timeline_duration - 1e-6);
    FrameState state = sample_frame(plan, std::clamp(seconds, 0.0, last));
    VideoSources sources(plan);
    auto decoded = sources.frames(state);
    if (!decoded) return std::unexpected(decoded.error());
    std::vector<media::Bitmap> videos;
    if (auto converted = convert_frames(*decoded, videos); !converted)
        return std::unexpected(converted.error());
    media::Bitmap canvas(plan.width(), plan.height());
    if (auto composed = compose(plan, state, frame_pointers(videos), canvas); !composed) {
        return std::unexpected(composed.error());
    }
    return canvas;
}

}  // namespace vidgen::render
