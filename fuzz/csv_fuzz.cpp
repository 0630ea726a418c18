// libFuzzer target: any bytes as CSV batch data.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto rows = vidgen::parse_csv(std::string_view(reinterpret_cast<const char*>(data), size));
    if (rows) {
        for (const auto& row : *rows)
            if (row.size() != rows->front().size()) __builtin_trap();  // every row as wide as the header
    }
    return 0;
}
