"""Charts to pixels: one Agg renderer per figure size, each string laid out and each glyph rasterised once.

matplotlib 3.11's Agg renderer lays out every string it draws (HarfBuzz shaping through
the fallback font list, about 0.6 ms a label) and rasterises it glyph by glyph, setting
the font's size before each glyph, which makes FreeType's auto-hinter measure the font
again (about 0.08 ms a glyph).  Text is most of a plan chart's drawing time, and the same
labels, digits and letters come back in every chart of every plan of a render worker.

:class:`TextCacheRenderer` draws the very same pixels from two caches:

* a string's layout, by (font, string, size, resolution, hinting, features, language);
* a glyph's bitmap, by (font, size, resolution, glyph, hinting, render mode) and the
  fractional part of its position in FreeType's 1/64 pixel units.  The glyph's outline is
  moved by whole pixels otherwise, which moves its bitmap by as many pixels and changes
  none of them.

It also answers two questions matplotlib asks for every text it measures, from caches keyed
as matplotlib keys its own font look-up (the font properties and the font rcParams): which
font files a font property means (``FontManager._find_fonts_by_props``: a ``findfont`` per
family of the fallback list) and that font's line height metrics (``Text._get_layout`` reads
two of the font's tables for every label, unless the renderer has
``_get_font_height_metrics``, as matplotlib's PDF and PostScript renderers do).  A report's
constrained-layout charts measure their tick labels many times over: this was about a tenth
of a report's drawing.

Only horizontal plain text goes through the caches (a rotated label's position mixes
cosines into the subpixel offsets); anything else is drawn by matplotlib's own code.
``tests/report/test_chart_png.py`` compares charts drawn through the caches byte for byte
with matplotlib's own renderer (and every chart of the demo pack was compared so, in English
and Chinese, when this was written).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
    from matplotlib.figure import Figure

# Bounds on the caches (entries); past them a cache starts again empty.  The demo's 131 plans
# left 217 layouts and 1,056 glyphs (0.7 MiB, tracemalloc): the bounds hold a kernel's caches
# under about 15 MiB whatever it renders.
MAX_LAYOUTS = 5_000
MAX_GLYPHS = 20_000
_IDENTITY = np.array([[0x10000, 0], [0, 0x10000]])
_LAYOUTS: dict[tuple[Any, ...], list[tuple[Any, int, float, float]]] = {}
_GLYPHS: dict[tuple[Any, ...], tuple[np.ndarray, int, int]] = {}
# font files and line metrics by (font manager, font rcParams, font properties[, dpi])
_FONT_FILES: dict[tuple[Any, ...], Any] = {}
_HEIGHTS: dict[tuple[Any, ...], tuple[float | None, float | None, float | None]] = {}
_FONT_RCS: dict[tuple[Any, ...], int] = {}  # the font rcParams seen, numbered
# the rcParams matplotlib's findfont keys its own cache on
_FONT_RC = tuple(
    f"font.{key}"
    for key in (
        *("family", "style", "variant", "weight", "stretch", "size"),
        *("serif", "sans-serif", "cursive", "fantasy", "monospace"),
    )
)
# Agg renderers by (width, height, dpi) of the figures they draw (see shared_canvas)
_RENDERERS: dict[tuple[int, int, float], RendererAgg] = {}


def shared_canvas(fig: Figure) -> None:
    """Give ``fig`` an Agg canvas whose renderer is shared by the figures of its size and resolution.

    Agg clears its renderer before each draw, so a shared one draws what a new one would;
    matplotlib keeps its cache of text sizes per renderer, and the new canvas ``savefig``
    makes for each figure measured every label of every chart afresh.  A figure that already
    has an Agg canvas keeps it.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        _shared_canvas_class()(fig)


@cache
def _shared_canvas_class() -> type[FigureCanvasAgg]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer_class = _renderer_class()

    class SharedCanvas(FigureCanvasAgg):
        """An Agg canvas drawing on the shared renderer of its figure's size and resolution."""

        def get_renderer(self) -> RendererAgg:
            width, height = self.get_width_height(physical=True)  # whole pixels, as Agg's own canvas
            key = (width, height, float(self.figure.dpi))
            renderer = _RENDERERS.get(key)
            if renderer is None:
                renderer = _RENDERERS[key] = renderer_class(width, height, self.figure.dpi)
            renderer.font_rc = _font_rc()  # type: ignore[attr-defined]  # every draw asks for the renderer first
            self.renderer = renderer
            return renderer

    return SharedCanvas


