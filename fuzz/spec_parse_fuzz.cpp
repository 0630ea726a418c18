// libFuzzer target: any bytes as a spec, with the first line (if it is a JSON object) as merge data.
// The parser must answer every input with a Spec or a list of problems: no crash, hang or leak.
#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "spec/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    boost::json::object merge;
    if (auto newline = input.find('\n'); newline != std::string_view::npos) {
        boost::system::error_code ec;
        auto value = boost::json::parse(input.substr(0, newline), ec);
        if (!ec && value.is_object()) {
            merge = value.as_object();
            input.remove_prefix(newline + 1);
        }
    }
    auto parsed = vidgen::spec::parse(input, merge);
    if (!parsed && parsed.error().errors.empty()) __builtin_trap();  // a failure must say why
    return 0;
}
