#include "render/easing.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace vidgen::render {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kBack = 1.70158;             // Penner's overshoot s
constexpr double kBackInOut = kBack * 1.525;  // Penner's in-out overshoot
constexpr double kElasticPeriod = 2 * kPi / 3;
constexpr double kElasticInOutPeriod = 2 * kPi / 4.5;

double bounce_out(double p) {
    constexpr double n = 7.5625;
    constexpr double d = 2.75;
    if (p < 1 / d) return n * p * p;
    if (p < 2 / d) {
        p -= 1.5 / d;
        return n * p * p + 0.75;
    }
    if (p < 2.5 / d) {
        p -= 2.25 / d;
        return n * p * p + 0.9375;
    }
    p -= 2.625 / d;
    return n * p * p + 0.984375;
}

// The "in" curve of a family; `in_out` selects Penner's in-out constants for back and elastic.
double ease_in(spec::EasingFamily family, double p, bool in_out) {
    using F = spec::EasingFamily;
    switch (family) {
        case F::quad:
            return p * p;
        case F::cubic:
            return p * p * p;
        case F::quart:
            return p * p * p * p;
        case F::quint:
            return p * p * p * p * p;
        case F::sine:
            return 1 - std::cos(p * kPi / 2);
        case F::expo:
            return p <= 0 ? 0 : std::pow(2, 10 * p - 10);
        case F::circ:
            return 1 - std::sqrt(std::max(0.0, 1 - p * p));
        case F::back: {
            double s = in_out ? kBackInOut : kBack;
            return p * p * ((s + 1) * p - s);
        }
        case F::elastic: {
            if (p <= 0 || p >= 1) return p <= 0 ? 0 : 1;
            double period = in_out ? kElasticInOutPeriod : kElasticPeriod;
            double shift = in_out ? 11.125 : 10.75;
            return -std::pow(2, 10 * p - 10) * std::sin((10 * p - shift) * period);
        }
        case F::bounce:
            return 1 - bounce_out(1 - p);
        case F::linear:
        case F::hold:
        case F::bezier:
            return p;
    }
    return p;
}

double penner(const spec::Easing& e, double p) {
    switch (e.mode) {
        case spec::EasingMode::in:
            return ease_in(e.family, p, false);
        case spec::EasingMode::out:
            return 1 - ease_in(e.family, 1 - p, false);
        case spec::EasingMode::in_out:
            if (p < 0.5) return ease_in(e.family, 2 * p, true) / 2;
            return 1 - ease_in(e.family, 2 - 2 * p, true) / 2;
    }
    return p;
}

// A CSS cubic-bezier from (0,0) to (1,1) with control points (x1,y1), (x2,y2), solved for x the way
// browsers do: Newton's method from x, falling back to bisection when the slope is too flat.
class CubicBezier {
  public:
    CubicBezier(double x1, double y1, double x2, double y2) {
        cx_ = 3 * x1;
        bx_ = 3 * (x2 - x1) - cx_;
        ax_ = 1 - cx_ - bx_;
        cy_ = 3 * y1;
        by_ = 3 * (y2 - y1) - cy_;
        ay_ = 1 - cy_ - by_;
    }

    double solve(double x) const { return sample_y(solve_t(x)); }

  private:
    double sample_x(double t) const { return ((ax_ * t + bx_) * t + cx_) * t; }
    double sample_y(double t) const { return ((ay_ * t + by_) * t + cy_) * t; }
    double slope_x(double t) const { return (3 * ax_ * t + 2 * bx_) * t + cx_; }

    double solve_t(double x) const {
        constexpr double kEpsilon = 1e-9;
        double t = x;
        for (int i = 0; i < 8; ++i) {
            double error = sample_x(t) - x;
            if (std::abs(error) < kEpsilon) return t;
            double slope = slope_x(t);
            if (std::abs(slope) < 1e-6) break;
            t -= error / slope;
        }
        double lo = 0, hi = 1;
        t = x;
        for (int i = 0; i < 64 && hi - lo > kEpsilon; ++i) {
            double value = sample_x(t);
            if (std::abs(value - x) < kEpsilon) return t;
            (value < x ? lo : hi) = t;
            t = (lo + hi) / 2;
        }
        return t;
    }

    double ax_, bx_, cx_, ay_, by_, cy_;
};

}  // namespace

double ease(const spec::Easing& easing, double p) {
    if (std::isnan(p) || p <= 0) return 0;
    if (p >= 1) return 1;
    switch (easing.family) {
        case spec::EasingFamily::linear:
            return p;
        case spec::EasingFamily::hold:
            return 0;
        case spec::EasingFamily::bezier: {
            const auto& b = easing.bezier;
            CubicBezier curve(std::clamp(b[0], 0.0, 1.0), b[1], std::clamp(b[2], 0.0, 1.0), b[3]);
            return curve.solve(p);
        }
        default:
            return penner(easing, p);
    }
}

}  // namespace vidgen::render
