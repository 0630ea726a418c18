#include "media/image.hpp"

#include <gtest/gtest.h>

#include <bit>

#include "fixtures.hpp"

namespace vidgen::media {
namespace {

using testing::TempDir;

std::uint32_t argb(std::uint32_t a, std::uint32_t r, std::uint32_t g, std::uint32_t b) {
    return (a << 24) | (r << 16) | (g << 8) | b;
}

// A 4×2 image: left half opaque red, right half opaque blue, except one half-transparent green pixel.
std::string two_colour_png() {
    std::vector<std::uint8_t> rgba;
    for (int y = 0; y < 2; ++y) {
        for (int x = 0; x < 4; ++x) {
            if (x == 3 && y == 1) {
                rgba.insert(rgba.end(), {0, 200, 0, 128});
            } else if (x < 2) {
                rgba.insert(rgba.end(), {255, 0, 0, 255});
            } else {
                rgba.insert(rgba.end(), {0, 0, 255, 255});
            }
        }
    }
    return testing::png_bytes(4, 2, rgba, 2);
}

TEST(Image, ProbesPngHeader) {
    TempDir dir;
    testing::write_bytes(dir / "a.png", two_colour_png());
    auto info = probe_image(dir / "a.png");
    ASSERT_TRUE(info) << info.error().to_string();
    EXPECT_EQ(info->width, 4);
    EXPECT_EQ(info->height, 2);
    EXPECT_TRUE(info->has_alpha);
    EXPECT_EQ(info->format, "png");
}

TEST(Image, LoadsKnownColoursPremultipliedAtNativeSize) {
    TempDir dir;
    testing::write_bytes(dir / "a.png", two_colour_png());
    auto bitmap = load_image(dir / "a.png", 4, 2);
    ASSERT_TRUE(bitmap) << bitmap.error().to_string();
    ASSERT_EQ(bitmap->width(), 4);
    ASSERT_EQ(bitmap->height(), 2);
    EXPECT_EQ(bitmap->row(0)[0], argb(255, 255, 0, 0));
    EXPECT_EQ(bitmap->row(0)[3], argb(255, 0, 0, 255));
    EXPECT_EQ(bitmap->row(1)[3], argb(128, 0, 100, 0));  // 200·128/255 rounds to 100
    // Native-endian ARGB32: on little-endian the bytes are B, G, R, A.
    const std::uint8_t* bytes = bitmap->data();
    if constexpr (std::endian::native == std::endian::little) {
        EXPECT_EQ(bytes[0], 0);
        EXPECT_EQ(bytes[2], 255);
        EXPECT_EQ(bytes[3], 255);
    }
}

TEST(Image, LoadsResizedToRequestedSize) {
    TempDir dir;
    testing::write_bytes(dir / "big.png", testing::solid_png(400, 300, 10, 20, 30, 255));
    auto bitmap = load_image(dir / "big.png", 40, 60);
    ASSERT_TRUE(bitmap) << bitmap.error().to_string();
    EXPECT_EQ(bitmap->width(), 40);
    EXPECT_EQ(bitmap->height(), 60);
    EXPECT_EQ(bitmap->row(30)[20], argb(255, 10, 20, 30));
}

TEST(Image, RefusesHugeHeaderBeforeDecoding) {
    TempDir dir;
    // The header claims 60000×60000 but the file holds one tiny row: decoding would fail or explode.
    testing::write_bytes(dir / "bomb.png",
                         testing::png_bytes(60000, 60000, std::vector<std::uint8_t>(240000), 1));
    auto info = probe_image(dir / "bomb.png");
    ASSERT_FALSE(info);
    EXPECT_EQ(info.error().code, Code::limit_exceeded);
    auto bitmap = load_image(dir / "bomb.png", 100, 100);
    ASSERT_FALSE(bitmap);
    EXPECT_EQ(bitmap.error().code, Code::limit_exceeded);
}

TEST(Image, RefusesSvgAndTextDisguisedAsPng) {
    TempDir dir;
    testing::write_bytes(dir / "svg.png",
                         R"(<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" )"
                         R"(height="10"/></svg>)");
    testing::write_bytes(dir / "text.png", "hello, this is not an image\n");
    testing::write_bytes(dir / "matrix.png", "2 2\n1 2\n3 4\n");
    for (const char* name : {"svg.png", "text.png", "matrix.png"}) {
        auto info = probe_image(dir / name);
        ASSERT_FALSE(info) << name;
        EXPECT_EQ(info.error().code, Code::unsupported) << name << ": " << info.error().message;
        EXPECT_FALSE(load_image(dir / name, 10, 10)) << name;
    }
}

TEST(Image, RefusesMissingFileAndDirectory) {
    TempDir dir;
    EXPECT_EQ(probe_image(dir / "none.png").error().code, Code::not_found);
    std::filesystem::create_directory(dir / "d.png");
    EXPECT_EQ(probe_image(dir / "d.png").error().code, Code::unsupported);
}

TEST(Image, BlurSpreadsAnEdgeAndKeepsSize) {
    Bitmap sharp(20, 10);
    for (int y = 0; y < 10; ++y) {
        for (int x = 0; x < 10; ++x) sharp.row(y)[x] = argb(255, 255, 255, 255);
    }
    Bitmap soft = blur(sharp, 3);
    ASSERT_EQ(soft.width(), 20);
    ASSERT_EQ(soft.height(), 10);
    const std::uint32_t edge = soft.row(5)[10];
    EXPECT_GT(edge >> 24, 0u);
    EXPECT_LT(edge >> 24, 255u);
    EXPECT_EQ(soft.row(5)[0] >> 24, 255u);
}

TEST(Image, SavesPngThatLoadsBackUnpremultiplied) {
    TempDir dir;
    Bitmap bitmap(3, 3);
    for (int y = 0; y < 3; ++y) {
        for (int x = 0; x < 3; ++x) bitmap.row(y)[x] = argb(128, 64, 32, 0);
    }
    ASSERT_TRUE(save_image(bitmap, dir / "out.png"));
    auto back = load_image(dir / "out.png", 3, 3);
    ASSERT_TRUE(back) << back.error().to_string();
    EXPECT_EQ(back->row(1)[1], argb(128, 64, 32, 0));
    ASSERT_TRUE(save_image(bitmap, dir / "out.jpg", 80));
    EXPECT_EQ(probe_image(dir / "out.jpg")->format, "jpeg");
    EXPECT_EQ(save_image(bitmap, dir / "out.tiff").error().code, Code::unsupported);
}

}  // namespace
}  // namespace vidgen::media
