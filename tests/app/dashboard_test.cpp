// The web dashboard in a real browser: Debian's chromium, headless, driven over the DevTools protocol,
// against a real `vidgen serve`. Signed in with the key in the URL fragment, the jobs page shows a job
// created afterwards through the API and follows it over the event stream to `done`; the job page plays
// its output; the editor lists a 422's problems at the lines their JSON Pointers name. Any exception or
// console error on the page fails the test.
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <thread>

#include "core/scratch_dir.hpp"
#include "support/http_client.hpp"
#include "support/serve_process.hpp"

namespace vidgen {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kChromium = "/usr/bin/chromium";

// A headless chromium with a private profile, killed when the test ends.
class Browser {
  public:
    explicit Browser(std::filesystem::path dir) : dir_(std::move(dir)) {}
    ~Browser() {
        if (pid_ <= 0) return;
        ::kill(-pid_, SIGKILL);  // chromium and its helper processes: its own process group
        ::waitpid(pid_, nullptr, 0);
    }

    // Starts chromium and returns the DevTools port, or 0 (see log()).
    int start() {
        const std::string profile = "--user-data-dir=" + (dir_ / "profile").string();
        const std::string log = (dir_ / "chromium.log").string();
        pid_ = ::fork();
        if (pid_ == 0) {
            ::setpgid(0, 0);
            int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            ::execl(kChromium, kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--no-default-browser-check", "--disable-extensions", "--mute-audio",
                    "--window-size=1280,900", "--remote-debugging-port=0", profile.c_str(), "about:blank",
                    static_cast<char*>(nullptr));
            ::_exit(127);
        }
        const auto port_file = dir_ / "profile" / "DevToolsActivePort";
        for (auto until = std::chrono::steady_clock::now() + 20s; std::chrono::steady_clock::now() < until;) {
            int port = 0;
            std::ifstream file(port_file);
            if (file >> port && port > 0) return port;
            std::this_thread::sleep_for(50ms);
        }
        return 0;
    }

    std::string log() const {
        std::ifstream file(dir_ / "chromium.log");
        return {std::istreambuf_iterator<char>(file), {}};
    }

