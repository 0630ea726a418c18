// Segment files: write_runs / read_runs, runs written by one process and read back exactly by another.
// Layout (integers little-endian): the magic "VGRUNS1\n"; the label as a length and bytes; the codec
// parameters (kParamCount int64s, then the extradata as a length and bytes); the time base; the run count;
// per run its first frame, frame count and packet count; per packet pts, dts, duration, flags and the data as
// a length and bytes.
#include <fmt/format.h>

#include <bit>
#include <cstring>
#include <fstream>
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

// Writes straight to the file: a segment's packets are not gathered in memory first.
class Writer {
  public:
    explicit Writer(std::ofstream& out) : out_(out) {}
    void number(std::int64_t value) { bytes(&value, sizeof value); }
    void blob(const void* data, std::int64_t size) {
        number(size);
        bytes(data, std::size_t(size));
    }
    void bytes(const void* data, std::size_t size) {
        out_.write(static_cast<const char*>(data), std::streamsize(size));
    }

  private:
    std::ofstream& out_;
};

// Reads from the file as it goes, so that a segment's packets can go straight into a PacketStore.
class Reader {
  public:
    Reader(std::ifstream& in, std::int64_t size) : in_(in), left_(size) {}
    Result<std::int64_t> number() {
        std::int64_t value = 0;
        if (!read(&value, sizeof value)) return truncated();
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
    // The next blob into `out` (reused between calls).
    Result<void> blob(std::string& out) {
        auto size = count(kMaxBlob);
        if (!size) return std::unexpected(size.error());
        if (*size > left_) return truncated();
        out.resize(std::size_t(*size));
        if (!read(out.data(), out.size())) return truncated();
        return {};
    }
    bool take(std::string_view expected) {
        std::string start(expected.size(), '\0');
        return read(start.data(), start.size()) && start == expected;
    }
    bool at_end() { return in_.peek() == std::ifstream::traits_type::eof(); }

  private:
    bool read(void* data, std::size_t size) {
        in_.read(static_cast<char*>(data), std::streamsize(size));
        left_ -= in_.gcount();
        return std::size_t(in_.gcount()) == size;
    }
    static std::unexpected<Error> truncated() {
        return fail(Code::invalid_argument, "segment file: truncated");
    }
    std::ifstream& in_;
    std::int64_t left_;  // bytes not yet read: a damaged length asks for no more than the file holds
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
    std::string bytes;
    if (auto read = in.blob(bytes); !read) return std::unexpected(read.error());
    const std::string_view extradata = bytes;
    AVCodecParameters& p = *impl.params;
    params_in(p, values);
    if (p.codec_type != AVMEDIA_TYPE_VIDEO || p.codec_id != AV_CODEC_ID_H264 || p.width <= 0 || p.height <= 0)
        return fail(Code::invalid_argument, "segment file: not an H.264 video stream");
    p.extradata = static_cast<std::uint8_t*>(av_mallocz(extradata.size() + AV_INPUT_BUFFER_PADDING_SIZE));
    if (!p.extradata) return fail(Code::internal, "out of memory");
    std::memcpy(p.extradata, extradata.data(), extradata.size());
    p.extradata_size = int(extradata.size());
    return {};
}

// The next packet into `store`; `data` is a buffer reused between packets.
Result<void> read_packet(Reader& in, std::string& data, PacketStore& store) {
    std::int64_t fields[4];
    if (auto read = in.numbers(fields); !read) return std::unexpected(read.error());
    if (auto read = in.blob(data); !read) return std::unexpected(read.error());
    PacketPtr packet = make_packet();  // borrows `data`: not reference-counted, so the store copies it
    if (!packet) return fail(Code::internal, "out of memory");
    packet->data = reinterpret_cast<std::uint8_t*>(data.data());
    packet->size = int(data.size());
    packet->pts = fields[0];
    packet->dts = fields[1];
    packet->duration = fields[2];
    packet->flags = int(fields[3]);
    return store.append(*packet);
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
    std::string data;
    for (std::int64_t i = 0; i < *packets; ++i)
        if (auto read = read_packet(in, data, impl->packets); !read) return std::unexpected(read.error());
    return std::make_shared<const EncodedStream>(std::move(impl));
}

Result<void> write_run(Writer& out, const EncodedStream::Impl& run) {
    out.number(run.first_frame);
    out.number(run.frames);
    out.number(std::int64_t(run.packets.size()));
    for (std::size_t i = 0; i < run.packets.size(); ++i) {
        auto packet = run.packets.read(i);
        if (!packet) return std::unexpected(packet.error());
        const AVPacket& p = **packet;
        for (std::int64_t field : {p.pts, p.dts, p.duration, std::int64_t(p.flags)}) out.number(field);
        out.blob(p.data, p.size);
    }
    return {};
}

}  // namespace

Result<void> write_runs(std::span<const std::shared_ptr<const EncodedStream>> runs,
                        const std::filesystem::path& path, std::string_view label) {
    if (runs.empty()) return fail(Code::internal, "write_runs needs at least one run");
    const auto& head = runs.front()->impl();
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    Writer out(file);
    out.bytes(kMagic.data(), kMagic.size());
    out.blob(label.data(), std::int64_t(label.size()));
    std::int64_t values[kParamCount];
    params_out(*head.params, values);
    for (std::int64_t value : values) out.number(value);
    out.blob(head.params->extradata, head.params->extradata_size);
    out.number(head.time_base.num);
    out.number(head.time_base.den);
    out.number(std::int64_t(runs.size()));
    Result<void> written;
    for (std::size_t i = 0; i < runs.size() && written && file; ++i)
        written = write_run(out, runs[i]->impl());
    file.close();
    if (written && !file) written = fail(Code::io, fmt::format("cannot write {}", path.string()));
    if (!written) {
        std::error_code ec;
        std::filesystem::remove(path, ec);
    }
    return written;
}

Result<std::vector<std::shared_ptr<const EncodedStream>>> read_runs(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return fail(Code::not_found, fmt::format("cannot open {}", path.string()));
    std::error_code ec;
    Reader in(file, std::int64_t(std::filesystem::file_size(path, ec)));
    if (ec || !in.take(kMagic)) return fail(Code::invalid_argument, "not a segment file: " + path.string());
    std::string label;
    if (auto read = in.blob(label); !read) return std::unexpected(read.error());
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
