#include "api_fixture.hpp"

#include <curl/curl.h>

#include "api/auth.hpp"
#include "api/routes.hpp"
#include "core/hash.hpp"

namespace vidgen::api::testing {
namespace {

namespace json = boost::json;

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

// Header lines into Headers; a new status line (after 100 Continue) starts them over.
std::size_t write_header(char* data, std::size_t size, std::size_t count, void* out) {
    auto* headers = static_cast<http::Headers*>(out);
    std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) *headers = http::Headers();
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return size * count;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
    headers->add(line.substr(0, colon), value);
    return size * count;
}

// The request's headers for curl: the caller's, the key, and no Content-Type or Expect curl would add itself.
curl_slist* header_list(const Call& call) {
    curl_slist* list = nullptr;
    bool has_type = false;
    for (const auto& [name, value] : call.headers) {
        has_type = has_type || strcasecmp(name.c_str(), "Content-Type") == 0;
        list = curl_slist_append(list, (name + ": " + value).c_str());
    }
    if (!call.key.empty()) list = curl_slist_append(list, ("Authorization: Bearer " + call.key).c_str());
    if (!has_type) list = curl_slist_append(list, "Content-Type:");
    return curl_slist_append(list, "Expect:");
}

void set_request(CURL* curl, const std::string& url, const Call& call, curl_slist* headers) {
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, http::method_name(call.method));
    if (call.method == http::Method::head) curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (!call.body.empty() || call.method == http::Method::post || call.method == http::Method::put) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, call.body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
}

std::size_t write_stream(char* data, std::size_t size, std::size_t count, void* out) {
    auto* stream = static_cast<EventStream*>(out);
    stream->append(std::string_view(data, size * count));
    return size * count;
}

std::size_t stream_header(char* data, std::size_t size, std::size_t count, void* out) {
    std::string_view line(data, size * count);
    int status = 0;
    if (line.starts_with("HTTP/") && std::sscanf(std::string(line).c_str(), "HTTP/%*s %d", &status) == 1) {
        if (status >= 200) static_cast<EventStream*>(out)->set_status(status);
    }
    return size * count;
}

// Reads one event stream until the server ends it.
void read_stream(std::string url, Call call, std::shared_ptr<EventStream> stream) {
    CURL* curl = curl_easy_init();
    curl_slist* headers = header_list(call);
    set_request(curl, url, call, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_stream);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, stream.get());
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, stream_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, stream.get());
    curl_easy_perform(curl);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    stream->close();
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

int EventStream::status() {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds{5}, [&] { return status_ != 0 || closed_; });
    return status_;
}

std::string EventStream::body() {
    wait_closed();
    std::lock_guard lock(mutex_);
    return body_;
}

void EventStream::set_status(int status) {
    std::lock_guard lock(mutex_);
    status_ = status;
    changed_.notify_all();
}

void EventStream::append(std::string_view bytes) {
    std::lock_guard lock(mutex_);
    if (status_ != 200) {
        body_ += bytes;
        return;
    }
    pending_ += bytes;
    for (auto end = pending_.find('\n'); end != std::string::npos; end = pending_.find('\n')) {
        std::string line = pending_.substr(0, end);
        pending_.erase(0, end + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        dispatch_line(line);
    }
    changed_.notify_all();
}

// One line of the SSE wire format: fields, comments (keep-alives) and the blank line that ends an event.
void EventStream::dispatch_line(std::string_view line) {
    if (line.empty()) {
        if (!current_.event.empty() || !current_.data.empty()) events_.push_back(std::move(current_));
        current_ = {};
        return;
    }
    if (line.starts_with(':')) return;
    auto colon = line.find(':');
    std::string_view field = line.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    if (value.starts_with(' ')) value.remove_prefix(1);
    if (field == "event") current_.event = value;
    if (field == "data")
        current_.data += current_.data.empty() ? std::string(value) : "\n" + std::string(value);
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
                       .data_dir = scratch_->path()};
    create_tenants();
    add_routes(router_, context_);
    http::ServerOptions options{.listen = "127.0.0.1:0", .io_threads = 2, .handler_threads = 4};
    options.sse_keepalive = std::chrono::milliseconds{200};
    server_ = std::make_unique<http::Server>(options, router_, make_authenticator(*store_), cache_.get(),
                                             metrics_.get());
    must(server_->start());
    base_url_ = "http://127.0.0.1:" + std::to_string(server_->port());
    context_.public_url = base_url_;
    context_.server = server_.get();
}

void ApiTest::create_tenants() {
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
}

void ApiTest::TearDown() {
    server_->stop(std::chrono::milliseconds{1'000});
    for (auto& thread : stream_threads_) thread.join();
}

Reply ApiTest::send(const Call& call) {
    Reply reply;
    CURL* curl = curl_easy_init();
    curl_slist* headers = header_list(call);
    set_request(curl, base_url_ + call.target, call, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 30'000L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, write_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
    CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    EXPECT_EQ(code, CURLE_OK) << curl_easy_strerror(code) << " for " << call.target;
    reply.status = static_cast<int>(status);
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
    Call call{.method = http::Method::get, .target = target, .key = std::move(key)};
    stream_threads_.emplace_back(read_stream, base_url_ + target, std::move(call), stream);
    stream->status();
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
