#include "blob/local_blob_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "blob_fixture.hpp"
#include "core/hash.hpp"

namespace vidgen::blob::testing {
namespace {

TEST_F(BlobStoreTest, PutFileThenStatOpenAndRemove) {
    fs::path source = scratch_->path() / "clip.mp4";
    write_file(source, "not really a movie");
    auto put = store_->put_file(source, "video/mp4");
    ASSERT_TRUE(put) << put.error().to_string();
    std::string sha = sha256_hex("not really a movie");
    EXPECT_EQ(put->key, sha + ".mp4");
    EXPECT_EQ(put->etag(), "\"" + sha + "\"");
    EXPECT_TRUE(fs::exists(source));  // copied, not moved
    EXPECT_TRUE(fs::is_regular_file(root_ / sha.substr(0, 2) / sha.substr(2, 2) / put->key));

    auto info = store_->stat(put->key);
    ASSERT_TRUE(info) << info.error().to_string();
    EXPECT_EQ(info->size, 18u);
    EXPECT_EQ(info->content_type, "video/mp4");
    EXPECT_EQ(info->sha256, sha);
    EXPECT_GT(info->modified.time_since_epoch().count(), 0);

    auto opened = store_->open(put->key);
    ASSERT_TRUE(opened) << opened.error().to_string();
    EXPECT_EQ(read_fd(opened->fd.get()), "not really a movie");
    EXPECT_EQ(opened->info.size, 18u);
    EXPECT_EQ(read_file(opened->path), "not really a movie");

    ASSERT_TRUE(store_->remove(put->key));
    EXPECT_EQ(read_fd(opened->fd.get()), "not really a movie");  // an open descriptor outlives removal
    EXPECT_EQ(store_->stat(put->key).error().code, Code::not_found);
    EXPECT_EQ(store_->open(put->key).error().code, Code::not_found);
    EXPECT_EQ(store_->remove(put->key).error().code, Code::not_found);
    EXPECT_TRUE(store_->list()->empty());
}

TEST_F(BlobStoreTest, PutFileMoveTakesTheSourceIn) {
    fs::path source = scratch_->path() / "render.webm";
    write_file(source, "webm bytes");
    auto put = store_->put_file(source, "video/webm", PutMode::move);
    ASSERT_TRUE(put) << put.error().to_string();
    EXPECT_EQ(put->key, sha256_hex("webm bytes") + ".webm");
    EXPECT_FALSE(fs::exists(source));
    EXPECT_EQ(read_file(*store_->path_for(put->key)), "webm bytes");
    EXPECT_EQ(staged_files(root_), 0);
}

TEST_F(BlobStoreTest, PutFileRejectsMissingSourcesAndFolders) {
    EXPECT_EQ(store_->put_file(scratch_->path() / "absent", "video/mp4").error().code, Code::not_found);
    EXPECT_EQ(store_->put_file(scratch_->path(), "video/mp4").error().code, Code::invalid_argument);
    EXPECT_EQ(store_->put_file(scratch_->path(), "video/mp4", PutMode::move).error().code,
              Code::invalid_argument);
}

TEST_F(BlobStoreTest, FailedMoveGivesTheSourceBack) {
    fs::path source = scratch_->path() / "keep.bin";
    write_file(source, "precious");
    auto put = store_->put_file(source, "bad\ntype", PutMode::move);
    ASSERT_FALSE(put);
    EXPECT_EQ(put.error().code, Code::invalid_argument);
    EXPECT_EQ(read_file(source), "precious");
    EXPECT_TRUE(store_->list()->empty());
}

TEST_F(BlobStoreTest, StreamsTwentyMegabytesInChunks) {
    const std::string content = random_bytes(20u << 20, 7);
    auto writer = store_->begin_put(32u << 20);
    ASSERT_TRUE(writer) << writer.error().to_string();
    std::size_t chunk = 65536 + 17;
    for (std::size_t offset = 0; offset < content.size(); offset += chunk) {
        ASSERT_TRUE((*writer)->write(std::string_view(content).substr(offset, chunk)));
    }
    EXPECT_EQ((*writer)->bytes_written(), content.size());
    auto committed = (*writer)->commit("video/mp4");
    ASSERT_TRUE(committed) << committed.error().to_string();
    EXPECT_EQ(committed->key, sha256_hex(content) + ".mp4");
    EXPECT_EQ(committed->size, content.size());
    EXPECT_TRUE(read_file(*store_->path_for(committed->key)) == content);
    EXPECT_EQ(staged_files(root_), 0);
}

TEST_F(BlobStoreTest, SizeLimitStopsTheWriterAndLeavesNothing) {
    auto writer = store_->begin_put(1000);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->write(std::string(600, 'a')));
    auto over = (*writer)->write(std::string(401, 'b'));
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, Code::limit_exceeded);
    EXPECT_EQ(staged_files(root_), 0);
    EXPECT_FALSE((*writer)->write(std::string(1, 'c')));
    EXPECT_FALSE((*writer)->commit("text/plain"));
    EXPECT_TRUE(store_->list()->empty());
}

