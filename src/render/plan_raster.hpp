// Pre-rasterised content of a planned clip. Static text and shapes keep their pixels for the whole
// render; a planned image keeps them only while the render needs them: an ImageSlot decodes its image
// when first drawn (or ahead of time, see keep_images_for) and drops it once the render is past every clip
// that draws it, so a slideshow holds one or two decoded images instead of all of them.
// Raster is immutable; ImageSlot is thread-safe (a second caller waits for the first one's decode).
#pragma once

#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "media/bitmap.hpp"

namespace vidgen::render {

using Pixels = std::shared_ptr<const media::Bitmap>;

// One image at one size, shared by the clips that draw it, with the spans of the timeline they cover.
class ImageSlot {
  public:
    using Load = std::function<Result<media::Bitmap>()>;

    ImageSlot(std::string key, Load load) : key_(std::move(key)), load_(std::move(load)) {}
    ~ImageSlot();  // waits for a decode in flight
    ImageSlot(const ImageSlot&) = delete;
    ImageSlot& operator=(const ImageSlot&) = delete;

    const std::string& key() const { return key_; }
    // Planning only (ImageSlots calls it under its lock): a clip draws it over [start, end).
    void add_span(double start, double end) { spans_.push_back({start, end}); }
    // Whether a span ends after `from` and starts before `from + lead`.
    bool needed(double from, double lead) const;

    // The pixels, decoded now unless they are held or being decoded (then waits for them).
    Result<Pixels> get();
    // Starts decoding in the background unless the pixels are held or being decoded.
    void prefetch();
    // Forgets the pixels; callers that got them keep theirs.
    void drop();
    // Whether the pixels are held or being decoded.
    bool held() const;

  private:
    using Shared = std::shared_future<Result<Pixels>>;
    Shared start_locked();  // mutex_ held

    struct Span {
        double start = 0, end = 0;
    };
    const std::string key_;
    const Load load_;
    std::vector<Span> spans_;
    mutable std::mutex mutex_;
    Shared pixels_;  // guarded by mutex_; empty when not held
};

// The image slots of one plan, one per image file and size. Thread-safe (clips are planned in parallel).
class ImageSlots {
  public:
    // The slot under `key` (made with `load` the first time the key is asked for), drawn over [start, end).
    std::shared_ptr<ImageSlot> slot(const std::string& key, ImageSlot::Load load, double start, double end);
    std::vector<std::shared_ptr<ImageSlot>> all() const;

  private:
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<ImageSlot>> slots_;
};

class Raster {
  public:
    Raster() = default;
    // Pixels kept as long as the raster; `identity` tells them apart in frame signatures.
    Raster(Pixels pixels, std::uint64_t identity) : pixels_(std::move(pixels)), identity_(identity) {}
    // An image decoded on demand.
    explicit Raster(std::shared_ptr<ImageSlot> slot);
    // Static text or shape pixels (identity: a hash of the pixels).
    static Raster of(Pixels pixels);

    explicit operator bool() const { return pixels_ || slot_; }
    // The pixels; an image whose pixels were dropped is decoded again (its errors come from decoding).
    Result<Pixels> get() const;
    // Equal for equal pixels: a hash of them, or of the image's file and size.
    std::uint64_t identity() const { return identity_; }

  private:
    Pixels pixels_;
    std::shared_ptr<ImageSlot> slot_;
    std::uint64_t identity_ = 0;
};

}  // namespace vidgen::render
