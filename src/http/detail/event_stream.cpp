#include "http/detail/event_stream.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

namespace vidgen::http::detail {
namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

void append_field(std::string& out, std::string_view name, std::string_view value) {
    out += name;
    out += ": ";
    for (char c : value) {
        if (c != '\r' && c != '\n') out += c;
    }
    out += '\n';
}

}  // namespace

std::string format_event(std::string_view event, std::string_view data, std::string_view id) {
    std::string out;
    out.reserve(data.size() + event.size() + id.size() + 32);
    if (!id.empty()) append_field(out, "id", id);
    if (!event.empty()) append_field(out, "event", event);
    while (true) {
        const std::size_t newline = data.find('\n');
        std::string_view line = data.substr(0, newline);
        if (line.ends_with('\r')) line.remove_suffix(1);
        out += "data: ";
        out += line;
        out += '\n';
        if (newline == std::string_view::npos) break;
        data.remove_prefix(newline + 1);
    }
    out += '\n';
    return out;
}

EventStream::EventStream(Stream& stream, std::shared_ptr<void> owner, ServerState& state)
    : stream_(stream),
      strand_(stream.get_executor()),
      owner_(std::move(owner)),
      state_(state),
      timer_(std::make_unique<asio::steady_timer>(*strand_)) {}

void EventStream::open() {
    std::weak_ptr<EventStream> weak = weak_from_this();
    state_.track(this, [weak] {
        if (auto self = weak.lock()) self->end(false);
    });
    watch();
    keepalive();
}

void EventStream::end(bool flush) {
    if (closed_.exchange(true)) return;
    post([self = shared_from_this(), flush] {
        self->closing_ = true;
        if (!flush || !self->writing_) self->shut();
    });
    std::vector<std::function<void()>> callbacks;
    {
        std::lock_guard lock(mutex_);
        callbacks.swap(callbacks_);
    }
    for (auto& callback : callbacks) asio::post(state_.handlers, std::move(callback));
}

void EventStream::shut() {
    if (shut_) return;
    shut_ = true;
    timer_.reset();
    state_.forget(this);
    beast::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
    if (!writing_) release();
}

void EventStream::release() {
    queue_.clear();  // the stream may be held (by a subscription) until its on_close callbacks ran
    owner_.reset();
    std::lock_guard lock(strand_mutex_);
    strand_.reset();
}

bool EventStream::post(std::function<void()> work) {
    std::lock_guard lock(strand_mutex_);
    if (!strand_) return false;
    asio::post(*strand_, std::move(work));
    return true;
}

bool EventStream::send(std::string_view event, std::string_view data, std::string_view id) {
    if (closed_) return false;
    return enqueue(format_event(event, data, id));
}

void EventStream::on_close(std::function<void()> callback) {
    {
        std::lock_guard lock(mutex_);
        if (!closed_) {
            callbacks_.push_back(std::move(callback));
            return;
        }
    }
    callback();
}

bool EventStream::enqueue(std::string text) {
    const std::size_t size = text.size();
    if (queued_bytes_.fetch_add(size) + size > state_.options.sse_max_queued_bytes) {
        end(false);
        return false;
    }
    auto shared_text = std::make_shared<std::string>(std::move(text));
    return post([self = shared_from_this(), shared_text] {
        if (self->shut_) return;
        self->queue_.push_back(std::move(*shared_text));
        if (!self->writing_) self->write_next();
    });
}

void EventStream::write_next() {
    if (queue_.empty() || shut_) {
        writing_ = false;
        if (closing_) shut();
        return;
    }
    writing_ = true;
    stream_.expires_after(state_.options.sse_write_timeout);  // the write's timer: watch() reads untimed
    asio::async_write(stream_, asio::buffer(queue_.front()),
                      [self = shared_from_this()](beast::error_code error, std::size_t) {
                          self->queued_bytes_.fetch_sub(self->queue_.front().size());
                          self->queue_.pop_front();
                          self->writing_ = false;
                          if (self->shut_) return self->release();
                          if (!error) return self->write_next();
                          self->end(false);
                          self->shut();
                      });
}

void EventStream::watch() {
    stream_.async_read_some(asio::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code error, std::size_t) {
                                if (error) return self->end(false);
                                self->watch();
                            });
}

void EventStream::keepalive() {
    timer_->expires_after(state_.options.sse_keepalive);
    timer_->async_wait([self = shared_from_this()](beast::error_code error) {
        if (error || self->closed_ || self->shut_) return;
        self->enqueue(": keepalive\n\n");
        self->keepalive();
    });
}

}  // namespace vidgen::http::detail
