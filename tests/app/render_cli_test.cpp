#include <gtest/gtest.h>

#include "cli_harness.hpp"

namespace vidgen::testing {
namespace {

const std::filesystem::path kExamples = std::filesystem::path(VIDGEN_SOURCE_DIR) / "examples";

const char* kHello = R"({
  "output": {"width": 320, "height": 180, "fps": 25},
  "timeline": {"background": "#203050", "tracks": [{"clips": [
    {"type": "text", "text": "Hello, {{name}}", "start": 0, "length": 2, "transition": {"in": "fade"}}
  ]}]}
})";

class RendersExample : public ::testing::TestWithParam<const char*> {};

TEST_P(RendersExample, ToAnMp4OfTheTimelineLength) {
    TempDir dir;
    auto spec = kExamples / GetParam() / "spec.json";
    auto data = kExamples / GetParam() / "data.json";
    std::string data_arg = std::filesystem::exists(data) ? " --data " + quote(data.string()) : "";
    auto result = run_vidgen("render " + quote(spec.string()) + data_arg + " -o out.mp4 -q", dir.path());
    ASSERT_EQ(result.exit_code, 0) << result.out;
    EXPECT_GT(probe_duration(dir.path() / "out.mp4"), 1.0);
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "out.mp4.partial"));
}

INSTANTIATE_TEST_SUITE_P(Examples, RendersExample,
                         ::testing::Values("title-card", "slideshow", "picture-in-picture", "lower-third",
                                           "vertical-social", "personalised-card"));

TEST(RenderCli, RendersOneOutputPerCsvRow) {
    TempDir dir;
    auto spec = kExamples / "personalised-card" / "spec.json";
    auto rows = kExamples / "personalised-card" / "rows.csv";
    auto result = run_vidgen("render " + quote(spec.string()) + " --data " + quote(rows.string()) +
                                 " -o 'card-{row}-{name}.mp4' -q",
                             dir.path());
    ASSERT_EQ(result.exit_code, 0) << result.out;
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "card-1-Ada Lovelace.mp4"));
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "card-4-Hedy Lamarr.mp4"));
}

TEST(RenderCli, ManyRowsNeedAPatternInTheOutputName) {
    TempDir dir;
    dir.write("hello.json", kHello);
    dir.write("rows.jsonl", "{\"name\": \"Ada\"}\n{\"name\": \"Grace\"}\n");
    auto result = run_vidgen("render hello.json --data rows.jsonl -o same.mp4", dir.path());
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.out.find("{row}"), std::string::npos) << result.out;
}

TEST(RenderCli, RendersASingleFrameToPng) {
    TempDir dir;
    dir.write("hello.json", kHello);
    dir.write("ada.json", R"({"name": "Ada"})");
    auto result = run_vidgen("render hello.json --data ada.json --frame 1.5 -o still.png", dir.path());
    ASSERT_EQ(result.exit_code, 0) << result.out;
    EXPECT_GT(std::filesystem::file_size(dir.path() / "still.png"), 100u);
}

TEST(RenderCli, MissingMergeFieldIsAnInvalidSpecNamingIt) {
    TempDir dir;
    dir.write("hello.json", kHello);
    auto result = run_vidgen("render hello.json -o out.mp4", dir.path());
    EXPECT_EQ(result.exit_code, 3);
    EXPECT_NE(result.out.find("/timeline/tracks/0/clips/0/text"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("name"), std::string::npos) << result.out;
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "out.mp4"));
}

TEST(RenderCli, UnreadableSpecIsAUsageError) {
    TempDir dir;
    auto result = run_vidgen("render nowhere.json", dir.path());
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.out.find("cannot read"), std::string::npos) << result.out;
}

TEST(RenderCli, LocalFileUrlIsRefusedWithItsPointer) {
    TempDir dir;
    dir.write("bad.json", R"({"timeline": {"tracks": [{"clips": [
        {"type": "image", "src": "file:///etc/passwd", "start": 0, "length": 1}]}]}})");
    auto result = run_vidgen("validate bad.json", dir.path());
    EXPECT_EQ(result.exit_code, 3);
    EXPECT_NE(result.out.find("/timeline/tracks/0/clips/0/src"), std::string::npos) << result.out;
}

