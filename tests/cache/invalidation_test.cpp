#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "cache/memory_cache.hpp"

namespace vidgen::cache {
namespace {

using Kind = Invalidation::Kind;

class Recorder {
  public:
    InvalidationListener listener() {
        return [this](const Invalidation& invalidation) {
            std::lock_guard lock(mutex_);
            seen_.push_back(invalidation);
        };
    }
    std::vector<Invalidation> seen() {
        std::lock_guard lock(mutex_);
        return seen_;
    }

  private:
    std::mutex mutex_;
    std::vector<Invalidation> seen_;
};

TEST(Invalidation, ListenersHearEveryChangeMadeThroughTheCache) {
    MemoryCache cache;
    Recorder recorder;
    cache.add_invalidation_listener(recorder.listener());
    ASSERT_TRUE(cache.set("job:1", "v", {.tags = {"video"}}));
    ASSERT_TRUE(cache.erase("job:1"));
    ASSERT_TRUE(cache.invalidate_tag("video"));
    ASSERT_TRUE(cache.clear_pattern("temp:*"));
    const std::vector<Invalidation> expected = {
        {Kind::key, "job:1"}, {Kind::key, "job:1"}, {Kind::tag, "video"}, {Kind::pattern, "temp:*"}};
    EXPECT_EQ(recorder.seen(), expected);
}

TEST(Invalidation, EvictionsExpiryFailuresAndRemoteChangesAreNotAnnounced) {
    MemoryCache cache({.max_bytes = 2 * kEntryOverheadBytes + 16, .compress_above = 1 << 20});
    ASSERT_TRUE(cache.set("a", "1"));
    Recorder recorder;
    cache.add_invalidation_listener(recorder.listener());
    ASSERT_TRUE(cache.set("b", "2"));
    ASSERT_TRUE(cache.set("c", "3"));  // evicts "a"
    EXPECT_FALSE(cache.set("huge", std::string(4096, 'x')));
    EXPECT_EQ(cache.apply_remote({Kind::key, "b"}), 1u);
    EXPECT_EQ(cache.apply_remote({Kind::pattern, "*"}), 1u);
    const std::vector<Invalidation> expected = {{Kind::key, "b"}, {Kind::key, "c"}};
    EXPECT_EQ(recorder.seen(), expected);
    EXPECT_EQ(cache.layer_stats().evictions, 1u);
}

TEST(Invalidation, RemovedListenersAreNotCalled) {
    MemoryCache cache;
    Recorder kept;
    Recorder removed;
    cache.add_invalidation_listener(kept.listener());
    const ListenerId id = cache.add_invalidation_listener(removed.listener());
    cache.remove_invalidation_listener(id);
    ASSERT_TRUE(cache.set("k", "v"));
    EXPECT_EQ(kept.seen().size(), 1u);
    EXPECT_TRUE(removed.seen().empty());
}

// Two nodes whose listeners forward to each other's apply_remote, as the tiered cache will do over
// Redis pub/sub: a write on one node never leaves a stale copy on the other, and nothing echoes back.
TEST(Invalidation, ForwardingToAnotherNodeDropsItsStaleCopies) {
    MemoryCache node_a;
    MemoryCache node_b;
    node_a.add_invalidation_listener(
        [&](const Invalidation& change) { ASSERT_TRUE(node_b.apply_remote(change)); });
    node_b.add_invalidation_listener(
        [&](const Invalidation& change) { ASSERT_TRUE(node_a.apply_remote(change)); });

    ASSERT_TRUE(node_b.set("job:1", "queued", {.tags = {"tenant:7"}}));
    ASSERT_TRUE(node_b.set("temp:1", "t"));
    ASSERT_TRUE(node_a.set("job:1", "done", {.tags = {"tenant:7"}}));
    EXPECT_EQ(node_b.get("job:1").value(), std::nullopt);
    EXPECT_EQ(node_a.get("job:1").value(), "done");

    ASSERT_TRUE(node_b.set("job:2", "x", {.tags = {"tenant:7"}}));
    ASSERT_TRUE(node_a.invalidate_tag("tenant:7"));
    EXPECT_EQ(node_b.get("job:2").value(), std::nullopt);
    ASSERT_TRUE(node_a.clear_pattern("temp:*"));
    EXPECT_EQ(node_b.get("temp:1").value(), std::nullopt);
}

TEST(Invalidation, AListenerMayCallBackIntoItsOwnCache) {
    MemoryCache cache;
    cache.add_invalidation_listener([&](const Invalidation& change) {
        if (change.kind == Kind::tag) {
            ASSERT_TRUE(cache.set("last-tag-cleared", change.target));
        }
    });
    ASSERT_TRUE(cache.invalidate_tag("video"));
    EXPECT_EQ(cache.get("last-tag-cleared").value(), "video");
}

}  // namespace
}  // namespace vidgen::cache
