#include "render/batch_segments.hpp"

#include <chrono>
#include <string>
#include <variant>

#include "core/hash.hpp"
#include "render/frame_state.hpp"
#include "render/plan.hpp"
#include "render/render.hpp"

namespace vidgen::render {
namespace {

std::uint64_t mix(std::uint64_t seed, std::uint64_t value) {
    return fast_hash(std::string_view(reinterpret_cast<const char*>(&value), sizeof value), seed);
}

std::uint64_t mix(std::uint64_t seed, double value) {
    return fast_hash(std::string_view(reinterpret_cast<const char*>(&value), sizeof value), seed);
}

std::uint64_t mix(std::uint64_t seed, std::string_view text) {
    return fast_hash(text, seed);
}

// What a clip draws, independent of where: its pixels when pre-rasterised, else its source or text.
std::uint64_t clip_identity(const PlannedClip& pc) {
    std::uint64_t h = mix(std::uint64_t(pc.kind), pc.box_w);
    h = mix(mix(mix(mix(mix(h, pc.box_h), pc.content.x), pc.content.y), pc.content.w), pc.content.h);
    h = mix(h, pc.source.string());
    if (pc.raster) h = mix(h, pc.raster.identity());
    if (const auto* text = std::get_if<spec::TextAsset>(&pc.clip->asset)) h = mix(h, text->text);
    return h;
}

using Steady = std::chrono::steady_clock;
constexpr long kFramesBetweenChecks = 32;
constexpr auto kProgressEvery = std::chrono::milliseconds(100);

// Signatures of frames [first, end) appended to `out`.
class FrameSigner {
  public:
    explicit FrameSigner(const Plan& plan) : plan_(plan) {
        identity_.reserve(plan.clips.size());
        for (const PlannedClip& pc : plan.clips) identity_.push_back(clip_identity(pc));
        const spec::Color& bg = plan.spec.timeline.background;
        base_ = mix(mix(mix(mix(0, bg.r), bg.g), bg.b), bg.a);
    }

    void sign(long first, long end, std::vector<std::uint64_t>& out) const {
        for (long f = first; f < end; ++f) {
            FrameState state = sample_frame(plan_, plan_.range_start + double(f) / plan_.fps());
            std::uint64_t h = mix(base_, state.signature);
            for (const LayerState& layer : state.layers) h = mix(h, identity_[std::size_t(layer.clip)]);
            out.push_back(h);
        }
    }

  private:
    const Plan& plan_;
    std::vector<std::uint64_t> identity_;
    std::uint64_t base_ = 0;
};

}  // namespace

std::vector<std::uint64_t> content_signatures(const Plan& plan) {
    std::vector<std::uint64_t> out;
    out.reserve(std::size_t(plan.frames));
    FrameSigner(plan).sign(0, plan.frames, out);
    return out;
}

Result<std::vector<std::uint64_t>> content_signatures(const Plan& plan, const RenderOptions& options) {
    const FrameSigner signer(plan);
    std::vector<std::uint64_t> out;
    out.reserve(std::size_t(plan.frames));
    auto reported = Steady::now();
    for (long first = 0; first < plan.frames; first += kFramesBetweenChecks) {
        if (options.on_progress && Steady::now() - reported >= kProgressEvery) {
            reported = Steady::now();
            options.on_progress({});
        }
        if (options.cancel && options.cancel->load()) return fail(Code::canceled, "render canceled");
        signer.sign(first, std::min(plan.frames, first + kFramesBetweenChecks), out);
    }
    return out;
}

std::vector<Segment> split_segments(const std::vector<std::vector<std::uint64_t>>& signatures,
                                    long min_shared) {
    const long frames = signatures.empty() ? 0 : long(signatures.front().size());
    auto shared_at = [&](long f) {
        if (signatures.size() < 2) return false;
        for (const auto& row : signatures)
            if (row[std::size_t(f)] != signatures.front()[std::size_t(f)]) return false;
        return true;
    };
    std::vector<Segment> raw;
    for (long f = 0; f < frames; ++f) {
        bool shared = shared_at(f);
        if (raw.empty() || raw.back().shared != shared) raw.push_back({f, 0, shared});
        ++raw.back().count;
    }
    std::vector<Segment> out;
    for (Segment s : raw) {
        if (s.shared && s.count < min_shared) s.shared = false;
        if (!out.empty() && !out.back().shared && !s.shared)
            out.back().count += s.count;
        else
            out.push_back(s);
    }
    return out;
}

std::vector<Segment> split_still(const Segment& segment, const std::vector<std::uint64_t>& signatures,
                                 long min_still) {
    std::vector<Segment> out;
    auto append = [&](long first, long count, bool still) {
        if (!out.empty() && !out.back().still && !still) {
            out.back().count += count;
            return;
        }
        out.push_back({first, count, segment.shared, still});
    };
    const long end = segment.first + segment.count;
    for (long f = segment.first; f < end;) {
        long g = f + 1;
        while (g < end && signatures[std::size_t(g)] == signatures[std::size_t(f)]) ++g;
        append(f, g - f, g - f >= min_still);
        f = g;
    }
    return out;
}

}  // namespace vidgen::render
