"""The figures' plotting context: the user's settings untouched, the CJK font kept."""


import matplotlib as mpl
import matplotlib.pyplot as plt

from policytopics.report.figures import (
    plot_theme_weights_over_time,
)


def test_user_rcparams_are_not_changed(sample_study):
    before = dict(mpl.rcParams)
    ax = plot_theme_weights_over_time(sample_study.theme_weights_by_period())
    plt.close(ax.figure)
    assert dict(mpl.rcParams) == before


def test_figure_drawn_after_the_context_closes_keeps_the_cjk_font():
    from pathlib import Path

    from matplotlib import font_manager

    from policytopics.report.style import cjk_font_path, plot_context

    with plot_context():
        fig, ax = plt.subplots()
        ax.set_title("制造业")
        ax.set_xticks([0, 1], ["产业链", "绿色低碳"])
    fig.canvas.draw()  # as Jupyter's inline backend does, after the cell's code has run
    for text in [ax.title, *ax.get_xticklabels()]:
        assert Path(font_manager.findfont(text.get_fontproperties())) == cjk_font_path()
    plt.close(fig)


def test_interactive_mode_switched_on_inside_the_context_is_kept():
    from policytopics.report.style import plot_context

    was = mpl.is_interactive()
    try:
        mpl.interactive(False)
        with plot_context():
            mpl.interactive(True)  # what loading Jupyter's inline backend does
        assert mpl.is_interactive()
    finally:
        mpl.interactive(was)
