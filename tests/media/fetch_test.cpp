// fetch_https against a real local TLS server (`openssl s_server -WWW` serving a temp dir, with a
// certificate made for the test); the address guard is relaxed with allow_private_addresses.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "fixtures.hpp"
#include "media/policy.hpp"
#include "support/tls_file_server.hpp"

namespace vidgen::media {
namespace {

using testing::TempDir;
using vidgen::testing::TlsFileServer;

std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class FetchTest : public ::testing::Test {
  protected:
    void SetUp() override {
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
