// RedisEventBus: the EventBus of a cluster. Events are delivered to this node's subscribers at once (as the
// local bus does) and PUBLISHed as JSON on `vidgen:events:<tenant>`; a subscriber thread PSUBSCRIBEd to
// `vidgen:events:*` delivers other nodes' events to this node's subscribers (its own, recognised by the
// node id in the message, are not delivered twice). While Redis is down events stay on their node (logged
// once per outage) and the subscriber reconnects by itself. Thread-safe like every EventBus; callbacks of
// other nodes' events run on the subscriber thread.
#pragma once

#include <memory>
#include <string_view>

#include "core/error.hpp"
#include "queue/events.hpp"

namespace vidgen::queue {

// `url`: redis://host:port[/db]; an invalid URL is an error, an unreachable server is not. `node_id` must
// differ between the nodes of a cluster.
Result<std::unique_ptr<EventBus>> make_redis_event_bus(std::string_view url, std::string_view node_id);

// The channel an event of `tenant_id` is published on.
std::string event_channel(std::string_view tenant_id);

}  // namespace vidgen::queue
