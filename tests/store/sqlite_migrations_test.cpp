// SQLite specifics the shared suite cannot see: the schema_migrations table, WAL mode, refusing a newer
// schema.
#include <sqlite3.h>

#include "store_fixture.hpp"

namespace vidgen::store::testing {
namespace {

// A raw connection to inspect or tamper with the database file behind a store.
class RawDatabase {
  public:
    explicit RawDatabase(const std::filesystem::path& path) { sqlite3_open(path.c_str(), &db_); }
    ~RawDatabase() { sqlite3_close(db_); }
    RawDatabase(const RawDatabase&) = delete;
    RawDatabase& operator=(const RawDatabase&) = delete;

    std::string text(const char* sql) const {
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr);
        std::string out;
        if (sqlite3_step(stmt) == SQLITE_ROW)
            out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
        sqlite3_finalize(stmt);
        return out;
    }
    int exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }

  private:
    sqlite3* db_ = nullptr;
};

class SqliteMigrationsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        scratch_ = std::make_unique<ScratchDir>(must(ScratchDir::create("vidgen-sqlite-test")));
        path_ = scratch_->path() / "store.db";
    }
    std::string url() const { return "sqlite://" + path_.string(); }

    std::unique_ptr<ScratchDir> scratch_;
    std::filesystem::path path_;
};

TEST_F(SqliteMigrationsTest, EachMigrationIsRecordedOnceAcrossReopens) {
    int version = must(must(open_store(url()))->schema_version());
    must(open_store(url()));
    RawDatabase raw(path_);
    EXPECT_EQ(raw.text("SELECT count(*) FROM schema_migrations"), std::to_string(version));
    EXPECT_EQ(raw.text("SELECT count(DISTINCT version) FROM schema_migrations"), std::to_string(version));
    EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
}

TEST_F(SqliteMigrationsTest, NewerSchemaThanTheProgramIsRefused) {
    must(open_store(url()));
    {
        RawDatabase raw(path_);
        ASSERT_EQ(raw.exec("INSERT INTO schema_migrations (version, applied) VALUES (999, 0)"), SQLITE_OK);
    }
    auto result = open_store(url());
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, Code::unsupported);
}

}  // namespace
}  // namespace vidgen::store::testing
