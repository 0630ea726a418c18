#include "render/audio_mix.hpp"

#include <gtest/gtest.h>

#include "audio_support.hpp"
#include "support.hpp"

namespace vidgen::render {
namespace {

constexpr double kRate = 48000;

// One second of stereo source whose left and right samples are value(t).
std::vector<float> source(double seconds, const std::function<double(double)>& value) {
    std::vector<float> s;
    for (long i = 0; i < std::lround(seconds * kRate); ++i) s.insert(s.end(), 2, float(value(i / kRate)));
    return s;
}

float at(const std::vector<float>& mix, double seconds) {
    return mix[2 * std::size_t(std::lround(seconds * kRate))];
}

TEST(AudioMix, VolumeScalesTheSource) {
    std::vector<float> mix(2 * 48000, 0.0f);
    AudioPlacement p{"", 0, 1, 0, 1, false, 1, {0.5, 0, 0}};
    place_audio(source(1, [](double) { return 0.8; }), p, 0, mix);
    EXPECT_NEAR(at(mix, 0.5), 0.4, 1e-6);
    EXPECT_NEAR(mix[1], 0.4, 1e-6);
}

TEST(AudioMix, FadesRampLinearlyFromZeroAndToZero) {
    std::vector<float> mix(2 * 48000, 0.0f);
    AudioPlacement p{"", 0, 1, 0, 1, false, 1, {1, 0.2, 0.5}};
    place_audio(source(1, [](double) { return 1.0; }), p, 0, mix);
    EXPECT_NEAR(at(mix, 0), 0, 1e-6);
    EXPECT_NEAR(at(mix, 0.1), 0.5, 1e-3);
    EXPECT_NEAR(at(mix, 0.3), 1, 1e-6);
    EXPECT_NEAR(at(mix, 0.75), 0.5, 1e-3);
    EXPECT_NEAR(mix[mix.size() - 2], 0, 1e-4);
}

TEST(AudioMix, ClipIsPlacedAtItsStartWithinTheRange) {
    std::vector<float> mix(2 * 48000, 0.0f);
    AudioPlacement p{"", 1.0, 1.25, 0, 1, false, 1, {1, 0, 0}};
    place_audio(source(1, [](double) { return 0.5; }), p, 0.5, mix);
    EXPECT_EQ(at(mix, 0.49), 0.0f);
    EXPECT_NEAR(at(mix, 0.5), 0.5, 1e-6);
    EXPECT_NEAR(at(mix, 0.74), 0.5, 1e-6);
    EXPECT_EQ(at(mix, 0.76), 0.0f);
}

TEST(AudioMix, LoopRepeatsTheSource) {
    std::vector<float> mix(2 * 48000, 0.0f);
    AudioPlacement p{"", 0, 1, 0, 1, true, 0.1, {1, 0, 0}};
    place_audio(source(0.1, [](double t) { return t; }), p, 0, mix);
    EXPECT_NEAR(at(mix, 0.05), 0.05, 1e-4);
    EXPECT_NEAR(at(mix, 0.35), 0.05, 1e-4);
    EXPECT_NEAR(at(mix, 0.95), 0.05, 1e-4);
}

TEST(AudioMix, SpeedResamplesTheSource) {
    std::vector<float> mix(2 * 48000, 0.0f);
    AudioPlacement p{"", 0, 0.5, 0, 2, false, 1, {1, 0, 0}};
    place_audio(source(1, [](double t) { return t; }), p, 0, mix);
    EXPECT_NEAR(at(mix, 0.1), 0.2, 1e-4);
    EXPECT_NEAR(at(mix, 0.4), 0.8, 1e-4);
}

TEST(AudioMix, SkippedSecondsShiftTheDecodedSource) {
    std::vector<float> mix(2 * 48000, 0.0f);
    AudioPlacement p{"", 0, 1, 0, 2, false, 4, {1, 0, 0}};
    // Decoded from 0.5 clip seconds in, i.e. source second 1.0 at speed 2.
    place_audio(source(1, [](double t) { return 1 + t; }), p, 0.5, mix, 0.5);
    EXPECT_NEAR(at(mix, 0), 1.0, 1e-4);
    EXPECT_NEAR(at(mix, 0.1), 1.2, 1e-4);
}

TEST(AudioMix, MixesDecodedFilesAndReportsThePeak) {
    testing::TempDir dir;
    auto path = dir.path() / "tone.wav";
    testing::write_wav(path, 1, [](double) { return 0.5; });
    std::vector<AudioPlacement> placements{{path, 0, 2, 0, 1, true, 1, {0.5, 0, 0}},
                                           {path, 0.5, 1.0, 0, 1, false, 1, {1.5, 0, 0}}};
    auto mix = mix_audio(placements, 0, 2, {});
    ASSERT_TRUE(mix) << mix.error().to_string();
    ASSERT_EQ(mix->samples.size(), 2u * 96000);
    EXPECT_NEAR(at(mix->samples, 0.25), 0.25, 2e-3);
    EXPECT_NEAR(at(mix->samples, 1.5), 0.25, 2e-3);
    EXPECT_NEAR(at(mix->samples, 0.75), 1.0, 4e-3);
    EXPECT_NEAR(mix->peak, 1.0, 4e-3);
}

}  // namespace
}  // namespace vidgen::render
