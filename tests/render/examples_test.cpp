// Every example in examples/ parses, plans and renders a frame: the whole path from JSON to pixels.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fstream>
#include <sstream>

#include "media/image.hpp"
#include "spec/parse.hpp"
#include "support.hpp"

namespace vidgen::render {
namespace {

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

boost::json::object example_data(const std::filesystem::path& dir) {
    if (!std::filesystem::exists(dir / "data.json")) return {};
    auto value = boost::json::parse(read_text(dir / "data.json"));
    return value.is_object() ? value.as_object() : boost::json::object{};
}

class Examples : public ::testing::TestWithParam<std::string> {};

TEST_P(Examples, PlansAndRendersAFrame) {
    auto dir = std::filesystem::path(VIDGEN_SOURCE_DIR) / "examples" / GetParam();
    auto parsed = spec::parse(read_text(dir / "spec.json"), example_data(dir));
    ASSERT_TRUE(parsed) << parsed.error().errors.front().to_string();
    RenderOptions options;
    options.base_dir = dir;
    auto planned = plan(*parsed, options);
    ASSERT_TRUE(planned) << planned.error().to_string();
    EXPECT_GT(planned->frame_count, 0);
    testing::TempDir tmp;
    auto out = tmp.path() / "frame.png";
    auto saved = render_frame(*planned, planned->duration / 2, out);
    ASSERT_TRUE(saved) << saved.error().to_string();
    auto info = media::probe_image(out);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->width, parsed->output.width);
    EXPECT_EQ(info->height, parsed->output.height);
}

INSTANTIATE_TEST_SUITE_P(All, Examples,
                         ::testing::Values("lower-third", "personalised-card", "picture-in-picture",
                                           "slideshow", "title-card", "vertical-social"));

}  // namespace
}  // namespace vidgen::render
