#include "core/error.hpp"
#include "core/hash.hpp"

#include <gtest/gtest.h>

namespace vidgen {
namespace {

TEST(Error, ToStringPrefixesThePointer) {
    Error e{Code::invalid_argument, "must be >= 0, got -2", "/timeline/tracks/0/clips/3/start"};
    EXPECT_EQ(e.to_string(), "/timeline/tracks/0/clips/3/start: must be >= 0, got -2");
    EXPECT_EQ((Error{Code::io, "disk full"}).to_string(), "disk full");
}

TEST(Error, FailMakesAnUnexpected) {
    Result<int> r = fail(Code::not_found, "no such font", "/font");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Code::not_found);
    EXPECT_STREQ(code_name(r.error().code), "not_found");
}

TEST(Hash, IncrementalSha256MatchesOneShot) {
    Sha256 hash;
    hash.update(std::string_view("a"));
    hash.update(std::string_view("bc"));
    EXPECT_EQ(hash.finish_hex(), sha256_hex("abc"));
}

TEST(Hash, Sha256OfKnownInput) {
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_NE(fast_hash("a"), fast_hash("b"));
}

}  // namespace
}  // namespace vidgen
