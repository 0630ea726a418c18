// Segment files: write_runs / read_runs, runs written by one process and read back exactly by another.
// Layout (integers little-endian): the magic "VGRUNS1\n"; the label as a length and bytes; the codec
// parameters (kParamCount int64s, then the extradata as a length and bytes); the time base; the run count;
// per run its first frame, frame count and packet count; per packet pts, dts, duration, flags and the data as
// a length and bytes.
#include <fmt/format.h>

#include <bit>
#include <cstring>
#include <fstream>
#include <iterator>
#include <span>

#include "media/detail/encoded_stream.hpp"
#include "media/runs.hpp"

namespace vidgen::media {
namespace {

static_assert(std::endian::native == std::endian::little, "segment files are read as little-endian");

using namespace detail;

constexpr std::string_view kMagic = "VGRUNS1\n";
// Bounds that keep a damaged or hostile file from asking for absurd allocations.
constexpr std::int64_t kMaxRuns = 1'000'000;
constexpr std::int64_t kMaxPackets = 10'000'000;
constexpr std::int64_t kMaxBlob = 256LL << 20;

class Writer {
  public:
    void number(std::int64_t value) { bytes(&value, sizeof value); }
    void blob(const void* data, std::int64_t size) {
        number(size);
        bytes(data, std::size_t(size));
    }
    void bytes(const void* data, std::size_t size) { out_.append(static_cast<const char*>(data), size); }
    const std::string& text() const { return out_; }

  private:
    std::string out_;
};

class Reader {
  public:
    explicit Reader(std::string_view in) : in_(in) {}
    Result<std::int64_t> number() {
        std::int64_t value = 0;
        if (in_.size() < sizeof value) return truncated();
        std::memcpy(&value, in_.data(), sizeof value);
        in_.remove_prefix(sizeof value);
        return value;
    }
    Result<void> numbers(std::span<std::int64_t> out) {
        for (auto& value : out) {
            auto n = number();
            if (!n) return std::unexpected(n.error());
            value = *n;
        }
        return {};
    }
    Result<std::int64_t> count(std::int64_t most) {
        auto n = number();
        if (n && (*n < 0 || *n > most)) return fail(Code::invalid_argument, "segment file: bad count");
        return n;
    }
    Result<std::string_view> blob() {
        auto size = count(kMaxBlob);
        if (!size) return std::unexpected(size.error());
        if (std::int64_t(in_.size()) < *size) return truncated();
        auto out = in_.substr(0, std::size_t(*size));
        in_.remove_prefix(out.size());
        return out;
    }
    bool take(std::string_view expected) {
        if (!in_.starts_with(expected)) return false;
        in_.remove_prefix(expected.size());
        return true;
    }
    bool at_end() const { return in_.empty(); }

