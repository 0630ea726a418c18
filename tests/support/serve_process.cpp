#include "support/serve_process.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace vidgen::testing {
namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

ServeProcess::ServeProcess(std::filesystem::path binary, std::filesystem::path data_dir,
                           std::vector<std::string> extra, std::string command)
    : binary_(std::move(binary)),
      data_dir_(std::move(data_dir)),
      extra_(std::move(extra)),
      command_(std::move(command)) {
    std::filesystem::create_directories(data_dir_);
}

ServeProcess::~ServeProcess() {
    if (running()) stop(SIGKILL);
}

bool ServeProcess::start() {
    static std::atomic<int> starts = 0;
    log_path_ = data_dir_ / (command_ + "-" + std::to_string(++starts) + ".log");
    std::vector<std::string> args = {binary_.string(), command_,     "--listen",
                                     "127.0.0.1:0",    "--data-dir", data_dir_.string()};
    args.insert(args.end(), extra_.begin(), extra_.end());
    pid_ = ::fork();
    if (pid_ == 0) {
        int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        std::vector<char*> argv;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    static const std::regex kUrl(R"((?:serving at|health and metrics at) (http://127\.0\.0\.1:\d+))");
    for (auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
         std::chrono::steady_clock::now() < until;) {
        std::smatch match;
        auto text = read_file(log_path_);
        if (std::regex_search(text, match, kUrl)) {
            url_ = match[1];
            return true;
        }
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

int ServeProcess::stop(int signal) {
    int status = 0;
    if (pid_ <= 0) return status;
    ::kill(pid_, signal);
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
}

bool ServeProcess::alive() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) pid_ = -1;
    return pid_ > 0;
}

std::string ServeProcess::log() const {
    return read_file(log_path_);
}

std::string ServeProcess::first_admin_key() const {
    auto text = read_file(data_dir_ / "first-admin-key");
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

}  // namespace vidgen::testing
