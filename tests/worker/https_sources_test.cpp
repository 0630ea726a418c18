#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "support/tls_file_server.hpp"
#include "worker_fixture.hpp"

namespace vidgen::worker::testing {

using vidgen::testing::TlsFileServer;
namespace {

const std::filesystem::path kMedia = std::filesystem::path(VIDGEN_SOURCE_DIR) / "examples/media";

class HttpsSourcesTest : public WorkerTest {
  protected:
    void SetUp() override {
        WorkerTest::SetUp();
        if (std::system("command -v openssl >/dev/null 2>&1") != 0) GTEST_SKIP() << "needs the openssl tool";
        www_ = std::make_unique<ScratchDir>(must(ScratchDir::create("vidgen-worker-www")));
        server_ = std::make_unique<TlsFileServer>(www_->path());
        ASSERT_TRUE(server_->running());
        options_.input.allow_private_addresses = true;
        options_.input.fetch_ca_file = server_->cert();
    }

    void serve(const std::filesystem::path& file) {
        std::filesystem::copy_file(file, www_->path() / "picture.img",
                                   std::filesystem::copy_options::overwrite_existing);
    }

    std::unique_ptr<ScratchDir> www_;
    std::unique_ptr<TlsFileServer> server_;
};

TEST_F(HttpsSourcesTest, DownloadsRendersAndKeysTheRenderByTheDownloadedContent) {
    serve(kMedia / "logo.png");
    auto first = enqueue(image_spec(server_->url("picture.img")));
    auto report = run_next();
    ASSERT_EQ(report.outcome, JobOutcome::done) << report.error;

    enqueue(image_spec(server_->url("picture.img")));
    EXPECT_EQ(run_next().outcome, JobOutcome::cached);

    serve(kMedia / "photo1.jpg");  // the same URL now answers other bytes: the cached render must not be used
    auto changed = enqueue(image_spec(server_->url("picture.img")));
    EXPECT_EQ(run_next().outcome, JobOutcome::done);
    EXPECT_NE(stored(changed).render_key, stored(first).render_key);
}

}  // namespace
}  // namespace vidgen::worker::testing
