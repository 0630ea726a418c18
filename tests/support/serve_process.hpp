// A `vidgen serve` (or `vidgen worker`) child process for tests: started on 127.0.0.1 with a free port and
// the given data dir, its stdout and stderr kept in a log file, stopped with a signal of the test's choosing
// (SIGKILL for crash tests). Owned by one test thread.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace vidgen::testing {

class ServeProcess {
  public:
    // `binary` is the vidgen executable; `extra` are more flags for `vidgen COMMAND`, where `command` is
    // "serve" or "worker".
    ServeProcess(std::filesystem::path binary, std::filesystem::path data_dir,
                 std::vector<std::string> extra = {}, std::string command = "serve");
    ~ServeProcess();  // SIGKILL if still running
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    // Starts the process and waits (up to 30 s) until it prints its URL (the API's, or a worker's /health
    // and /metrics). False on failure; log() tells why.
    bool start();
    // Sends `signal` and waits for the exit; returns the exit status as waitpid reports it.
    int stop(int signal);
    bool running() const { return pid_ > 0; }
    // Whether the process is still there: false once it has exited by itself (then running() is too).
    bool alive();

    const std::string& url() const { return url_; }  // "http://127.0.0.1:PORT"
    std::string log() const;
    // The admin key the first start wrote into the data dir.
    std::string first_admin_key() const;

  private:
    std::filesystem::path binary_;
    std::filesystem::path data_dir_;
    std::vector<std::string> extra_;
    std::string command_;
    std::filesystem::path log_path_;
    pid_t pid_ = -1;
    std::string url_;
};

}  // namespace vidgen::testing
