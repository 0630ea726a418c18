// Media written by the module's own Encoder for the probe and decoder tests: frame i is a flat grey of
// level 4·i (so a decoded frame tells its index), with chirp() as its sound.
#pragma once

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "media/encoder.hpp"
#include "media/runs.hpp"

namespace vidgen::media::testing {

inline std::uint32_t grey(int level) {
    const auto v = std::uint32_t(level);
    return 0xFF000000u | (v << 16) | (v << 8) | v;
}

// A rising tone (200 Hz to 2 kHz over 4 s, then again) at amplitude 0.5 on both channels: no two stretches
// look alike, so a decoded copy lines up with it only at the right sample.
inline std::vector<float> chirp(double seconds) {
    std::vector<float> samples;
    const auto count = std::size_t(seconds * 48000);
    for (std::size_t i = 0; i < count; ++i) {
        const double t = std::fmod(double(i) / 48000, 4.0);
        const auto v = float(0.5 * std::sin(2 * M_PI * (200 * t + 225 * t * t)));
        samples.push_back(v);
        samples.push_back(v);
    }
    return samples;
}

// Gives `samples` (which must outlive it) to encode_audio_track as asked.
inline AudioPull pull_from(std::span<const float> samples) {
    return [samples, at = std::size_t(0)](std::size_t frames) mutable -> Result<std::span<const float>> {
        auto piece = samples.subspan(at, std::min(frames * 2, samples.size() - at));
        at += piece.size();
        return piece;
    };
}

// Writes `frames` grey-ramp frames and, when settings.audio, their length of chirp(). Fails the test on
// error.
inline void write_test_video(const EncoderSettings& settings, int frames) {
    auto encoder = Encoder::open(settings);
    ASSERT_TRUE(encoder) << encoder.error().to_string();
    FrameConverter converter(settings);
    Bitmap bitmap(settings.width, settings.height);
    for (int i = 0; i < frames; ++i) {
        for (int y = 0; y < bitmap.height(); ++y)
            std::fill_n(bitmap.row(y), bitmap.width(), grey(4 * i % 256));
        auto frame = converter.convert(bitmap);
        ASSERT_TRUE(frame) << frame.error().to_string();
        ASSERT_TRUE((*encoder)->write_video(std::move(*frame)));
    }
    if (settings.audio) {
        const auto audio = chirp(double(frames) * settings.fps_den / settings.fps_num);
        // Uneven chunks: the encoder must buffer across calls.
        for (std::size_t at = 0; at < audio.size(); at += 3002) {
            const std::size_t n = std::min<std::size_t>(3002, audio.size() - at);
            ASSERT_TRUE((*encoder)->write_audio(std::span(audio).subspan(at, n)));
        }
    }
    auto done = (*encoder)->finish();
    ASSERT_TRUE(done) << done.error().to_string();
}

}  // namespace vidgen::media::testing
