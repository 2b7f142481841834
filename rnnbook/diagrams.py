"""Chapter 6's diagrams of the LSTM and GRU cells, drawn with matplotlib.

Drawing code, not mathematics: it lives here so that the chapter's notebook shows one call, and
the equations the figures picture stay the thing a reader reads in the notebook.
"""

import matplotlib.pyplot as plt
from matplotlib.patches import Circle, FancyBboxPatch
from matplotlib.patheffects import withStroke

RED = "#c0392b"  # the cell state (LSTM) or the state (GRU), along the top


def arrow(ax, start, end, colour="#333333", lw=1.4, halo=None):
    """An arrow from start to end; halo: a colour drawn wide around it, so that it crosses a
    line instead of seeming to join it."""
    props = dict(arrowstyle="-|>", color=colour, lw=lw, shrinkA=0, shrinkB=0)
    if halo:
        props["path_effects"] = [withStroke(linewidth=5, foreground=halo)]
    ax.annotate("", xy=end, xytext=start, arrowprops=props)


def dot(ax, xy, colour="#333333", ms=4):
    """A junction: the line branches here."""
    ax.plot([xy[0]], [xy[1]], "o", color=colour, ms=ms, zorder=4)


def line(ax, points, colour="#333333", lw=1.4):
    xs, ys = zip(*points, strict=True)
    ax.plot(xs, ys, color=colour, lw=lw, solid_capstyle="round")


def box(ax, xy, text, colour):
    ax.add_patch(
        FancyBboxPatch(
            (xy[0] - 0.45, xy[1] - 0.3),
            0.9,
            0.6,
            boxstyle="round,pad=0.05",
            fc=colour,
            ec="#333333",
            zorder=3,
        )
    )
    ax.text(*xy, text, ha="center", va="center", fontsize=11, zorder=4)


def node(ax, xy, text, fontsize=11):
    ax.add_patch(Circle(xy, 0.28, fc="white", ec="#333333", zorder=3))
    ax.text(*xy, text, ha="center", va="center", fontsize=fontsize, zorder=4)


def cell_frame(ax):
    ax.add_patch(
        FancyBboxPatch(
            (0.6, 0.4),
            9.2,
            5.2,
            boxstyle="round,pad=0.1",
            fc="#f5f7fa",
            ec="#999999",
        )
    )
    ax.set_xlim(-0.6, 11.2)
    ax.set_ylim(-0.6, 5.9)
    ax.set_aspect("equal")
    ax.axis("off")


def lstm_cell():
    """The LSTM cell: c_{t-1} to c_t along the top, four gates reading x_t and h_{t-1} below."""
    fig, ax = plt.subplots(figsize=(8, 4.2))
    cell_frame(ax)
    top, bus, gate_y = 5.0, 1.0, 2.4
    line(ax, [(-0.4, top), (2.22, top)], RED, 2.5)  # the cell state, c_{t-1} to c_t
    line(ax, [(2.78, top), (4.72, top)], RED, 2.5)
    arrow(ax, (5.28, top), (10.8, top), RED, 2.5)
    node(ax, (2.5, top), r"$\times$")
    node(ax, (5.0, top), "+")
    ax.text(-0.4, top + 0.25, r"$c_{t-1}$", fontsize=12)
    ax.text(10.3, top + 0.25, r"$c_t$", fontsize=12)
    line(ax, [(-0.4, bus), (7.5, bus)])  # the input every gate reads
    ax.text(-0.4, bus - 0.45, r"$h_{t-1}$", fontsize=12)
    line(ax, [(1.2, -0.3), (1.2, bus)])
    ax.text(1.3, -0.4, r"$x_t$", fontsize=12)
    for x, text, name, colour in [
        (2.5, r"$\sigma$", r"$f_t$", "#f6d7a7"),
        (4.0, r"$\sigma$", r"$i_t$", "#cde4f7"),
        (5.5, "tanh", r"$g_t$", "#d5e8d4"),
        (7.5, r"$\sigma$", r"$o_t$", "#e1d5e7"),
    ]:
        arrow(ax, (x, bus), (x, gate_y - 0.35))
        box(ax, (x, gate_y), text, colour)
        ax.text(x + 0.5, gate_y + 0.4, name, fontsize=11)
    arrow(ax, (2.5, gate_y + 0.35), (2.5, top - 0.28))  # forget gate scales c_{t-1}
    node(ax, (5.0, 3.7), r"$\times$")  # i_t * g_t, added to the cell
    line(ax, [(4.0, gate_y + 0.35), (4.0, 3.7), (4.72, 3.7)])
    line(ax, [(5.5, gate_y + 0.35), (5.5, 3.2), (5.0, 3.2), (5.0, 3.42)])
    arrow(ax, (5.0, 3.98), (5.0, top - 0.28))
    box(ax, (8.7, 3.9), "tanh", "#fde2e2")  # h_t = o_t * tanh(c_t)
    line(ax, [(8.7, top), (8.7, 4.25)], RED)
    node(ax, (8.7, 2.4), r"$\times$")
    arrow(ax, (8.7, 3.55), (8.7, 2.68))
    line(ax, [(7.95, gate_y), (8.42, gate_y)])
    line(ax, [(8.7, 2.12), (8.7, 1.6)])
    arrow(ax, (8.7, 1.6), (10.8, 1.6))
    ax.text(10.3, 1.8, r"$h_t$", fontsize=12)
    plt.show()
    return fig


