#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include "fixtures.hpp"
#include "media/probe.hpp"
#include "media/runs.hpp"
#include "media_fixtures.hpp"

namespace vidgen::media {
namespace {

using testing::TempDir;

EncoderSettings settings_for(const std::filesystem::path& path) {
    EncoderSettings s;
    s.path = path;
    s.width = 160;
    s.height = 120;
    return s;
}

// `frames` frames of a moving gradient numbered from `first`, so the run has B-frames and P-frames.
std::shared_ptr<const EncodedStream> moving_run(const EncoderSettings& s, std::int64_t first, int frames) {
    auto encoder = RunEncoder::open(s, first);
    EXPECT_TRUE(encoder) << encoder.error().to_string();
    FrameConverter converter(s);
    Bitmap bitmap(s.width, s.height);
    for (int i = 0; i < frames; ++i) {
        for (int y = 0; y < bitmap.height(); ++y)
            for (int x = 0; x < bitmap.width(); ++x) bitmap.row(y)[x] = testing::grey((x + y + 3 * i) & 0xFF);
        auto frame = converter.convert(bitmap);
        EXPECT_TRUE(frame && (*encoder)->write_video(std::move(*frame)));
    }
    EXPECT_TRUE((*encoder)->finish());
    return (*encoder)->run();
}

std::string file_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::filesystem::path& path, std::string_view bytes) {
    std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

TEST(RunsFile, ReadsBackRunsThatMuxToTheSameBytes) {
    TempDir dir;
    auto s = settings_for(dir / "direct.mp4");
    std::vector runs{moving_run(s, 0, 20), moving_run(s, 20, 1), moving_run(s, 21, 19)};
    ASSERT_TRUE(write_runs(runs, dir / "segment.runs", "job_1"));
    ASSERT_TRUE(write_runs(runs, dir / "other.runs", "job_2"));
    EXPECT_NE(file_bytes(dir / "segment.runs"), file_bytes(dir / "other.runs"));
    auto read = read_runs(dir / "segment.runs");
    ASSERT_TRUE(read) << read.error().to_string();
    ASSERT_EQ(read->size(), runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i)
        EXPECT_EQ((*read)[i]->packet_count(), runs[i]->packet_count()) << i;

    ASSERT_TRUE(mux_runs(s, runs, nullptr));
    s.path = dir / "read.mp4";
    ASSERT_TRUE(mux_runs(s, *read, nullptr));
    EXPECT_EQ(file_bytes(dir / "direct.mp4"), file_bytes(dir / "read.mp4"));
    auto info = probe(dir / "read.mp4");
    ASSERT_TRUE(info) << info.error().to_string();
    EXPECT_NEAR(info->video()->duration, 40.0 / 30, 1e-6);
}

TEST(RunsFile, RunsOfTwoFilesJoinInOrder) {
    TempDir dir;
    auto s = settings_for(dir / "joined.mp4");
    std::vector first{moving_run(s, 0, 15)};
    std::vector second{moving_run(s, 15, 15)};
    ASSERT_TRUE(write_runs(first, dir / "0.runs"));
    ASSERT_TRUE(write_runs(second, dir / "1.runs"));
    auto a = read_runs(dir / "0.runs");
    auto b = read_runs(dir / "1.runs");
    ASSERT_TRUE(a && b);
    std::vector joined = *a;
    joined.insert(joined.end(), b->begin(), b->end());
    ASSERT_TRUE(mux_runs(s, joined, nullptr));
    auto info = probe(s.path);
    ASSERT_TRUE(info);
    EXPECT_NEAR(info->video()->duration, 1.0, 1e-6);
}

TEST(RunsFile, RefusesDamagedFilesWithAClearError) {
    TempDir dir;
    auto s = settings_for(dir / "x.mp4");
    std::vector runs{moving_run(s, 0, 10)};
    ASSERT_TRUE(write_runs(runs, dir / "good.runs"));
    std::string good = file_bytes(dir / "good.runs");

    write_bytes(dir / "magic.runs", "NOTRUNS!" + good.substr(8));
    write_bytes(dir / "short.runs", good.substr(0, good.size() / 2));
    write_bytes(dir / "long.runs", good + "x");
    std::string huge = good;
    std::int64_t absurd = std::int64_t(1) << 40;
    std::memcpy(huge.data() + 8 + 8 + 14 * 8, &absurd, sizeof absurd);  // the extradata's length
    write_bytes(dir / "huge.runs", huge);
    for (const char* name : {"magic.runs", "short.runs", "long.runs", "huge.runs"}) {
        auto read = read_runs(dir / name);
        ASSERT_FALSE(read) << name;
        EXPECT_EQ(read.error().code, Code::invalid_argument) << name;
    }
    auto missing = read_runs(dir / "missing.runs");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Code::not_found);
}

}  // namespace
}  // namespace vidgen::media
