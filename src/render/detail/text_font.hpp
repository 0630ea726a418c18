// Font resolution through fontconfig: one-time initialisation, registration of font files named by a
// spec (once per process, guarded by a mutex) and family matching. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "render/text.hpp"

namespace vidgen::render::detail {

// The family to ask Pango for: the family inside style.font_file (registered with fontconfig on first
// use), else style.family. A missing file is Code::not_found, a file that is not a font
// Code::invalid_argument, both with the pointer `<clip>/style/font_file`.
Result<std::string> text_font_family(const TextRequest& request);

// The family fontconfig uses for `family` when it is not that family itself (compared
// case-insensitively), or nullopt when the family is installed or generic ("sans-serif", "monospace"…).
std::optional<std::string> substituted_family(const std::string& family);

// Changes whenever a font file is registered, so per-thread Pango font maps know to rebuild.
std::uint64_t font_generation();

}  // namespace vidgen::render::detail
