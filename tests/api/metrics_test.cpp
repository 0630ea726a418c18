// GET /metrics: Prometheus text with no key, jobs by status over every tenant and cache figures by layer.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api_fixture.hpp"

namespace vidgen::api::testing {
namespace {

class MetricsTest : public ApiTest {
  protected:
    void enqueue(const store::Tenant& tenant) {
        must(queue_->enqueue({.tenant_id = tenant.id, .spec_json = tiny_spec_json()}));
    }
    Reply scrape() {
        Reply reply = get("/metrics", "");
        EXPECT_EQ(reply.status, 200);
        return reply;
    }
};

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

TEST_F(MetricsTest, IsPrometheusTextWithoutAKey) {
    Reply reply = scrape();
    EXPECT_EQ(reply.headers.get("Content-Type").value_or(""), "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_NE(reply.body.find("# TYPE vidgen_jobs gauge"), std::string::npos) << reply.body;
    EXPECT_NE(reply.body.find("# TYPE vidgen_cache_hits_total counter"), std::string::npos);
}

TEST_F(MetricsTest, CountsJobsByStatusOverEveryTenant) {
    enqueue(tenant_a_);
    enqueue(tenant_a_);
    enqueue(tenant_b_);
    std::string text = scrape().body;
    EXPECT_TRUE(has_line(text, R"(vidgen_jobs{status="queued"} 3)")) << text;
    EXPECT_TRUE(has_line(text, R"(vidgen_jobs{status="rendering"} 0)")) << text;
    must(queue_->lease("worker-1"));
    text = scrape().body;
    EXPECT_TRUE(has_line(text, R"(vidgen_jobs{status="queued"} 2)")) << text;
    EXPECT_TRUE(has_line(text, R"(vidgen_jobs{status="rendering"} 1)")) << text;
}

TEST_F(MetricsTest, CacheFiguresFollowTheLayersTotals) {
    must(cache_->set("a", "1"));
    must(cache_->get("a"));
    must(cache_->get("a"));
    must(cache_->get("b"));
    scrape();
    must(cache_->get("a"));
    std::string text = scrape().body;
    auto layer = cache_->layer_stats();
    EXPECT_TRUE(has_line(text, "vidgen_cache_hits_total{layer=\"memory\"} " + std::to_string(layer.hits)))
        << text;
    EXPECT_TRUE(has_line(text, "vidgen_cache_misses_total{layer=\"memory\"} " + std::to_string(layer.misses)))
        << text;
    EXPECT_TRUE(has_line(text, "vidgen_cache_evictions_total{layer=\"memory\"} 0")) << text;
    EXPECT_TRUE(has_line(text, "vidgen_cache_bytes{layer=\"memory\"} " + std::to_string(layer.bytes)))
        << text;
}

}  // namespace
}  // namespace vidgen::api::testing
