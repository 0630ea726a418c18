#include "media/detail/audio_chunker.hpp"

#include <algorithm>
#include <cstring>

namespace vidgen::media::detail {

AudioChunker::AudioChunker(const AVCodecContext* codec, std::int64_t pts_offset)
    : codec_(codec),
      frame_size_(codec->frame_size > 0 ? codec->frame_size : 1024),
      samples_out_(pts_offset) {}

void AudioChunker::append(std::span<const float> interleaved) {
    pending_.insert(pending_.end(), interleaved.begin(), interleaved.end() - interleaved.size() % 2);
    samples_in_ += std::int64_t(interleaved.size() / 2);
}

void AudioChunker::pad_to(std::int64_t total_samples) {
    if (total_samples <= samples_in_) return;
    pending_.resize(pending_.size() + std::size_t(total_samples - samples_in_) * 2, 0.0f);
    samples_in_ = total_samples;
}

void AudioChunker::consume(std::size_t floats) {
    read_ += floats;
    if (read_ * 2 >= pending_.size()) {
        pending_.erase(pending_.begin(), pending_.begin() + std::ptrdiff_t(read_));
        read_ = 0;
    }
}

Result<AVFrame*> AudioChunker::next(bool final) {
    const int available = int(std::min<std::size_t>((pending_.size() - read_) / 2, std::size_t(frame_size_)));
    if (available == 0 || (available < frame_size_ && !final)) return nullptr;
    const bool small_last = codec_->codec->capabilities & AV_CODEC_CAP_SMALL_LAST_FRAME;
    const int samples = small_last ? available : frame_size_;
    av_frame_unref(frame_.get());
    frame_->nb_samples = samples;
    frame_->format = codec_->sample_fmt;
    frame_->sample_rate = codec_->sample_rate;
    av_channel_layout_copy(&frame_->ch_layout, &codec_->ch_layout);
    if (int err = av_frame_get_buffer(frame_.get(), 0); err < 0) {
        return fail(Code::internal, "audio frame: " + av_error_text(err));
    }
    av_samples_set_silence(frame_->extended_data, 0, samples, 2, codec_->sample_fmt);
    const float* src = pending_.data() + read_;
    if (codec_->sample_fmt == AV_SAMPLE_FMT_FLTP) {
        auto* left = reinterpret_cast<float*>(frame_->extended_data[0]);
        auto* right = reinterpret_cast<float*>(frame_->extended_data[1]);
        for (std::size_t i = 0; i < std::size_t(available); ++i) {
            left[i] = src[2 * i];
            right[i] = src[2 * i + 1];
        }
    } else {
        std::memcpy(frame_->extended_data[0], src, std::size_t(available) * 2 * sizeof(float));
    }
    consume(std::size_t(available) * 2);
    frame_->pts = samples_out_;
    samples_out_ += samples;
    return frame_.get();
}

}  // namespace vidgen::media::detail
