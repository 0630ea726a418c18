// A read cursor over a JSON value that knows its JSON Pointer and reports problems instead of stopping.
// Every typed read returns nullopt when the field is absent (silently) or wrong (after recording a problem),
// so a parser reads each field once and keeps going to collect every problem in one pass.
// Not thread-safe: one Context per parse.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "spec/limits.hpp"

namespace vidgen::spec::detail {

struct Context {
    Limits limits;
    Problems problems;
};

inline constexpr double kInf = std::numeric_limits<double>::infinity();

// Bounds for a number; a bound of +-infinity is no bound. `limit` makes a breach Code::limit_exceeded.
struct Range {
    double min = -kInf;
    double max = kInf;
    bool min_exclusive = false;
    bool limit = false;
};

inline constexpr std::size_t kMaxStringBytes = 4096;
inline constexpr std::size_t kMaxProblems = 100;  // reporting stops after this many

// At most 64 characters of `text`, for messages that quote user input.
std::string shorten(std::string_view text);

// Shortest text for a number: 3 not 3.000000, 0.1 not 0.10000000000000001.
std::string format_number(double value);
// RFC 6901 escaping of one reference token: "~" -> "~0", "/" -> "~1".
std::string escape_token(std::string_view token);
// "string", "number", "boolean", "null", "object" or "array".
std::string_view kind_name(const boost::json::value& value);
// Levenshtein distance, for "did you mean" hints.
std::size_t edit_distance(std::string_view a, std::string_view b);

class Node {
  public:
    Node(const boost::json::value* value, std::string pointer, Context& context)
        : value_(value), pointer_(std::move(pointer)), context_(&context) {}

    bool present() const { return value_ != nullptr; }
    const boost::json::value* value() const { return value_; }
    const std::string& pointer() const { return pointer_; }
    const Limits& limits() const { return context_->limits; }
    Context& context() const { return *context_; }

    Node operator[](std::string_view key) const;  // absent when this is not an object or lacks the key
    Node operator[](std::size_t index) const;

    void fail(std::string message, Code code = Code::invalid_argument) const;
    // Records "is required" and returns false when absent.
    bool require() const;

    std::optional<double> number(Range range = {}) const;
    std::optional<std::int64_t> integer(Range range = {}) const;
    std::optional<bool> boolean() const;
    std::optional<std::string_view> string(std::size_t max_bytes = kMaxStringBytes) const;
    const boost::json::object* object() const;
    const boost::json::array* array() const;

    bool is_string() const { return value_ && value_->is_string(); }
    bool is_array() const { return value_ && value_->is_array(); }
    bool is_object() const { return value_ && value_->is_object(); }

    // Reports every key of this object that is not in `known`, with a "did you mean" hint; a key in
    // `elsewhere` is reported as not applying to `kind` ("field 'volume' does not apply to image clips").
    void only_keys(std::span<const std::string_view> known, std::span<const std::string_view> elsewhere = {},
                   std::string_view kind = {}) const;

    // The index of the string value among `names`, or a "must be one of" problem.
    std::optional<std::size_t> one_of(std::span<const std::string_view> names) const;

    template <typename E>
    std::optional<E> choice(std::initializer_list<std::pair<std::string_view, E>> options) const {
        std::vector<std::string_view> names;
        for (const auto& option : options) names.push_back(option.first);
        auto index = one_of(names);
        if (!index) return std::nullopt;
        return (options.begin() + *index)->second;
    }

  private:
    void wrong_type(std::string_view expected) const;
    bool in_range(double value, const Range& range) const;

    const boost::json::value* value_;
    std::string pointer_;
    Context* context_;
};

}  // namespace vidgen::spec::detail
