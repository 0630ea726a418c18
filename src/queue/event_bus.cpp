// The in-process EventBus: subscribers indexed by tenant, plus those that see every tenant. publish()
// copies the matching subscribers under the bus lock and calls them after releasing it; each subscriber
// has its own call lock, which a Subscription's destructor takes to wait out a callback in flight.
#include <algorithm>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "queue/events.hpp"

namespace vidgen::queue {
namespace {

struct Subscriber {
    bool all = false;  // subscribe_all: every tenant's events
    std::string tenant_id;
    std::string job_id;  // empty: every job of the tenant
    EventCallback callback;
    std::recursive_mutex calling;  // recursive: a callback may end its own subscription
    bool active = true;            // guarded by `calling`

    bool wants(const JobEvent& event) const { return job_id.empty() || job_id == event.job_id; }
    void deliver(const JobEvent& event) {
        std::lock_guard lock(calling);
        if (active) callback(event);
    }
};

using SubscriberList = std::vector<std::shared_ptr<Subscriber>>;

struct Registry {
    std::mutex mutex;
    std::unordered_map<std::string, SubscriberList> by_tenant;
    SubscriberList everyone;

    SubscriberList& list_for(const Subscriber& subscriber) {
        return subscriber.all ? everyone : by_tenant[subscriber.tenant_id];
    }

    void add(const std::shared_ptr<Subscriber>& subscriber) {
        std::lock_guard lock(mutex);
        list_for(*subscriber).push_back(subscriber);
    }

    void remove(const Subscriber& subscriber) {
        std::lock_guard lock(mutex);
        auto& list = list_for(subscriber);
        std::erase_if(list, [&](const auto& entry) { return entry.get() == &subscriber; });
        if (list.empty() && !subscriber.all) by_tenant.erase(subscriber.tenant_id);
    }

    SubscriberList matching(const JobEvent& event) {
        std::lock_guard lock(mutex);
        SubscriberList found = everyone;
        if (auto it = by_tenant.find(event.tenant_id); it != by_tenant.end()) {
            std::ranges::copy_if(it->second, std::back_inserter(found),
                                 [&](const auto& entry) { return entry->wants(event); });
        }
        return found;
    }
};

class LocalSubscription final : public Subscription {
  public:
    LocalSubscription(std::shared_ptr<Registry> registry, std::shared_ptr<Subscriber> subscriber)
        : registry_(std::move(registry)), subscriber_(std::move(subscriber)) {}
    LocalSubscription(const LocalSubscription&) = delete;
    LocalSubscription& operator=(const LocalSubscription&) = delete;

    ~LocalSubscription() override {
        registry_->remove(*subscriber_);
        std::lock_guard lock(subscriber_->calling);  // waits for a callback in flight on another thread
        subscriber_->active = false;
    }

  private:
    std::shared_ptr<Registry> registry_;
    std::shared_ptr<Subscriber> subscriber_;
};

class LocalEventBus final : public EventBus {
  public:
    void publish(const JobEvent& event) override {
        for (const auto& subscriber : registry_->matching(event)) subscriber->deliver(event);
    }

    std::unique_ptr<Subscription> subscribe(std::string_view tenant_id, std::string_view job_id,
                                            EventCallback callback) override {
        return add(false, std::string(tenant_id), std::string(job_id), std::move(callback));
    }

    std::unique_ptr<Subscription> subscribe_all(EventCallback callback) override {
        return add(true, {}, {}, std::move(callback));
    }

  private:
    std::unique_ptr<Subscription> add(bool all, std::string tenant_id, std::string job_id,
                                      EventCallback callback) {
        auto subscriber = std::make_shared<Subscriber>();
        subscriber->all = all;
        subscriber->tenant_id = std::move(tenant_id);
        subscriber->job_id = std::move(job_id);
        subscriber->callback = std::move(callback);
        registry_->add(subscriber);
        return std::make_unique<LocalSubscription>(registry_, std::move(subscriber));
    }

    std::shared_ptr<Registry> registry_ = std::make_shared<Registry>();
};

}  // namespace

std::unique_ptr<EventBus> make_local_event_bus() {
    return std::make_unique<LocalEventBus>();
}

}  // namespace vidgen::queue
