#include "media/probe.hpp"

#include <cmath>

#include <fmt/format.h>

extern "C" {
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
}

#include "media/detail/input.hpp"

namespace vidgen::media {
namespace {

std::string name_or_empty(const char* name) {
    return name && std::string_view(name) != "unknown" ? name : "";
}

int display_rotation(const AVStream* stream) {
    const auto* matrix = reinterpret_cast<const std::int32_t*>(
        av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr));
    if (!matrix) return 0;
    const double counter_clockwise = av_display_rotation_get(matrix);
    if (std::isnan(counter_clockwise)) return 0;
    const int quarter_turns = int(std::lround(-counter_clockwise / 90.0));
    return ((quarter_turns % 4) + 4) % 4 * 90;
}

void describe_video(const AVStream* stream, StreamInfo& info) {
    const AVCodecParameters* par = stream->codecpar;
    info.kind = StreamInfo::Kind::video;
    info.width = par->width;
    info.height = par->height;
    const AVRational avg = stream->avg_frame_rate;
    const AVRational real = stream->r_frame_rate;
    info.fps = avg.num > 0 && avg.den > 0 ? av_q2d(avg) : (real.den > 0 ? av_q2d(real) : 0);
    info.variable_frame_rate = avg.num > 0 && real.num > 0 && av_cmp_q(avg, real) != 0;
    info.rotation = display_rotation(stream);
    info.color_space = name_or_empty(av_color_space_name(par->color_space));
    info.color_primaries = name_or_empty(av_color_primaries_name(par->color_primaries));
    info.color_transfer = name_or_empty(av_color_transfer_name(par->color_trc));
    info.color_range = name_or_empty(av_color_range_name(par->color_range));
}

StreamInfo describe(const AVStream* stream) {
    StreamInfo info;
    const AVCodecParameters* par = stream->codecpar;
    info.codec = avcodec_get_name(par->codec_id);
    if (stream->duration != AV_NOPTS_VALUE)
        info.duration = double(stream->duration) * av_q2d(stream->time_base);
    if (par->codec_type == AVMEDIA_TYPE_VIDEO) {
        describe_video(stream, info);
    } else if (par->codec_type == AVMEDIA_TYPE_AUDIO) {
        info.kind = StreamInfo::Kind::audio;
        info.sample_rate = par->sample_rate;
        info.channels = par->ch_layout.nb_channels;
    }
    return info;
}

const StreamInfo* first_of(const std::vector<StreamInfo>& streams, StreamInfo::Kind kind) {
    for (const auto& s : streams) {
        if (s.kind == kind) return &s;
    }
    return nullptr;
}

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            out += fmt::format("\\u{:04x}", int(c));
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string stream_json(const StreamInfo& s) {
    if (s.kind == StreamInfo::Kind::video) {
        return fmt::format(
            R"({{"type":"video","codec":{},"duration":{},"width":{},"height":{},"fps":{},"variable_frame_rate":{},)"
            R"("rotation":{},"color_space":{},"color_primaries":{},"color_transfer":{},"color_range":{}}})",
            json_string(s.codec), s.duration, s.width, s.height, s.fps, s.variable_frame_rate, s.rotation,
            json_string(s.color_space), json_string(s.color_primaries), json_string(s.color_transfer),
            json_string(s.color_range));
    }
    if (s.kind == StreamInfo::Kind::audio) {
        return fmt::format(R"({{"type":"audio","codec":{},"duration":{},"sample_rate":{},"channels":{}}})",
                           json_string(s.codec), s.duration, s.sample_rate, s.channels);
    }
    return fmt::format(R"({{"type":"other","codec":{}}})", json_string(s.codec));
}

}  // namespace

const StreamInfo* ProbeInfo::video() const {
    return first_of(streams, StreamInfo::Kind::video);
}
const StreamInfo* ProbeInfo::audio() const {
    return first_of(streams, StreamInfo::Kind::audio);
}

ProbeInfo detail::describe_input(const AVFormatContext* format, const std::filesystem::path& path) {
    ProbeInfo info;
    info.format = format->iformat->name;
    if (format->duration != AV_NOPTS_VALUE) info.duration = double(format->duration) / AV_TIME_BASE;
    std::error_code ec;
    info.size_bytes = std::filesystem::file_size(path, ec);
    for (unsigned i = 0; i < format->nb_streams; ++i) info.streams.push_back(describe(format->streams[i]));
    return info;
}

Result<ProbeInfo> probe(const std::filesystem::path& path, const InputLimits& limits) {
    auto ctx = detail::open_input(path, limits);
    if (!ctx) return std::unexpected(ctx.error());
    return detail::describe_input(ctx->get(), path);
}

std::string to_json(const ProbeInfo& info) {
    std::string streams;
    for (const auto& s : info.streams) {
        if (!streams.empty()) streams += ',';
        streams += stream_json(s);
    }
    return fmt::format(R"({{"format":{},"duration":{},"size_bytes":{},"streams":[{}]}})",
                       json_string(info.format), info.duration, info.size_bytes, streams);
}

}  // namespace vidgen::media
