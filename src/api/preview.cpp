#include "api/preview.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include <charconv>
#include <fstream>
#include <sstream>

#include "api/errors.hpp"
#include "api/handler_support.hpp"
#include "api/jobs_input.hpp"
#include "core/hash.hpp"
#include "core/scratch_dir.hpp"
#include "queue/cache_tags.hpp"
#include "render/render.hpp"
#include "spec/parse.hpp"

namespace vidgen::api {
namespace {

namespace json = boost::json;

struct Format {
    std::string_view name, extension, content_type;
};
constexpr Format kFormats[] = {
    {"jpeg", "jpg", "image/jpeg"}, {"png", "png", "image/png"}, {"webp", "webp", "image/webp"}};

struct PreviewRequest {
    double t = 0;
    const Format* format = &kFormats[0];
    std::optional<int> version;
    json::object data;
};

Result<double> read_time(const http::Request& request) {
    auto text = request.query_value("t");
    if (!text) return 0.0;
    double t = -1;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), t);
    if (ec != std::errc{} || end != text->data() + text->size() || !(t >= 0)) {
        return fail(Code::invalid_argument, "t must be a number of seconds >= 0");
    }
    return t;
}

Result<PreviewRequest> read_request(const http::Request& request) {
    PreviewRequest preview;
    auto t = read_time(request);
    if (!t) return std::unexpected(t.error());
    preview.t = *t;
    auto format = request.query_value("format").value_or("jpeg");
    auto found = std::ranges::find(kFormats, format, &Format::name);
    if (found == std::end(kFormats)) return fail(Code::invalid_argument, "format must be jpeg, png or webp");
    preview.format = &*found;
    auto version = query_integer(request, "version", 0, 1, 1'000'000'000);
    if (!version) return std::unexpected(version.error());
    if (*version) preview.version = static_cast<int>(*version);
    for (const auto& [name, value] : request.query) {
        if (name.starts_with("data.")) preview.data[name.substr(5)] = value;
    }
    return preview;
}

// The POST body's "data" object; problems become a 400 or 422.
Result<json::object> read_body_data(const http::Request& request) {
    if (request.body.empty()) return json::object{};
    auto body = json_body(request);
    if (!body) return std::unexpected(body.error());
    std::vector<Error> problems;
    auto data = read_data(*body, problems);
    if (!problems.empty()) return std::unexpected(problems.front());
    return data;
}

render::RenderOptions render_options(const Context& context, const std::string& tenant_id,
                                     const ScratchDir& scratch) {
    render::RenderOptions options;
    options.base_dir = scratch.path();
    options.fetch_dir = scratch.path();
    options.threads = 1;
    options.resolve_asset = [&context, tenant_id](std::string_view id) -> Result<std::filesystem::path> {
        auto asset = context.store->get_asset(tenant_id, id);
        if (!asset) return std::unexpected(asset.error());
        auto blob = context.blobs->open(asset->content_key);
        if (!blob) return std::unexpected(blob.error());
        return blob->path;
    };
    return options;
}

Result<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(Code::io, "cannot read the rendered frame");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

// Renders the frame; a Problems-carrying error list when the spec is refused.
Result<std::string> render_preview(const Context& context, const store::Template& tmpl,
                                   const PreviewRequest& preview, std::vector<Error>& problems) {
    auto parsed = spec::parse(tmpl.spec_json, preview.data, context.limits);
    if (!parsed) {
        problems = std::move(parsed.error().errors);
        return std::string();
    }
    problems = refused_sources(*parsed);
    if (!problems.empty()) return std::string();
    auto scratch = ScratchDir::create("vidgen-preview");
    if (!scratch) return std::unexpected(scratch.error());
    auto planned = render::plan(*parsed, render_options(context, tmpl.tenant_id, *scratch));
    if (!planned) return std::unexpected(planned.error());
    auto out = scratch->path() / fmt::format("frame.{}", preview.format->extension);
    if (auto drawn = render::render_frame(*planned, preview.t, out); !drawn)
        return std::unexpected(drawn.error());
    return read_file(out);
}

std::string cache_key(const store::Template& tmpl, const PreviewRequest& preview) {
    return fmt::format("preview:{}:{}:{}:{:016x}:{}", tmpl.id, tmpl.version, preview.t,
                       fast_hash(json::serialize(preview.data)), preview.format->name);
}

http::Response image_response(std::string bytes, const Format& format, std::string_view cache_status) {
    auto response = http::Response::text(200, std::move(bytes), format.content_type);
    response.compressible = false;
    response.headers.set("X-Preview-Cache", cache_status);
    return response;
}

http::Response preview(const http::Request& request, const Context& context) {
    auto read = read_request(request);
    if (!read) return bad_request(read.error().message);
    if (request.method == http::Method::post) {
        auto data = read_body_data(request);
        if (!data) return error_response(data.error());
        read->data = std::move(*data);
    }
    auto tmpl = find_template(context, tenant_of(request), request.param("id"), read->version);
    if (!tmpl) return error_response(tmpl.error());
    std::string key = cache_key(*tmpl, *read);
    if (auto hit = context.cache->get(key); hit && *hit)
        return image_response(std::move(**hit), *read->format, "HIT");
    std::vector<Error> problems;
    auto image = render_preview(context, *tmpl, *read, problems);
    if (!problems.empty()) return validation_response(problems, "/spec");
    if (!image) return error_response(image.error());
    context.cache->set(key, *image, {.ttl = context.cache_ttl * 10, .tags = {queue::template_tag(tmpl->id)}});
    return image_response(std::move(*image), *read->format, "MISS");
}

}  // namespace

void add_preview_routes(http::Router& router, Context& context) {
    for (auto method : {http::Method::get, http::Method::post}) {
        router.add(method, "/api/v1/templates/{id}/preview",
                   [&](http::Request& r) { return preview(r, context); });
    }
}

}  // namespace vidgen::api
