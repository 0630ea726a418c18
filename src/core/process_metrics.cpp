// Process figures for /metrics, read from Linux's /proc at each scrape.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/metrics.hpp"

namespace vidgen {
namespace {

struct ProcStat {
    double cpu_seconds = 0;
    double threads = 0;
    double start_ticks = 0;  // since boot
    double virtual_bytes = 0;
    double resident_bytes = 0;
};

// /proc/self/stat: the fields after the command name (which may hold spaces) are space separated.
ProcStat read_proc_stat() {
    std::ifstream file("/proc/self/stat");
    std::string text((std::istreambuf_iterator<char>(file)), {});
    ProcStat stat;
    auto close = text.rfind(')');
    if (close == std::string::npos) return stat;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
    double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
    // Field numbers as in proc(5), counting the state (3) as the first after the name.
    for (int number = 3; fields >> field; ++number) {
        double value = std::strtod(field.c_str(), nullptr);
        if (number == 14 || number == 15) stat.cpu_seconds += value / ticks;
        if (number == 20) stat.threads = value;
        if (number == 22) stat.start_ticks = value / ticks;
        if (number == 23) stat.virtual_bytes = value;
        if (number == 24) stat.resident_bytes = value * page;
    }
    return stat;
}

double boot_time_seconds() {
    std::ifstream file("/proc/stat");
    std::string key;
    double value = 0;
    while (file >> key) {
        if (key == "btime" && file >> value) return value;
        file.ignore(1 << 20, '\n');
    }
    return 0;
}

double open_fds() {
    std::error_code error;
    double count = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end;
         it.increment(error)) {
        ++count;
    }
    return count;
}

}  // namespace

void register_process_metrics(MetricsRegistry& registry) {
    auto& resident =
        registry.gauge("process_resident_memory_bytes", "Resident memory size in bytes.").with({});
    auto& virt = registry.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.").with({});
    auto& cpu =
        registry.counter("process_cpu_seconds_total", "User and system CPU time spent in seconds.").with({});
    auto& fds = registry.gauge("process_open_fds", "Number of open file descriptors.").with({});
    auto& threads = registry.gauge("process_threads", "Number of OS threads in the process.").with({});
    auto& start =
        registry.gauge("process_start_time_seconds", "Start time of the process since unix epoch.").with({});
    start.set(boot_time_seconds() + read_proc_stat().start_ticks);
    registry.add_collector([&resident, &virt, &cpu, &fds, &threads] {
        auto stat = read_proc_stat();
        cpu.add(std::max(0.0, stat.cpu_seconds - cpu.value()));
        resident.set(stat.resident_bytes);
        virt.set(stat.virtual_bytes);
        threads.set(stat.threads);
        fds.set(open_fds());
    });
}

}  // namespace vidgen
