"""Chart PNGs drawn on a shared renderer are the PNGs matplotlib's own savefig makes."""

from __future__ import annotations

import io
from pathlib import Path

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager
from PIL import Image

from kamreport.report import raster
from kamreport.report.html import PNG_OPTIONS, figure_png
from kamreport.report.theme import load_theme


def _figure(values: list[float], title: str) -> Figure:
    fig = Figure(figsize=(6.0, 4.6), dpi=100)  # 4.6 * 100 is 459.99999999999994 in floating point
    ax = fig.add_subplot()
    ax.plot(values, marker="o")
    ax.set_title(title)
    return fig


def _own_canvas_png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, metadata={"Software": None}, pil_kwargs=PNG_OPTIONS)
    return buffer.getvalue()


def test_figures_of_one_size_drawn_in_turn_match_their_own_canvas():
    first = figure_png(_figure([1.0, 3.0, 2.0], "Revenue"))
    second = figure_png(_figure([5.0, 4.0], "Share of wallet"))  # same size: the first one's renderer
    assert Image.open(io.BytesIO(second)).size == (600, 460)
    assert first == _own_canvas_png(_figure([1.0, 3.0, 2.0], "Revenue"))
    assert second == _own_canvas_png(_figure([5.0, 4.0], "Share of wallet"))
    assert first != second


def _labelled(shift: float, rotation: float = 0.0) -> Figure:
    """Latin and Chinese labels at positions that move by a fraction of a pixel with ``shift``."""
    fig = Figure(figsize=(4.0, 2.5), dpi=80)
    ax = fig.add_subplot()
    ax.bar(["2025Q4", "2026Q1", "2026Q2"], [3.0 + shift, 2.0, 4.0], label="营业收入 revenue")
    ax.set_title(f"Revenue ¥{2.5 + shift:.2f}M 华东", loc="left")
    ax.text(0.1 + shift / 97, 0.5 + shift / 89, "Share of wallet 钱包份额", transform=ax.transAxes)
    ax.tick_params(axis="x", rotation=rotation)
    fig.legend(loc="lower center")
    return fig


def test_text_drawn_from_the_layout_and_glyph_caches_is_matplotlibs_own_pixels():
    # the same strings at other subpixel offsets, and rotated ones (drawn by matplotlib's own code)
    with rc_context({"font.family": list(load_theme().chart_fonts)}):
        for shift, rotation in ((0.0, 0.0), (0.37, 0.0), (0.37, 0.0), (1.71, 45.0), (0.013, 0.0)):
            assert figure_png(_labelled(shift, rotation)) == _own_canvas_png(_labelled(shift, rotation))


def test_a_chart_drawn_again_rasterises_no_glyph_again():
    with rc_context({"font.family": list(load_theme().chart_fonts)}):
        figure_png(_labelled(0.5))
        glyphs, layouts = len(raster._GLYPHS), len(raster._LAYOUTS)
        assert glyphs > 20 and layouts > 5
        figure_png(_labelled(0.5))
        assert (len(raster._GLYPHS), len(raster._LAYOUTS)) == (glyphs, layouts)


def test_font_files_looked_up_once_follow_the_font_rcparams():
    # the same font properties ("sans-serif") mean another font when font.sans-serif changes
    prop = FontProperties(family=["sans-serif"], size=9)
    found = []
    for sans in ("DejaVu Sans", "DejaVu Serif", "DejaVu Sans"):
        with rc_context({"font.sans-serif": [sans]}):
            files = raster._font_files(prop, raster._font_rc())
            assert files == fontManager._find_fonts_by_props(prop)
            found.append(Path(files[0]).name)
    assert found == ["DejaVuSans.ttf", "DejaVuSerif.ttf", "DejaVuSans.ttf"]
