// A real local HTTPS file server for source downloads: `openssl s_server -WWW` serving a folder on
// 127.0.0.1, with a certificate made for the test (trust it through InputLimits::fetch_ca_file).
#pragma once

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

namespace vidgen::testing {

class TlsFileServer {
  public:
    explicit TlsFileServer(const std::filesystem::path& root) : root_(root), cert_(root / "cert.pem") {
        port_ = free_port();
        const std::string key = (root / "key.pem").string();
        const std::string make_cert =
            "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
            "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
            key + " -out " + cert_.string() + " >/dev/null 2>&1";
        if (std::system(make_cert.c_str()) != 0) return;
        pid_ = fork();
        if (pid_ == 0) {
            if (chdir(root.c_str()) != 0) _exit(127);
            const std::string accept = "127.0.0.1:" + std::to_string(port_);
            execlp("openssl", "openssl", "s_server", "-quiet", "-WWW", "-accept", accept.c_str(), "-cert",
                   cert_.c_str(), "-key", key.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        for (int i = 0; i < 100 && !accepts(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    TlsFileServer(const TlsFileServer&) = delete;
    TlsFileServer& operator=(const TlsFileServer&) = delete;
    ~TlsFileServer() {
        if (pid_ <= 0) return;
        kill(pid_, SIGTERM);
        waitpid(pid_, nullptr, 0);
    }

    bool running() const { return pid_ > 0 && accepts(); }
    std::string url(const std::string& name) const {
        return "https://127.0.0.1:" + std::to_string(port_) + "/" + name;
    }
    int port() const { return port_; }
    const std::filesystem::path& cert() const { return cert_; }
    const std::filesystem::path& root() const { return root_; }

  private:
    static sockaddr_in loopback(int port) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(std::uint16_t(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return address;
    }
    static int free_port() {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        auto address = loopback(0);
        socklen_t length = sizeof address;
        bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
        close(fd);
        return ntohs(address.sin_port);
    }
    bool accepts() const {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        auto address = loopback(port_);
        bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        close(fd);
        return ok;
    }

    std::filesystem::path root_, cert_;
    int port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace vidgen::testing
