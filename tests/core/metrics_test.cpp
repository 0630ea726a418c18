#include "core/metrics.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace vidgen {
namespace {

TEST(MetricsTest, CounterRendersWithEscapedLabels) {
    MetricsRegistry registry;
    auto& requests = registry.counter("http_requests_total", "Requests served.", {"route", "status"});
    requests.with({"/api/v1/jobs", "200"}).add();
    requests.with({"/api/v1/jobs", "200"}).add(2);
    requests.with({"a\"b\\c\nd", "500"}).add();
    auto text = registry.render();
    EXPECT_NE(text.find("# HELP http_requests_total Requests served.\n# TYPE http_requests_total counter\n"),
              std::string::npos);
    EXPECT_NE(text.find("http_requests_total{route=\"/api/v1/jobs\",status=\"200\"} 3\n"), std::string::npos);
    EXPECT_NE(text.find("http_requests_total{route=\"a\\\"b\\\\c\\nd\",status=\"500\"} 1\n"),
              std::string::npos);
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithSumAndCount) {
    MetricsRegistry registry;
    auto& duration = registry.histogram("render_seconds", "Render time.", {}, {1, 5});
    duration.with({}).observe(0.5);
    duration.with({}).observe(1);  // on a bound: counted in that bucket (le)
    duration.with({}).observe(7);
    auto text = registry.render();
    EXPECT_NE(text.find("render_seconds_bucket{le=\"1\"} 2\n"), std::string::npos) << text;
    EXPECT_NE(text.find("render_seconds_bucket{le=\"5\"} 2\n"), std::string::npos);
    EXPECT_NE(text.find("render_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
    EXPECT_NE(text.find("render_seconds_sum 8.5\n"), std::string::npos);
    EXPECT_NE(text.find("render_seconds_count 3\n"), std::string::npos);
}

TEST(MetricsTest, GaugeWithoutLabelsAndCollectorsRunBeforeRendering) {
    MetricsRegistry registry;
    auto& depth = registry.gauge("queue_depth", "Jobs waiting.").with({});
    int calls = 0;
    registry.add_collector([&] { depth.set(++calls * 10); });
    EXPECT_NE(registry.render().find("queue_depth 10\n"), std::string::npos);
    EXPECT_NE(registry.render().find("queue_depth 20\n"), std::string::npos);
}

TEST(MetricsTest, RegisteringTwiceReturnsTheSameFamilyAndMismatchThrows) {
    MetricsRegistry registry;
    auto& first = registry.counter("jobs_total", "Jobs.", {"outcome"});
    auto& again = registry.counter("jobs_total", "Jobs.", {"outcome"});
    EXPECT_EQ(&first, &again);
    EXPECT_THROW(registry.gauge("jobs_total", "Jobs."), std::logic_error);
    EXPECT_THROW(registry.counter("jobs_total", "Jobs.", {"other"}), std::logic_error);
    EXPECT_THROW(first.with({"a", "b"}), std::logic_error);
}

TEST(MetricsTest, ConcurrentUpdatesAreNotLost) {
    MetricsRegistry registry;
    auto& family = registry.counter("hits_total", "Hits.", {"layer"});
    auto& histogram = registry.histogram("latency_seconds", "Latency.").with({});
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 10000; ++i) {
                family.with({"memory"}).add();
                histogram.observe(0.001);
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(family.with({"memory"}).value(), 40000);
    EXPECT_EQ(histogram.count(), 40000u);
}

TEST(MetricsTest, ProcessMetricsReadProc) {
    MetricsRegistry registry;
    register_process_metrics(registry);
    volatile double spin = 0;  // enough CPU time to be counted in clock ticks
    for (auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
         std::chrono::steady_clock::now() < until;) {
        spin = spin + 1;
    }
    auto text = registry.render();
    for (const char* name : {"process_resident_memory_bytes ", "process_cpu_seconds_total ",
                             "process_open_fds ", "process_threads ", "process_start_time_seconds "}) {
        auto at = text.find(std::string("\n") + name);
        ASSERT_NE(at, std::string::npos) << name;
        EXPECT_GT(std::stod(text.substr(at + 1 + std::string(name).size())), 0) << name;
    }
}

}  // namespace
}  // namespace vidgen
