#include "media/image.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <fstream>
#include <iterator>

#include "fixtures.hpp"
#include "media_fixtures.hpp"

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

// `jpeg` with its APP1 segments replaced by a minimal EXIF block carrying `orientation`.
std::string with_exif_orientation(const std::string& jpeg, int orientation) {
    const std::string tiff = std::string("II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0", 18) +
                             char(orientation) + std::string(7, '\0');
    const std::string payload = std::string("Exif\0\0", 6) + tiff;
    const std::size_t length = payload.size() + 2;
    std::string out = jpeg.substr(0, 2) + "\xFF\xE1" + char(length >> 8) + char(length & 0xFF) + payload;
    std::size_t at = 2;
    while (at + 4 <= jpeg.size() &&
           static_cast<unsigned char>(jpeg[at + 1]) != 0xDA) {  // up to start of scan
        const std::size_t size = (std::size_t(static_cast<unsigned char>(jpeg[at + 2])) << 8) |
                                 static_cast<unsigned char>(jpeg[at + 3]);
        if (static_cast<unsigned char>(jpeg[at + 1]) != 0xE1) out += jpeg.substr(at, size + 2);
        at += size + 2;
    }
    return out + jpeg.substr(at);
}

TEST(Image, AppliesExifOrientation) {
    TempDir dir;
    Bitmap stored(40, 20);  // left half red, right half blue
    for (int y = 0; y < 20; ++y) {
        for (int x = 0; x < 40; ++x) stored.row(y)[x] = x < 20 ? argb(255, 255, 0, 0) : argb(255, 0, 0, 255);
    }
    ASSERT_TRUE(save_image(stored, dir / "plain.jpg", 95));
    std::ifstream in(dir / "plain.jpg", std::ios::binary);
    const std::string jpeg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    testing::write_bytes(dir / "turned.jpg",
                         with_exif_orientation(jpeg, 6));  // 6: turn 90° clockwise to view
    auto info = probe_image(dir / "turned.jpg");
    ASSERT_TRUE(info) << info.error().to_string();
    EXPECT_EQ(info->width, 20);
    EXPECT_EQ(info->height, 40);
    auto upright = load_image(dir / "turned.jpg", 20, 40);
    ASSERT_TRUE(upright) << upright.error().to_string();
    const std::uint32_t top = upright->row(5)[10];
    const std::uint32_t bottom = upright->row(35)[10];
    EXPECT_GT((top >> 16) & 0xFF, 200u) << std::hex << top;  // red on top
    EXPECT_GT(bottom & 0xFF, 200u) << std::hex << bottom;    // blue below
}

TEST(Image, LoadsWebpAndTheFirstFrameOfAGif) {
    TempDir dir;
    Bitmap green(16, 16);
    for (int y = 0; y < 16; ++y) std::fill_n(green.row(y), 16, argb(255, 0, 255, 0));
    ASSERT_TRUE(save_image(green, dir / "g.webp", 100));
    EXPECT_EQ(probe_image(dir / "g.webp")->format, "webp");
    auto webp = load_image(dir / "g.webp", 8, 8);
    ASSERT_TRUE(webp) << webp.error().to_string();
    EXPECT_GT((webp->row(4)[4] >> 8) & 0xFF, 240u);
    EXPECT_LT((webp->row(4)[4] >> 16) & 0xFF, 16u);

    EncoderSettings s;  // an animated GIF whose frames are greys 0, 4, 8, ...
    s.path = dir / "a.gif";
    s.container = Container::gif;
    s.width = 32;
    s.height = 32;
    s.audio = false;
    testing::write_test_video(s, 5);
    EXPECT_EQ(probe_image(s.path)->format, "gif");
    auto gif = load_image(s.path, 32, 32);
    ASSERT_TRUE(gif) << gif.error().to_string();
    EXPECT_EQ(gif->row(16)[16], argb(255, 0, 0, 0));
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
