#include "api/assets_upload.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "api/assets_multipart.hpp"
#include "api/assets_sniff.hpp"

namespace vidgen::api {
namespace {

constexpr std::size_t kChunkBytes = std::size_t{64} << 10;

// A blob being written, whose type is sniffed from its first kSniffBytes bytes.
class UploadSink {
  public:
    explicit UploadSink(std::unique_ptr<blob::BlobWriter> writer) : writer_(std::move(writer)) {}

    Result<void> write(std::string_view bytes) {
        if (head_.size() < kSniffBytes) {
            head_.append(bytes.substr(0, kSniffBytes - head_.size()));
            if (head_.size() == kSniffBytes) {
                if (auto sniffed = sniff(); !sniffed) return sniffed;
            }
        }
        return writer_->write(bytes);
    }

    Result<blob::BlobInfo> commit() {
        if (writer_->bytes_written() == 0) return fail(Code::invalid_argument, "the upload is empty");
        if (auto sniffed = sniff(); !sniffed) return std::unexpected(sniffed.error());
        return writer_->commit(type_->content_type);
    }

  private:
    Result<void> sniff() {
        if (type_) return {};
        type_ = sniff_media_type(head_);
        if (type_) return {};
        writer_->abort();
        return fail(Code::unsupported, "not an image, video, audio or font file vidgen can use");
    }

    std::unique_ptr<blob::BlobWriter> writer_;
    std::string head_;
    std::optional<SniffedType> type_;
};

using ChunkConsumer = std::function<Result<void>(std::string_view)>;

// Hands the body to `consume` chunk by chunk.
Result<void> pump_body(http::Request& request, const ChunkConsumer& consume) {
    if (!request.body_reader) return request.body.empty() ? Result<void>{} : consume(request.body);
    std::vector<char> buffer(kChunkBytes);
    for (;;) {
        auto read = request.body_reader->read(buffer.data(), buffer.size());
        if (!read) return std::unexpected(read.error());
        if (*read == 0) return {};
        if (auto ok = consume(std::string_view(buffer.data(), *read)); !ok) return ok;
    }
}

std::string base_name(std::string_view filename) {
    std::size_t slash = filename.find_last_of("/\\");
    return std::string(slash == std::string_view::npos ? filename : filename.substr(slash + 1));
}

// The callbacks of a multipart body whose one file part goes to `sink`; other fields are skipped.
struct FormState {
    UploadSink& sink;
    bool in_file = false;
    bool saw_file = false;
    std::string filename;

    PartCallbacks callbacks() {
        return {
            .begin = [this](const PartHeaders& part) -> Result<void> {
                if (part.filename.empty() && part.name != "file") return {};
                if (saw_file) return fail(Code::invalid_argument, "send one file per upload");
                saw_file = in_file = true;
                filename = base_name(part.filename);
                return {};
            },
            .data = [this](std::string_view bytes) { return in_file ? sink.write(bytes) : Result<void>{}; },
            .end = [this]() -> Result<void> {
                in_file = false;
                return {};
            }};
    }
};

Result<std::string> receive_form(http::Request& request, const std::string& boundary, UploadSink& sink) {
    if (boundary.empty())
        return fail(Code::invalid_argument, "the multipart Content-Type names no valid boundary");
    FormState state{.sink = sink};
    MultipartParser parser(boundary, state.callbacks());
    if (auto ok = pump_body(request, [&](std::string_view chunk) { return parser.feed(chunk); }); !ok)
        return std::unexpected(ok.error());
    if (auto ok = parser.finish(); !ok) return std::unexpected(ok.error());
    if (!state.saw_file) return fail(Code::invalid_argument, "the form has no file part");
    return state.filename;
}

}  // namespace

Result<ReceivedUpload> receive_upload(http::Request& request, blob::BlobStore& blobs,
                                      std::uint64_t max_bytes) {
    auto writer = blobs.begin_put(max_bytes);
    if (!writer) return std::unexpected(writer.error());
    UploadSink sink(std::move(*writer));
    ReceivedUpload upload;
    auto boundary = multipart_boundary(request.headers.get("Content-Type").value_or(""));
    if (boundary) {
        auto filename = receive_form(request, *boundary, sink);
        if (!filename) return std::unexpected(filename.error());
        upload.filename = std::move(*filename);
    } else if (auto ok = pump_body(request, [&](std::string_view chunk) { return sink.write(chunk); }); !ok) {
        return std::unexpected(ok.error());
    }
    auto stored = sink.commit();
    if (!stored) return std::unexpected(stored.error());
    upload.blob = std::move(*stored);
    return upload;
}

}  // namespace vidgen::api
