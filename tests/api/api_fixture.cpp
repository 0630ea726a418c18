#include "api_fixture.hpp"

#include <cctype>
#include <cstring>

#include "api/routes.hpp"
#include "core/hash.hpp"

namespace vidgen::api::testing {
namespace {

namespace json = boost::json;

std::string percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() + 0 &&
            std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += plus_is_space && text[i] == '+' ? ' ' : text[i];
        }
    }
    return out;
}

void parse_target(http::Request& request) {
    std::string_view target = request.target;
    auto mark = target.find('?');
    request.path = percent_decode(target.substr(0, mark), false);
    if (mark == std::string_view::npos) return;
    std::string_view query = target.substr(mark + 1);
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        auto eq = pair.find('=');
        std::string name = percent_decode(pair.substr(0, eq), true);
        std::string value = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1), true);
        if (!name.empty()) request.query.emplace(std::move(name), std::move(value));
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    }
}

// The whole body as one read, for routes that stream their body.
class StringBodyReader final : public http::BodyReader {
  public:
    explicit StringBodyReader(std::string body) : body_(std::move(body)) {}
    Result<std::size_t> read(char* buffer, std::size_t size) override {
        std::size_t n = std::min(size, body_.size() - offset_);
        std::memcpy(buffer, body_.data() + offset_, n);
        offset_ += n;
        return n;
    }
    std::optional<std::uint64_t> content_length() const override { return body_.size(); }

  private:
    std::string body_;
    std::size_t offset_ = 0;
};

// Hands events to an EventStream until the test ends or the handler closes the stream.
class TestSink final : public http::EventSink {
  public:
    explicit TestSink(std::shared_ptr<EventStream> stream) : stream_(std::move(stream)) {}
    ~TestSink() override { close(); }
    bool send(std::string_view event, std::string_view data, std::string_view) override {
        if (closed()) return false;
        stream_->push({std::string(event), std::string(data)});
        return true;
    }
    bool closed() const override {
        std::lock_guard lock(mutex_);
        return closed_;
    }
    void on_close(std::function<void()> callback) override {
        std::unique_lock lock(mutex_);
        if (!closed_) {
            callbacks_.push_back(std::move(callback));
            return;
        }
        lock.unlock();
        callback();
    }
    void close() override {
        std::vector<std::function<void()>> callbacks;
        {
            std::lock_guard lock(mutex_);
            if (closed_) return;
            closed_ = true;
            callbacks.swap(callbacks_);
        }
        for (auto& callback : callbacks) callback();
    }

  private:
    std::shared_ptr<EventStream> stream_;
    mutable std::mutex mutex_;
    bool closed_ = false;
    std::vector<std::function<void()>> callbacks_;
};

std::optional<std::string> api_key_of(const http::Request& request) {
    if (auto bearer = request.headers.get("Authorization"); bearer && bearer->starts_with("Bearer ")) {
        return std::string(bearer->substr(7));
    }
    if (auto key = request.headers.get("X-Api-Key")) return std::string(*key);
    return std::nullopt;
}

}  // namespace

json::value Reply::json() const {
    boost::system::error_code ec;
    auto value = json::parse(body, ec);
    return ec ? json::value() : value;
}

std::vector<std::string> Reply::error_fields() const {
    std::vector<std::string> fields;
    json::value value = json();
    const auto* error = value.is_object() ? value.as_object().if_contains("error") : nullptr;
    const auto* details = error && error->is_object() ? error->as_object().if_contains("details") : nullptr;
    if (!details || !details->is_array()) return fields;
    for (const auto& detail : details->as_array()) fields.emplace_back(detail.at("field").as_string());
    return fields;
}

std::vector<SseEvent> EventStream::wait_for(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return events_.size() >= count || closed_; });
    return events_;
}

bool EventStream::wait_closed(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return closed_; });
}

void EventStream::push(SseEvent event) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
    changed_.notify_all();
}

void EventStream::close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
}

void ApiTest::SetUp() {
    scratch_ = std::make_unique<ScratchDir>(must(ScratchDir::create("vidgen-api-test")));
    store_ = must(store::open_store("sqlite://" + (scratch_->path() / "vidgen.db").string()));
    blobs_ = must(blob::LocalBlobStore::open_root(scratch_->path() / "media"));
    cache_ = std::make_unique<cache::MemoryCache>();
    queue_ = std::make_unique<queue::JobQueue>(*store_);
    events_ = queue::make_local_event_bus();
    metrics_ = std::make_unique<MetricsRegistry>();
    context_ = Context{.store = store_.get(),
                       .queue = queue_.get(),
                       .blobs = blobs_.get(),
                       .cache = cache_.get(),
                       .events = events_.get(),
                       .metrics = metrics_.get(),
                       .data_dir = scratch_->path(),
                       .public_url = "http://api.test"};
    tenant_a_ = must(store_->create_tenant({.name = "acme", .created = 1000}));
    tenant_b_ = must(store_->create_tenant({.name = "globex", .created = 1000}));
    for (auto [tenant, key, admin] :
         {std::tuple{&tenant_a_, kKeyA, false}, std::tuple{&tenant_b_, kKeyB, false},
          std::tuple{&tenant_a_, kAdminKey, true}}) {
        must(store_->create_api_key({.tenant_id = tenant->id,
                                     .key_hash = sha256_hex(key),
                                     .label = "test",
                                     .admin = admin,
                                     .created = 1000}));
    }
    add_routes(router_, context_);
}

