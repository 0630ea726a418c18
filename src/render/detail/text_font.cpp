#include "render/detail/text_font.hpp"

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <system_error>

#include "render/detail/text_handles.hpp"

namespace vidgen::render::detail {
namespace {

std::atomic<std::uint64_t> g_generation{0};

void init_fontconfig() {
    static std::once_flag once;
    std::call_once(once, [] { FcInit(); });
}

bool same_family(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (g_ascii_tolower(a[i]) != g_ascii_tolower(b[i])) return false;
    }
    return true;
}

// CSS and fontconfig generic names: they always resolve to some installed font, so never warn.
bool generic_family(std::string_view family) {
    for (std::string_view generic : {"sans-serif", "sans", "serif", "monospace", "mono", "cursive", "fantasy",
                                     "system-ui", "emoji", "math"}) {
        if (same_family(family, generic)) return true;
    }
    return false;
}

// The first family name stored in a font file, or nullopt when the file is not a font fontconfig reads.
std::optional<std::string> family_in_file(const std::string& path) {
    int count = 0;
    FcPatternPtr pattern(FcFreeTypeQuery(reinterpret_cast<const FcChar8*>(path.c_str()), 0, nullptr, &count));
    FcChar8* family = nullptr;
    if (!pattern || FcPatternGetString(pattern.get(), FC_FAMILY, 0, &family) != FcResultMatch) {
        return std::nullopt;
    }
    return std::string(reinterpret_cast<const char*>(family));
}

// Registers `path` with the application font set once per process; returns its family.
Result<std::string> register_font_file(const std::string& path, const std::string& pointer) {
    static std::mutex mutex;
    static std::map<std::string, std::string> registered;  // canonical path → family
    std::lock_guard lock(mutex);
    if (auto it = registered.find(path); it != registered.end()) return it->second;
    auto family = family_in_file(path);
    if (!family)
        return fail(Code::invalid_argument, "'" + path + "' is not a font file fontconfig can read", pointer);
    if (!FcConfigAppFontAddFile(FcConfigGetCurrent(), reinterpret_cast<const FcChar8*>(path.c_str()))) {
        return fail(Code::invalid_argument, "fontconfig could not add the font file '" + path + "'", pointer);
    }
    registered.emplace(path, *family);
    g_generation.fetch_add(1);
    return *family;
}

}  // namespace

Result<std::string> text_font_family(const TextRequest& request) {
    init_fontconfig();
    const auto& style = request.text->style;
    if (style.font_file.empty()) return style.family;
    std::string pointer = request.pointer + "/style/font_file";
    std::filesystem::path path = request.base_dir / style.font_file;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        return fail(Code::not_found, "font file '" + style.font_file + "' not found", pointer);
    }
    auto canonical = std::filesystem::canonical(path, ec);
    if (ec)
        return fail(Code::io, "cannot resolve font file '" + style.font_file + "': " + ec.message(), pointer);
    return register_font_file(canonical.string(), pointer);
}

std::optional<std::string> substituted_family(const std::string& family) {
    init_fontconfig();
    if (generic_family(family)) return std::nullopt;
    FcPatternPtr pattern(FcPatternCreate());
    FcPatternAddString(pattern.get(), FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
    FcConfigSubstitute(nullptr, pattern.get(), FcMatchPattern);
    FcDefaultSubstitute(pattern.get());
    FcResult result = FcResultNoMatch;
    FcPatternPtr match(FcFontMatch(nullptr, pattern.get(), &result));
    if (!match) return std::string("no font");
    FcChar8* used = nullptr;
    std::optional<std::string> first;
    for (int i = 0; FcPatternGetString(match.get(), FC_FAMILY, i, &used) == FcResultMatch; ++i) {
        std::string name(reinterpret_cast<const char*>(used));
        if (same_family(name, family)) return std::nullopt;
        if (!first) first = name;
    }
    return first.value_or("no font");
}

std::uint64_t font_generation() {
    return g_generation.load();
}

}  // namespace vidgen::render::detail
