"""The book's figure helpers: panels sized for the column, animations that play offline."""

import matplotlib
import numpy as np
import pytest
from messages import naming

from rnnbook import plotting

matplotlib.use("Agg")


def _animation(alt="A dot moving right over four steps", frames=range(4), **kwargs):
    fig, ax = plotting.subplots(panel_height=1.5)
    (dot,) = ax.plot([0], [0], "o")
    ax.set(xlim=(0, 3), ylim=(-1, 1))
    return plotting.animate(fig, lambda t: dot.set_xdata([t]), frames, alt=alt, **kwargs).data


def test_subplots_fill_the_column_and_refuse_unreadable_rows():
    fig, axes = plotting.subplots(2, 3)
    assert axes.shape == (2, 3)
    assert np.allclose(fig.get_size_inches(), [plotting.COLUMN_WIDTH, 2 * 2.6])
    with pytest.raises(ValueError, match=naming("4 panels", "1.7 inches")):
        plotting.subplots(1, 4)


def test_animation_is_the_same_every_run_and_loads_nothing():
    first, second = _animation(), _animation()
    assert first == second
    assert "://" not in first and "font-awesome" not in first and 'class="fa ' not in first
    assert 'alt="A dot moving right over four steps"' in first
    assert 'aria-label="frame"' in first
    assert first.count("data:image/png;base64") == 4


def test_animation_refuses_what_it_cannot_ship():
    with pytest.raises(ValueError, match=naming("alt", "animation")):
        _animation(alt=" ")
    with pytest.raises(ValueError, match="frames must hold at least one frame"):
        _animation(frames=[])
    with pytest.raises(ValueError, match="over max_bytes=1,000"):
        _animation(max_bytes=1_000)


def test_animation_refuses_text_too_small_to_read():
    fig, ax = plotting.subplots(panel_height=1.5)
    ax.plot([0, 1], [0, 1], label="a line")
    ax.legend(fontsize=7)  # 7.8 CSS px at 80 dpi
    with pytest.raises(ValueError, match=naming("'a line' 7.8 px", "9 CSS px", "dpi=80")):
        plotting.animate(fig, lambda t: None, range(2), alt="A line")
    assert "'a line'" not in str(plotting._too_small_texts(_legend_figure(8.1), 80))


def _legend_figure(fontsize):
    fig, ax = plotting.subplots(panel_height=1.5)
    ax.plot([0, 1], [0, 1], label="a line")
    ax.legend(fontsize=fontsize)
    return fig
