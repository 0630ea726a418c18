#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "helpers.hpp"

namespace vidgen::spec {
namespace {

struct Block {
    std::string info;  // "json" or "json data"
    std::string text;
    int line = 0;
};

// The fenced ```json blocks of a Markdown file, in order.
std::vector<Block> json_blocks(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::vector<Block> blocks;
    std::string line;
    Block* open = nullptr;
    for (int number = 1; std::getline(in, line); ++number) {
        if (open && line == "```") {
            open = nullptr;
        } else if (open) {
            open->text += line + "\n";
        } else if (line.starts_with("```json")) {
            blocks.push_back({line.substr(3), "", number});
            open = &blocks.back();
        }
    }
    return blocks;
}

TEST(Docs, EveryCompleteSpecAndClipInTheReferenceParses) {
    auto blocks = json_blocks(std::filesystem::path(VIDGEN_SOURCE_DIR) / "docs/spec.md");
    int checked = 0;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        boost::system::error_code ec;
        auto value = boost::json::parse(blocks[i].text, ec);
        if (ec || !value.is_object() || blocks[i].info != "json") continue;  // fragments and data
        boost::json::object data;
        if (i + 1 < blocks.size() && blocks[i + 1].info == "json data")
            data = testing::data_of(blocks[i + 1].text);
        std::string spec = value.as_object().contains("timeline")
                               ? blocks[i].text
                               : testing::with_clip(blocks[i].text, R"("duration":10)");
        auto parsed = parse(spec, data);
        EXPECT_TRUE(parsed) << "docs/spec.md line " << blocks[i].line << "\n"
                            << (parsed ? "" : testing::describe(parsed.error()));
        ++checked;
    }
    EXPECT_GE(checked, 9);
}

}  // namespace
}  // namespace vidgen::spec
