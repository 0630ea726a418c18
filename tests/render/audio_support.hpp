// Writes small 48 kHz stereo 16-bit PCM WAV files for the audio tests.
#pragma once

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

namespace vidgen::render::testing {

// `seconds` of sound whose sample at time t is value(t), the same on both channels.
inline void write_wav(const std::filesystem::path& path, double seconds,
                      const std::function<double(double)>& value) {
    const std::uint32_t rate = 48000, frames = static_cast<std::uint32_t>(std::lround(seconds * rate));
    const std::uint32_t data_bytes = frames * 4;
    std::ofstream out(path, std::ios::binary);
    auto u32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
    out.write("RIFF", 4);
    u32(36 + data_bytes);
    out.write("WAVEfmt ", 8);
    u32(16), u16(1), u16(2), u32(rate), u32(rate * 4), u16(4), u16(16);
    out.write("data", 4);
    u32(data_bytes);
    for (std::uint32_t i = 0; i < frames; ++i) {
        auto s = static_cast<std::int16_t>(std::lround(value(double(i) / rate) * 32767));
        u16(static_cast<std::uint16_t>(s)), u16(static_cast<std::uint16_t>(s));
    }
}

}  // namespace vidgen::render::testing
