// Turning a spec::Source into a local file a decoder may open: relative paths resolve against the
// spec's folder, https:// URLs are fetched through the media input policy, asset ids go to
// RenderOptions::resolve_asset (only `vidgen serve` knows them; refused without it). Errors carry the
// source's JSON Pointer. Thread-safe.
#pragma once

#include <filesystem>

#include "core/error.hpp"
#include "render/render.hpp"
#include "spec/model.hpp"

namespace vidgen::render {

Result<std::filesystem::path> resolve_source(const spec::Source& source, const RenderOptions& options);

}  // namespace vidgen::render
