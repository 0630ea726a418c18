#include "render/shape.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace vidgen::render {
namespace {

// Unpacks a native-endian ARGB32 pixel into its premultiplied channels.
struct Pixel {
    int a, r, g, b;
};
Pixel at(const media::Bitmap& bitmap, int x, int y) {
    std::uint32_t v = bitmap.row(y)[x];
    return {int(v >> 24), int((v >> 16) & 0xff), int((v >> 8) & 0xff), int(v & 0xff)};
}

spec::ShapeAsset shape_of(spec::ShapeKind kind) {
    spec::ShapeAsset shape;
    shape.kind = kind;
    return shape;
}

TEST(Shape, RectangleCentreHasThePremultipliedFill) {
    spec::Color fill{1.0, 0.5, 0.0, 0.5};
    auto bitmap = rasterize_shape(shape_of(spec::ShapeKind::rectangle), 40, 30, 0, fill);
    ASSERT_EQ(bitmap.width(), 40);
    ASSERT_EQ(bitmap.height(), 30);
    Pixel p = at(bitmap, 20, 15);
    EXPECT_NEAR(p.a, 128, 1);
    EXPECT_NEAR(p.r, 128, 1);
    EXPECT_NEAR(p.g, 64, 1);
    EXPECT_EQ(p.b, 0);
    EXPECT_EQ(at(bitmap, 0, 0).a, p.a);  // square corners are filled
}

TEST(Shape, SizeIsRoundedUpToWholePixels) {
    auto bitmap = rasterize_shape(shape_of(spec::ShapeKind::rectangle), 10.2, 5.5, 0, {1, 1, 1, 1});
    EXPECT_EQ(bitmap.width(), 11);
    EXPECT_EQ(bitmap.height(), 6);
}

TEST(Shape, RoundedRectangleCornersAreTransparent) {
    auto bitmap = rasterize_shape(shape_of(spec::ShapeKind::rectangle), 100, 60, 20, {0, 0, 1, 1});
    EXPECT_EQ(at(bitmap, 0, 0).a, 0);
    EXPECT_EQ(at(bitmap, 99, 0).a, 0);
    EXPECT_EQ(at(bitmap, 0, 59).a, 0);
    EXPECT_EQ(at(bitmap, 99, 59).a, 0);
    EXPECT_EQ(at(bitmap, 50, 0).a, 255);  // the straight edge between the corners is filled
    EXPECT_EQ(at(bitmap, 50, 30).b, 255);
}

TEST(Shape, HugeRadiusIsClampedToHalfTheShortSide) {
    // A radius of 1000 on a 100×40 box makes a pill: the middle of the short edges is filled.
    auto bitmap = rasterize_shape(shape_of(spec::ShapeKind::rectangle), 100, 40, 1000, {1, 1, 1, 1});
    EXPECT_EQ(at(bitmap, 1, 20).a, 255);
    EXPECT_EQ(at(bitmap, 98, 20).a, 255);
    EXPECT_EQ(at(bitmap, 3, 3).a, 0);
}

TEST(Shape, EllipseCornersAreTransparentAndCentreFilled) {
    auto bitmap = rasterize_shape(shape_of(spec::ShapeKind::ellipse), 80, 40, 0, {0, 1, 0, 1});
    EXPECT_EQ(at(bitmap, 0, 0).a, 0);
    EXPECT_EQ(at(bitmap, 79, 39).a, 0);
    EXPECT_EQ(at(bitmap, 5, 5).a, 0);
    Pixel centre = at(bitmap, 40, 20);
    EXPECT_EQ(centre.a, 255);
    EXPECT_EQ(centre.g, 255);
    EXPECT_EQ(at(bitmap, 1, 20).a, 255);  // the ellipse touches the box's sides
}

TEST(Shape, StrokeStaysInsideTheBox) {
    auto shape = shape_of(spec::ShapeKind::rectangle);
    shape.stroke = {{1, 0, 0, 1}, 4};
    auto bitmap = rasterize_shape(shape, 50, 50, 0, {0, 0, 1, 1});
    Pixel edge = at(bitmap, 0, 25);
    EXPECT_EQ(edge.a, 255);
    EXPECT_EQ(edge.r, 255);
    EXPECT_EQ(at(bitmap, 3, 25).r, 255);
    Pixel inside = at(bitmap, 25, 25);
    EXPECT_EQ(inside.b, 255);
    EXPECT_EQ(inside.r, 0);
}

TEST(Shape, LineRunsAcrossTheMiddle) {
    auto bitmap = rasterize_shape(shape_of(spec::ShapeKind::line), 60, 20, 0, {1, 1, 1, 1});
    EXPECT_EQ(at(bitmap, 0, 9).a, 255);
    EXPECT_EQ(at(bitmap, 59, 10).a, 255);
    EXPECT_EQ(at(bitmap, 30, 7).a, 0);  // default width 4 covers rows 8..11
    EXPECT_EQ(at(bitmap, 30, 12).a, 0);
}

TEST(Shape, LineUsesTheStrokeWhenGiven) {
    auto shape = shape_of(spec::ShapeKind::line);
    shape.stroke = {{1, 0, 0, 1}, 10};
    auto bitmap = rasterize_shape(shape, 60, 20, 0, {1, 1, 1, 1});
    Pixel p = at(bitmap, 30, 6);
    EXPECT_EQ(p.r, 255);
    EXPECT_EQ(p.g, 0);
    EXPECT_EQ(at(bitmap, 30, 4).a, 0);
}

}  // namespace
}  // namespace vidgen::render
