// The H.264 CABAC arithmetic encoder (9.3.4): context states, regular and terminate bins, flush.
// Internal to the media module. Writes into a caller's BitWriter, which must be byte aligned at the
// start (cabac_alignment_one_bit done). Not shared between threads.
#pragma once

#include <cstdint>

#include "media/detail/h264_bits.hpp"

namespace vidgen::media::detail {

// One context variable (9.3.1.1): a probability state and its most probable symbol.
struct CabacContext {
    int state = 0;  // pStateIdx, 0..63
    int mps = 0;    // valMPS
    // Initialised from a (m, n) pair of tables 9-12 to 9-33 at a slice QP.
    static CabacContext init(int m, int n, int slice_qp);
};

class CabacWriter {
  public:
    explicit CabacWriter(BitWriter& out) : out_(out) {}
    void decision(CabacContext& context, int bin);  // EncodeDecision
    void terminate(int bin);                        // EncodeTerminate; 1 flushes (the last bit is a 1)

  private:
    void renormalise();
    void put_bit(int b);
    BitWriter& out_;
    std::uint32_t low_ = 0;
    std::uint32_t range_ = 510;
    bool first_bit_ = true;
    int outstanding_ = 0;
};

}  // namespace vidgen::media::detail
