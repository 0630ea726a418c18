#include "core/scratch_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace vidgen {
namespace {

TEST(ScratchDir, IsPrivateAndRemovedWithItsContents) {
    std::filesystem::path kept;
    {
        auto dir = ScratchDir::create("vidgen-test");
        ASSERT_TRUE(dir) << dir.error().to_string();
        kept = dir->path();
        EXPECT_TRUE(std::filesystem::is_directory(kept));
        auto perms = std::filesystem::status(kept).permissions();
        EXPECT_EQ(perms & std::filesystem::perms::all, std::filesystem::perms::owner_all);
        std::filesystem::create_directories(kept / "sub");
        std::ofstream(kept / "sub" / "file.bin") << "x";
    }
    EXPECT_FALSE(std::filesystem::exists(kept));
}

TEST(ScratchDir, MovingKeepsOneOwner) {
    auto first = ScratchDir::create("vidgen-test");
    ASSERT_TRUE(first);
    std::filesystem::path path = first->path();
    {
        ScratchDir moved = std::move(*first);
        EXPECT_EQ(moved.path(), path);
        EXPECT_TRUE(first->path().empty());
    }
    EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ScratchDir, CreateInPutsTheFolderUnderTheGivenParent) {
    auto parent = ScratchDir::create("vidgen-test");
    ASSERT_TRUE(parent);
    std::filesystem::path path;
    {
        auto child = ScratchDir::create_in(parent->path(), "job");
        ASSERT_TRUE(child);
        path = child->path();
        EXPECT_EQ(path.parent_path(), parent->path());
        EXPECT_TRUE(std::filesystem::is_directory(path));
    }
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_FALSE(ScratchDir::create_in(parent->path() / "missing", "job")) << "the parent must exist";
}

}  // namespace
}  // namespace vidgen
