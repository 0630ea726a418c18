// fetch_https against a real local TLS server (`openssl s_server -WWW` serving a temp dir, with a
// certificate made for the test); the address guard is relaxed with allow_private_addresses.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "fixtures.hpp"
#include "media/policy.hpp"

namespace vidgen::media {
namespace {

using testing::TempDir;

int free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
}

bool accepts(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(std::uint16_t(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    return ok;
}

// `openssl s_server -WWW` serving `root` on 127.0.0.1:port() with a certificate for localhost/127.0.0.1.
class TlsFileServer {
  public:
    explicit TlsFileServer(const std::filesystem::path& root) : cert_(root / "cert.pem"), port_(free_port()) {
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
        for (int i = 0; i < 100 && !accepts(port_); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ~TlsFileServer() {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            waitpid(pid_, nullptr, 0);
        }
    }
    bool running() const { return pid_ > 0 && accepts(port_); }
    int port() const { return port_; }
    const std::filesystem::path& cert() const { return cert_; }

  private:
    std::filesystem::path cert_;
    int port_;
    pid_t pid_ = -1;
};

std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class FetchTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (std::system("command -v openssl >/dev/null 2>&1") != 0) GTEST_SKIP() << "needs the openssl tool";
        for (int i = 0; i < 50000; ++i) body_.push_back(char('a' + i % 26));
        testing::write_bytes(www_ / "blob.bin", body_);
        server_ = std::make_unique<TlsFileServer>(www_ / "");
        ASSERT_TRUE(server_->running());
        trusted_.allow_private_addresses = true;
        trusted_.fetch_ca_file = server_->cert();
        trusted_.fetch_timeout_seconds = 10;
    }
    std::string url(const char* host) const {
        return "https://" + std::string(host) + ":" + std::to_string(server_->port()) + "/blob.bin";
    }
    TempDir www_, out_;
    std::string body_;
    std::unique_ptr<TlsFileServer> server_;
    InputLimits trusted_;
};

TEST_F(FetchTest, DownloadsThroughThePinnedAddress) {
    auto got = fetch_https(url("localhost"), out_ / "a.bin", trusted_);  // resolved, checked, then pinned
    ASSERT_TRUE(got) << got.error().to_string();
    EXPECT_EQ(read_all(*got), body_);
    EXPECT_FALSE(std::filesystem::exists(out_ / "a.bin.part"));
}

TEST_F(FetchTest, StopsPastTheSizeLimitAndLeavesNothing) {
    InputLimits small = trusted_;
    small.max_file_bytes = 10000;
    auto got = fetch_https(url("127.0.0.1"), out_ / "b.bin", small);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().code, Code::limit_exceeded);
    EXPECT_FALSE(std::filesystem::exists(out_ / "b.bin"));
    EXPECT_FALSE(std::filesystem::exists(out_ / "b.bin.part"));
}

TEST_F(FetchTest, VerifiesTheCertificate) {
    InputLimits system_ca = trusted_;
    system_ca.fetch_ca_file.clear();  // the test certificate is not in the system store
    auto got = fetch_https(url("localhost"), out_ / "c.bin", system_ca);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().code, Code::io) << got.error().message;
}

TEST_F(FetchTest, GuardRefusesTheSameServerByDefault) {
    InputLimits guarded = trusted_;
    guarded.allow_private_addresses = false;
    auto got = fetch_https(url("localhost"), out_ / "d.bin", guarded);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().code, Code::unsupported);
}

}  // namespace
}  // namespace vidgen::media
