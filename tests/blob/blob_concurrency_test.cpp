#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "blob/local_blob_store.hpp"
#include "blob_fixture.hpp"
#include "core/hash.hpp"

namespace vidgen::blob::testing {
namespace {

constexpr int kThreads = 8;

Result<BlobInfo> stream_put(BlobStore& store, const std::string& content, std::string_view type) {
    auto writer = store.begin_put(content.size());
    if (!writer) return std::unexpected(writer.error());
    for (std::size_t offset = 0; offset < content.size(); offset += 40000) {
        if (auto written = (*writer)->write(std::string_view(content).substr(offset, 40000)); !written) {
            return std::unexpected(written.error());
        }
    }
    return (*writer)->commit(type);
}

TEST_F(BlobStoreTest, EightThreadsPutSameAndDifferentContent) {
    const std::string shared = random_bytes(1u << 20, 1);
    std::vector<std::string> own(kThreads);
    std::vector<std::set<std::string>> keys(kThreads);
    std::atomic<int> failures = 0;
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        own[i] = random_bytes(300000 + i, 100 + i);
        write_file(scratch_->path() / ("own-" + std::to_string(i)), own[i]);
        threads.emplace_back([&, i] {
            for (int round = 0; round < 8; ++round) {
                auto a = stream_put(*store_, shared, "video/mp4");
                auto b = store_->put_file(scratch_->path() / ("own-" + std::to_string(i)), "image/png");
                auto c = stream_put(*store_, own[i], "image/png");
                if (!a || !b || !c) failures.fetch_add(1);
                if (a) keys[i].insert(a->key);
                if (b) keys[i].insert(b->key);
                if (c) keys[i].insert(c->key);
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    for (int i = 0; i < kThreads; ++i) {
        EXPECT_EQ(keys[i], (std::set<std::string>{sha256_hex(shared) + ".mp4", sha256_hex(own[i]) + ".png"}));
        EXPECT_TRUE(read_file(*store_->path_for(sha256_hex(own[i]) + ".png")) == own[i]);
    }
    EXPECT_TRUE(read_file(*store_->path_for(sha256_hex(shared) + ".mp4")) == shared);
    EXPECT_EQ(store_->list()->size(), static_cast<std::size_t>(kThreads + 1));
    EXPECT_EQ(staged_files(root_), 0);
}

// Puts, removes and reads of one key race; a reader must only ever see the whole content or nothing.
TEST_F(BlobStoreTest, RacingPutsAndRemovesNeverExposeAPartialBlob) {
    const std::string content = random_bytes(256u << 10, 3);
    const std::string key = sha256_hex(content) + ".gif";
    std::atomic<bool> done = false;
    std::atomic<int> partial_reads = 0, full_reads = 0, put_failures = 0;
    std::thread reader([&] {
        while (!done.load()) {
            auto opened = store_->open(key);
            if (!opened) continue;
            (read_fd(opened->fd.get()) == content ? full_reads : partial_reads).fetch_add(1);
        }
    });
    std::thread remover([&] {
        while (!done.load()) (void)store_->remove(key);
    });
    for (int round = 0; round < 200; ++round) {
        auto put = stream_put(*store_, content, "image/gif");
        if (!put || put->key != key) put_failures.fetch_add(1);
    }
    done = true;
    reader.join();
    remover.join();
    EXPECT_EQ(put_failures.load(), 0);
    EXPECT_EQ(partial_reads.load(), 0);
    EXPECT_EQ(staged_files(root_), 0);
}

TEST_F(BlobStoreTest, TwoStoresOnOneRootKeepOneCopy) {
    auto second = LocalBlobStore::open_root(root_);
    ASSERT_TRUE(second) << second.error().to_string();
    const std::string content = random_bytes(500000, 9);
    std::atomic<int> failures = 0;
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        BlobStore& store = i % 2 == 0 ? static_cast<BlobStore&>(*store_) : **second;
        threads.emplace_back([&] {
            for (int round = 0; round < 5; ++round) {
                auto put = stream_put(store, content, "audio/wav");
                if (!put || put->key != sha256_hex(content) + ".wav") failures.fetch_add(1);
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ((*second)->list()->size(), 1u);
    EXPECT_EQ(store_->stat(sha256_hex(content) + ".wav")->content_type, "audio/wav");
    EXPECT_EQ(staged_files(root_), 0);
}

}  // namespace
}  // namespace vidgen::blob::testing
