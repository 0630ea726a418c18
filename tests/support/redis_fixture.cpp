// vidgen_test_redis start|stop STATE: the ctest fixture `redis`. start runs a Redis server for every test
// process of the run and writes its port, pid and dir to STATE; stop stops it and removes both.
#include <cstdio>
#include <string_view>

#include "support/redis_server.hpp"

int main(int argc, char** argv) {
    using vidgen::testing::RedisServer;
    std::string_view command = argc == 3 ? argv[1] : "";
    vidgen::Result<void> done =
        vidgen::fail(vidgen::Code::invalid_argument, "usage: vidgen_test_redis start|stop STATE");
    if (command == "start") {
        (void)RedisServer::stop_saved(argv[2]);  // left over by a run that never reached stop
        auto server = RedisServer::start();
        done = server ? (*server)->save(argv[2]) : std::unexpected(server.error());
    } else if (command == "stop") {
        done = RedisServer::stop_saved(argv[2]);
    }
    if (done) return 0;
    std::fprintf(stderr, "%s\n", done.error().to_string().c_str());
    return 1;
}
