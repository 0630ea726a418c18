// RAII owners for the Cairo, Pango, GLib and fontconfig objects the text rasteriser uses.
// Each handle owns one reference and releases it exactly once; movable, not copyable.
#pragma once

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <glib-object.h>
#include <pango/pangocairo.h>

#include <memory>

namespace vidgen::render::detail {

struct GObjectUnref {
    void operator()(gpointer object) const { g_object_unref(object); }
};
struct CairoSurfaceDestroy {
    void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct CairoDestroy {
    void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
struct FontDescriptionFree {
    void operator()(PangoFontDescription* desc) const { pango_font_description_free(desc); }
};
struct AttrListUnref {
    void operator()(PangoAttrList* list) const { pango_attr_list_unref(list); }
};
struct FcPatternDestroyer {
    void operator()(FcPattern* pattern) const { FcPatternDestroy(pattern); }
};

template <typename T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoSurfaceDestroy>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDestroy>;
using FontDescriptionPtr = std::unique_ptr<PangoFontDescription, FontDescriptionFree>;
using AttrListPtr = std::unique_ptr<PangoAttrList, AttrListUnref>;
using FcPatternPtr = std::unique_ptr<FcPattern, FcPatternDestroyer>;

}  // namespace vidgen::render::detail
