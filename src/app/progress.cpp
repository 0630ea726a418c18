#include "app/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace vidgen::app {

ProgressReporter::ProgressReporter(std::string label, bool quiet)
    : label_(std::move(label)), quiet_(quiet), tty_(isatty(STDERR_FILENO) != 0) {}

void ProgressReporter::update(const render::Progress& p) {
    if (quiet_ || p.frames_total <= 0) return;
    double fraction = static_cast<double>(p.frames_done) / static_cast<double>(p.frames_total);
    double fps = p.elapsed_seconds > 0 ? static_cast<double>(p.frames_done) / p.elapsed_seconds : 0;
    double eta = fps > 0 ? static_cast<double>(p.frames_total - p.frames_done) / fps : 0;
    if (tty_) {
        constexpr int kWidth = 30;
        int filled = static_cast<int>(fraction * kWidth);
        fmt::print(stderr, "\r{} [{:#<{}}{:.<{}}] {:3.0f}%  {}/{} frames  {:.1f} fps  ETA {:.1f}s ", label_,
                   "", filled, "", kWidth - filled, fraction * 100, p.frames_done, p.frames_total, fps, eta);
        std::fflush(stderr);
        return;
    }
    int decile = static_cast<int>(fraction * 10);
    if (decile == last_decile_) return;
    last_decile_ = decile;
    fmt::print(stderr, "{}: {:.0f}% ({}/{} frames, {:.1f} fps)\n", label_, fraction * 100, p.frames_done,
               p.frames_total, fps);
}

void ProgressReporter::finish(const render::RenderStats& stats, const std::string& out) {
    if (quiet_) return;
    if (tty_) fmt::print(stderr, "\r\033[K");
    double fps = stats.seconds > 0 ? static_cast<double>(stats.frames) / stats.seconds : 0;
    fmt::print(stderr, "{}: wrote {} ({} frames in {:.2f}s, {:.1f} fps, {} repeated)\n", label_, out,
               stats.frames, stats.seconds, fps, stats.static_frames);
}

void ProgressReporter::finish_batch(const render::BatchStats& stats) {
    if (quiet_) return;
    if (tty_) fmt::print(stderr, "\r\033[K");
    fmt::print(stderr, "{}: wrote {} files ({} frames, {} encoded, in {:.2f}s)\n", label_, stats.rows,
               stats.frames, stats.frames_encoded, stats.seconds);
}

void ProgressReporter::set_label(std::string label) {
    label_ = std::move(label);
    last_decile_ = -1;
}

void ProgressReporter::abandon() {
    if (!quiet_ && tty_) fmt::print(stderr, "\n");
}

}  // namespace vidgen::app
