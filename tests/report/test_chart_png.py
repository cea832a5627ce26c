"""Chart PNGs drawn on a shared renderer are the PNGs matplotlib's own savefig makes."""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from kamreport.report.html import PNG_OPTIONS, figure_png


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
