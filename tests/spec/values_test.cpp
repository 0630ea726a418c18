#include <gtest/gtest.h>

#include <cmath>

#include "spec/values.hpp"

namespace vidgen::spec {
namespace {

constexpr double k80 = 128.0 / 255;

TEST(ParseColor, AcceptsEveryNotation) {
    struct Case {
        const char* text;
        Color expected;
    };
    const Case cases[] = {
        {"#fff", {1, 1, 1, 1}},
        {"#000", {0, 0, 0, 1}},
        {"#f008", {1, 0, 0, 136.0 / 255}},
        {"#203050", {0x20 / 255.0, 0x30 / 255.0, 0x50 / 255.0, 1}},
        {"#1060C0D9", {0x10 / 255.0, 0x60 / 255.0, 0xC0 / 255.0, 0xD9 / 255.0}},
        {"#00000080", {0, 0, 0, k80}},
        {"rgb(255, 0, 128)", {1, 0, k80, 1}},
        {"rgba(0,0,255,0.5)", {0, 0, 1, 0.5}},
        {"RGB( 255 , 255 , 255 )", {1, 1, 1, 1}},
        {"white", {1, 1, 1, 1}},
        {"Black", {0, 0, 0, 1}},
        {"transparent", {0, 0, 0, 0}},
        {"red", {1, 0, 0, 1}},
        {"green", {0, k80, 0, 1}},
        {"blue", {0, 0, 1, 1}},
        {"yellow", {1, 1, 0, 1}},
        {"gray", {k80, k80, k80, 1}},
        {" #FFF ", {1, 1, 1, 1}},
    };
    for (const auto& c : cases) {
        auto color = parse_color(c.text);
        ASSERT_TRUE(color) << c.text;
        EXPECT_NEAR(color->r, c.expected.r, 1e-9) << c.text;
        EXPECT_NEAR(color->g, c.expected.g, 1e-9) << c.text;
        EXPECT_NEAR(color->b, c.expected.b, 1e-9) << c.text;
        EXPECT_NEAR(color->a, c.expected.a, 1e-9) << c.text;
    }
}

TEST(ParseColor, RefusesMalformedColours) {
    for (const char* text :
         {"", "#", "#ff", "#fffff", "#ggg", "#1234567", "rgb(1,2)", "rgb(256,0,0)", "rgba(0,0,0,2)",
          "rgb(-1,0,0)", "rgba(0,0,0)", "rgb(nan,0,0)", "rgb(inf,0,0)", "purple", "rgb(1,2,3"}) {
        auto color = parse_color(text);
        EXPECT_FALSE(color) << text;
        if (!color) {
            EXPECT_NE(color.error().message.find("#rrggbb"), std::string::npos) << text;
        }
    }
}

TEST(ParseLength, AcceptsUnits) {
    struct Case {
        const char* text;
        Length expected;
    };
    const Case cases[] = {
        {"50%", {50, Unit::percent}}, {"10vw", {10, Unit::vw}},       {"-7vh", {-7, Unit::vh}},
        {"12px", {12, Unit::px}},     {"2.5%", {2.5, Unit::percent}}, {" 11vh ", {11, Unit::vh}},
    };
    for (const auto& c : cases) {
        auto length = parse_length(c.text);
        ASSERT_TRUE(length) << c.text;
        EXPECT_EQ(*length, c.expected) << c.text;
    }
}

TEST(ParseLength, RefusesMissingOrUnknownUnits) {
    for (const char* text : {"", "12", "px", "12em", "1e9px", "nan%", "inf%", "12 p x", "--1px"}) {
        auto length = parse_length(text);
        EXPECT_FALSE(length) << text;
    }
}

TEST(ParseEasing, AcceptsEveryName) {
    struct Case {
        const char* text;
        EasingFamily family;
        EasingMode mode;
    };
    const Case cases[] = {
        {"linear", EasingFamily::linear, EasingMode::in_out},
        {"hold", EasingFamily::hold, EasingMode::in_out},
        {"ease-in-quad", EasingFamily::quad, EasingMode::in},
        {"ease-out-cubic", EasingFamily::cubic, EasingMode::out},
        {"ease-in-out-quart", EasingFamily::quart, EasingMode::in_out},
        {"ease-in-quint", EasingFamily::quint, EasingMode::in},
        {"ease-out-sine", EasingFamily::sine, EasingMode::out},
        {"ease-in-out-expo", EasingFamily::expo, EasingMode::in_out},
        {"ease-in-circ", EasingFamily::circ, EasingMode::in},
        {"ease-out-back", EasingFamily::back, EasingMode::out},
        {"ease-in-out-elastic", EasingFamily::elastic, EasingMode::in_out},
        {"ease-out-bounce", EasingFamily::bounce, EasingMode::out},
        {"ease", EasingFamily::bezier, EasingMode::in_out},
        {"ease-in", EasingFamily::bezier, EasingMode::in_out},
    };
    for (const auto& c : cases) {
        auto easing = parse_easing(c.text);
        ASSERT_TRUE(easing) << c.text;
        EXPECT_EQ(easing->family, c.family) << c.text;
        EXPECT_EQ(easing->mode, c.mode) << c.text;
    }
}

TEST(ParseEasing, CssKeywordsAreTheirCubicBeziers) {
    using B = std::array<double, 4>;
    EXPECT_EQ(parse_easing("ease")->bezier, (B{0.25, 0.1, 0.25, 1}));
    EXPECT_EQ(parse_easing("ease-in")->bezier, (B{0.42, 0, 1, 1}));
    EXPECT_EQ(parse_easing("ease-out")->bezier, (B{0, 0, 0.58, 1}));
    EXPECT_EQ(parse_easing("ease-in-out")->bezier, (B{0.42, 0, 0.58, 1}));
    EXPECT_EQ(parse_easing("cubic-bezier(0.1, -0.5, 0.9, 1.5)")->bezier, (B{0.1, -0.5, 0.9, 1.5}));
    EXPECT_EQ(parse_easing("cubic-bezier(0,0,1,1)")->family, EasingFamily::bezier);
}

TEST(ParseEasing, RefusesUnknownNamesAndBadBeziers) {
    for (const char* text : {"", "ease-in-", "ease-sideways-quad", "ease-in-foo", "quad",
                             "cubic-bezier(1,2,3)", "cubic-bezier(1.5,0,0.5,1)", "cubic-bezier(0,0,-0.1,1)",
                             "cubic-bezier(a,b,c,d)", "cubic-bezier(0,0,1,1,1)", "cubic-bezier(0,0,1,1"}) {
        EXPECT_FALSE(parse_easing(text)) << text;
    }
    EXPECT_NE(parse_easing("bouncy").error().message.find("ease-in-out-<f>"), std::string::npos);
}

}  // namespace
}  // namespace vidgen::spec
