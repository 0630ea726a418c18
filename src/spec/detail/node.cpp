#include "spec/detail/node.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace vidgen::spec::detail {

std::string format_number(double value) {
    if (value == 0) return "0";
    return fmt::format("{}", value);
}

std::string escape_token(std::string_view token) {
    std::string out;
    out.reserve(token.size());
    for (char c : token) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

std::string_view kind_name(const boost::json::value& value) {
    switch (value.kind()) {
        case boost::json::kind::string:
            return "string";
        case boost::json::kind::int64:
        case boost::json::kind::uint64:
        case boost::json::kind::double_:
            return "number";
        case boost::json::kind::bool_:
            return "boolean";
        case boost::json::kind::null:
            return "null";
        case boost::json::kind::object:
            return "object";
        case boost::json::kind::array:
            return "array";
    }
    return "value";
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

Node Node::operator[](std::string_view key) const {
    const boost::json::value* child = nullptr;
    if (value_ && value_->is_object()) child = value_->as_object().if_contains(key);
    return Node(child, pointer_ + "/" + escape_token(key), *context_);
}

Node Node::operator[](std::size_t index) const {
    const boost::json::value* child = nullptr;
    if (value_ && value_->is_array() && index < value_->as_array().size()) child = &value_->as_array()[index];
    return Node(child, pointer_ + "/" + std::to_string(index), *context_);
}

std::string shorten(std::string_view text) {
    constexpr std::size_t kShown = 64;
    if (text.size() <= kShown) return std::string(text);
    std::size_t cut = kShown;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
    return std::string(text.substr(0, cut)) + "...";
}

void Node::fail(std::string message, Code code) const {
    auto& errors = context_->problems.errors;
    if (errors.size() < kMaxProblems)
        errors.push_back(Error{code, std::move(message), pointer_});
    else if (errors.size() == kMaxProblems)
        errors.push_back(Error{Code::limit_exceeded, "too many problems; stopped reporting", ""});
}

bool Node::require() const {
    if (!present()) fail("is required");
    return present();
}

void Node::wrong_type(std::string_view expected) const {
    fail(fmt::format("must be {}, got {}", expected, kind_name(*value_)));
}

bool Node::in_range(double value, const Range& range) const {
    Code code = range.limit ? Code::limit_exceeded : Code::invalid_argument;
    if (range.min_exclusive ? !(value > range.min) : !(value >= range.min)) {
        fail(fmt::format("must be {} {}, got {}", range.min_exclusive ? ">" : ">=", format_number(range.min),
                         format_number(value)));
        return false;
    }
    if (!(value <= range.max)) {
        fail(fmt::format("must be <= {}, got {}", format_number(range.max), format_number(value)), code);
        return false;
    }
    return true;
}

std::optional<double> Node::number(Range range) const {
    if (!value_) return std::nullopt;
    if (!value_->is_number()) {
        wrong_type("a number");
        return std::nullopt;
    }
    double value = value_->to_number<double>();
    if (!std::isfinite(value)) {
        fail("must be a finite number");
        return std::nullopt;
    }
    if (!in_range(value, range)) return std::nullopt;
    return value + 0.0;  // turns -0 into 0
}

std::optional<std::int64_t> Node::integer(Range range) const {
    auto value = number(range);
    if (!value) return std::nullopt;
    if (std::trunc(*value) != *value) {
        fail(fmt::format("must be a whole number, got {}", format_number(*value)));
        return std::nullopt;
    }
    return static_cast<std::int64_t>(*value);
}

std::optional<bool> Node::boolean() const {
    if (!value_) return std::nullopt;
    if (!value_->is_bool()) {
        wrong_type("true or false");
        return std::nullopt;
    }
    return value_->as_bool();
}

std::optional<std::string_view> Node::string(std::size_t max_bytes) const {
    if (!value_) return std::nullopt;
    if (!value_->is_string()) {
        wrong_type("a string");
        return std::nullopt;
    }
    std::string_view text = value_->as_string();
    if (text.size() > max_bytes) {
        fail(fmt::format("is longer than {} bytes", max_bytes), Code::limit_exceeded);
        return std::nullopt;
    }
    return text;
}

const boost::json::object* Node::object() const {
    if (!value_) return nullptr;
    if (!value_->is_object()) {
        wrong_type("an object");
        return nullptr;
    }
    return &value_->as_object();
}

const boost::json::array* Node::array() const {
    if (!value_) return nullptr;
    if (!value_->is_array()) {
        wrong_type("an array");
        return nullptr;
    }
    return &value_->as_array();
}

void Node::only_keys(std::span<const std::string_view> known, std::span<const std::string_view> elsewhere,
                     std::string_view kind) const {
    if (!value_ || !value_->is_object()) return;
    for (const auto& [key, _] : value_->as_object()) {
        if (std::ranges::find(known, std::string_view(key)) != known.end()) continue;
        Node field = (*this)[key];
        if (std::ranges::find(elsewhere, std::string_view(key)) != elsewhere.end()) {
            field.fail(fmt::format("field '{}' does not apply to {}", std::string_view(key), kind));
            continue;
        }
        auto hint = key.size() <= 64
                        ? std::ranges::min_element(known, {},
                                                   [&](std::string_view k) { return edit_distance(key, k); })
                        : known.end();
        if (hint != known.end() && edit_distance(key, *hint) <= 2)
            field.fail(fmt::format("unknown field '{}'; did you mean '{}'?", std::string_view(key), *hint));
        else
            field.fail(fmt::format("unknown field '{}'", shorten(key)));
    }
}

std::optional<std::size_t> Node::one_of(std::span<const std::string_view> names) const {
    auto text = string();
    if (!text) return std::nullopt;
    auto found = std::ranges::find(names, *text);
    if (found != names.end()) return static_cast<std::size_t>(found - names.begin());
    fail(fmt::format("must be one of: {}; got '{}'", fmt::join(names, ", "), shorten(*text)));
    return std::nullopt;
}

}  // namespace vidgen::spec::detail
