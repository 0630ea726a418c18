// What sits behind EncodedStream: packets in the codec's time base (in a PacketStore: in memory up to a
// bound, then in a temporary file) and the parameters to mux them.
// Internal to the media module.
#pragma once

#include <cstdint>
#include <memory>

#include "media/detail/av.hpp"
#include "media/detail/packet_store.hpp"
#include "media/runs.hpp"

namespace vidgen::media {

namespace detail {
struct ParametersDeleter {
    void operator()(AVCodecParameters* p) const { avcodec_parameters_free(&p); }
};
}  // namespace detail

struct EncodedStream::Impl {
    std::unique_ptr<AVCodecParameters, detail::ParametersDeleter> params{avcodec_parameters_alloc()};
    AVRational time_base{1, 1};
    std::int64_t first_frame = 0;  // video: frame number of the run's first frame
    std::int64_t frames = 0;       // video: frames in the run
    detail::PacketStore packets;
};

}  // namespace vidgen::media
