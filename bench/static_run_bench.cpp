// CPU cost of a still stretch: 300 identical frames through x264 (RunEncoder::write_video) against x264's
// picture every 29 frames plus hand-written skipped frames (RunEncoder::write_still), side by side in one
// run. `make bench` runs it.
#include <benchmark/benchmark.h>

#include <algorithm>

#include "media/encoder.hpp"
#include "media/runs.hpp"

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

void StillInsideTheStream(benchmark::State& state) {
    auto s = settings_1080p();
    VideoFrame frame = title_card_frame(s);
    for (auto _ : state) {
        auto encoder = RunEncoder::open(s, 0);
        (void)(*encoder)->write_still(frame.share(), kFrames);
        (void)(*encoder)->finish();
        benchmark::DoNotOptimize((*encoder)->run());
    }
    state.SetItemsProcessed(state.iterations() * kFrames);
}

BENCHMARK(EveryFrameThroughX264)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK(StillInsideTheStream)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

}  // namespace
}  // namespace vidgen::media

BENCHMARK_MAIN();
