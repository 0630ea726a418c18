// Shared helpers for the spec tests: wrap fragments into whole specs and look up reported problems.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>
#include <string_view>

#include "spec/parse.hpp"

namespace vidgen::spec::testing {

// A whole spec with one track holding `clip` (a JSON object text) and `timeline_extra` members.
inline std::string with_clip(std::string_view clip, std::string_view timeline_extra = "") {
    std::string extra = timeline_extra.empty() ? "" : std::string(timeline_extra) + ",";
    return "{\"timeline\":{" + extra + "\"tracks\":[{\"clips\":[" + std::string(clip) + "]}]}}";
}

// A whole spec with `output` members and one colour clip.
inline std::string with_output(std::string_view output) {
    return "{\"output\":{" + std::string(output) +
           "},\"timeline\":{\"tracks\":[{\"clips\":[{\"type\":\"color\"}]}]}}";
}

inline boost::json::object data_of(std::string_view json) {
    return boost::json::parse(json).as_object();
}

// Parses `json` and fails the test (returning an empty Spec) when it does not parse.
inline Spec parse_ok(std::string_view json, const boost::json::object& data = {}) {
    auto spec = parse(json, data);
    if (!spec) {
        std::string all;
        for (const auto& e : spec.error().errors) all += e.to_string() + "\n";
        ADD_FAILURE() << "expected to parse:\n" << json << "\nbut got:\n" << all;
        return {};
    }
    return *spec;
}

inline Clip first_clip(std::string_view clip_json) {
    Spec spec = parse_ok(with_clip(clip_json));
    if (spec.timeline.tracks.empty() || spec.timeline.tracks[0].clips.empty()) return {};
    return spec.timeline.tracks[0].clips[0];
}

// Every problem, one per line as "pointer: message", for readable failures.
inline std::string describe(const Problems& problems) {
    std::string all;
    for (const auto& e : problems.errors) all += e.to_string() + "\n";
    return all;
}

// The problems `json` gives; fails the test when it parses.
inline Problems problems_of(std::string_view json, const boost::json::object& data = {},
                            const Limits& limits = {}) {
    auto spec = parse(json, data, limits);
    if (spec) {
        ADD_FAILURE() << "expected problems for:\n" << json.substr(0, 500);
        return {};
    }
    return spec.error();
}

// The first problem at exactly `pointer`, or nullptr.
inline const Error* at(const Problems& problems, std::string_view pointer) {
    for (const auto& e : problems.errors)
        if (e.pointer == pointer) return &e;
    return nullptr;
}

}  // namespace vidgen::spec::testing