  private:
    static std::unexpected<Error> truncated() {
        return fail(Code::invalid_argument, "segment file: truncated");
    }
    std::string_view in_;
};

// The codec parameters an mp4 muxer needs for H.264, in file order.
constexpr int kParamCount = 14;
void params_out(const AVCodecParameters& p, std::int64_t (&v)[kParamCount]) {
    std::int64_t values[kParamCount] = {p.codec_type,
                                        p.codec_id,
                                        p.format,
                                        p.width,
                                        p.height,
                                        p.profile,
                                        p.level,
                                        p.color_range,
                                        p.color_primaries,
                                        p.color_trc,
                                        p.color_space,
                                        p.chroma_location,
                                        p.sample_aspect_ratio.num,
                                        p.sample_aspect_ratio.den};
    std::copy(std::begin(values), std::end(values), v);
}

void params_in(AVCodecParameters& p, const std::int64_t (&v)[kParamCount]) {
    p.codec_type = AVMediaType(v[0]);
    p.codec_id = AVCodecID(v[1]);
    p.format = int(v[2]);
    p.width = int(v[3]);
    p.height = int(v[4]);
    p.profile = int(v[5]);
    p.level = int(v[6]);
    p.color_range = AVColorRange(v[7]);
    p.color_primaries = AVColorPrimaries(v[8]);
    p.color_trc = AVColorTransferCharacteristic(v[9]);
    p.color_space = AVColorSpace(v[10]);
    p.chroma_location = AVChromaLocation(v[11]);
    p.sample_aspect_ratio = {int(v[12]), int(v[13])};
}

Result<void> read_params(Reader& in, EncodedStream::Impl& impl) {
    std::int64_t values[kParamCount];
    if (auto read = in.numbers(values); !read) return std::unexpected(read.error());
    auto extradata = in.blob();
    if (!extradata) return std::unexpected(extradata.error());
    AVCodecParameters& p = *impl.params;
    params_in(p, values);
    if (p.codec_type != AVMEDIA_TYPE_VIDEO || p.codec_id != AV_CODEC_ID_H264 || p.width <= 0 || p.height <= 0)
        return fail(Code::invalid_argument, "segment file: not an H.264 video stream");
    p.extradata = static_cast<std::uint8_t*>(av_mallocz(extradata->size() + AV_INPUT_BUFFER_PADDING_SIZE));
    if (!p.extradata) return fail(Code::internal, "out of memory");
    std::memcpy(p.extradata, extradata->data(), extradata->size());
    p.extradata_size = int(extradata->size());
    return {};
}

Result<PacketPtr> read_packet(Reader& in) {
    std::int64_t fields[4];
    if (auto read = in.numbers(fields); !read) return std::unexpected(read.error());
    auto data = in.blob();
    if (!data) return std::unexpected(data.error());
    PacketPtr packet = make_packet();
    if (av_new_packet(packet.get(), int(data->size())) < 0) return fail(Code::internal, "out of memory");
    std::memcpy(packet->data, data->data(), data->size());
    packet->pts = fields[0];
    packet->dts = fields[1];
    packet->duration = fields[2];
    packet->flags = int(fields[3]);
    return packet;
}

// One run's packets, sharing the file's parameters and time base.
Result<std::shared_ptr<const EncodedStream>> read_run(Reader& in, const EncodedStream::Impl& shared) {
    auto impl = std::make_unique<EncodedStream::Impl>();
    avcodec_parameters_copy(impl->params.get(), shared.params.get());
    impl->time_base = shared.time_base;
    auto first = in.number();
    auto frames = in.count(kMaxPackets);
    auto packets = in.count(kMaxPackets);
    if (!first || !frames || !packets) return fail(Code::invalid_argument, "segment file: bad run header");
    impl->first_frame = *first;
    impl->frames = *frames;
    for (std::int64_t i = 0; i < *packets; ++i) {
        auto packet = read_packet(in);
        if (!packet) return std::unexpected(packet.error());
        impl->packets.push_back(std::move(*packet));
    }
    return std::make_shared<const EncodedStream>(std::move(impl));
}

}  // namespace

Result<void> write_runs(std::span<const std::shared_ptr<const EncodedStream>> runs,
                        const std::filesystem::path& path, std::string_view label) {
    if (runs.empty()) return fail(Code::internal, "write_runs needs at least one run");
    const auto& head = runs.front()->impl();
    Writer out;
    out.bytes(kMagic.data(), kMagic.size());
    out.blob(label.data(), std::int64_t(label.size()));
    std::int64_t values[kParamCount];
    params_out(*head.params, values);
    for (std::int64_t value : values) out.number(value);
    out.blob(head.params->extradata, head.params->extradata_size);
    out.number(head.time_base.num);
    out.number(head.time_base.den);
    out.number(std::int64_t(runs.size()));
    for (const auto& run : runs) {
        const auto& r = run->impl();
        out.number(r.first_frame);
        out.number(r.frames);
        out.number(std::int64_t(r.packets.size()));
        for (const auto& p : r.packets) {
            for (std::int64_t field : {p->pts, p->dts, p->duration, std::int64_t(p->flags)})
                out.number(field);
            out.blob(p->data, p->size);
        }
    }
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(out.text().data(), std::streamsize(out.text().size()));
    file.close();
    if (!file) return fail(Code::io, fmt::format("cannot write {}", path.string()));
    return {};
}

Result<std::vector<std::shared_ptr<const EncodedStream>>> read_runs(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return fail(Code::not_found, fmt::format("cannot open {}", path.string()));
    std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    Reader in(bytes);
    if (!in.take(kMagic)) return fail(Code::invalid_argument, "not a segment file: " + path.string());
    if (auto label = in.blob(); !label) return std::unexpected(label.error());
    EncodedStream::Impl shared;
    if (auto ok = read_params(in, shared); !ok) return std::unexpected(ok.error());
    auto num = in.number();
    auto den = in.number();
    auto count = in.count(kMaxRuns);
    if (!num || !den || !count || *num <= 0 || *den <= 0 || *num > INT32_MAX || *den > INT32_MAX)
        return fail(Code::invalid_argument, "segment file: bad time base");
    shared.time_base = {int(*num), int(*den)};
    std::vector<std::shared_ptr<const EncodedStream>> runs;
    for (std::int64_t i = 0; i < *count; ++i) {
        auto run = read_run(in, shared);
        if (!run) return std::unexpected(run.error());
        runs.push_back(std::move(*run));
    }
    if (!in.at_end()) return fail(Code::invalid_argument, "segment file: trailing bytes");
    return runs;
}

}  // namespace vidgen::media