@cache
def _renderer_class() -> type[RendererAgg]:
    from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
    from matplotlib.font_manager import get_font
    from matplotlib.ft2font import RenderMode

    class TextCacheRenderer(RendererAgg):
        """matplotlib's Agg renderer, drawing horizontal text from the layout and glyph caches.

        ``font_rc``: the font rcParams (:func:`_font_rc`) as they were when this draw asked for
        the renderer (every draw does, through the shared canvas).
        """

        font_rc = -1  # not known: look them up at each question

        def _rc(self) -> int:
            return self.font_rc if self.font_rc >= 0 else _font_rc()

        def _prepare_font(self, font_prop: Any) -> Any:
            # RendererAgg._prepare_font with the font files from the cache
            font = get_font(_font_files(font_prop, self._rc()))
            font.clear()
            font.set_size(font_prop.get_size_in_points(), self.dpi)
            return font

        def _get_font_height_metrics(self, prop: Any) -> tuple[float | None, float | None, float | None]:
            """(ascent, descent, line gap) in pixels of the first font of ``prop``, as ``Text._get_layout`` reads them.

            Agg measures text at the renderer's resolution, which is its figure's.
            """
            key = (*_font_key(prop, self._rc()), self.dpi)
            metrics = _HEIGHTS.get(key)
            if metrics is None:
                if len(_HEIGHTS) >= MAX_LAYOUTS:
                    _HEIGHTS.clear()
                metrics = _HEIGHTS[key] = _height_metrics(get_font(_font_files(prop, self._rc())), prop, self.dpi)
            return metrics

        def draw_text(
            self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float, ismath: Any = False, mtext: Any = None
        ) -> None:
            if ismath or angle != 0:
                super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)  # type: ignore[no-untyped-call]
                return
            font = self._prepare_font(prop)
            size = prop.get_size_in_points()
            flags = get_hinting_flag()  # type: ignore[no-untyped-call]
            features = mtext.get_fontfeatures() if mtext is not None else None
            language = mtext.get_language() if mtext is not None else None
            key = (font, s, size, self.dpi, flags, _hashable(features), _hashable(language))
            items = _LAYOUTS.get(key)
            if items is None:
                laid = font._layout(s, flags=flags, features=features, language=language)
                items = [(item.ft_object, item.glyph_index, item.x, item.y) for item in laid]
                if len(_LAYOUTS) >= MAX_LAYOUTS:
                    _LAYOUTS.clear()
                _LAYOUTS[key] = items
            mode = RenderMode.NORMAL if gc.get_antialiased() else RenderMode.MONO
            height = self.height
            draw = self._renderer.draw_text_image
            for ft_object, glyph, dx, dy in items:
                # matplotlib's own arithmetic for an unrotated glyph, in 1/64 pixel
                tx = round(0x40 * (x + dx))
                ty = round(0x40 * (height - y + dy))
                glyph_key = (ft_object, size, self.dpi, glyph, flags, mode, tx & 63, ty & 63)
                cached = _GLYPHS.get(glyph_key)
                if cached is None:
                    cached = _render(ft_object, size, self.dpi, glyph, flags, mode, tx & 63, ty & 63)
                    if len(_GLYPHS) >= MAX_GLYPHS:
                        _GLYPHS.clear()
                    _GLYPHS[glyph_key] = cached
                buffer, left, top = cached
                draw(buffer, left + (tx >> 6), int(height) - (top + (ty >> 6)) + buffer.shape[0], 0, gc)

    def _render(
        ft_object: Any, size: float, dpi: float, glyph: int, flags: Any, mode: Any, fx: int, fy: int
    ) -> tuple[np.ndarray, int, int]:
        """The glyph's bitmap at subpixel offset (fx, fy), with its left and top at that offset."""
        ft_object.set_size(size, dpi)
        ft_object._set_transform(_IDENTITY, [fx, fy])
        bitmap = ft_object._render_glyph(glyph, flags, mode)
        buffer = np.array(bitmap.buffer, copy=True)
        if mode == RenderMode.MONO:
            buffer *= 0xFF
        return buffer, bitmap.left, bitmap.top

    return TextCacheRenderer


def _font_rc() -> int:
    """A number for the font manager and the font rcParams matplotlib's ``findfont`` keys its cache on."""
    import matplotlib as mpl
    from matplotlib import font_manager

    rc = (font_manager.fontManager, *(_hashable(mpl.rcParams[name]) for name in _FONT_RC))  # type: ignore[index]
    return _FONT_RCS.setdefault(rc, len(_FONT_RCS))


def _font_key(prop: Any, rc: int) -> tuple[Any, ...]:
    """What matplotlib's font look-up depends on: the font rcParams (:func:`_font_rc`) and the properties."""
    return (rc, *prop.__dict__.values())


def _font_files(prop: Any, rc: int) -> Any:
    """``fontManager._find_fonts_by_props(prop)``, looked up once per properties and font rcParams ``rc``."""
    from matplotlib import font_manager

    key = _font_key(prop, rc)
    files = _FONT_FILES.get(key)
    if files is None:
        if len(_FONT_FILES) >= MAX_LAYOUTS:
            _FONT_FILES.clear()
        files = _FONT_FILES[key] = font_manager.fontManager._find_fonts_by_props(prop)
    return files


def _height_metrics(font: Any, prop: Any, dpi: float) -> tuple[float | None, float | None, float | None]:
    """The font's (ascent, descent, line gap) at ``prop``'s size and ``dpi``: matplotlib's ``Text._get_layout``."""
    for table_name, gap_key, ascent_key, descent_key in (
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * dpi / 72
        return table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale
    return None, None, None  # matplotlib measures the text instead


def _hashable(value: object) -> object:
    """Font features and language as a dictionary key (lists become tuples)."""
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    return value
