// Render progress on stderr: a bar with frames, fps and ETA redrawn in place on a terminal, plain lines
// (every 10 %) otherwise, nothing with --quiet. Called from the render's encoding thread only.
#pragma once

#include <string>

#include "render/batch.hpp"
#include "render/render.hpp"

namespace vidgen::app {

class ProgressReporter {
  public:
    ProgressReporter(std::string label, bool quiet);
    void update(const render::Progress& progress);
    void finish(const render::RenderStats& stats, const std::string& out);
    void finish_batch(const render::BatchStats& stats);
    void set_label(std::string label);
    void abandon();  // ends the bar's line before an error is printed

  private:
    std::string label_;
    bool quiet_;
    bool tty_;
    int last_decile_ = -1;
};

}  // namespace vidgen::app
