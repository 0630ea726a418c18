#include "cache/cache.hpp"

namespace vidgen::cache {

// Iterative matcher: on a mismatch, retry from just after the last `*`, letting it swallow one more
// character. Linear in practice, O(glob × text) at worst; no recursion, so no stack depth to exploit.
bool glob_match(std::string_view glob, std::string_view text) {
    std::size_t g = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t star_text = 0;
    while (t < text.size()) {
        if (g < glob.size() && (glob[g] == '?' || (glob[g] != '*' && glob[g] == text[t]))) {
            ++g;
            ++t;
        } else if (g < glob.size() && glob[g] == '*') {
            star = g++;
            star_text = t;
        } else if (star != std::string_view::npos) {
            g = star + 1;
            t = ++star_text;
        } else {
            return false;
        }
    }
    while (g < glob.size() && glob[g] == '*') ++g;
    return g == glob.size();
}

}  // namespace vidgen::cache
