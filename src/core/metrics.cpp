#include "core/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace vidgen {

void Counter::add(double amount) {
    value_.fetch_add(amount, std::memory_order_relaxed);
}
double Counter::value() const {
    return value_.load(std::memory_order_relaxed);
}

void Gauge::set(double value) {
    value_.store(value, std::memory_order_relaxed);
}
void Gauge::add(double amount) {
    value_.fetch_add(amount, std::memory_order_relaxed);
}
double Gauge::value() const {
    return value_.load(std::memory_order_relaxed);
}

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)), buckets_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
    if (!std::is_sorted(bounds_.begin(), bounds_.end()))
        throw std::logic_error("histogram bounds must ascend");
    for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double value) {
    auto bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
    buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(value, std::memory_order_relaxed);
}

std::uint64_t Histogram::count() const {
    std::uint64_t total = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) total += buckets_[i].load(std::memory_order_relaxed);
    return total;
}

double Histogram::sum() const {
    return sum_.load(std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulative_counts() const {
    std::vector<std::uint64_t> counts(bounds_.size() + 1);
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        running += buckets_[i].load(std::memory_order_relaxed);
        counts[i] = running;
    }
    return counts;
}

std::vector<double> latency_buckets() {
    return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

namespace {

std::string format_number(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    return fmt::format("{}", value);
}

void append_escaped(std::string& out, std::string_view text, bool quote_too) {
    for (char c : text) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '"' && quote_too) {
            out += "\\\"";
        } else {
            out += c;
        }
    }
}

// `{a="x",b="y"}` plus an optional extra label (le for buckets); nothing when there are no labels.
std::string label_text(const std::vector<std::string>& names, const LabelValues& values,
                       std::string_view extra_name = {}, std::string_view extra_value = {}) {
    if (names.empty() && extra_name.empty()) return {};
    std::string out = "{";
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += ',';
        out += names[i];
        out += "=\"";
        append_escaped(out, values[i], true);
        out += '"';
    }
    if (!extra_name.empty()) {
        if (!names.empty()) out += ',';
        fmt::format_to(std::back_inserter(out), "{}=\"{}\"", extra_name, extra_value);
    }
    out += '}';
    return out;
}

struct FamilyBase {
    std::string name;
    std::string help;
    std::string type;
    std::vector<std::string> label_names;
    virtual ~FamilyBase() = default;
    virtual void render(std::string& out) = 0;
    void render_header(std::string& out) const {
        out += "# HELP " + name + ' ';
        append_escaped(out, help, false);
        out += "\n# TYPE " + name + ' ' + type + '\n';
    }
};

void render_series(std::string& out, const FamilyBase& family, const LabelValues& values, const Counter& c) {
    out += family.name + label_text(family.label_names, values) + ' ' + format_number(c.value()) + '\n';
}

void render_series(std::string& out, const FamilyBase& family, const LabelValues& values, const Gauge& g) {
    out += family.name + label_text(family.label_names, values) + ' ' + format_number(g.value()) + '\n';
}

void render_series(std::string& out, const FamilyBase& family, const LabelValues& values,
                   const Histogram& h) {
    auto counts = h.cumulative_counts();
    const auto& bounds = h.upper_bounds();
    for (std::size_t i = 0; i < counts.size(); ++i) {
        auto le = i < bounds.size() ? format_number(bounds[i]) : std::string("+Inf");
        out += family.name + "_bucket" + label_text(family.label_names, values, "le", le) + ' ' +
               std::to_string(counts[i]) + '\n';
    }
    auto labels = label_text(family.label_names, values);
    out += family.name + "_sum" + labels + ' ' + format_number(h.sum()) + '\n';
    out += family.name + "_count" + labels + ' ' + std::to_string(counts.back()) + '\n';
}

template <typename Metric>
class FamilyImpl final : public Family<Metric>, public FamilyBase {
  public:
    explicit FamilyImpl(std::function<std::unique_ptr<Metric>()> make) : make_(std::move(make)) {}

    Metric& with(const LabelValues& values) override {
        if (values.size() != label_names.size()) {
            throw std::logic_error(fmt::format("metric {}: {} label values for {} labels", name,
                                               values.size(), label_names.size()));
        }
        std::lock_guard lock(mutex_);
        auto& slot = series_[values];
        if (!slot) slot = make_();
        return *slot;
    }

    void render(std::string& out) override {
        render_header(out);
        std::lock_guard lock(mutex_);
        for (const auto& [values, metric] : series_) render_series(out, *this, values, *metric);
    }

  private:
    std::function<std::unique_ptr<Metric>()> make_;
    std::mutex mutex_;
    std::map<LabelValues, std::unique_ptr<Metric>> series_;
};

}  // namespace

struct MetricsRegistry::Impl {
    std::mutex mutex;
    std::map<std::string, std::unique_ptr<FamilyBase>, std::less<>> families;
    std::vector<std::function<void()>> collectors;

    template <typename Metric>
    Family<Metric>& get(std::string_view name, std::string_view help, std::string_view type,
                        std::vector<std::string> labels, std::function<std::unique_ptr<Metric>()> make) {
        std::lock_guard lock(mutex);
        auto found = families.find(name);
        if (found != families.end()) {
            auto* family = dynamic_cast<FamilyImpl<Metric>*>(found->second.get());
            if (family == nullptr || family->label_names != labels) {
                throw std::logic_error(
                    fmt::format("metric {} registered twice with other kind or labels", name));
            }
            return *family;
        }
        auto family = std::make_unique<FamilyImpl<Metric>>(std::move(make));
        family->name = std::string(name);
        family->help = std::string(help);
        family->type = std::string(type);
        family->label_names = std::move(labels);
        auto& ref = *family;
        families.emplace(std::string(name), std::move(family));
        return ref;
    }
};

MetricsRegistry::MetricsRegistry() : impl_(std::make_unique<Impl>()) {}
MetricsRegistry::~MetricsRegistry() = default;

Family<Counter>& MetricsRegistry::counter(std::string_view name, std::string_view help,
                                          std::vector<std::string> label_names) {
    return impl_->get<Counter>(name, help, "counter", std::move(label_names),
                               [] { return std::make_unique<Counter>(); });
}

Family<Gauge>& MetricsRegistry::gauge(std::string_view name, std::string_view help,
                                      std::vector<std::string> label_names) {
    return impl_->get<Gauge>(name, help, "gauge", std::move(label_names),
                             [] { return std::make_unique<Gauge>(); });
}

Family<Histogram>& MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                              std::vector<std::string> label_names,
                                              std::vector<double> upper_bounds) {
    return impl_->get<Histogram>(
        name, help, "histogram", std::move(label_names),
        [bounds = std::move(upper_bounds)] { return std::make_unique<Histogram>(bounds); });
}

void MetricsRegistry::add_collector(std::function<void()> collector) {
    std::lock_guard lock(impl_->mutex);
    impl_->collectors.push_back(std::move(collector));
}

std::string MetricsRegistry::render() const {
    std::vector<std::function<void()>> collectors;
    {
        std::lock_guard lock(impl_->mutex);
        collectors = impl_->collectors;
    }
    for (const auto& collect : collectors) collect();
    std::string out;
    std::lock_guard lock(impl_->mutex);
    for (const auto& [name, family] : impl_->families) family->render(out);
    return out;
}

}  // namespace vidgen
