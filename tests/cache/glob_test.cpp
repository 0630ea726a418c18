#include <gtest/gtest.h>

#include "cache/cache.hpp"

namespace vidgen::cache {
namespace {

struct GlobCase {
    const char* glob;
    const char* text;
    bool matches;
};

TEST(GlobMatch, StarAndQuestionMarkFollowRedisStyleRules) {
    const GlobCase cases[] = {
        {"temp:*", "temp:1", true},
        {"temp:*", "temp:", true},
        {"temp:*", "tmp:1", false},
        {"*", "", true},
        {"*", "anything at all", true},
        {"", "", true},
        {"", "a", false},
        {"job:?", "job:7", true},
        {"job:?", "job:", false},
        {"job:?", "job:12", false},
        {"*:preview:*", "t1:preview:9", true},
        {"*:preview:*", "t1:previe:9", false},
        {"a*b*c", "aXXbYYc", true},
        {"a*b*c", "aXXbYY", false},
        {"a*b", "abab", true},
        {"*ab", "aab", true},
        {"??", "ab", true},
        {"??", "abc", false},
        {"exact", "exact", true},
        {"exact", "exactly", false},
        {"**x", "yyx", true},
        {"a?c*", "abcdef", true},
    };
    for (const GlobCase& c : cases) {
        EXPECT_EQ(glob_match(c.glob, c.text), c.matches) << c.glob << " vs " << c.text;
    }
}

TEST(GlobMatch, ManyStarsOnALongMismatchStillFinish) {
    const std::string text(4096, 'a');
    EXPECT_FALSE(glob_match("*a*a*a*a*a*a*b", text));
    EXPECT_TRUE(glob_match("*a*a*a*a*a*a*", text));
}

}  // namespace
}  // namespace vidgen::cache
