// RedisEventBus: a local bus for delivery plus a RedisPubSub between nodes. Messages on the channel are
// {"node","tenant","job","batch","type","status","progress","data","time"}.
#include "queue/redis_event_bus.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <atomic>
#include <string>

#include "cache/redis_pubsub.hpp"

namespace vidgen::queue {
namespace {

namespace json = boost::json;

constexpr std::string_view kChannelPrefix = "vidgen:events:";

std::string encode(const JobEvent& event, std::string_view node_id) {
    return json::serialize(json::object{{"node", node_id},
                                        {"tenant", event.tenant_id},
                                        {"job", event.job_id},
                                        {"batch", event.batch_id},
                                        {"type", event.type},
                                        {"status", event.status},
                                        {"progress", event.progress},
                                        {"data", event.data_json},
                                        {"time", event.time}});
}

std::string text_of(const json::object& object, std::string_view key) {
    const json::value* value = object.if_contains(key);
    return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}

struct Decoded {
    std::string node;
    JobEvent event;
};

std::optional<Decoded> decode(std::string_view text) {
    json::error_code error;
    json::value parsed = json::parse(text, error);
    if (error || !parsed.is_object()) return std::nullopt;
    const json::object& object = parsed.get_object();
    Decoded decoded{text_of(object, "node"), JobEvent{.tenant_id = text_of(object, "tenant"),
                                                      .job_id = text_of(object, "job"),
                                                      .batch_id = text_of(object, "batch"),
                                                      .type = text_of(object, "type"),
                                                      .status = text_of(object, "status"),
                                                      .data_json = text_of(object, "data"),
                                                      .remote = true}};
    if (const json::value* progress = object.if_contains("progress"); progress && progress->is_number()) {
        decoded.event.progress = progress->to_number<double>();
    }
    if (const json::value* time = object.if_contains("time"); time && time->is_int64()) {
        decoded.event.time = time->get_int64();
    }
    return decoded;
}

class RedisEventBus final : public EventBus {
  public:
    explicit RedisEventBus(std::string node_id) : node_id_(std::move(node_id)) {}

    Result<void> connect(std::string_view url) {
        auto pubsub = cache::RedisPubSub::open(
            url, std::string(kChannelPrefix) + "*",
            cache::PubSubHandlers{.message = [this](std::string_view text) { on_message(text); },
                                  .subscribed = [this] { on_subscribed(); },
                                  .lost = [this](const Error& error) { on_lost(error); }});
        if (!pubsub) return std::unexpected(pubsub.error());
        pubsub_ = std::move(*pubsub);
        return {};
    }

    void publish(const JobEvent& event) override {
        local_->publish(event);
        auto sent = pubsub_->publish(event_channel(event.tenant_id), encode(event, node_id_));
        if (!sent) on_lost(sent.error());
    }

    std::unique_ptr<Subscription> subscribe(std::string_view tenant_id, std::string_view job_id,
                                            EventCallback callback) override {
        return local_->subscribe(tenant_id, job_id, std::move(callback));
    }

    std::unique_ptr<Subscription> subscribe_all(EventCallback callback) override {
        return local_->subscribe_all(std::move(callback));
    }

  private:
    void on_message(std::string_view text) {
        auto decoded = decode(text);
        if (!decoded) {
            spdlog::warn("events: ignored a malformed message from Redis");
            return;
        }
        if (decoded->node != node_id_) local_->publish(decoded->event);
    }

    void on_subscribed() {
        if (outage_.exchange(false)) spdlog::info("events: Redis is back; events reach every node again");
    }

    void on_lost(const Error& error) {
        if (!outage_.exchange(true)) {
            spdlog::warn("events: Redis unreachable, events stay on this node until it is back: {}",
                         error.message);
        }
    }

    const std::string node_id_;
    std::unique_ptr<EventBus> local_ = make_local_event_bus();
    std::atomic<bool> outage_{false};
    std::unique_ptr<cache::RedisPubSub> pubsub_;  // last: its thread stops before the rest goes
};

}  // namespace

std::string event_channel(std::string_view tenant_id) {
    return std::string(kChannelPrefix) + std::string(tenant_id);
}

Result<std::unique_ptr<EventBus>> make_redis_event_bus(std::string_view url, std::string_view node_id) {
    auto bus = std::make_unique<RedisEventBus>(std::string(node_id));
    if (auto connected = bus->connect(url); !connected) return std::unexpected(connected.error());
    return bus;
}

}  // namespace vidgen::queue
