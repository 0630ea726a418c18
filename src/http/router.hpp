// Router: maps a method and a path pattern ("/api/v1/jobs/{id}") to a handler and its options. Patterns are
// literal segments and `{name}` segments (one whole segment each); a literal beats a parameter. A path that
// matches no pattern is a 404; one that matches a pattern but not the method is a 405 with Allow.
// Build it once before the server starts; lookups are then thread-safe (const).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace vidgen::http {

// Runs on the server's handler pool, never on a network thread, so it may block (database, disk).
// Exceptions escaping a handler become a 500 with a logged message.
using Handler = std::function<Response(Request&)>;

enum class Access {
    open,    // no key needed (health, metrics, media)
    tenant,  // any live key
    admin,   // an admin key (403 for a tenant key)
};

struct RouteOptions {
    Access access = Access::tenant;
    bool cacheable = false;            // GET responses may be served from the response cache
    bool stream_body = false;          // the body is not buffered: the handler reads Request::body_reader
    std::uint64_t max_body_bytes = 0;  // 0: the server's default limit
    std::string name;                  // label in metrics; the pattern when empty
};

struct Route {
    Method method = Method::get;
    std::string pattern;
    Handler handler;
    RouteOptions options;
};

struct RouteMatch {
    const Route* route = nullptr;  // null: no route
    std::vector<Method> allowed;   // when the path matched but the method did not
};

class Router {
  public:
    // Adds a route; a duplicate method+pattern or a malformed pattern is a programming error (throws).
    void add(Method method, std::string pattern, Handler handler, RouteOptions options = {});
    // Finds the route for `method` and the decoded `path`, filling `params`. HEAD falls back to GET.
    RouteMatch match(Method method, std::string_view path,
                     std::map<std::string, std::string, std::less<>>& params) const;
    const std::vector<Route>& routes() const { return routes_; }

  private:
    std::vector<Route> routes_;
    std::vector<std::vector<std::string>> segments_;  // routes_[i]'s pattern split at '/'
};

}  // namespace vidgen::http