TEST(RenderCli, MissingSourceFailsWithItsPointer) {
    TempDir dir;
    dir.write("missing.json", R"({"timeline": {"tracks": [{"clips": [
        {"type": "image", "src": "nowhere.png", "start": 0, "length": 1}]}]}})");
    auto result = run_vidgen("render missing.json -o out.mp4", dir.path());
    EXPECT_EQ(result.exit_code, 4);
    EXPECT_NE(result.out.find("/timeline/tracks/0/clips/0/src"), std::string::npos) << result.out;
}

TEST(RenderCli, InterruptStopsCleanlyWithExitCode130) {
    TempDir dir;
    dir.write("long.json", R"({"output": {"size": "720p", "fps": 30}, "timeline": {"tracks": [{"clips": [
        {"type": "shape", "shape": "ellipse", "start": 0, "length": 120, "width": 400, "height": 400,
         "rotation": [{"time": 0, "value": 0}, {"time": 120, "value": 3600}]}]}]}})");
    // The shell starts the render, interrupts it once it is under way, and reports its exit code.
    std::string command = "cd " + quote(dir.path().string()) + "; " + quote(VIDGEN_BINARY) +
                          " render long.json -o long.mp4 -q & pid=$!; sleep 1; kill -INT $pid; wait $pid; "
                          "echo exit=$?";
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char buffer[256];
    while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
    pclose(pipe);
    EXPECT_NE(out.find("exit=130"), std::string::npos) << out;
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "long.mp4"));
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "long.mp4.partial"));
}

TEST(ValidateCli, ReportsJsonWithEveryProblem) {
    TempDir dir;
    dir.write("bad.json", R"({"output": {"fps": 0}, "timeline": {"tracks": [{"clips": [
        {"type": "text", "text": "x", "start": -2, "length": 1}]}]}})");
    auto result = run_vidgen("validate bad.json --json", dir.path());
    EXPECT_EQ(result.exit_code, 3);
    auto report = boost::json::parse(result.out).as_array();
    ASSERT_EQ(report.size(), 1u);
    auto errors = report[0].at("errors").as_array();
    ASSERT_GE(errors.size(), 2u) << result.out;
    EXPECT_EQ(errors[0].at("pointer").as_string(), "/output/fps");
    EXPECT_EQ(errors[1].at("pointer").as_string(), "/timeline/tracks/0/clips/0/start");
}

TEST(PlanCli, PrintsTheResolvedTimeline) {
    TempDir dir;
    auto spec = kExamples / "slideshow" / "spec.json";
    auto result = run_vidgen("plan " + quote(spec.string()), dir.path());
    ASSERT_EQ(result.exit_code, 0) << result.out;
    auto plan = boost::json::parse(result.out);
    EXPECT_EQ(plan.at("frames").to_number<long>(),
              390);  // 4 × 4 s less 3 × 1 s of crossfade = 13 s at 30 fps
}

TEST(ProbeCli, DescribesAVideo) {
    auto result = run_vidgen("probe " + quote((kExamples / "media" / "city.mp4").string()), kExamples);
    ASSERT_EQ(result.exit_code, 0) << result.out;
    EXPECT_NEAR(boost::json::parse(result.out).at("duration").to_number<double>(), 6.0, 0.05);
}

TEST(ProbeCli, DescribesAStillImage) {
    auto result = run_vidgen("probe " + quote((kExamples / "media" / "photo1.jpg").string()), kExamples);
    ASSERT_EQ(result.exit_code, 0) << result.out;
    auto json = boost::json::parse(result.out);
    EXPECT_EQ(json.at("width").to_number<int>(), 1280);
    EXPECT_EQ(json.at("format").as_string(), "jpeg");
}

TEST(ProbeCli, RefusesAPlaylistDisguisedAsVideo) {
    TempDir dir;
    dir.write("clip.mp4", "#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n");
    auto result = run_vidgen("probe clip.mp4", dir.path());
    EXPECT_EQ(result.exit_code, 4) << result.out;
    EXPECT_EQ(result.out.find("root:"), std::string::npos);
}

}  // namespace
}  // namespace vidgen::testing
