#include "media/detail/packet_store.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <thread>

#include "fixtures.hpp"
#include "media/detail/encoded_stream.hpp"
#include "media/runs.hpp"
#include "media_fixtures.hpp"

namespace vidgen::media {
namespace {

using detail::PacketPtr;
using detail::PacketStore;
using testing::TempDir;

// Packet `i` of a made-up stream: sizes from 1 byte to a few kilobytes, every tenth a keyframe.
PacketPtr made_up_packet(int i) {
    PacketPtr packet = detail::make_packet();
    EXPECT_EQ(av_new_packet(packet.get(), 1 + (i * 397) % 3000), 0);
    for (int b = 0; b < packet->size; ++b) packet->data[b] = std::uint8_t(i * 31 + b * 7);
    packet->pts = i + 2;
    packet->dts = i;
    packet->duration = 1;
    packet->flags = i % 10 == 0 ? AV_PKT_FLAG_KEY : 0;
    return packet;
}

void expect_equal(const AVPacket& got, const AVPacket& want, std::size_t index) {
    SCOPED_TRACE(::testing::Message() << "packet " << index);
    EXPECT_EQ(std::vector(got.data, got.data + got.size), std::vector(want.data, want.data + want.size));
    EXPECT_EQ(got.pts, want.pts);
    EXPECT_EQ(got.dts, want.dts);
    EXPECT_EQ(got.duration, want.duration);
    EXPECT_EQ(got.flags, want.flags);
}

std::vector<PacketPtr> made_up_packets(int count) {
    std::vector<PacketPtr> packets;
    for (int i = 0; i < count; ++i) packets.push_back(made_up_packet(i));
    return packets;
}

TEST(PacketStore, SpilledPacketsComeBackEqual) {
    const auto packets = made_up_packets(60);
    PacketStore store(10'000);
    for (const auto& packet : packets) ASSERT_TRUE(store.append(*packet));
    ASSERT_TRUE(store.spilled());
    ASSERT_EQ(store.size(), packets.size());
    for (std::size_t i = 0; i < packets.size(); ++i) {
        auto read = store.read(i);
        ASSERT_TRUE(read) << read.error().to_string();
        expect_equal(**read, *packets[i], i);
        EXPECT_EQ(store.info(i).size, packets[i]->size);
        EXPECT_EQ(store.info(i).dts, packets[i]->dts);
    }
}

TEST(PacketStore, AStoreWithinItsBoundMakesNoFile) {
    TempDir dir;
    const auto packets = made_up_packets(5);
    PacketStore store(PacketStore::kMemoryBound, dir / "missing");
    for (const auto& packet : packets) ASSERT_TRUE(store.append(*packet));
    EXPECT_FALSE(store.spilled());
    for (std::size_t i = 0; i < packets.size(); ++i) expect_equal(**store.read(i), *packets[i], i);
}

TEST(PacketStore, ATempDirThatCannotBeWrittenIsAnIoError) {
    TempDir dir;
    testing::write_bytes(dir / "a_file", "not a folder");
    for (const char* name : {"missing", "a_file"}) {
        PacketStore store(1000, dir / name);
        ASSERT_TRUE(store.append(*made_up_packet(1)));
        auto appended = store.append(*made_up_packet(2));
        ASSERT_FALSE(appended) << name;
        EXPECT_EQ(appended.error().code, Code::io) << name;
        EXPECT_EQ(store.size(), 1u) << name;
    }
}

TEST(PacketStore, ThreadsReadASpilledStoreAtOnce) {
    const auto packets = made_up_packets(200);
    PacketStore store(20'000);
    for (const auto& packet : packets) ASSERT_TRUE(store.append(*packet));
    ASSERT_TRUE(store.spilled());
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < mismatches.size(); ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 3; ++round) {
                for (std::size_t k = 0; k < packets.size(); ++k) {
                    const std::size_t i = (k * (t + 1) * 7) % packets.size();
                    auto read = store.read(i);
                    const AVPacket& want = *packets[i];
                    mismatches[t] += !read || (*read)->size != want.size || (*read)->pts != want.pts ||
                                     std::memcmp((*read)->data, want.data, std::size_t(want.size)) != 0;
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

EncoderSettings small_settings(const std::filesystem::path& path) {
    EncoderSettings s;
    s.path = path;
    s.width = 160;
    s.height = 120;
    return s;
}

// A moving run, so that it has I, P and B frames.
std::shared_ptr<const EncodedStream> moving_run(const EncoderSettings& s, int frames) {
    auto encoder = RunEncoder::open(s, 0);
    EXPECT_TRUE(encoder) << encoder.error().to_string();
    FrameConverter converter(s);
    Bitmap bitmap(s.width, s.height);
    for (int i = 0; i < frames; ++i) {
        for (int y = 0; y < bitmap.height(); ++y)
            for (int x = 0; x < bitmap.width(); ++x)
                bitmap.row(y)[x] = testing::grey((x + 2 * y + 5 * i) & 0xFF);
        auto frame = converter.convert(bitmap);
        EXPECT_TRUE(frame && (*encoder)->write_video(std::move(*frame)));
    }
    EXPECT_TRUE((*encoder)->finish());
    return (*encoder)->run();
}

// `stream` again, its packets in a store that keeps at most `bound` bytes in memory.
std::shared_ptr<const EncodedStream> copied(const EncodedStream& stream, std::size_t bound) {
    const auto& from = stream.impl();
    auto impl = std::make_unique<EncodedStream::Impl>();
    EXPECT_GE(avcodec_parameters_copy(impl->params.get(), from.params.get()), 0);
    impl->time_base = from.time_base;
    impl->first_frame = from.first_frame;
    impl->frames = from.frames;
    impl->packets = PacketStore(bound);
    for (std::size_t i = 0; i < from.packets.size(); ++i)
        EXPECT_TRUE(impl->packets.append(**from.packets.read(i)));
    EXPECT_TRUE(impl->packets.spilled());
    return std::make_shared<const EncodedStream>(std::move(impl));
}

std::string file_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(PacketStore, RunsMuxedFromSpilledStoresEqualInMemoryOnes) {
    TempDir dir;
    auto s = small_settings(dir / "memory.mp4");
    const auto run = moving_run(s, 45);
    ASSERT_FALSE(run->impl().packets.spilled());
    auto audio = encode_audio_track(testing::pull_from(testing::chirp(1.5)), 1.5, s);
    ASSERT_TRUE(audio) << audio.error().to_string();
    ASSERT_TRUE(mux_runs(s, std::vector{run}, audio->get()));
    ASSERT_TRUE(write_runs(std::vector{run}, dir / "memory.runs"));

    const auto spilled_run = copied(*run, 2'000);
    const auto spilled_audio = copied(**audio, 500);
    s.path = dir / "spilled.mp4";
    ASSERT_TRUE(mux_runs(s, std::vector{spilled_run}, spilled_audio.get()));
    ASSERT_TRUE(write_runs(std::vector{spilled_run}, dir / "spilled.runs"));
    EXPECT_EQ(file_bytes(dir / "memory.mp4"), file_bytes(dir / "spilled.mp4"));
    EXPECT_EQ(file_bytes(dir / "memory.runs"), file_bytes(dir / "spilled.runs"));
}

}  // namespace
}  // namespace vidgen::media