def gru_cell():
    """The GRU cell: h_{t-1} to h_t along the top; the reset gate acts after the product h W_hg."""
    fig, ax = plt.subplots(figsize=(8, 4.2))
    cell_frame(ax)
    top, h_bus, x_bus, gate_y = 5.0, 1.2, 0.6, 2.4
    line(ax, [(-0.4, top), (2.22, top)], RED, 2.5)  # the state, h_{t-1} to h_t
    line(ax, [(2.78, top), (6.22, top)], RED, 2.5)
    arrow(ax, (6.78, top), (10.8, top), RED, 2.5)
    node(ax, (2.5, top), r"$\times$")
    node(ax, (6.5, top), "+")
    ax.text(-0.4, top + 0.25, r"$h_{t-1}$", fontsize=12)
    ax.text(10.3, top + 0.25, r"$h_t$", fontsize=12)
    line(ax, [(1.2, top), (1.2, h_bus), (6.3, h_bus)])  # the old state: gates and W_hg
    # a junction: the line branches
    dot(ax, (1.2, top))
    line(ax, [(1.8, -0.3), (1.8, x_bus), (7.9, x_bus)])  # the input, on a line of its own
    ax.text(1.9, -0.4, r"$x_t$", fontsize=12)
    for x, text, name, colour in [
        (2.5, r"$\sigma$", r"$z_t$", "#f6d7a7"),
        (4.5, r"$\sigma$", r"$r_t$", "#cde4f7"),
        (7.5, "tanh", r"$g_t$", "#d5e8d4"),
    ]:
        box(ax, (x, gate_y), text, colour)
        ax.text(x + 0.5, gate_y + 0.4, name, fontsize=11)
    # each gate reads h_{t-1} (a junction) and x_t (crossing, not joining)
    for x in (2.5, 4.5):
        dot(ax, (x - 0.2, h_bus))
        arrow(ax, (x - 0.2, h_bus), (x - 0.2, gate_y - 0.35))
        arrow(ax, (x + 0.2, x_bus), (x + 0.2, gate_y - 0.35), halo="#f5f7fa")
        dot(ax, (x + 0.2, x_bus))
    arrow(ax, (2.5, gate_y + 0.35), (2.5, top - 0.28))  # z_t keeps part of the old state
    node(ax, (4.5, 3.9), r"$1-$", fontsize=8)  # 1 - z_t writes part of the candidate
    line(ax, [(2.5, 3.9), (4.22, 3.9)])
    dot(ax, (2.5, 3.9))  # z_t branches to 1 - z_t
    node(ax, (6.5, 3.9), r"$\times$")
    line(ax, [(4.78, 3.9), (6.22, 3.9)])
    line(ax, [(7.5, gate_y + 0.35), (7.5, 3.9), (6.78, 3.9)])
    arrow(ax, (6.5, 4.18), (6.5, top - 0.28))
    # reset after the product: r_t * (h_{t-1} W_hg + b_hg)
    node(ax, (6.3, 1.6), r"$\times$")
    line(ax, [(4.95, gate_y), (6.3, gate_y), (6.3, 1.88)])
    line(ax, [(6.3, h_bus), (6.3, 1.32)])
    box(ax, (5.55, h_bus), r"$W_{hg}$", "#eeeeee")  # the product h_{t-1} W_hg (+ b_hg)
    line(ax, [(6.58, 1.6), (7.2, 1.6)])
    arrow(ax, (7.2, 1.6), (7.2, gate_y - 0.35))  # into the candidate's tanh
    arrow(ax, (7.9, x_bus), (7.9, gate_y - 0.35))
    box(ax, (7.9, 1.3), r"$W_{xg}$", "#eeeeee")  # the product x_t W_xg (+ b_xg)
    line(ax, [(9.3, top), (9.3, 1.6)], RED)
    dot(ax, (9.3, top), RED, ms=5)  # h_t branches to the output
    arrow(ax, (9.3, 1.6), (10.8, 1.6))
    ax.text(10.3, 1.8, r"$h_t$", fontsize=12)
    plt.show()
    return fig
