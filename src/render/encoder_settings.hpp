// Encoder settings for a plan's output: container from the format, CRF and x264 preset from the quality
// (draft 28/ultrafast, standard 23/veryfast, high 18/medium; `crf` overrides), the frame rate as a
// fraction (29.97 → 30000/1001) and an audio stream for mp4/webm when anything makes sound. Pure.
#pragma once

#include <filesystem>

#include "media/encoder.hpp"

namespace vidgen::render {

class Plan;

struct Fraction {
    int num = 30, den = 1;
};

Fraction fps_fraction(double fps);

media::EncoderSettings encoder_settings(const Plan& plan, const std::filesystem::path& path, int threads);

}  // namespace vidgen::render