  private:
    std::filesystem::path dir_;
    pid_t pid_ = -1;
};

// One page over the DevTools protocol: commands, and the page's exceptions and console errors kept.
class Page {
  public:
    // Connects to the first page target of the browser at `port`; false when there is none.
    bool connect(int port) {
        std::string path;
        for (auto until = std::chrono::steady_clock::now() + 10s;
             path.empty() && std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(50ms)) {
            auto reply = testing::fetch("http://127.0.0.1:" + std::to_string(port) + "/json/list");
            if (reply.status != 200) continue;
            const json::value targets = json::parse(reply.body);
            for (const auto& target : targets.as_array()) {
                if (target.at("type") != "page") continue;
                std::string url(target.at("webSocketDebuggerUrl").as_string());
                path = url.substr(url.find('/', std::string_view("ws://").size()));
            }
        }
        beast::error_code error;
        ws_.next_layer().connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)},
                                 error);
        if (path.empty() || error) return false;
        timeval timeout{.tv_sec = 20, .tv_usec = 0};  // a read never blocks forever on a hung browser
        ::setsockopt(ws_.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        ws_.read_message_max(64 << 20);
        ws_.handshake("127.0.0.1:" + std::to_string(port), path, error);
        return !error && call("Runtime.enable") && call("Log.enable") && call("Page.enable");
    }

    // Sends a command and returns its result (nullopt on an error reply or a broken connection).
    std::optional<json::value> call(std::string_view method, json::object params = {}) {
        const int id = ++last_id_;
        beast::error_code error;
        ws_.write(
            asio::buffer(json::serialize(json::object{{"id", id}, {"method", method}, {"params", params}})),
            error);
        while (!error) {
            beast::flat_buffer buffer;
            ws_.read(buffer, error);
            if (error) break;
            json::value message = json::parse(beast::buffers_to_string(buffer.data()));
            if (!message.as_object().contains("id")) {
                note_event(message.as_object());
            } else if (message.at("id").to_number<int>() == id) {
                if (message.as_object().contains("error")) return std::nullopt;
                return message.at("result");
            }
        }
        ADD_FAILURE() << "DevTools connection lost during " << method << ": " << error.message();
        return std::nullopt;
    }

    // The value of a JavaScript expression (awaited when it is a promise).
    json::value eval(const std::string& expression) {
        auto result = call("Runtime.evaluate",
                           {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}});
        if (!result || result->as_object().contains("exceptionDetails")) return nullptr;
        const auto& value = result->at("result").as_object();
        return value.contains("value") ? value.at("value") : json::value(nullptr);
    }

    // Polls `expression` until it is true; false after `timeout`.
    bool wait_for(const std::string& expression, std::chrono::seconds timeout = 15s) {
        for (auto until = std::chrono::steady_clock::now() + timeout;
             std::chrono::steady_clock::now() < until;) {
            if (eval("!!(" + expression + ")") == json::value(true)) return true;
            std::this_thread::sleep_for(50ms);
        }
        return false;
    }

    std::string text() { return std::string(eval("document.body.innerText").as_string()); }
    const std::vector<std::string>& errors() const { return errors_; }

  private:
    void note_event(const json::object& message) {
        const auto& method = message.at("method");
        const auto& params = message.at("params");
        if (method == "Runtime.exceptionThrown") {
            errors_.push_back("exception: " + json::serialize(params.at("exceptionDetails")));
        } else if (method == "Runtime.consoleAPICalled" && params.at("type") == "error") {
            errors_.push_back("console.error: " + json::serialize(params.at("args")));
        } else if (method == "Log.entryAdded" && params.at("entry").at("level") == "error" &&
                   params.at("entry").at("source") != "network") {  // a 4xx the page expects and shows
            errors_.push_back("log: " + json::serialize(params.at("entry")));
        }
    }

    asio::io_context io_;
    beast::websocket::stream<asio::ip::tcp::socket> ws_{io_};
    int last_id_ = 0;
    std::vector<std::string> errors_;
};

// A job that renders one second of colour at 160×90.
constexpr const char* kOneSecond =
    R"({"spec": {"output": {"width": 160, "height": 90, "fps": 10}, "timeline": {"tracks": [{"clips": [
        {"type": "color", "color": "#3366cc", "start": 0, "length": 1}]}]}}})";

class DashboardTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(std::filesystem::exists(kChromium)) << kChromium << " is missing: run scripts/bootstrap";
        server_ = std::make_unique<testing::ServeProcess>(
            VIDGEN_BINARY, dir_.path() / "data",
            std::vector<std::string>{"--workers", "1", "--rate-limit", "0"});
        ASSERT_TRUE(server_->start()) << server_->log();
        key_ = server_->first_admin_key();
        browser_ = std::make_unique<Browser>(dir_.path());
        int port = browser_->start();
        ASSERT_GT(port, 0) << browser_->log();
        ASSERT_TRUE(page_.connect(port)) << browser_->log();
    }

    void TearDown() override {
        if (page_.errors().empty()) return;
        for (const auto& error : page_.errors()) ADD_FAILURE() << "page error: " << error;
    }

    // Opens the dashboard at `route` ("#/jobs") signed in with the key passed in the fragment.
    void open(const std::string& route) {
        const std::string separator = route.find('?') == std::string::npos ? "?" : "&";
        ASSERT_TRUE(
            page_.call("Page.navigate", {{"url", server_->url() + "/" + route + separator + "key=" + key_}}));
        ASSERT_TRUE(page_.wait_for("document.getElementById('live')?.textContent === 'Live'"))
            << page_.text();
    }

    // POSTs `body` to `path` and returns the new record's id (empty on failure).
    std::string create(const std::string& path, const std::string& body, long status) {
        testing::Call call{.method = "POST",
                           .headers = {"Authorization: Bearer " + key_, "Content-Type: application/json"},
                           .body = body};
        auto reply = testing::fetch(server_->url() + path, call);
        EXPECT_EQ(reply.status, status) << reply.body;
        return reply.status == status ? std::string(json::parse(reply.body).at("id").as_string())
                                      : std::string();
    }

    std::string create_job(const std::string& body) { return create("/api/v1/video/create", body, 202); }

    // Opens the jobs page, waits until it shows the worker, creates a one-second job through the API and
    // gives the expression of its row (empty when the job was not created).
    std::string create_job_on_the_jobs_page() {
        open("#/jobs");
        const bool ready =
            page_.wait_for("document.querySelector('[data-figure=workers] strong')?.textContent === '0 / 1'");
        EXPECT_TRUE(ready) << page_.text();
        const std::string id = ready ? create_job(kOneSecond) : std::string();
        return id.empty() ? std::string() : "document.querySelector('tr[data-job-id=\"" + id + "\"]')";
    }

    // Sets the value of the input `expression` names to `value` and submits its form.
    void submit_value(const std::string& expression, const std::string& value) {
        page_.eval("(() => { const input = " + expression + "; input.value = " +
                   json::serialize(json::value(value)) + "; input.form.requestSubmit(); })()");
    }

    ScratchDir dir_ = *ScratchDir::create("vidgen-dashboard");
    std::unique_ptr<testing::ServeProcess> server_;
    std::unique_ptr<Browser> browser_;
    Page page_;
    std::string key_;
};

