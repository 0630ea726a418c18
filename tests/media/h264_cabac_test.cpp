#include "media/detail/h264_cabac.hpp"

#include <gtest/gtest.h>

namespace vidgen::media::detail {
namespace {

TEST(H264Cabac, ContextsStartFromTheirInitialisationPair) {
    // mb_skip_flag's ctxIdx 11 (m 23, n 33): an MPS of 1 at QP 26, of 0 at QP 0; QPs beyond 51 clip.
    EXPECT_EQ(CabacContext::init(23, 33, 26).state, 6);
    EXPECT_EQ(CabacContext::init(23, 33, 26).mps, 1);
    EXPECT_EQ(CabacContext::init(23, 33, 0).state, 30);
    EXPECT_EQ(CabacContext::init(23, 33, 0).mps, 0);
    EXPECT_EQ(CabacContext::init(23, 33, 60).state, CabacContext::init(23, 33, 51).state);
    EXPECT_EQ(CabacContext::init(0, 127, 26).state, 62);  // preCtxState clips to 126
    EXPECT_EQ(CabacContext::init(0, -5, 26).state, 62);   // and to 1
    EXPECT_EQ(CabacContext::init(0, -5, 26).mps, 0);
}

TEST(H264Cabac, FlushAfterTheLastBinEndsWithTheStopBit) {
    // Worked through 9.3.4.5 by hand: a terminate bin of 1 from the initial state leaves low 0 after seven
    // outstanding bits, so the output is 1111111, then 0 and 1 from the flush: 0xFE 0x80 once aligned.
    BitWriter out;
    CabacWriter cabac(out);
    cabac.terminate(1);
    out.align_zero();
    EXPECT_EQ(out.bytes(), (std::vector<std::uint8_t>{0xFE, 0x80}));
}

}  // namespace
}  // namespace vidgen::media::detail
