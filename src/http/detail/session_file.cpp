// Session: FileBody responses (conditional requests, ranges, sendfile) and the start of event streams.
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <exception>

#include "core/log.hpp"
#include "http/detail/conditional.hpp"
#include "http/detail/event_stream.hpp"
#include "http/detail/session.hpp"

namespace vidgen::http::detail {
namespace beast = boost::beast;
namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxRanges = 16;
constexpr std::string_view kBoundary = "vidgen-byteranges-7d3f";

std::string content_range(const ByteRange& range, std::uint64_t size) {
    return "bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) + "/" +
           std::to_string(size);
}

bool not_modified(const Request& request, const FileBody& file) {
    if (auto if_none_match = request.headers.get("If-None-Match"))
        return etag_matches(*if_none_match, file.etag);
    auto if_modified_since = request.headers.get("If-Modified-Since");
    return if_modified_since && not_modified_since(*if_modified_since, file.last_modified);
}

// The ranges to serve, or nullopt for the whole file; an empty vector means 416.
std::optional<std::vector<ByteRange>> wanted_ranges(const Request& request, const FileBody& file) {
    auto range = request.headers.get("Range");
    if (!range || (request.method != Method::get && request.method != Method::head)) return std::nullopt;
    if (auto if_range = request.headers.get("If-Range");
        if_range && !if_range_holds(*if_range, file.etag, file.last_modified))
        return std::nullopt;
    RangeRequest parsed = parse_range(*range, file.size);
    if (!parsed.valid || parsed.ranges.size() > kMaxRanges) return std::nullopt;
    return std::move(parsed.ranges);
}

}  // namespace

void Session::write_file(Response& response) {
    file_ = std::move(std::get<FileBody>(response.body));
    const Request& request = exchange_->request;
    const bool head = request.method == Method::head;
    response.headers.set("Accept-Ranges", "bytes");
    if (!file_.etag.empty()) response.headers.set("ETag", file_.etag);
    if (file_.last_modified.time_since_epoch().count() != 0)
        response.headers.set("Last-Modified", http_date(file_.last_modified));
    if (response.status == 200 && not_modified(request, file_)) {
        response.status = status_ = 304;
        pieces_.push_back(Piece{header_text(response, std::nullopt)});
        return send_pieces(0);
    }
    auto ranges = response.status == 200 ? wanted_ranges(request, file_) : std::nullopt;
    if (ranges && ranges->empty()) {
        response.status = status_ = 416;
        response.headers.set("Content-Range", "bytes */" + std::to_string(file_.size));
        pieces_.push_back(Piece{header_text(response, 0)});
        return send_pieces(0);
    }
    if (ranges && ranges->size() > 1) return write_byteranges(response, *ranges, head);
    ByteRange whole{0, file_.size == 0 ? 0 : file_.size - 1};
    if (ranges) {
        whole = ranges->front();
        response.status = status_ = 206;
        response.headers.set("Content-Range", content_range(whole, file_.size));
    }
    const std::uint64_t length = file_.size == 0 ? 0 : whole.size();
    raw_bytes_ = length;
    pieces_.push_back(Piece{header_text(response, length)});
    if (!head && length > 0) pieces_.push_back(Piece{{}, whole.first, whole.last, true});
    send_pieces(0);
}

void Session::write_byteranges(Response& response, const std::vector<ByteRange>& ranges, bool head) {
    const std::string type(response.headers.get("Content-Type").value_or("application/octet-stream"));
    response.status = status_ = 206;
    response.headers.set("Content-Type", "multipart/byteranges; boundary=" + std::string(kBoundary));
    std::vector<Piece> body;
    std::uint64_t length = 0;
    for (const ByteRange& range : ranges) {
        std::string part = "\r\n--" + std::string(kBoundary) + "\r\nContent-Type: " + type +
                           "\r\nContent-Range: " + content_range(range, file_.size) + "\r\n\r\n";
        length += part.size() + range.size();
        body.push_back(Piece{std::move(part)});
        body.push_back(Piece{{}, range.first, range.last, true});
    }
    std::string closing = "\r\n--" + std::string(kBoundary) + "--\r\n";
    length += closing.size();
    body.push_back(Piece{std::move(closing)});
    raw_bytes_ = length;
    pieces_.push_back(Piece{header_text(response, length)});
    if (!head) std::move(body.begin(), body.end(), std::back_inserter(pieces_));
    send_pieces(0);
}

void Session::write_event_stream(Response& response) {
    EventStreamStart start = std::move(std::get<EventStreamStart>(response.body));
    keep_alive_ = false;
    response.headers.set("Cache-Control", "no-cache");
    response.headers.set("X-Accel-Buffering", "no");
    response.headers.erase("Content-Encoding");
    pieces_.push_back(Piece{header_text(response, std::nullopt)});
    const bool open = response.status == 200 && exchange_->request.method != Method::head;
    stream_.expires_after(state_.options.idle_timeout);
    asio::async_write(stream_, asio::buffer(pieces_.front().text),
                      [self = shared_from_this(), start = std::move(start), open](beast::error_code error,
                                                                                  std::size_t) mutable {
                          if (error || !open) return self->after_write(error);
                          self->finish_exchange(self->status_, 0, 0);
                          self->pieces_.clear();
                          self->stream_.expires_never();
                          auto sink = std::make_shared<EventStream>(self->stream_, self, self->state_);
                          sink->open();
                          asio::post(self->state_.handlers, [start = std::move(start), sink] {
                              try {
                                  start(sink);
                              } catch (const std::exception& failure) {
                                  spdlog::error("http: event stream start threw: {}", failure.what());
                                  sink->close();
                              }
                          });
                      });
}

}  // namespace vidgen::http::detail