TEST_F(DashboardTest, AJobCreatedThroughTheApiAppearsAndReachesDoneLive) {
    const std::string row = create_job_on_the_jobs_page();
    ASSERT_FALSE(row.empty());
    EXPECT_EQ(page_.eval("location.hash"), "#/jobs") << "the key stays in the address bar";
    ASSERT_TRUE(page_.wait_for(row)) << "the new job never appeared: " << page_.text();
    ASSERT_TRUE(page_.wait_for(row + ".dataset.status === 'done'")) << page_.text();
    EXPECT_EQ(page_.eval(row + ".querySelector('progress').value"), json::value(100));
    EXPECT_TRUE(page_.wait_for("document.querySelector('[data-figure=done] strong')?.textContent === '1'"));

    ASSERT_TRUE(page_.eval(row + ".querySelector('a').click(), true") == json::value(true));
    ASSERT_TRUE(page_.wait_for("document.querySelector('video')?.readyState >= 1")) << page_.text();
    EXPECT_NE(page_.text().find("Rendered in"), std::string::npos);
    const auto duration = page_.eval("document.querySelector('video').duration");
    EXPECT_NEAR(duration.to_number<double>(), 1.0, 0.2);
}

// Every answer to GET /api/v1/jobs?… reaches the page two seconds after the server sent it, as on a slow
// network or a loaded machine: a list fetched while the job was queued arrives after the job's later events.
constexpr const char* kSlowJobLists = R"(
    const fetchNow = window.fetch;
    window.fetch = async (...args) => {
      const response = await fetchNow(...args);
      if (String(args[0]).startsWith("/api/v1/jobs?")) await new Promise((done) => setTimeout(done, 2000));
      return response;
    };)";

TEST_F(DashboardTest, AJobsListAnsweredAfterTheJobsEventsNeverShowsAnOlderState) {
    ASSERT_TRUE(page_.call("Page.addScriptToEvaluateOnNewDocument", {{"source", kSlowJobLists}}));
    const std::string row = create_job_on_the_jobs_page();
    ASSERT_FALSE(row.empty());
    ASSERT_TRUE(page_.wait_for(row + "?.dataset.status === 'done'")) << page_.text();
    EXPECT_EQ(page_.eval(row + ".querySelector('progress').value"), json::value(100));
}

