"""Static figures of lesson 07's race (:mod:`helpers.race`): the test accuracy of four cells against
the clue-to-answer gap, with what each cell costs. The numbers come from :func:`helpers.race.load_race`."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ._validate import instance, real, text
from .alt import describe
from .race import RaceResults
from .style import model_color, reference_line

_LABELS = {"tanh RNN": "tanh RNN (orthogonal)", "IRNN": "IRNN (identity, ReLU)"}
"""Legend names that say which start a cell has (and so pick its colour, :func:`helpers.style.model_color`)."""


def plot_race(results: RaceResults, *, chance: float = 1 / 8,
              title: str = "Test accuracy against the gap, at equal parameter count") -> Figure:
    """Test accuracy against the gap k, one colour per cell: a dot for every seed and a line through
    the median over seeds (thinner for each later cell, so that equal medians stay visible), chance as
    a grey dashed level; each legend entry gives the cell's cost,
    its parameters and its time per training step. The gaps are spaced evenly (a categorical axis).

    results : the race, from :func:`helpers.race.load_race` (a RaceResults checks its own entries:
        accuracies in [0, 1], a positive parameter count and time for every cell)
    chance : the level drawn (1/8 for the clue task); title : what the figure shows
    """
    instance("results", results, RaceResults, "a RaceResults (from helpers.race.load_race)")
    chance = real("chance", chance, minimum=0.0, maximum=1.0)
    text("title", title)
    gaps, accuracy = results.gaps, results.accuracy          # checked when the RaceResults was made
    G, S = gaps.size, results.seeds.size
    fig, ax = plt.subplots(figsize=(9.6, 4.0))
    x = np.arange(G)
    n = len(accuracy)
    for i, (cell, a) in enumerate(accuracy.items()):
        name = _LABELS.get(cell, cell)
        color = model_color(name)
        shift = (i - (n - 1) / 2) * 0.09
        label = f"{name}\n{results.parameters[cell]:,} params · {results.ms_per_step[cell]:.1f} ms/step"
        # the later a cell is drawn, the thinner its median line, so that equal medians (several cells at
        # 1.0) stay visible as nested lines instead of the last one hiding the others
        ax.plot(x + shift, np.median(a, axis=1), "-", color=color, lw=1.6 + 0.9 * (n - 1 - i), label=label)
        for j in range(S):
            ax.plot(x + shift, a[:, j], "o", color=color, ms=5, mfc="white", mew=1.4)
    reference_line(ax, chance, f"chance {chance:.3g}")
    ax.set_xticks(x, [str(g) for g in gaps])
    ax.set_xlim(-0.5, G - 0.5)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("gap k between clue and answer (steps)")
    ax.set_ylabel("test accuracy")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.1, 1.0), borderaxespad=0.0, fontsize=10, labelspacing=0.9,
              title=f"line: median of {S} seeds\ndots: one seed each", title_fontsize=10, alignment="left")
    fig.tight_layout()
    longest = int(np.argmax(gaps))
    cells = "; ".join(f"{_LABELS.get(cell, cell)} {np.median(a[longest]):.2f} ({results.parameters[cell]:,} params, "
                      f"{results.ms_per_step[cell]:.1f} ms/step)" for cell, a in accuracy.items())
    alt = (f"Test accuracy against the gap k ({', '.join(map(str, gaps))}) for {n} cells, a dot per seed and a line "
           f"through the median of {S} seeds, chance {chance:.3g} dashed. Median at the longest gap, k = "
           f"{gaps[longest]}: {cells}.")
    return describe(fig, alt)
