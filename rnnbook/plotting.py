"""One look for every figure in the book."""

import matplotlib as mpl

BOOK_STYLE = {
    "figure.figsize": (6.4, 3.6),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.frameon": False,
    "font.size": 10,
    "image.cmap": "viridis",
}


def use_book_style():
    """Apply the book's matplotlib settings (PNG-friendly, light grid, no top/right spines)."""
    mpl.rcParams.update(BOOK_STYLE)
