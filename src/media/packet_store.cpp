#include "media/detail/packet_store.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace vidgen::media::detail {
namespace {

std::unexpected<Error> io_error(std::string_view what) {
    return fail(Code::io, fmt::format("packet store: {}: {}", what, std::strerror(errno)));
}

// An unlinked file in `dir`: O_TMPFILE where the file system has it, else mkstemp and unlink.
Result<UniqueFd> temporary_file(const std::filesystem::path& dir) {
    UniqueFd fd(::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
    if (fd) return fd;
    std::string pattern = (dir / "vidgen-packets-XXXXXX").string();
    fd.reset(::mkostemp(pattern.data(), O_CLOEXEC));
    if (!fd) return io_error("cannot make a temporary file in " + dir.string());
    ::unlink(pattern.c_str());
    return fd;
}

}  // namespace

PacketStore::PacketStore(std::size_t memory_bound, std::filesystem::path dir)
    : memory_bound_(memory_bound), dir_(std::move(dir)) {}

Result<void> PacketStore::open_file() {
    auto dir = dir_;
    if (dir.empty()) {
        std::error_code ec;
        dir = std::filesystem::temp_directory_path(ec);
        if (ec) return fail(Code::io, "packet store: no temporary folder: " + ec.message());
    }
    auto fd = temporary_file(dir);
    if (!fd) return std::unexpected(fd.error());
    file_ = std::move(*fd);
    return {};
}

Result<void> PacketStore::write_payload(const AVPacket& packet) {
    if (!file_)
        if (auto opened = open_file(); !opened) return opened;
    std::size_t done = 0;
    while (done < std::size_t(packet.size)) {
        const ssize_t n =
            ::pwrite(file_.get(), packet.data + done, std::size_t(packet.size) - done, file_size_ + done);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) errno = ENOSPC;
        if (n <= 0) return io_error("cannot write the temporary file");
        done += std::size_t(n);
    }
    return {};
}

Result<void> PacketStore::append(const AVPacket& packet) {
    PacketInfo info{packet.pts, packet.dts, packet.duration, packet.flags, packet.size, 0};
    const bool fits = !spilled() && memory_bytes_ + std::size_t(packet.size) <= memory_bound_;
    if (fits) {
        PacketPtr kept = make_packet();
        if (!kept || av_packet_ref(kept.get(), &packet) < 0) return fail(Code::internal, "out of memory");
        in_memory_.push_back(std::move(kept));
        memory_bytes_ += std::size_t(packet.size);
    } else {
        if (auto written = write_payload(packet); !written) return written;
        info.offset = file_size_;
        file_size_ += packet.size;
    }
    infos_.push_back(info);
    return {};
}

Result<PacketPtr> PacketStore::read(std::size_t index) const {
    PacketPtr packet = make_packet();
    if (!packet) return fail(Code::internal, "out of memory");
    if (index < in_memory_.size()) {
        if (av_packet_ref(packet.get(), in_memory_[index].get()) < 0)
            return fail(Code::internal, "out of memory");
        return packet;
    }
    const PacketInfo& info = infos_[index];
    if (av_new_packet(packet.get(), info.size) < 0) return fail(Code::internal, "out of memory");
    std::size_t done = 0;
    while (done < std::size_t(info.size)) {
        const ssize_t n =
            ::pread(file_.get(), packet->data + done, std::size_t(info.size) - done, info.offset + done);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) errno = EIO;
        if (n <= 0) return io_error("cannot read the temporary file");
        done += std::size_t(n);
    }
    packet->pts = info.pts;
    packet->dts = info.dts;
    packet->duration = info.duration;
    packet->flags = info.flags;
    return packet;
}

}  // namespace vidgen::media::detail
