// PacketStore: the packets of one encoded stream, in order. Payloads stay in memory up to a bound; beyond
// it they go to an unlinked temporary file (in TMPDIR or /tmp unless given), and only each packet's
// timestamps, flags, offset and size stay in memory. Internal to the media module. Appending is
// single-threaded; once a store is complete, any number of threads may read it at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/error.hpp"
#include "core/unique_fd.hpp"
#include "media/detail/av.hpp"

namespace vidgen::media::detail {

// What a store keeps in memory for every packet.
struct PacketInfo {
    std::int64_t pts = 0;
    std::int64_t dts = 0;
    std::int64_t duration = 0;
    int flags = 0;
    int size = 0;
    std::int64_t offset = 0;  // in the file; packets before the first spilled one are in memory
};

class PacketStore {
  public:
    static constexpr std::size_t kMemoryBound = std::size_t(16) << 20;  // payload bytes kept in memory

    // `dir`: where the temporary file goes (empty: TMPDIR, else /tmp).
    explicit PacketStore(std::size_t memory_bound = kMemoryBound, std::filesystem::path dir = {});
    PacketStore(PacketStore&&) noexcept = default;
    PacketStore& operator=(PacketStore&&) noexcept = default;

    // Keeps `packet`'s payload, timestamps, duration and flags (a reference when it stays in memory).
    // A temporary file that cannot be made or written is Code::io; the store is then unchanged.
    Result<void> append(const AVPacket& packet);
    std::size_t size() const { return infos_.size(); }
    bool empty() const { return infos_.empty(); }
    const PacketInfo& info(std::size_t index) const { return infos_[index]; }
    // Packet `index` (< size()) with its payload; Code::io when the file cannot be read.
    Result<PacketPtr> read(std::size_t index) const;
    bool spilled() const { return infos_.size() > in_memory_.size(); }

  private:
    Result<void> open_file();
    Result<void> write_payload(const AVPacket& packet);

    std::size_t memory_bound_;
    std::filesystem::path dir_;
    std::size_t memory_bytes_ = 0;
    std::vector<PacketInfo> infos_;
    std::vector<PacketPtr> in_memory_;  // the first packets, while their payloads fit the bound
    UniqueFd file_;
    std::int64_t file_size_ = 0;
};

}  // namespace vidgen::media::detail
