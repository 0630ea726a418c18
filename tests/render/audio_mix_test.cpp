#include "render/audio_mix.hpp"

#include <gtest/gtest.h>

#include "audio_support.hpp"
#include "support.hpp"

namespace vidgen::render {
namespace {

constexpr double kRate = 48000;

// The whole mix, asked for in pieces of growing, uneven sizes (1, 10, 37, …), and its peak.
struct Mixed {
    std::vector<float> samples;
    float peak = 0;
};

Mixed mix_all(std::span<const AudioPlacement> placements, double range_start, double duration,
              std::size_t first_piece = 1, double kept_loop_seconds = kKeptLoopSeconds) {
    AudioMixer mixer(placements, range_start, duration, {}, kept_loop_seconds);
    Mixed out;
    for (std::size_t piece = first_piece;; piece = piece * 3 + 7) {
        auto chunk = mixer.next(piece);
        EXPECT_TRUE(chunk) << chunk.error().to_string();
        if (!chunk || chunk->empty()) break;
        out.samples.insert(out.samples.end(), chunk->begin(), chunk->end());
    }
    out.peak = mixer.peak();
    return out;
}

float at(const std::vector<float>& mix, double seconds) {
    return mix[2 * std::size_t(std::lround(seconds * kRate))];
}

class AudioMix : public ::testing::Test {
  protected:
    // `seconds` of a WAV source whose samples are value(t), written once per test.
    std::filesystem::path source(double seconds, const std::function<double(double)>& value) {
        auto path = dir_.path() / ("s" + std::to_string(count_++) + ".wav");
        testing::write_wav(path, seconds, value);
        return path;
    }
    testing::TempDir dir_;
    int count_ = 0;
};

TEST_F(AudioMix, VolumeScalesTheSource) {
    std::vector<AudioPlacement> p{{source(1, [](double) { return 0.8; }), 0, 1, 0, 1, false, 1, {0.5, 0, 0}}};
    auto mix = mix_all(p, 0, 1);
    ASSERT_EQ(mix.samples.size(), 2u * 48000);
    EXPECT_NEAR(at(mix.samples, 0.5), 0.4, 1e-4);
    EXPECT_NEAR(mix.samples[1], 0.4, 1e-4);
}

TEST_F(AudioMix, FadesRampLinearlyFromZeroAndToZero) {
    std::vector<AudioPlacement> p{
        {source(1, [](double) { return 1.0; }), 0, 1, 0, 1, false, 1, {1, 0.2, 0.5}}};
    auto mix = mix_all(p, 0, 1).samples;
    EXPECT_NEAR(at(mix, 0), 0, 1e-6);
    EXPECT_NEAR(at(mix, 0.1), 0.5, 1e-3);
    EXPECT_NEAR(at(mix, 0.3), 1, 1e-4);
    EXPECT_NEAR(at(mix, 0.75), 0.5, 1e-3);
    EXPECT_NEAR(mix[mix.size() - 2], 0, 1e-4);
}

TEST_F(AudioMix, ClipIsPlacedAtItsStartWithinTheRange) {
    std::vector<AudioPlacement> p{
        {source(1, [](double) { return 0.5; }), 1.0, 1.25, 0, 1, false, 1, {1, 0, 0}}};
    auto mix = mix_all(p, 0.5, 1).samples;
    EXPECT_EQ(at(mix, 0.49), 0.0f);
    EXPECT_NEAR(at(mix, 0.5), 0.5, 1e-4);
    EXPECT_NEAR(at(mix, 0.74), 0.5, 1e-4);
    EXPECT_EQ(at(mix, 0.76), 0.0f);
}

TEST_F(AudioMix, LoopRepeatsTheSource) {
    std::vector<AudioPlacement> p{
        {source(0.1, [](double t) { return t; }), 0, 1, 0, 1, true, 0.1, {1, 0, 0}}};
    auto mix = mix_all(p, 0, 1).samples;
    EXPECT_NEAR(at(mix, 0.05), 0.05, 1e-4);
    EXPECT_NEAR(at(mix, 0.35), 0.05, 1e-4);
    EXPECT_NEAR(at(mix, 0.95), 0.05, 1e-4);
}

TEST_F(AudioMix, SpeedResamplesTheSource) {
    std::vector<AudioPlacement> p{{source(1, [](double t) { return t; }), 0, 0.5, 0, 2, false, 1, {1, 0, 0}}};
    auto mix = mix_all(p, 0, 0.5).samples;
    EXPECT_NEAR(at(mix, 0.1), 0.2, 1e-4);
    EXPECT_NEAR(at(mix, 0.4), 0.8, 1e-4);
}

TEST_F(AudioMix, ARangeIntoAClipStartsWhereTheClipHasGotTo) {
    // At speed 2, the clip's second 0.5 (the range's start) plays source second 1.0.
    std::vector<AudioPlacement> p{
        {source(4, [](double t) { return t / 4; }), 0, 1, 0, 2, false, 4, {1, 0, 0}}};
    auto mix = mix_all(p, 0.5, 0.5).samples;
    EXPECT_NEAR(at(mix, 0), 0.25, 1e-4);
    EXPECT_NEAR(at(mix, 0.1), 0.3, 1e-4);
}

// Loops, speeds, trims, ranges and overlaps mix to the same samples however the mix is asked for, whether
// a loop's source is kept or decoded again for each pass, and a range part way through a long loop (which
// skips the source's earlier passes) to the same samples as the whole mix there.
TEST_F(AudioMix, PiecesOfAnySizeMixTheSameSamples) {
    auto tone = source(0.37, [](double t) { return std::sin(t * 900); });
    auto ramp = source(1.3, [](double t) { return t / 2; });
    std::vector<AudioPlacement> p{{tone, 0, 9, 0.05, 1.5, true, 0.37, {0.5, 0.2, 1}},
                                  {ramp, 1.2, 4, 0.1, 0.75, false, 1.3, {1, 0, 0.5}},
                                  {ramp, 3, 9, 0, 1, true, 1.3, {0.3, 0, 0}}};
    auto whole = mix_all(p, 0, 9, 9 * 48000).samples;
    ASSERT_EQ(whole.size(), 2u * 9 * 48000);
    EXPECT_EQ(mix_all(p, 0, 9).samples, whole);
    for (double kept : {kKeptLoopSeconds, 0.0}) {
        EXPECT_EQ(mix_all(p, 0, 9, 1600, kept).samples, whole) << kept;
        auto part = mix_all(p, 6.5, 2, 1, kept).samples;
        ASSERT_EQ(part.size(), 2u * 2 * 48000);
        EXPECT_TRUE(std::equal(part.begin(), part.end(), whole.begin() + 2 * 6.5 * 48000)) << kept;
    }
}

TEST_F(AudioMix, MixesDecodedFilesAndReportsThePeak) {
    auto path = source(1, [](double) { return 0.5; });
    std::vector<AudioPlacement> placements{{path, 0, 2, 0, 1, true, 1, {0.5, 0, 0}},
                                           {path, 0.5, 1.0, 0, 1, false, 1, {1.5, 0, 0}}};
    auto mix = mix_all(placements, 0, 2);
    ASSERT_EQ(mix.samples.size(), 2u * 96000);
    EXPECT_NEAR(at(mix.samples, 0.25), 0.25, 2e-3);
    EXPECT_NEAR(at(mix.samples, 1.5), 0.25, 2e-3);
    EXPECT_NEAR(at(mix.samples, 0.75), 1.0, 4e-3);
    EXPECT_NEAR(mix.peak, 1.0, 4e-3);
}

TEST_F(AudioMix, AnUnreadableSourceIsAnErrorWhenTheMixReachesIt) {
    auto bad = dir_.path() / "bad.wav";
    std::ofstream(bad) << "not a wav";
    std::vector<AudioPlacement> p{{bad, 1, 2, 0, 1, false, 1, {1, 0, 0}}};
    AudioMixer mixer(p, 0, 2, {});
    ASSERT_TRUE(mixer.next(48000));
    auto reached = mixer.next(48000);
    ASSERT_FALSE(reached);
    EXPECT_EQ(reached.error().code, Code::unsupported) << reached.error().to_string();
}

}  // namespace
}  // namespace vidgen::render
