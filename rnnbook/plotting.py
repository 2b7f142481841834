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


def decision_regions(ax, predict, x, y, *, padding=0.5, steps=200):
    """Shade where predict(points) is 1 and scatter the labelled points x (N, 2), y (N,) on top."""
    import numpy as np

    lo, hi = x.min(axis=0) - padding, x.max(axis=0) + padding
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], steps), np.linspace(lo[1], hi[1], steps))
    grid = np.column_stack([g0.ravel(), g1.ravel()])  # (steps * steps, 2)
    z = np.asarray(predict(grid)).reshape(g0.shape)
    ax.contourf(g0, g1, z, levels=[-0.5, 0.5, 1.5], colors=["#f2f2f2", "#cde4f7"])
    for label, marker, colour in [(0, "o", "#d1495b"), (1, "s", "#2e86de")]:
        pts = x[y == label]
        ax.scatter(
            pts[:, 0], pts[:, 1], marker=marker, s=80, c=colour, label=f"y = {label}", zorder=3
        )
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
