#include <string>

#include <fmt/format.h>

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
}

#include "media/detail/encoder_parts.hpp"
#include "media/detail/frames.hpp"

namespace vidgen::media::detail {
namespace {

struct InOut {
    AVFilterInOut* list = nullptr;
    ~InOut() { avfilter_inout_free(&list); }
    // Appends a labelled end; the list is consumed by avfilter_graph_parse_ptr.
    void add(const char* name, AVFilterContext* filter) {
        AVFilterInOut* entry = avfilter_inout_alloc();
        entry->name = av_strdup(name);
        entry->filter_ctx = filter;
        AVFilterInOut** tail = &list;
        while (*tail) tail = &(*tail)->next;
        *tail = entry;
    }
};

Result<AVFilterContext*> add_source(AVFilterGraph* graph, const char* name, int width, int height,
                                    AVPixelFormat format, AVRational time_base) {
    const std::string args = fmt::format("video_size={}x{}:pix_fmt={}:time_base={}/{}:pixel_aspect=1/1",
                                         width, height, int(format), time_base.num, time_base.den);
    AVFilterContext* source = nullptr;
    if (int err = avfilter_graph_create_filter(&source, avfilter_get_by_name("buffer"), name, args.c_str(),
                                               nullptr, graph);
        err < 0) {
        return fail(Code::internal, "palette graph source: " + av_error_text(err));
    }
    return source;
}

Result<AVFilterContext*> add_sink(AVFilterGraph* graph) {
    AVFilterContext* sink = nullptr;
    if (int err = avfilter_graph_create_filter(&sink, avfilter_get_by_name("buffersink"), "out", nullptr,
                                               nullptr, graph);
        err < 0) {
        return fail(Code::internal, "palette graph sink: " + av_error_text(err));
    }
    return sink;
}

Result<void> link(AVFilterGraph* graph, const char* filters, InOut& sources, AVFilterContext* sink) {
    InOut sinks;
    sinks.add("out", sink);
    if (int err = avfilter_graph_parse_ptr(graph, filters, &sinks.list, &sources.list, nullptr); err < 0) {
        return fail(Code::internal, "palette filters: " + av_error_text(err));
    }
    if (int err = avfilter_graph_config(graph, nullptr); err < 0) {
        return fail(Code::internal, "palette graph: " + av_error_text(err));
    }
    return {};
}

Result<bool> take(AVFilterContext* sink, AVFrame* out) {
    const int err = av_buffersink_get_frame(sink, out);
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return false;
    if (err < 0) return fail(Code::internal, "palette graph output: " + av_error_text(err));
    return true;
}

Result<void> give(AVFilterContext* source, AVFrame* frame) {
    if (int err =
            av_buffersrc_add_frame_flags(source, frame, AV_BUFFERSRC_FLAG_KEEP_REF | AV_BUFFERSRC_FLAG_PUSH);
        err < 0) {
        return fail(Code::internal, "palette graph input: " + av_error_text(err));
    }
    return {};
}

}  // namespace

Result<PaletteGraph> PaletteGraph::open(const EncoderSettings& s) {
    PaletteGraph palette;
    palette.width_ = s.width;
    palette.height_ = s.height;
    palette.time_base_ = AVRational{s.fps_den, s.fps_num};
    palette.spill_.reset(std::tmpfile());
    palette.stats_graph_.reset(avfilter_graph_alloc());
    if (!palette.spill_ || !palette.stats_graph_) return fail(Code::io, "cannot create the GIF frame spill");
    AVFilterGraph* graph = palette.stats_graph_.get();
    auto source = add_source(graph, "in", s.width, s.height, kArgb32, palette.time_base_);
    if (!source) return std::unexpected(source.error());
    auto sink = add_sink(graph);
    if (!sink) return std::unexpected(sink.error());
    palette.stats_in_ = *source;
    palette.stats_out_ = *sink;
    InOut sources;
    sources.add("in", *source);
    if (auto linked = link(graph, "[in]palettegen=stats_mode=diff[out]", sources, *sink); !linked) {
        return std::unexpected(linked.error());
    }
    return palette;
}

Result<void> PaletteGraph::push(AVFrame* frame) {
    if (frame) {
        if (auto spilled = spill(frame); !spilled) return spilled;
        return give(stats_in_, frame);
    }
    if (auto closed = give(stats_in_, nullptr); !closed) return closed;
    return start_mapping();
}

Result<void> PaletteGraph::spill(const AVFrame* frame) {
    const std::size_t row_bytes = std::size_t(width_) * 4;
    for (int y = 0; y < height_; ++y) {
        if (std::fwrite(frame->data[0] + std::ptrdiff_t(y) * frame->linesize[0], 1, row_bytes,
                        spill_.get()) != row_bytes) {
            return fail(Code::io, "cannot spill a GIF frame to the temporary file");
        }
    }
    ++spilled_;
    return {};
}

// Builds the second graph: the replayed frames and the finished palette into paletteuse.
Result<void> PaletteGraph::start_mapping() {
    FramePtr palette = make_frame();
    auto got = take(stats_out_, palette.get());
    if (!got) return std::unexpected(got.error());
    if (!*got) return fail(Code::internal, "palettegen produced no palette");
    map_graph_.reset(avfilter_graph_alloc());
    if (!map_graph_) return fail(Code::internal, "out of memory allocating a filter graph");
    AVFilterGraph* graph = map_graph_.get();
    auto frames = add_source(graph, "in", width_, height_, kArgb32, time_base_);
    auto colours =
        add_source(graph, "pal", palette->width, palette->height, AVPixelFormat(palette->format), time_base_);
    auto sink = add_sink(graph);
    if (!frames || !colours || !sink) return fail(Code::internal, "cannot create the palette mapping graph");
    map_in_ = *frames;
    map_palette_ = *colours;
    map_out_ = *sink;
    InOut sources;
    sources.add("in", map_in_);
    sources.add("pal", map_palette_);
    if (auto linked = link(graph, "[in][pal]paletteuse=dither=bayer[out]", sources, map_out_); !linked)
        return linked;
    palette->pts = 0;
    if (auto given = give(map_palette_, palette.get()); !given) return given;
    if (auto closed = give(map_palette_, nullptr); !closed) return closed;
    std::rewind(spill_.get());
    ended_ = true;
    return {};
}

// Feeds the next spilled frame (or, after the last, end of input) to the mapping graph; false when done.
Result<bool> PaletteGraph::replay_next() {
    if (replayed_ == spilled_) {
        if (map_input_closed_) return false;
        map_input_closed_ = true;
        if (auto closed = give(map_in_, nullptr); !closed) return std::unexpected(closed.error());
        return true;
    }
    FramePtr frame = make_frame();
    frame->width = width_;
    frame->height = height_;
    frame->format = kArgb32;
    if (int err = av_frame_get_buffer(frame.get(), 0); err < 0) {
        return fail(Code::internal, "frame buffer: " + av_error_text(err));
    }
    const std::size_t row_bytes = std::size_t(width_) * 4;
    for (int y = 0; y < height_; ++y) {
        if (std::fread(frame->data[0] + std::ptrdiff_t(y) * frame->linesize[0], 1, row_bytes, spill_.get()) !=
            row_bytes) {
            return fail(Code::io, "cannot read back a spilled GIF frame");
        }
    }
    frame->pts = replayed_++;
    if (auto given = give(map_in_, frame.get()); !given) return std::unexpected(given.error());
    return true;
}

Result<bool> PaletteGraph::pull(AVFrame* out) {
    if (!ended_) return false;
    while (true) {
        auto got = take(map_out_, out);
        if (!got || *got) return got;
        auto fed = replay_next();
        if (!fed || !*fed) return fed;
    }
}

}  // namespace vidgen::media::detail
