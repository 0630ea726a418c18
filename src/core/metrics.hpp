// MetricsRegistry: counters, gauges and histograms with labels, exposed in the Prometheus text format
// (version 0.0.4) by render(). A family is registered once by name; each label combination is a series
// created on first use and kept for the registry's life. Names follow Prometheus conventions (snake_case,
// base units: seconds and bytes, counters end in _total). Thread-safe: every method may be called from any
// thread; updating an existing series is lock-free (atomics).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace vidgen {

// One label value per label name of the family, in the family's order.
using LabelValues = std::vector<std::string>;

class Counter {
  public:
    void add(double amount = 1);  // amount ≥ 0
    double value() const;

  private:
    std::atomic<double> value_{0};
};

class Gauge {
  public:
    void set(double value);
    void add(double amount);  // may be negative
    double value() const;

  private:
    std::atomic<double> value_{0};
};

class Histogram {
  public:
    explicit Histogram(std::vector<double> upper_bounds);  // ascending; +Inf is implied
    void observe(double value);
    std::uint64_t count() const;
    double sum() const;
    // Cumulative counts per bound, then +Inf.
    std::vector<std::uint64_t> cumulative_counts() const;
    const std::vector<double>& upper_bounds() const { return bounds_; }

  private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1
    std::atomic<double> sum_{0};
};

// Buckets for request and query durations in seconds: 0.5 ms … 10 s.
std::vector<double> latency_buckets();

template <typename Metric>
class Family;

class MetricsRegistry {
  public:
    MetricsRegistry();
    ~MetricsRegistry();
    MetricsRegistry(const MetricsRegistry&) = delete;
    MetricsRegistry& operator=(const MetricsRegistry&) = delete;

    // Registering a name twice returns the first family (the kinds and labels must agree; a mismatch is a
    // programming error and throws std::logic_error).
    Family<Counter>& counter(std::string_view name, std::string_view help,
                             std::vector<std::string> label_names = {});
    Family<Gauge>& gauge(std::string_view name, std::string_view help,
                         std::vector<std::string> label_names = {});
    Family<Histogram>& histogram(std::string_view name, std::string_view help,
                                 std::vector<std::string> label_names = {},
                                 std::vector<double> upper_bounds = latency_buckets());

    // Runs before every render(), to refresh gauges read from elsewhere (queue depth, process memory).
    void add_collector(std::function<void()> collector);

    // The whole registry in the Prometheus text exposition format.
    std::string render() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Registers process_resident_memory_bytes, process_virtual_memory_bytes, process_cpu_seconds_total,
// process_open_fds, process_start_time_seconds and process_threads, read from /proc at each render().
void register_process_metrics(MetricsRegistry& registry);

// The series of one family. with() returns the series for the given label values, creating it on first use;
// the reference stays valid for the registry's life, so hot paths look it up once and keep it.
template <typename Metric>
class Family {
  public:
    virtual ~Family() = default;
    virtual Metric& with(const LabelValues& values) = 0;
    Metric& with(std::initializer_list<std::string_view> values) {
        return with(LabelValues(values.begin(), values.end()));
    }
};

}  // namespace vidgen
