#include <fmt/format.h>

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
}

#include "media/detail/encoder_parts.hpp"
#include "media/detail/frames.hpp"

namespace vidgen::media::detail {
namespace {

constexpr const char* kPaletteFilters =
    "split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer";

struct InOut {
    AVFilterInOut* list = avfilter_inout_alloc();
    ~InOut() { avfilter_inout_free(&list); }
};

Result<void> link_graph(AVFilterGraph* graph, AVFilterContext* source, AVFilterContext* sink) {
    InOut outputs;
    InOut inputs;
    outputs.list->name = av_strdup("in");
    outputs.list->filter_ctx = source;
    inputs.list->name = av_strdup("out");
    inputs.list->filter_ctx = sink;
    if (int err = avfilter_graph_parse_ptr(graph, kPaletteFilters, &inputs.list, &outputs.list, nullptr);
        err < 0) {
        return fail(Code::internal, "palette filters: " + av_error_text(err));
    }
    if (int err = avfilter_graph_config(graph, nullptr); err < 0) {
        return fail(Code::internal, "palette graph: " + av_error_text(err));
    }
    return {};
}

}  // namespace

Result<PaletteGraph> PaletteGraph::open(const EncoderSettings& s) {
    PaletteGraph palette;
    palette.graph_.reset(avfilter_graph_alloc());
    if (!palette.graph_) return fail(Code::internal, "out of memory allocating a filter graph");
    const std::string args = fmt::format("video_size={}x{}:pix_fmt={}:time_base={}/{}:pixel_aspect=1/1",
                                         s.width, s.height, int(kArgb32), s.fps_den, s.fps_num);
    if (avfilter_graph_create_filter(&palette.source_, avfilter_get_by_name("buffer"), "in", args.c_str(),
                                     nullptr, palette.graph_.get()) < 0 ||
        avfilter_graph_create_filter(&palette.sink_, avfilter_get_by_name("buffersink"), "out", nullptr,
                                     nullptr, palette.graph_.get()) < 0) {
        return fail(Code::internal, "cannot create the palette graph ends");
    }
    if (auto linked = link_graph(palette.graph_.get(), palette.source_, palette.sink_); !linked) {
        return std::unexpected(linked.error());
    }
    return palette;
}

Result<void> PaletteGraph::push(AVFrame* frame) {
    if (int err = av_buffersrc_add_frame_flags(source_, frame, AV_BUFFERSRC_FLAG_KEEP_REF); err < 0) {
        return fail(Code::internal, "palette graph input: " + av_error_text(err));
    }
    return {};
}

Result<bool> PaletteGraph::pull(AVFrame* out) {
    const int err = av_buffersink_get_frame(sink_, out);
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return false;
    if (err < 0) return fail(Code::internal, "palette graph output: " + av_error_text(err));
    return true;
}

}  // namespace vidgen::media::detail
