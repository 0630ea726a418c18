#include "render/easing.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "render/animate.hpp"

namespace vidgen::render {
namespace {

using spec::Easing;
using F = spec::EasingFamily;
using M = spec::EasingMode;

struct NamedEasing {
    std::string name;
    Easing easing;
    bool symmetric;  // in-out curves (and linear) pass through (0.5, 0.5)
};

Easing bezier(double x1, double y1, double x2, double y2) {
    return {F::bezier, M::in_out, {x1, y1, x2, y2}};
}

// The 37 curves a spec can name: 10 Penner families × 3 modes, linear, hold, a cubic-bezier and CSS's four.
std::vector<NamedEasing> all_curves() {
    std::vector<NamedEasing> curves;
    const std::pair<const char*, F> families[] = {
        {"quad", F::quad},       {"cubic", F::cubic},  {"quart", F::quart}, {"quint", F::quint},
        {"sine", F::sine},       {"expo", F::expo},    {"circ", F::circ},   {"back", F::back},
        {"elastic", F::elastic}, {"bounce", F::bounce}};
    for (auto [name, family] : families) {
        curves.push_back({std::string("ease-in-") + name, {family, M::in}, false});
        curves.push_back({std::string("ease-out-") + name, {family, M::out}, false});
        curves.push_back({std::string("ease-in-out-") + name, {family, M::in_out}, true});
    }
    curves.push_back({"linear", {F::linear}, true});
    curves.push_back({"hold", {F::hold}, false});
    curves.push_back({"cubic-bezier(0.1,0.7,1,0.1)", bezier(0.1, 0.7, 1, 0.1), false});
    curves.push_back({"ease", bezier(0.25, 0.1, 0.25, 1), false});
    curves.push_back({"ease-in", bezier(0.42, 0, 1, 1), false});
    curves.push_back({"ease-out", bezier(0, 0, 0.58, 1), false});
    curves.push_back({"ease-in-out", bezier(0.42, 0, 0.58, 1), true});
    return curves;
}

TEST(Easing, EveryCurveStartsAtZeroAndEndsAtOne) {
    auto curves = all_curves();
    ASSERT_EQ(curves.size(), 37u);
    for (const auto& c : curves) {
        EXPECT_EQ(ease(c.easing, 0.0), 0.0) << c.name;
        EXPECT_EQ(ease(c.easing, 1.0), 1.0) << c.name;
    }
}

TEST(Easing, ProgressOutsideTheUnitIntervalIsClamped) {
    for (const auto& c : all_curves()) {
        EXPECT_EQ(ease(c.easing, -0.5), 0.0) << c.name;
        EXPECT_EQ(ease(c.easing, 1.5), 1.0) << c.name;
    }
}

TEST(Easing, SymmetricCurvesPassThroughTheMidpoint) {
    for (const auto& c : all_curves()) {
        if (!c.symmetric) continue;
        EXPECT_NEAR(ease(c.easing, 0.5), 0.5, 1e-6) << c.name;
    }
}

TEST(Easing, KnownValues) {
    EXPECT_DOUBLE_EQ(ease({F::quad, M::in}, 0.5), 0.25);
    EXPECT_DOUBLE_EQ(ease({F::quad, M::out}, 0.5), 0.75);
    EXPECT_DOUBLE_EQ(ease({F::cubic, M::in}, 0.5), 0.125);
    EXPECT_DOUBLE_EQ(ease({F::cubic, M::in_out}, 0.25), 0.0625);
    EXPECT_DOUBLE_EQ(ease({F::quart, M::in}, 0.5), 0.0625);
    EXPECT_DOUBLE_EQ(ease({F::quint, M::in}, 0.5), 0.03125);
    EXPECT_NEAR(ease({F::sine, M::in}, 0.5), 1 - std::sqrt(0.5), 1e-12);
    EXPECT_NEAR(ease({F::expo, M::in}, 0.5), 1.0 / 32, 1e-12);
    EXPECT_NEAR(ease({F::circ, M::in}, 0.5), 1 - std::sqrt(0.75), 1e-12);
    EXPECT_NEAR(ease({F::bounce, M::out}, 0.5), 0.765625, 1e-12);
    EXPECT_DOUBLE_EQ(ease({F::linear}, 0.3), 0.3);
}

TEST(Easing, CssEaseMatchesBrowserValues) {
    // Reference values of CSS `ease` (cubic-bezier(0.25, 0.1, 0.25, 1)) as browsers compute them.
    Easing css_ease = bezier(0.25, 0.1, 0.25, 1);
    EXPECT_NEAR(ease(css_ease, 0.25), 0.4094, 1e-3);
    EXPECT_NEAR(ease(css_ease, 0.5), 0.8024, 1e-3);
    EXPECT_NEAR(ease(css_ease, 0.75), 0.9604, 1e-3);
    EXPECT_NEAR(ease(bezier(0, 0, 1, 1), 0.37), 0.37, 1e-6);
}

TEST(Easing, BezierWithFlatSlopeStillSolves) {
    // x1 = x2 = 1, y1 = y2 = 0: x(t) = 1 - (1 - t)^3 with a zero slope at t = 1, and y(t) = t^3.
    Easing steep = bezier(1, 0, 1, 0);
    for (double x : {0.2, 0.9, 0.999}) {
        double t = 1 - std::cbrt(1 - x);
        EXPECT_NEAR(ease(steep, x), t * t * t, 1e-6) << x;
    }
    EXPECT_NEAR(ease(bezier(0.42, 0, 0.58, 1), 0.5), 0.5, 1e-6);
}

TEST(Easing, BackOvershootsBelowZeroAndElasticAboveOne) {
    EXPECT_LT(ease({F::back, M::in}, 0.2), 0.0);
    EXPECT_GT(ease({F::back, M::out}, 0.8), 1.0);
    EXPECT_LT(ease({F::back, M::in_out}, 0.1), 0.0);
    EXPECT_GT(ease({F::elastic, M::out}, 0.2), 1.0);
}

TEST(Easing, HoldStaysAtZeroUntilTheEnd) {
    EXPECT_EQ(ease({F::hold}, 0.5), 0.0);
    EXPECT_EQ(ease({F::hold}, 0.999), 0.0);
    EXPECT_EQ(ease({F::hold}, 1.0), 1.0);
}

TEST(Easing, InIsMirrorOfOut) {
    for (F family : {F::quad, F::sine, F::expo, F::circ, F::back, F::elastic, F::bounce}) {
        for (double p : {0.1, 0.3, 0.7}) {
            EXPECT_NEAR(ease({family, M::in}, p), 1 - ease({family, M::out}, 1 - p), 1e-12);
        }
    }
}

TEST(Animate, SampleEasesBetweenKeyframes) {
    spec::Animated<double> opacity{0.0, {{0, 0.0, {F::quad, M::in}}, {2, 1.0, {}}}};
    EXPECT_DOUBLE_EQ(sample(opacity, -1), 0.0);
    EXPECT_DOUBLE_EQ(sample(opacity, 1), 0.25);
    EXPECT_DOUBLE_EQ(sample(opacity, 5), 1.0);
}

}  // namespace
}  // namespace vidgen::render