TEST_F(DashboardTest, TheEditorShowsEachProblemAtTheLineItsPointerNames) {
    open("#/new");
    ASSERT_TRUE(page_.wait_for("document.getElementById('spec-editor')?.value.length > 0"));
    const std::string spec =
        "{\n  \"spec\": {\n    \"output\": {\"size\": \"720p\"},\n    \"timeline\": {\"tracks\": "
        "[{\"clips\": [\n"
        "      {\"type\": \"color\", \"color\": \"#000000\", \"start\": -2, \"length\": 1}\n    ]}]}\n  }\n}";
    submit_value("document.getElementById('spec-editor')", spec);
    ASSERT_TRUE(page_.wait_for("document.querySelector('#problems li')")) << page_.text();
    const auto problem = page_.eval(
        "[...document.querySelectorAll('#problems li')].map((li) => li.textContent)"
        ".find((text) => text.includes('/spec/timeline/tracks/0/clips/0/start'))");
    ASSERT_TRUE(problem.is_string()) << page_.text();
    EXPECT_NE(problem.as_string().find("line 5"), std::string_view::npos) << problem;
    EXPECT_EQ(page_.eval("location.hash"), "#/new");
}

TEST_F(DashboardTest, SignInRefusesAWrongKeyAndKeepsARightOne) {
    ASSERT_TRUE(page_.call("Page.navigate", {{"url", server_->url() + "/"}}));
    ASSERT_TRUE(page_.wait_for("document.getElementById('api-key')")) << page_.text();
    EXPECT_EQ(page_.eval("getComputedStyle(document.getElementById('nav')).display"), "none");
    submit_value("document.getElementById('api-key')", "vg_not_a_key");
    ASSERT_TRUE(page_.wait_for("document.getElementById('sign-in-error').textContent.includes('not valid')"))
        << page_.text();
    submit_value("document.getElementById('api-key')", key_);
    ASSERT_TRUE(page_.wait_for("document.getElementById('live').textContent === 'Live'")) << page_.text();
    EXPECT_EQ(page_.eval("localStorage.getItem('vidgen.apiKey')"), json::value(key_));
    EXPECT_NE(page_.eval("getComputedStyle(document.getElementById('nav')).display"), "none");
}

TEST_F(DashboardTest, ATemplatePreviewFollowsTheSliderAndAnAssetUploads) {
    const std::string id = create("/api/v1/templates", R"({"name": "Greeting", "spec": {
        "output": {"width": 160, "height": 90}, "timeline": {"background": "#336699", "tracks": [{"clips": [
        {"type": "text", "text": "Hi {{name|there}}", "start": 0, "length": 2}]}]}}})",
                                  201);
    ASSERT_FALSE(id.empty());
    open("#/templates");
    const std::string frame = "document.querySelector('img.frame')";
    ASSERT_TRUE(page_.wait_for(frame + "?.complete && " + frame + ".naturalWidth === 160")) << page_.text();
    const auto first = page_.eval(frame + ".src");
    page_.eval(
        "(() => { const slider = document.getElementById('preview-time'); slider.value = 1.9;"
        " slider.dispatchEvent(new Event('input')); })()");
    ASSERT_TRUE(page_.wait_for(frame + ".src !== " + json::serialize(first) + " && " + frame +
                               ".naturalWidth === 160"))
        << page_.text();

    page_.eval("location.hash = '#/assets'");
    ASSERT_TRUE(page_.wait_for("document.getElementById('asset-file')"));
    auto document = page_.call("DOM.getDocument");
    ASSERT_TRUE(document);
    auto input = page_.call("DOM.querySelector",
                            {{"nodeId", document->at("root").at("nodeId")}, {"selector", "#asset-file"}});
    ASSERT_TRUE(input);
    ASSERT_TRUE(page_.call(
        "DOM.setFileInputFiles",
        {{"nodeId", input->at("nodeId")}, {"files", {VIDGEN_SOURCE_DIR "/examples/media/logo.png"}}}));
    ASSERT_TRUE(page_.wait_for("document.querySelector('.uploads progress')?.value === 1")) << page_.text();
    EXPECT_TRUE(
        page_.wait_for("[...document.querySelectorAll('tr[data-asset-id] a')]"
                       ".some((a) => a.textContent === 'logo.png')"))
        << page_.text();
}

}  // namespace
}  // namespace vidgen
