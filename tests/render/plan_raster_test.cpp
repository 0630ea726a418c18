#include "render/plan_raster.hpp"

#include <gtest/gtest.h>

#include "media/image.hpp"
#include "render/plan.hpp"
#include "render/still.hpp"
#include "support.hpp"

namespace vidgen::render {
namespace {

using testing::add_track;
using testing::planned;

// An opaque one-colour PNG of 32×24 at `dir/name`.
std::filesystem::path flat_image(const std::filesystem::path& dir, const char* name, std::uint32_t argb) {
    media::Bitmap b(32, 24);
    for (int y = 0; y < 24; ++y) std::fill_n(b.row(y), 32, argb);
    auto path = dir / name;
    EXPECT_TRUE(media::save_image(b, path));
    return path;
}

spec::Clip image_clip(const std::filesystem::path& path, double start, double length) {
    spec::Clip c;
    c.asset = spec::ImageAsset{{path.string(), "/src"}};
    c.start = spec::Time::at(start);
    c.length = spec::Time::at(length);
    return c;
}

// Two images, red over [0, 2) and blue over [4, 6) of a 6 s timeline.
PlanHandle two_images(const std::filesystem::path& dir) {
    auto s = testing::small_spec();
    add_track(s, {image_clip(flat_image(dir, "red.png", 0xffff0000u), 0, 2),
                  image_clip(flat_image(dir, "blue.png", 0xff0000ffu), 4, 2)});
    return planned(s);
}

const ImageSlot& slot_of(const Plan& plan, std::string_view file) {
    for (const auto& slot : plan.images)
        if (slot->key().find(file) != std::string::npos) return *slot;
    throw std::runtime_error("no slot for " + std::string(file));
}

TEST(PlanRaster, OnlyImagesDrawnInTheFirstSecondAreDecodedWhilePlanning) {
    testing::TempDir dir;
    auto p = two_images(dir.path());
    ASSERT_EQ(p.plan->images.size(), 2u);
    EXPECT_TRUE(slot_of(*p.plan, "red.png").held());
    EXPECT_FALSE(slot_of(*p.plan, "blue.png").held());
}

TEST(PlanRaster, ImagesAreDroppedAfterTheirClipsAndDecodedAheadOfThem) {
    testing::TempDir dir;
    auto p = two_images(dir.path());
    const Plan& plan = *p.plan;
    keep_images_for(plan, 1.5);
    EXPECT_TRUE(slot_of(plan, "red.png").held());
    EXPECT_FALSE(slot_of(plan, "blue.png").held());
    keep_images_for(plan, 2.0);
    EXPECT_FALSE(slot_of(plan, "red.png").held());
    keep_images_for(plan, 3.5);
    EXPECT_TRUE(slot_of(plan, "blue.png").held());
    keep_images_for(plan, 6.0);
    EXPECT_FALSE(slot_of(plan, "blue.png").held());
}

TEST(PlanRaster, ADroppedImageIsDecodedAgainWhenDrawn) {
    testing::TempDir dir;
    auto p = two_images(dir.path());
    keep_images_for(*p.plan, 6.0);
    auto red = compose_at(*p.plan, 1.0);
    auto blue = compose_at(*p.plan, 5.0);
    ASSERT_TRUE(red && blue);
    EXPECT_LE(testing::channel_error(testing::pixel(*red, 30, 20), testing::rgb(1, 0, 0)), testing::kFlat);
    EXPECT_LE(testing::channel_error(testing::pixel(*blue, 30, 20), testing::rgb(0, 0, 1)), testing::kFlat);
}

TEST(PlanRaster, AnImageThatCannotBeDecodedFailsTheFrameThatDrawsIt) {
    testing::TempDir dir;
    auto p = two_images(dir.path());
    std::filesystem::remove(dir.path() / "blue.png");
    EXPECT_TRUE(compose_at(*p.plan, 1.0));
    auto blue = compose_at(*p.plan, 5.0);
    ASSERT_FALSE(blue);
}

TEST(PlanRaster, RastersOfEqualPixelsHaveEqualIdentities) {
    media::Bitmap a(4, 4), b(4, 4), c(4, 4);
    c.row(1)[2] = 0xff00ff00u;
    auto identity = [](media::Bitmap& bitmap) {
        return Raster::of(std::make_shared<const media::Bitmap>(std::move(bitmap))).identity();
    };
    const auto ia = identity(a), ib = identity(b), ic = identity(c);
    EXPECT_EQ(ia, ib);
    EXPECT_NE(ia, ic);
}

}  // namespace
}  // namespace vidgen::render
