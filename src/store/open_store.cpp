#include <string>

#include "store/detail/sqlite_store.hpp"
#include "store/store.hpp"

namespace vidgen::store {

Result<std::unique_ptr<Store>> open_store(std::string_view url) {
    constexpr std::string_view kSqlite = "sqlite://";
    if (url.starts_with(kSqlite)) {
        std::string path(url.substr(kSqlite.size()));
        if (path.empty()) return fail(Code::invalid_argument, "sqlite:// needs a file path");
        return detail::SqliteStore::open(path);
    }
    return fail(Code::unsupported, "unsupported store URL: " + std::string(url));
}

}  // namespace vidgen::store
