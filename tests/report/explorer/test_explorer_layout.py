"""The explorer's map: the topics' places and circles."""


import numpy as np
import pytest
from conftest import TOPIC_TEXTS as TEXTS

from policytopics.model.topic_model import TopicModel
from policytopics.report.explorer import (
    topic_coordinates,
)
from policytopics.settings.config import ModelConfig

K = 3


@pytest.fixture(scope="module")
def model():
    return TopicModel(ModelConfig(n_topics=K, seed=1, passes=10, no_below=1, no_above=0.9)).fit(TEXTS)


def test_map_distances_are_the_jensen_shannon_distances(model):
    # Three topics embed exactly in two dimensions, so the map must keep their distances.
    topic_word = model.topic_word()
    points = topic_coordinates(model)[["x", "y"]].to_numpy()
    for i in range(K):
        for j in range(i + 1, K):
            p, q = topic_word[i], topic_word[j]
            m = (p + q) / 2
            divergence = (np.sum(p * np.log2(p / m)) + np.sum(q * np.log2(q / m))) / 2
            assert np.linalg.norm(points[i] - points[j]) == pytest.approx(np.sqrt(divergence), abs=1e-5)


def _overlaps(layout) -> list[tuple[int, int]]:
    from policytopics.report.explorer import MAP_GAP

    cx, cy, r = (np.asarray(layout[key]) for key in ("cx", "cy", "r"))
    return [(i, j) for i in range(len(cx)) for j in range(i + 1, len(cx))
            if np.hypot(cx[i] - cx[j], cy[i] - cy[j]) < r[i] + r[j] + MAP_GAP - 0.02]


def test_circles_on_the_map_do_not_overlap_and_keep_the_distances_meaning():
    """Fourteen topics, two pairs almost on one point (4 and 13, 5 and 9 overlapped on the
    provincial panel's map): no circle hides another, every circle stays in the box, the
    circles shrink by one factor (areas proportional) and the order of distances holds."""
    from scipy.stats import spearmanr

    from policytopics.report.explorer.layout import MAP_MIN_SCALE, MAP_SIZE, circle_layout

    rng = np.random.default_rng(3)
    x, y = rng.uniform(size=14), rng.uniform(size=14)  # spread over the map, as a PCoA of topics
    x[12], y[12] = x[3] + 0.02, y[3] - 0.01
    x[8], y[8] = x[4] - 0.01, y[4] + 0.02
    prevalence = rng.uniform(0.03, 0.13, size=14)
    layout = circle_layout(x, y, prevalence)
    assert not _overlaps(layout)
    cx, cy, r = (np.asarray(layout[key]) for key in ("cx", "cy", "r"))
    assert (np.minimum(cx, cy) - r >= 0).all() and (np.maximum(cx, cy) + r <= MAP_SIZE).all()
    assert MAP_MIN_SCALE <= layout["scale"] < 1 and 0 < layout["moved"] < 0.1
    assert np.allclose(r / r.max(), np.sqrt(prevalence / prevalence.max()), atol=0.01)
    before = np.hypot(x[:, None] - x, y[:, None] - y)[np.triu_indices(14, 1)]
    after = np.hypot(cx[:, None] - cx, cy[:, None] - cy)[np.triu_indices(14, 1)]
    assert spearmanr(before, after).statistic > 0.97
    # Circles already apart are drawn where the coordinates put them, at full size.
    apart = circle_layout(np.array([0.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0]), np.array([0.3, 0.3, 0.3]))
    assert apart["scale"] == 1 and apart["moved"] == 0
