#include "support/local_server.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/unique_fd.hpp"

namespace vidgen::testing {

Result<int> free_loopback_port() {
    UniqueFd fd(socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof(address);
    auto* raw = reinterpret_cast<sockaddr*>(&address);
    if (!fd || bind(fd.get(), raw, size) != 0 || getsockname(fd.get(), raw, &size) != 0) {
        return fail(Code::io, fmt::format("no free loopback port: {}", std::strerror(errno)));
    }
    return ntohs(address.sin_port);
}

std::string tail_of(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    std::string all = text.str();
    return all.size() > 1500 ? all.substr(all.size() - 1500) : all;
}

}  // namespace vidgen::testing
