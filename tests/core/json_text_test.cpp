#include "core/json_text.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace vidgen {
namespace {

TEST(JsonText, WritesNumbersAsPeopleDo) {
    boost::json::value v{{"whole", 6.0}, {"half", 2.5}, {"small", 0.1}, {"int", 3}, {"big", 1e20}};
    EXPECT_EQ(json_text(v), R"({"whole":6,"half":2.5,"small":0.1,"int":3,"big":1e+20})");
}

TEST(JsonText, IndentsNestedValues) {
    boost::json::value v{{"a", boost::json::array{1, 2}}, {"b", boost::json::object{}}};
    EXPECT_EQ(json_text(v, 2), "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}");
}

TEST(JsonText, EscapesStringsAndKeys) {
    boost::json::value v{{"q\"k", "line\nbreak"}};
    EXPECT_EQ(json_text(v), R"({"q\"k":"line\nbreak"})");
}

TEST(JsonText, ReadsBackToTheSameValue) {
    boost::json::value v{{"x", 439.234375}, {"y", -0.001}, {"s", "ü"}, {"n", nullptr}, {"t", true}};
    EXPECT_EQ(boost::json::parse(json_text(v, 4)), v);
}

}  // namespace
}  // namespace vidgen
