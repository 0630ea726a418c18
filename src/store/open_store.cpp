#include <string>

#include "store/detail/pg_store.hpp"
#include "store/detail/sqlite_store.hpp"
#include "store/store.hpp"

namespace vidgen::store {

Result<std::unique_ptr<Store>> open_store(std::string_view url, const StoreOptions& options) {
    constexpr std::string_view kSqlite = "sqlite://";
    if (url.starts_with(kSqlite)) {
        std::string path(url.substr(kSqlite.size()));
        if (path.empty()) return fail(Code::invalid_argument, "sqlite:// needs a file path");
        return detail::SqliteStore::open(path, options.metrics);
    }
    if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return detail::PgStore::open(std::string(url), options);
    }
    return fail(Code::unsupported, "unsupported store URL: " + std::string(url));
}

Result<std::unique_ptr<Store>> open_store(std::string_view url) {
    return open_store(url, StoreOptions{});
}

}  // namespace vidgen::store
