#include "store/detail/record_codec.hpp"

#include <charconv>

namespace vidgen::store::detail {
namespace {

class Writer {
  public:
    Writer& operator<<(std::string_view text) {
        out_ += std::to_string(text.size());
        out_ += ':';
        out_ += text;
        return *this;
    }
    Writer& operator<<(std::int64_t number) {
        out_ += std::to_string(number);
        out_ += ';';
        return *this;
    }
    std::string take() { return std::move(out_); }

  private:
    std::string out_;
};

class Reader {
  public:
    explicit Reader(std::string_view in) : in_(in) {}
    Reader& operator>>(std::string& text) {
        std::size_t size = 0;
        if (!number_until(':', size) || size > in_.size()) return failed();
        text.assign(in_.substr(0, size));
        in_.remove_prefix(size);
        return *this;
    }
    Reader& operator>>(std::int64_t& number) {
        if (!number_until(';', number)) return failed();
        return *this;
    }
    Reader& operator>>(int& number) {
        std::int64_t wide = 0;
        *this >> wide;
        number = static_cast<int>(wide);
        return *this;
    }
    bool complete() const { return ok_ && in_.empty(); }

  private:
    template <typename N>
    bool number_until(char end, N& number) {
        if (!ok_) return false;
        auto stop = in_.find(end);
        if (stop == std::string_view::npos) return false;
        auto [next, error] = std::from_chars(in_.data(), in_.data() + stop, number);
        if (error != std::errc() || next != in_.data() + stop) return false;
        in_.remove_prefix(stop + 1);
        return true;
    }
    Reader& failed() {
        ok_ = false;
        return *this;
    }
    std::string_view in_;
    bool ok_ = true;
};

}  // namespace

std::string encode(const Tenant& t) {
    return (Writer() << "tenant" << t.id << t.name << t.created).take();
}

std::string encode(const Template& t) {
    return (Writer() << "template" << t.id << t.tenant_id << std::int64_t(t.version) << t.name << t.spec_json
                     << t.created << t.deleted)
        .take();
}

std::string encode(const Asset& a) {
    return (Writer() << "asset" << a.id << a.tenant_id << a.content_key << a.size << a.content_type << a.name
                     << a.created)
        .take();
}

bool decode(std::string_view bytes, Tenant& t) {
    std::string kind;
    Reader in(bytes);
    in >> kind >> t.id >> t.name >> t.created;
    return in.complete() && kind == "tenant";
}

bool decode(std::string_view bytes, Template& t) {
    std::string kind;
    Reader in(bytes);
    in >> kind >> t.id >> t.tenant_id >> t.version >> t.name >> t.spec_json >> t.created >> t.deleted;
    return in.complete() && kind == "template";
}

bool decode(std::string_view bytes, Asset& a) {
    std::string kind;
    Reader in(bytes);
    in >> kind >> a.id >> a.tenant_id >> a.content_key >> a.size >> a.content_type >> a.name >> a.created;
    return in.complete() && kind == "asset";
}

}  // namespace vidgen::store::detail
