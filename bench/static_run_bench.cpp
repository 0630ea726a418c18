// CPU cost of a still stretch: 300 identical frames through x264 (RunEncoder) against one keyframe plus
// hand-written skipped frames (encode_static_run), side by side in one run. `make bench` runs it.
#include <benchmark/benchmark.h>

#include <algorithm>

#include "media/encoder.hpp"
#include "media/runs.hpp"
#include "media/static_run.hpp"

namespace vidgen::media {
namespace {

constexpr int kFrames = 300;

EncoderSettings settings_1080p() {
    EncoderSettings s;
    s.width = 1920;
    s.height = 1080;
    s.preset = "veryfast";
    s.audio = false;
    return s;
}

VideoFrame title_card_frame(const EncoderSettings& s) {
    Bitmap bitmap(s.width, s.height);
    for (int y = 0; y < s.height; ++y) {
        std::uint32_t* row = bitmap.row(y);
        for (int x = 0; x < s.width; ++x)
            row[x] = 0xFF203050u + std::uint32_t((x / 64 + y / 64) % 2) * 0x101010u;
    }
    return *FrameConverter(s).convert(bitmap);
}

void EveryFrameThroughX264(benchmark::State& state) {
    auto s = settings_1080p();
    VideoFrame frame = title_card_frame(s);
    for (auto _ : state) {
        auto encoder = RunEncoder::open(s, 0);
        for (int i = 0; i < kFrames; ++i) (void)(*encoder)->write_video(frame.share());
        (void)(*encoder)->finish();
        benchmark::DoNotOptimize((*encoder)->run());
    }
    state.SetItemsProcessed(state.iterations() * kFrames);
}

void KeyframeAndSkippedFrames(benchmark::State& state) {
    auto s = settings_1080p();
    VideoFrame frame = title_card_frame(s);
    for (auto _ : state) benchmark::DoNotOptimize(encode_static_run(s, 0, kFrames, frame.share()));
    state.SetItemsProcessed(state.iterations() * kFrames);
}

BENCHMARK(EveryFrameThroughX264)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK(KeyframeAndSkippedFrames)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

}  // namespace
}  // namespace vidgen::media

BENCHMARK_MAIN();
