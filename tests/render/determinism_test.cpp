// One spec rendered many times in one process, several renders at once as a worker runs its jobs: the same
// bytes every time (outputs are content-addressed blobs, so any difference stores a second blob).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "render/render.hpp"
#include "spec/parse.hpp"
#include "support.hpp"

namespace vidgen::render {
namespace {

// tests/app/node_harness.hpp's small_spec: the job of the cluster test that found two outputs of one job.
constexpr const char* kSpec = R"({"output": {"width": 320, "height": 180, "fps": 25},
  "timeline": {"background": "#224466", "tracks": [{"clips": [{"type": "text", "text": "Job {{n}}",
    "start": 0, "length": 2, "x": [{"time": 0, "value": "-40vw"}, {"time": 2, "value": "40vw"}]}]}]}})";

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The bytes of `spec` rendered to `out` as worker/job_runner.cpp renders a job (all cores, progress
// reported), or "" when it fails.
std::string render_bytes(const spec::Spec& spec, const std::filesystem::path& out) {
    RenderOptions options{.base_dir = out.parent_path(), .fetch_dir = out.parent_path()};
    options.on_progress = [](const Progress&) {};
    auto planned = plan(spec, options);
    if (!planned || !render(*planned, out, options)) return {};
    return read_file(out);
}

// The job numbers whose renders differed most often before x264 was kept off AVX-512 (how often depends
// on the picture: "Job 7" never did in 1000 renders; 136 is the job that had two outputs).
constexpr int kJobs[] = {1, 2, 136};

TEST(Determinism, OneSpecRenderedConcurrentlyGivesTheSameBytes) {
    testing::TempDir dir;
    std::vector<spec::Spec> specs;
    std::vector<std::string> expected;
    for (int n : kJobs) {
        auto spec = spec::parse(kSpec, boost::json::object{{"n", n}});
        ASSERT_TRUE(spec);
        specs.push_back(std::move(*spec));
        expected.push_back(render_bytes(specs.back(), dir.path() / ("first-" + std::to_string(n) + ".mp4")));
        ASSERT_FALSE(expected.back().empty());
    }
    constexpr int kThreads = 4, kRounds = 4;
    std::vector<int> differing(specs.size(), 0);
    std::mutex mutex;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            auto out = dir.path() / ("out-" + std::to_string(t) + ".mp4");
            for (int round = 0; round < kRounds; ++round) {
                for (std::size_t k = 0; k < specs.size(); ++k) {
                    bool same = render_bytes(specs[k], out) == expected[k];
                    std::lock_guard lock(mutex);
                    differing[k] += same ? 0 : 1;
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    for (std::size_t k = 0; k < specs.size(); ++k)
        EXPECT_EQ(differing[k], 0) << "Job " << kJobs[k] << ": renders unlike the first, of "
                                   << kThreads * kRounds;
}

TEST(Determinism, WebmRenderedTwiceGivesTheSameBytes) {
    testing::TempDir dir;
    auto spec = spec::parse(kSpec, boost::json::object{{"n", 1}});
    ASSERT_TRUE(spec);
    spec->output.format = spec::Format::webm;
    const std::string first = render_bytes(*spec, dir.path() / "first.webm");
    ASSERT_FALSE(first.empty());
    EXPECT_TRUE(render_bytes(*spec, dir.path() / "second.webm") == first)
        << "Matroska UIDs must not be random";
}

}  // namespace
}  // namespace vidgen::render
