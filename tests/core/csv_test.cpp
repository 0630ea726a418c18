#include "core/csv.hpp"

#include <gtest/gtest.h>

namespace vidgen {
namespace {

TEST(Csv, ReadsHeaderAndRows) {
    auto rows = parse_csv("name,city\nAda,London\r\nGrace,\"New York, NY\"\n");
    ASSERT_TRUE(rows) << rows.error().to_string();
    ASSERT_EQ(rows->size(), 3u);
    EXPECT_EQ((*rows)[0], (CsvRow{"name", "city"}));
    EXPECT_EQ((*rows)[2], (CsvRow{"Grace", "New York, NY"}));
}

TEST(Csv, QuotedFieldsKeepQuotesAndNewlines) {
    auto rows = parse_csv("a\n\"say \"\"hi\"\"\nthere\"\n");
    ASSERT_TRUE(rows);
    EXPECT_EQ((*rows)[1][0], "say \"hi\"\nthere");
}

TEST(Csv, SkipsBlankLinesAndByteOrderMark) {
    auto rows = parse_csv("\xEF\xBB\xBFname\n\nAda\n\n");
    ASSERT_TRUE(rows);
    EXPECT_EQ(rows->size(), 2u);
    EXPECT_EQ((*rows)[0][0], "name");
}

TEST(Csv, RejectsRowWithWrongFieldCount) {
    auto rows = parse_csv("a,b\n1,2\n3\n");
    ASSERT_FALSE(rows);
    EXPECT_EQ(rows.error().message, "line 3: 1 fields, the header has 2");
}

TEST(Csv, RejectsUnterminatedQuote) {
    auto rows = parse_csv("a\n\"open\n");
    ASSERT_FALSE(rows);
    EXPECT_EQ(rows.error().message, "line 2: unterminated quoted field");
}

}  // namespace
}  // namespace vidgen