void ApiTest::TearDown() {
    keep_alive_.clear();
}

Reply ApiTest::send(const Call& call) {
    http::Request request;
    request.method = call.method;
    request.target = call.target;
    request.body = call.body;
    request.remote_address = "127.0.0.1";
    for (const auto& [name, value] : call.headers) request.headers.add(name, value);
    if (!call.key.empty()) request.headers.set("Authorization", "Bearer " + call.key);
    parse_target(request);
    auto match = router_.match(request.method, request.path, request.params);
    if (!match.route) return {match.allowed.empty() ? 404 : 405, {}, {}};
    const auto& options = match.route->options;
    if (options.access != http::Access::open) {
        auto key = api_key_of(request);
        auto found = key ? store_->find_api_key(sha256_hex(*key)) : fail(Code::not_found, "no key");
        if (!found) return {401, {}, {}};
        if (options.access == http::Access::admin && !found->admin) return {403, {}, {}};
        request.principal = http::Principal{found->tenant_id, found->id, found->admin};
    }
    if (options.stream_body)
        request.body_reader = std::make_shared<StringBodyReader>(std::move(request.body));
    http::Response response = match.route->handler(request);
    Reply reply{response.status, response.headers, {}};
    if (auto* text = std::get_if<std::string>(&response.body)) reply.body = *text;
    return reply;
}

Reply ApiTest::get(std::string target, std::string key) {
    return send({.method = http::Method::get, .target = std::move(target), .key = std::move(key)});
}

Reply ApiTest::post(std::string target, std::string body, std::string key) {
    return send({.method = http::Method::post,
                 .target = std::move(target),
                 .body = std::move(body),
                 .headers = {{"Content-Type", "application/json"}},
                 .key = std::move(key)});
}

Reply ApiTest::put(std::string target, std::string body, std::string key) {
    return send({.method = http::Method::put,
                 .target = std::move(target),
                 .body = std::move(body),
                 .headers = {{"Content-Type", "application/json"}},
                 .key = std::move(key)});
}

Reply ApiTest::del(std::string target, std::string key) {
    return send({.method = http::Method::del, .target = std::move(target), .key = std::move(key)});
}

std::shared_ptr<EventStream> ApiTest::open_events(std::string target, std::string key) {
    auto stream = std::make_shared<EventStream>();
    http::Request request;
    request.method = http::Method::get;
    request.target = std::move(target);
    request.headers.set("Authorization", "Bearer " + key);
    parse_target(request);
    auto match = router_.match(request.method, request.path, request.params);
    auto found = store_->find_api_key(sha256_hex(key));
    if (!match.route || !found) {
        stream->status = match.route ? 401 : 404;
        return stream;
    }
    request.principal = http::Principal{found->tenant_id, found->id, found->admin};
    http::Response response = match.route->handler(request);
    stream->status = response.status;
    auto* start = std::get_if<http::EventStreamStart>(&response.body);
    if (!start) {
        if (auto* text = std::get_if<std::string>(&response.body)) stream->body = *text;
        return stream;
    }
    auto sink = std::make_shared<TestSink>(stream);
    sink->on_close([stream] { stream->close(); });
    (*start)(sink);
    keep_alive_.push_back(sink);
    return stream;
}

std::string ApiTest::create_template(const std::string& spec_json, std::string key) {
    auto reply = post("/api/v1/templates", R"({"name":"t","spec":)" + spec_json + "}", std::move(key));
    EXPECT_EQ(reply.status, 201) << reply.body;
    auto value = reply.json();
    return value.is_object() && value.as_object().contains("id") ? std::string(value.at("id").as_string())
                                                                 : "";
}

Reply ApiTest::create_job(const std::string& body, std::string key) {
    return post("/api/v1/video/create", body, std::move(key));
}

std::string tiny_spec_json() {
    return R"({"output":{"width":64,"height":64,"fps":10,"format":"mp4"},)"
           R"("timeline":{"tracks":[{"clips":[{"type":"color","color":"#336699","start":0,"length":1}]}]}})";
}

}  // namespace vidgen::api::testing
