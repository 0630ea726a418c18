// LocalBlobStore's support of the blob sweeper: remove_if_older removes only a blob last stored before
// the cutoff, and a put of bytes already stored makes them young again to it (not to Last-Modified).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>

#include <chrono>
#include <string>

#include "blob/local_blob_store.hpp"
#include "blob_fixture.hpp"

namespace vidgen::blob::testing {
namespace {

using SystemClock = std::chrono::system_clock;

class RemoveIfOlderTest : public BlobStoreTest {
  protected:
    BlobInfo put(const std::string& bytes) {
        fs::path source = scratch_->path() / "source";
        write_file(source, bytes);
        auto info = store_->put_file(source, "video/mp4");
        EXPECT_TRUE(info) << info.error().to_string();
        return *info;
    }

    // Sets the times of the blob and its content-type file an hour back.
    void make_old(const std::string& key) {
        auto seconds = SystemClock::to_time_t(SystemClock::now() - std::chrono::hours(1));
        struct timespec times[2] = {{seconds, 0}, {seconds, 0}};
        fs::path blob = *store_->path_for(key);
        ASSERT_EQ(::utimensat(AT_FDCWD, blob.c_str(), times, 0), 0);
        ASSERT_EQ(::utimensat(AT_FDCWD, (blob.string() + ".content-type").c_str(), times, 0), 0);
    }
};

TEST_F(RemoveIfOlderTest, RemovesOnlyABlobStoredBeforeTheCutoff) {
    auto blob = put("some bytes");
    auto cutoff = SystemClock::now() - std::chrono::minutes(10);
    EXPECT_FALSE(*store_->remove_if_older(blob.key, cutoff));
    EXPECT_TRUE(store_->stat(blob.key));

    make_old(blob.key);
    EXPECT_TRUE(*store_->remove_if_older(blob.key, cutoff));
    EXPECT_EQ(store_->stat(blob.key).error().code, Code::not_found);
    EXPECT_FALSE(*store_->remove_if_older(blob.key, cutoff));  // gone already: another sweeper was first
    EXPECT_EQ(store_->remove_if_older("bad key", cutoff).error().code, Code::invalid_argument);
}

TEST_F(RemoveIfOlderTest, PuttingStoredBytesAgainMakesThemYoung) {
    auto blob = put("rendered twice");
    make_old(blob.key);
    auto cutoff = SystemClock::now() - std::chrono::minutes(10);
    EXPECT_LT(store_->stat(blob.key)->modified, cutoff);

    put("rendered twice");
    EXPECT_LT(store_->stat(blob.key)->modified, cutoff);  // Last-Modified stays the first put's
    EXPECT_FALSE(*store_->remove_if_older(blob.key, cutoff));
    EXPECT_TRUE(store_->stat(blob.key));
}

}  // namespace
}  // namespace vidgen::blob::testing
