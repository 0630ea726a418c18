#include "media/detail/input.hpp"

#include <cmath>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace vidgen::media::detail {
namespace {

struct Dictionary {
    AVDictionary* dict = nullptr;
    ~Dictionary() { av_dict_free(&dict); }
};

struct AvioReader {
    AVIOContext* pb = nullptr;
    ~AvioReader() { avio_closep(&pb); }
};

bool in_list(std::string_view name, std::string_view list) {
    while (!list.empty()) {
        const auto comma = list.find(',');
        if (list.substr(0, comma) == name) return true;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return false;
}

// True when any of a demuxer's comma-separated names ("mov,mp4,m4a,...") is allowed.
bool demuxer_allowed(std::string_view names) {
    while (!names.empty()) {
        const auto comma = names.find(',');
        if (in_list(names.substr(0, comma), allowed_demuxers())) return true;
        if (comma == std::string_view::npos) break;
        names.remove_prefix(comma + 1);
    }
    return false;
}

Result<const AVInputFormat*> probe_format(const std::string& url, const std::filesystem::path& path) {
    Dictionary options;
    av_dict_set(&options.dict, "protocol_whitelist", "file", 0);
    AvioReader reader;
    if (int err = avio_open2(&reader.pb, url.c_str(), AVIO_FLAG_READ, nullptr, &options.dict); err < 0) {
        return fail(Code::io, fmt::format("cannot open {}: {}", path.string(), av_error_text(err)));
    }
    const AVInputFormat* format = nullptr;
    if (av_probe_input_buffer2(reader.pb, &format, url.c_str(), nullptr, 0, 0) < 0 || !format) {
        return fail(Code::unsupported, fmt::format("{}: not a recognised media format", path.string()));
    }
    if (!demuxer_allowed(format->name)) {
        return fail(Code::unsupported,
                    fmt::format("{}: media format '{}' is not allowed", path.string(), format->name));
    }
    return format;
}

Result<void> check_video_sizes(const AVFormatContext* ctx, const InputLimits& limits) {
    for (unsigned i = 0; i < ctx->nb_streams; ++i) {
        const AVCodecParameters* par = ctx->streams[i]->codecpar;
        if (par->codec_type == AVMEDIA_TYPE_VIDEO &&
            (par->width > limits.max_video_side || par->height > limits.max_video_side)) {
            return fail(Code::limit_exceeded, fmt::format("video is {}x{}, over the limit of {} px a side",
                                                          par->width, par->height, limits.max_video_side));
        }
    }
    return {};
}

}  // namespace

Result<InputFormatPtr> open_input(const std::filesystem::path& path, const InputLimits& limits) {
    if (auto file = check_local_file(path, limits); !file) return std::unexpected(file.error());
    quiet_libav_logs();
    const std::string url = "file:" + std::filesystem::absolute(path).string();
    auto format = probe_format(url, path);
    if (!format) return std::unexpected(format.error());
    Dictionary options;
    av_dict_set(&options.dict, "protocol_whitelist", "file", 0);
    av_dict_set(&options.dict, "format_whitelist", allowed_demuxers(), 0);
    AVFormatContext* raw = nullptr;
    if (int err = avformat_open_input(&raw, url.c_str(), *format, &options.dict); err < 0) {
        return fail(Code::unsupported, fmt::format("cannot read {}: {}", path.string(), av_error_text(err)));
    }
    InputFormatPtr ctx(raw);
    if (int err = avformat_find_stream_info(ctx.get(), nullptr); err < 0) {
        return fail(Code::unsupported, fmt::format("cannot read {}: {}", path.string(), av_error_text(err)));
    }
    if (auto sizes = check_video_sizes(ctx.get(), limits); !sizes) return std::unexpected(sizes.error());
    return ctx;
}

namespace {

double origin_seconds(const AVFormatContext* format) {
    if (format->start_time == AV_NOPTS_VALUE || format->start_time <= 0) return 0;
    return double(format->start_time) / AV_TIME_BASE;
}

}  // namespace

double source_seconds(const AVFormatContext* format, int index, std::int64_t pts) {
    return double(pts) * av_q2d(format->streams[index]->time_base) - origin_seconds(format);
}

std::int64_t source_timestamp(const AVFormatContext* format, int index, double seconds) {
    return std::int64_t(
        std::floor((seconds + origin_seconds(format)) / av_q2d(format->streams[index]->time_base)));
}

}  // namespace vidgen::media::detail
