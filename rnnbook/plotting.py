"""One look for every figure in the book, sized for the book's column."""

import hashlib
import html
import re

import matplotlib as mpl

# The book's text column at 1280 px is 672-688 CSS px wide, and figures are drawn at 100 dpi, so a
# figure up to 6.7 inches wide is shown at its own size: a 10-point label is 13.9 CSS px.
# A wider figure is scaled down to the column and its text with it (tests/browser checks that no
# figure is shown below 80% of its size: 10 pt stays at 11 px, the legend's 8 pt at 9 px).
COLUMN_WIDTH = 6.7
# narrower panels than this crowd their tick labels: stack them instead
MIN_PANEL_WIDTH = 2.1
# the smallest text a figure may show, in CSS px (issue 19): an animation is shown at its own size
MIN_TEXT_PX = 9

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


def subplots(nrows=1, ncols=1, *, panel_height=2.6, **kwargs):
    """plt.subplots for the book's column: the full column wide, `panel_height` inches per row.

    Refuses a row of panels too narrow to read; stack them (more rows, fewer columns) instead.
    """
    import matplotlib.pyplot as plt

    if COLUMN_WIDTH / ncols < MIN_PANEL_WIDTH:
        most = int(COLUMN_WIDTH // MIN_PANEL_WIDTH)
        raise ValueError(
            f"{ncols} panels side by side are {COLUMN_WIDTH / ncols:.1f} inches each, under "
            f"{MIN_PANEL_WIDTH}; use at most {most} columns and more rows"
        )
    kwargs.setdefault("layout", "constrained")
    return plt.subplots(nrows, ncols, figsize=(COLUMN_WIDTH, panel_height * nrows), **kwargs)


# the play buttons' Font Awesome 4 icons, which matplotlib loads from a CDN, as plain characters
_BUTTON_TEXT = {
    "fa fa-minus": "\u2212",
    "fa fa-fast-backward": "\u21e4",
    "fa fa-step-backward": "\u2039",
    "fa fa-play fa-flip-horizontal": "\u25c0",
    "fa fa-pause": "\u275a\u275a",
    "fa fa-play": "\u25b6",
    "fa fa-step-forward": "\u203a",
    "fa fa-fast-forward": "\u21e5",
    "fa fa-plus": "+",
}


def _too_small_texts(fig, dpi):
    """The visible texts of fig (as last drawn) under MIN_TEXT_PX at dpi: ["'text' 7.8 px"]."""
    from matplotlib.text import Text

    small = []
    for text in fig.findobj(Text):
        px = text.get_fontsize() * dpi / 72
        if text.get_visible() and text.get_text().strip() and px < MIN_TEXT_PX - 1e-9:
            small.append(f"{text.get_text()!r} {px:.1f} px")
    return small


def animate(fig, draw, frames, *, alt, interval=500, dpi=80, max_bytes=300_000):
    """An animation of `fig` as HTML that plays offline: `draw(frame)` redraws it for each frame.

    Wraps matplotlib's FuncAnimation(...).to_jshtml() so that the output can live in a notebook
    of the book: no stylesheet from a CDN (the buttons are plain characters), the same HTML on
    every run (matplotlib names each player with a random uuid; here it is a hash of the frames),
    alt text on the picture and a label on the slider, every text at least MIN_TEXT_PX CSS px
    high, and at most `max_bytes` of HTML (keep frames few and `dpi` low: 80 dpi shows a
    10-point label at 11 CSS px, an 8.1-point one at 9). Closes `fig`.
    Returns an IPython HTML object: make it the cell's last expression.
    """
    import matplotlib.pyplot as plt
    from IPython.display import HTML
    from matplotlib import animation

    frames = list(frames)
    if not frames:
        raise ValueError("frames must hold at least one frame; got none")
    if not alt or not alt.strip():
        raise ValueError("alt must say what the animation shows; got an empty string")
    with mpl.rc_context({"savefig.dpi": dpi}):
        player = animation.FuncAnimation(fig, draw, frames=frames, interval=interval)
        page = player.to_jshtml(default_mode="once")
    small = _too_small_texts(fig, dpi)
    plt.close(fig)
    if small:
        raise ValueError(
            f"every text of an animation must be at least {MIN_TEXT_PX} CSS px high at dpi={dpi}; "
            f"got {'; '.join(small[:3])}: give them a larger fontsize"
        )
    page = re.sub(r'<link rel="stylesheet"\s+href="[^"]*font-awesome[^"]*">', "", page)
    for icon, text in _BUTTON_TEXT.items():
        page = page.replace(f'<i class="{icon}"></i>', f'<span aria-hidden="true">{text}</span>')
    random_id = re.search(r'id="_anim_img([0-9a-f]{32})"', page).group(1)
    stable_id = hashlib.sha256(page.replace(random_id, "").encode()).hexdigest()[:32]
    page = page.replace(random_id, stable_id)
    page = page.replace(
        f'<img id="_anim_img{stable_id}">',
        f'<img id="_anim_img{stable_id}" alt="{html.escape(alt)}">',
    )
    page = page.replace('class="anim-slider"', 'class="anim-slider" aria-label="frame"')
    if len(page) > max_bytes:
        raise ValueError(
            f"the animation is {len(page):,} bytes of HTML, over max_bytes={max_bytes:,}: "
            "use fewer frames, a smaller figure or a lower dpi"
        )
    return HTML(page)


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
