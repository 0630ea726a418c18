#include "render/text.hpp"

#include "render/detail/text_blur.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <thread>

namespace vidgen::render {
namespace {

constexpr const char* kClip = "/timeline/tracks/0/clips/1";

struct Pixel {
    int a, r, g, b;
};
Pixel at(const media::Bitmap& bitmap, int x, int y) {
    std::uint32_t v = bitmap.row(y)[x];
    return {int(v >> 24), int((v >> 16) & 0xff), int((v >> 8) & 0xff), int(v & 0xff)};
}

template <typename Predicate>
int count_pixels(const media::Bitmap& bitmap, Predicate predicate) {
    int n = 0;
    for (int y = 0; y < bitmap.height(); ++y) {
        for (int x = 0; x < bitmap.width(); ++x) n += predicate(at(bitmap, x, y)) ? 1 : 0;
    }
    return n;
}

spec::TextAsset text_asset(std::string text, double size = 40) {
    spec::TextAsset asset;
    asset.text = std::move(text);
    asset.style.size = {size, spec::Unit::px};
    return asset;
}

TextRequest request_for(const spec::TextAsset& asset, spec::Color color = {1, 1, 1, 1}) {
    TextRequest request;
    request.text = &asset;
    request.pointer = kClip;
    request.color = color;
    return request;
}

TextRaster rasterize_ok(const TextRequest& request) {
    auto raster = rasterize_text(request);
    EXPECT_TRUE(raster) << raster.error().to_string();
    return raster ? std::move(*raster) : TextRaster{};
}

bool same_pixels(const media::Bitmap& a, const media::Bitmap& b) {
    return a.width() == b.width() && a.height() == b.height() &&
           std::memcmp(a.data(), b.data(), std::size_t(a.stride()) * a.height()) == 0;
}

TEST(Text, DrawsGlyphsInTheFillColour) {
    auto asset = text_asset("Hello");
    auto raster = rasterize_ok(request_for(asset, {1, 0, 0, 1}));
    EXPECT_FALSE(raster.bitmap.empty());
    EXPECT_DOUBLE_EQ(raster.font_size, 40);
    EXPECT_GT(raster.box_width, 40);
    EXPECT_TRUE(raster.warnings.empty());
    EXPECT_GT(
        count_pixels(raster.bitmap, [](Pixel p) { return p.a == 255 && p.r == 255 && p.g == 0 && p.b == 0; }),
        50);
    EXPECT_EQ(count_pixels(raster.bitmap, [](Pixel p) { return p.g > 0 || p.b > 0; }), 0);
}

TEST(Text, SizeResolvesAgainstTheFrameHeight) {
    auto asset = text_asset("Hi");
    asset.style.size = {10, spec::Unit::vh};
    auto raster = rasterize_ok(request_for(asset));
    EXPECT_DOUBLE_EQ(raster.font_size, 108);
}

TEST(Text, LetterSpacingLineHeightAndWeightChangeTheLayout) {
    auto plain = text_asset("ABCD\nEFGH", 40);
    auto base = rasterize_ok(request_for(plain));
    auto spaced = plain;
    spaced.style.letter_spacing = 10;
    EXPECT_NEAR(rasterize_ok(request_for(spaced)).box_width - base.box_width, 40, 10);
    EXPECT_NEAR(base.box_height, 2 * 1.2 * 40, 0.5);  // CSS line height: lines are line_height × size
    auto tall = plain;
    tall.style.line_height = 2.4;
    EXPECT_NEAR(rasterize_ok(request_for(tall)).box_height, 2 * base.box_height, 0.5);
    auto bold = plain;
    bold.style.weight = 700;
    EXPECT_GT(rasterize_ok(request_for(bold)).box_width, base.box_width + 2);
    auto italic = plain;
    italic.style.style = spec::FontStyle::italic;
    EXPECT_FALSE(same_pixels(rasterize_ok(request_for(italic)).bitmap, base.bitmap));
}

TEST(Text, WrappingAtANarrowWidthMakesItTaller) {
    auto asset = text_asset("The quick brown fox jumps over the lazy dog");
    auto wide = rasterize_ok(request_for(asset));
    auto request = request_for(asset);
    request.box_width = 200;
    auto narrow = rasterize_ok(request);
    EXPECT_DOUBLE_EQ(narrow.box_width, 200);
    EXPECT_GT(narrow.box_height, 2 * wide.box_height);
    EXPECT_LE(narrow.bitmap.width(), 204);
}

TEST(Text, AutoFitShrinksToFitTheBoxAndReportsTheSize) {
    auto asset = text_asset("A headline long enough to need shrinking", 120);
    asset.style.auto_fit = true;
    asset.style.min_size = 8;
    auto request = request_for(asset);
    request.box_width = 400;
    request.box_height = 100;
    auto raster = rasterize_ok(request);
    EXPECT_LT(raster.font_size, 120);
    EXPECT_GE(raster.font_size, 8);
    EXPECT_TRUE(raster.warnings.empty()) << raster.warnings.front().message;
    EXPECT_DOUBLE_EQ(raster.box_height, 100);
    // One step larger no longer fits: the search found the largest size.
    asset.style.size = {raster.font_size + 1, spec::Unit::px};
    asset.style.auto_fit = false;
    EXPECT_FALSE(rasterize_ok(request).warnings.empty());
}

TEST(Text, AutoFitKeepsTheStyleSizeWhenItFits) {
    auto asset = text_asset("Short", 30);
    asset.style.auto_fit = true;
    auto request = request_for(asset);
    request.box_width = 800;
    request.box_height = 200;
    EXPECT_DOUBLE_EQ(rasterize_ok(request).font_size, 30);
}

TEST(Text, OverflowingTheBoxWarns) {
    auto asset = text_asset("Far too much text for such a small box", 60);
    auto request = request_for(asset);
    request.box_width = 200;
    request.box_height = 50;
    auto raster = rasterize_ok(request);
    ASSERT_EQ(raster.warnings.size(), 1u);
    EXPECT_EQ(raster.warnings[0].pointer, std::string(kClip) + "/text");
    EXPECT_NE(raster.warnings[0].message.find("text overflows its box: needs "), std::string::npos)
        << raster.warnings[0].message;
    EXPECT_NE(raster.warnings[0].message.find("box is 200×50"), std::string::npos)
        << raster.warnings[0].message;
}

TEST(Text, MissingFamilyIsSubstitutedWithAWarning) {
    auto asset = text_asset("Hello");
    asset.style.family = "No Such Typeface Xyz";
    auto warnings = check_font(request_for(asset));
    ASSERT_TRUE(warnings);
    ASSERT_EQ(warnings->size(), 1u);
    EXPECT_EQ((*warnings)[0].pointer, std::string(kClip) + "/style/font");
    EXPECT_EQ((*warnings)[0].message.rfind("font 'No Such Typeface Xyz' not found; using '", 0), 0u);
}

TEST(Text, InstalledAndGenericFamiliesMatchCaseInsensitively) {
    for (const char* family :
         {"DejaVu Sans", "dejavu serif", "Noto Sans CJK SC", "sans-serif", "Monospace"}) {
        auto asset = text_asset("Hello");
        asset.style.family = family;
        auto warnings = check_font(request_for(asset));
        ASSERT_TRUE(warnings);
        EXPECT_TRUE(warnings->empty()) << family;
    }
}

TEST(Text, MissingFontFileIsNotFoundAtItsPointer) {
    auto asset = text_asset("Hello");
    asset.style.font_file = "fonts/missing.ttf";
    auto request = request_for(asset);
    request.base_dir = VIDGEN_TEST_DATA;
    for (auto error : {check_font(request).error(), rasterize_text(request).error()}) {
        EXPECT_EQ(error.code, Code::not_found);
        EXPECT_EQ(error.pointer, std::string(kClip) + "/style/font_file");
    }
}

TEST(Text, FontFileIsRegisteredAndUsed) {
    auto by_file = text_asset("Serif");
    by_file.style.family = "No Such Typeface Xyz";
    by_file.style.font_file = "DejaVuSerif.ttf";
    auto request = request_for(by_file);
    request.base_dir = "/usr/share/fonts/truetype/dejavu";
    auto warnings = check_font(request);
    ASSERT_TRUE(warnings) << warnings.error().to_string();
    EXPECT_TRUE(warnings->empty());
    auto by_family = text_asset("Serif");
    by_family.style.family = "DejaVu Serif";
    EXPECT_TRUE(same_pixels(rasterize_ok(request).bitmap, rasterize_ok(request_for(by_family)).bitmap));
}

TEST(Text, ArabicCjkAndEmojiHaveGlyphs) {
    for (const char* text : {"مرحبا بالعالم", "你好，世界", "こんにちは", "안녕하세요", "😀🎬👍🏽"}) {
        auto asset = text_asset(text);
        auto raster = rasterize_ok(request_for(asset));
        EXPECT_TRUE(raster.warnings.empty()) << text << ": " << raster.warnings.front().message;
        EXPECT_GT(count_pixels(raster.bitmap, [](Pixel p) { return p.a > 0; }), 100) << text;
    }
}

// Where the leftmost inked column is, as a fraction of the bitmap's width.
double left_edge(const media::Bitmap& bitmap) {
    for (int x = 0; x < bitmap.width(); ++x) {
        for (int y = 0; y < bitmap.height(); ++y) {
            if (at(bitmap, x, y).a > 0) return double(x) / bitmap.width();
        }
    }
    return 1;
}

TEST(Text, AlignmentIsPhysicalForRightToLeftText) {
    for (const char* text : {"Left or right", "مرحبا بالعالم"}) {
        auto asset = text_asset(text, 30);
        auto request = request_for(asset);
        request.box_width = 600;
        asset.style.align = spec::TextAlign::left;
        EXPECT_LT(left_edge(rasterize_ok(request).bitmap), 0.05) << text;
        asset.style.align = spec::TextAlign::right;
        EXPECT_GT(left_edge(rasterize_ok(request).bitmap), 0.4) << text;
    }
}

TEST(Text, EmojiAreDrawnInColour) {
    auto asset = text_asset("😀");
    auto raster = rasterize_ok(request_for(asset));
    EXPECT_GT(count_pixels(raster.bitmap, [](Pixel p) { return p.a == 255 && p.r > p.b + 60; }), 20);
}

TEST(Text, CharactersWithoutAnyGlyphWarn) {
    auto asset = text_asset("\xf4\x8f\xbf\xbd");  // U+10FFFD, private use: no font has it
    auto raster = rasterize_ok(request_for(asset));
    ASSERT_EQ(raster.warnings.size(), 1u);
    EXPECT_NE(raster.warnings[0].message.find("no glyph"), std::string::npos);
}

TEST(Text, InvalidUtf8IsRejected) {
    auto asset = text_asset("bad \xff byte");
    auto raster = rasterize_text(request_for(asset));
    ASSERT_FALSE(raster);
    EXPECT_EQ(raster.error().code, Code::invalid_argument);
}

TEST(Text, HugeTextIsRefusedBeforeDrawing) {
    auto asset = text_asset("WWW", 20000);
    auto raster = rasterize_text(request_for(asset));
    ASSERT_FALSE(raster);
    EXPECT_EQ(raster.error().code, Code::limit_exceeded);
    EXPECT_EQ(raster.error().pointer, std::string(kClip) + "/text");
}

TEST(Text, EmptyTextGivesATransparentBitmap) {
    auto asset = text_asset("");
    auto raster = rasterize_ok(request_for(asset));
    EXPECT_FALSE(raster.bitmap.empty());
    EXPECT_EQ(count_pixels(raster.bitmap, [](Pixel p) { return p.a > 0; }), 0);
}

TEST(Text, BackgroundPaddingGrowsTheBox) {
    auto plain = text_asset("Box");
    auto boxed = plain;
    boxed.style.background = {{0, 0, 1, 1}, 20, 0, true};
    auto a = rasterize_ok(request_for(plain));
    auto b = rasterize_ok(request_for(boxed));
    EXPECT_NEAR(b.box_width, a.box_width + 40, 1e-9);
    EXPECT_NEAR(b.box_height, a.box_height + 40, 1e-9);
    Pixel corner = at(b.bitmap, int(b.origin_x) + 2, int(b.origin_y) + 2);
    EXPECT_EQ(corner.a, 255);
    EXPECT_EQ(corner.b, 255);
}

TEST(Text, ShadowAndStrokeExtendTheBitmap) {
    auto plain = text_asset("Shadow");
    auto styled = plain;
    styled.style.stroke = {{0, 1, 0, 1}, 6};
    styled.style.shadow = {{0, 0, 0, 1}, 12, 12, 6, true};
    auto a = rasterize_ok(request_for(plain, {1, 0, 0, 1}));
    auto b = rasterize_ok(request_for(styled, {1, 0, 0, 1}));
    EXPECT_GT(b.bitmap.width(), a.bitmap.width() + 12);
    EXPECT_GT(b.bitmap.height(), a.bitmap.height() + 12);
    EXPECT_GT(count_pixels(b.bitmap, [](Pixel p) { return p.a == 255 && p.g == 255 && p.r == 0; }), 20);
    EXPECT_GT(count_pixels(b.bitmap, [](Pixel p) { return p.a > 0 && p.a < 255 && p.r + p.g + p.b == 0; }),
              20);
}

TEST(TextBlur, SpreadsInkSymmetricallyWithinItsExtentAndKeepsItsMass) {
    media::Bitmap bitmap(61, 61);
    for (int y = 25; y <= 35; ++y) {
        for (int x = 25; x <= 35; ++x) bitmap.row(y)[x] = 0xff000000u;
    }
    detail::blur_bitmap(bitmap, 6);
    int extent = detail::blur_extent(6);
    EXPECT_EQ(extent, 9);
    EXPECT_LT(at(bitmap, 25, 30).a, 255);
    EXPECT_GT(at(bitmap, 25 - extent + 2, 30).a, 0);
    EXPECT_EQ(at(bitmap, 25 - extent - 1, 30).a, 0);
    long mass = 0;
    for (int y = 0; y < 61; ++y) {
        for (int x = 0; x < 61; ++x) {
            Pixel p = at(bitmap, x, y);
            mass += p.a;
            EXPECT_EQ(p.a, at(bitmap, 60 - x, y).a);
            EXPECT_NEAR(p.a, at(bitmap, y, x).a, 1);  // rows are blurred before columns: rounding differs
            EXPECT_EQ(p.r + p.g + p.b, 0);
        }
    }
    EXPECT_NEAR(double(mass), 121.0 * 255, 121 * 255 * 0.03);
}

TEST(Text, ConcurrentCallsGiveIdenticalBitmaps) {
    auto asset = text_asset("Hello, مرحبا, 你好 😀", 36);
    asset.style.shadow = {{0, 0, 0, 0.5}, 3, 3, 4, true};
    auto request = request_for(asset);
    request.box_width = 300;
    auto reference = rasterize_ok(request);
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 10; ++i) {
                auto raster = rasterize_text(request);
                if (!raster || !same_pixels(raster->bitmap, reference.bitmap)) ++mismatches[t];
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace vidgen::render