TEST_F(BlobStoreTest, UploadOfExactlyTheLimitIsAccepted) {
    auto writer = store_->begin_put(1000);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->write(std::string(1000, 'a')));
    auto committed = (*writer)->commit("text/plain");
    ASSERT_TRUE(committed) << committed.error().to_string();
    EXPECT_EQ(committed->size, 1000u);
}

TEST_F(BlobStoreTest, AbortAndDroppedWritersLeaveNothing) {
    {
        auto writer = store_->begin_put(1u << 20);
        ASSERT_TRUE(writer);
        ASSERT_TRUE((*writer)->write("half an upload"));
        EXPECT_EQ(staged_files(root_), 1);
        (*writer)->abort();
        EXPECT_EQ(staged_files(root_), 0);
        EXPECT_EQ((*writer)->commit("text/plain").error().code, Code::invalid_argument);
    }
    {
        auto writer = store_->begin_put(1u << 20);
        ASSERT_TRUE(writer);
        ASSERT_TRUE((*writer)->write("a client that went away"));
    }
    EXPECT_EQ(staged_files(root_), 0);
    EXPECT_TRUE(store_->list()->empty());
}

TEST_F(BlobStoreTest, SameContentTwiceIsStoredOnce) {
    fs::path source = scratch_->path() / "a.png";
    write_file(source, "png bytes");
    auto first = store_->put_file(source, "image/png");
    auto writer = store_->begin_put(100);
    ASSERT_TRUE(first && writer);
    ASSERT_TRUE((*writer)->write("png bytes"));
    auto second = (*writer)->commit("image/png");
    ASSERT_TRUE(second) << second.error().to_string();
    EXPECT_EQ(first->key, second->key);
    EXPECT_EQ(first->key, sha256_hex("png bytes") + ".png");
    auto keys = store_->list();
    ASSERT_TRUE(keys);
    EXPECT_EQ(*keys, std::vector<std::string>{first->key});
    EXPECT_EQ(staged_files(root_), 0);
}

TEST_F(BlobStoreTest, UnknownContentTypeKeepsTheTypeButNoExtension) {
    auto writer = store_->begin_put(100);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->write("{}"));
    auto committed = (*writer)->commit("application/x-vidgen-thing");
    ASSERT_TRUE(committed) << committed.error().to_string();
    EXPECT_EQ(committed->key, sha256_hex("{}"));
    EXPECT_EQ(store_->stat(committed->key)->content_type, "application/x-vidgen-thing");
}

TEST_F(BlobStoreTest, BlobWithoutItsContentTypeFileIsServedAsOctetStream) {
    auto writer = store_->begin_put(100);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->write("bytes"));
    auto committed = (*writer)->commit("video/mp4");
    ASSERT_TRUE(committed);
    fs::path sidecar = *store_->path_for(committed->key);
    sidecar += ".content-type";
    EXPECT_EQ(store_->stat(committed->key)->content_type, "video/mp4");  // now remembered
    ASSERT_TRUE(fs::remove(sidecar));
    EXPECT_EQ(store_->stat(committed->key)->content_type, "application/octet-stream");
    EXPECT_EQ(store_->open(committed->key)->info.content_type, "application/octet-stream");
    EXPECT_TRUE(store_->remove(committed->key));
}

