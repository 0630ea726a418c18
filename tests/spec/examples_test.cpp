#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "helpers.hpp"
#include "spec/merge.hpp"

namespace vidgen::spec {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

TEST(Examples, EveryExampleSpecParses) {
    fs::path root = fs::path(VIDGEN_SOURCE_DIR) / "examples";
    int parsed = 0;
    for (const auto& dir : fs::directory_iterator(root)) {
        fs::path spec_path = dir.path() / "spec.json";
        if (!fs::exists(spec_path)) continue;
        boost::json::object data;
        if (fs::exists(dir.path() / "data.json"))
            data = testing::data_of(read_text(dir.path() / "data.json"));
        auto spec = parse(read_text(spec_path), data);
        EXPECT_TRUE(spec) << spec_path << "\n" << (spec ? "" : testing::describe(spec.error()));
        ++parsed;
    }
    EXPECT_GE(parsed, 6);
}

TEST(Examples, PersonalisedCardListsItsMergeFields) {
    fs::path spec = fs::path(VIDGEN_SOURCE_DIR) / "examples/personalised-card/spec.json";
    auto fields = list_merge_fields(boost::json::parse(read_text(spec)));
    std::vector<std::string> names;
    for (const auto& f : fields) names.push_back(f.name);
    EXPECT_EQ(names, (std::vector<std::string>{"colour", "name", "accent", "company"}));
}

}  // namespace
}  // namespace vidgen::spec