TEST_F(BlobStoreTest, ARewrittenContentTypeFileIsReadAgain) {
    auto writer = store_->begin_put(100);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->write("bytes"));
    auto committed = (*writer)->commit("video/mp4");
    ASSERT_TRUE(committed);
    fs::path sidecar = *store_->path_for(committed->key);
    sidecar += ".content-type";
    for (int i = 0; i < 2; ++i) EXPECT_EQ(store_->open(committed->key)->info.content_type, "video/mp4");
    write_file(sidecar, "video/webm");
    EXPECT_EQ(store_->open(committed->key)->info.content_type, "video/webm");
    EXPECT_EQ(store_->stat(committed->key)->content_type, "video/webm");
    fs::path replacement = sidecar;
    replacement += ".new";
    write_file(replacement, "image/png");
    fs::rename(replacement, sidecar);
    EXPECT_EQ(store_->stat(committed->key)->content_type, "image/png");
}

TEST_F(BlobStoreTest, EmptyUploadIsABlobToo) {
    auto writer = store_->begin_put(0);
    ASSERT_TRUE(writer);
    auto committed = (*writer)->commit("");
    ASSERT_TRUE(committed) << committed.error().to_string();
    EXPECT_EQ(committed->key, sha256_hex(""));
    EXPECT_EQ(committed->size, 0u);
    EXPECT_EQ(committed->content_type, "application/octet-stream");
}

TEST_F(BlobStoreTest, HostileKeysAreRejectedBeforeTouchingTheDisk) {
    write_file(scratch_->path() / "secret", "outside the store");
    std::string sha = sha256_hex("outside the store");
    const std::string hostile[] = {"../secret",
                                   "..%2fsecret",
                                   "%2e%2e/secret",
                                   sha + "/../../../secret",
                                   "tmp",
                                   sha + "\\..",
                                   "",
                                   std::string(1, '\0'),
                                   sha + ".content-type"};
    for (const std::string& key : hostile) {
        EXPECT_EQ(store_->stat(key).error().code, Code::invalid_argument) << key;
        EXPECT_EQ(store_->open(key).error().code, Code::invalid_argument) << key;
        EXPECT_EQ(store_->remove(key).error().code, Code::invalid_argument) << key;
        EXPECT_EQ(store_->path_for(key).error().code, Code::invalid_argument) << key;
    }
    EXPECT_EQ(read_file(scratch_->path() / "secret"), "outside the store");
}

TEST_F(BlobStoreTest, LeftoversOfACrashAreRemovedWhenTheStoreOpens) {
    fs::path dead = root_ / "tmp" / "store-crashed";
    fs::create_directories(dead);
    write_file(dead / "part-0", "half a video");
    write_file(root_ / "tmp" / "stray", "x");
    auto reopened = LocalBlobStore::open_root(root_);
    ASSERT_TRUE(reopened) << reopened.error().to_string();
    EXPECT_FALSE(fs::exists(dead));
    EXPECT_FALSE(fs::exists(root_ / "tmp" / "stray"));
}

TEST_F(BlobStoreTest, OpeningASecondStoreKeepsTheFirstStoresUploads) {
    auto writer = store_->begin_put(1u << 20);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->write("in flight"));
    auto other = LocalBlobStore::open_root(root_);
    ASSERT_TRUE(other) << other.error().to_string();
    auto committed = (*writer)->commit("text/plain");
    ASSERT_TRUE(committed) << committed.error().to_string();
    auto seen = (*other)->stat(committed->key);
    ASSERT_TRUE(seen) << seen.error().to_string();
    EXPECT_EQ(seen->content_type, "text/plain");
}

TEST_F(BlobStoreTest, ClosingTheStoreRemovesItsPrivateFolder) {
    store_.reset();
    EXPECT_TRUE(fs::is_empty(root_ / "tmp"));
}

}  // namespace
}  // namespace vidgen::blob::testing
