"""The explorer's intertopic distance map: where each topic sits, and its circle.

Classical multidimensional scaling (PCoA) of the Jensen–Shannon distances between the
topics' word distributions, as in LDAvis, and circles laid out so that none hides another.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

#: The map's drawing box (SVG units, square), its margin and the largest circle's radius
#: as a share of the box (one topic alone: twice that).
MAP_SIZE = 520
MAP_PAD = 16
MAP_RADIUS = 0.1
#: Circles never shrink below this share of their size to keep clear of each other; pairs
#: still overlapping are then pushed apart.
MAP_MIN_SCALE = 0.6
#: Room left between two circles (SVG units).
MAP_GAP = 2.0


def topic_coordinates(model) -> pd.DataFrame:
    """Positions of the topics on the intertopic distance map.

    Classical multidimensional scaling (principal coordinates) of the Jensen–Shannon
    distances (base 2, so between 0 and 1) between the topics' word distributions, as in
    LDAvis. Each axis is oriented so that its largest coordinate is positive, which makes
    the map reproducible.

    Parameters
    ----------
    model : policytopics.model.topic_model.TopicModel
        A fitted model.

    Returns
    -------
    pandas.DataFrame
        One row per topic: ``topic`` (1..K in order of prevalence), ``x``, ``y``,
        ``prevalence``.
    """
    topic_word = model.topic_word()
    coordinates = _principal_coordinates(_jensen_shannon_distances(topic_word))
    return pd.DataFrame({
        "topic": np.arange(1, len(topic_word) + 1),
        "x": coordinates[:, 0],
        "y": coordinates[:, 1],
        "prevalence": model.prevalence().to_numpy(),
    })


def circle_layout(x: np.ndarray, y: np.ndarray, prevalence: np.ndarray) -> dict:
    """Where the map draws each topic's circle, so that no circle hides another.

    The PCoA coordinates are scaled into the square box (:data:`MAP_SIZE`) as they are: their
    distances keep their meaning. Circle areas are proportional to prevalence, the largest of
    radius ``MAP_RADIUS * MAP_SIZE``. Where circles overlap, first every circle shrinks by one
    factor (areas stay proportional, centres stay put), down to :data:`MAP_MIN_SCALE`; pairs
    still overlapping are then pushed apart along the line between their centres, each by half
    the overlap, until none overlaps (the smallest moves: the order of distances barely changes).

    Returns ``cx``, ``cy``, ``r`` (lists, SVG units), ``r_max`` (the radius a share of 1 gets),
    ``scale`` (the circles' factor) and ``moved`` (the largest move of a centre, as a share of
    the box).

    >>> layout = circle_layout(np.array([0.0, 0.01, 0.5]), np.zeros(3), np.array([0.4, 0.4, 0.2]))
    >>> layout["scale"], layout["moved"] > 0
    (0.6, True)
    """
    k = len(x)
    r_max = MAP_SIZE * (MAP_RADIUS if k > 1 else 2 * MAP_RADIUS)
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    span = (max(np.ptp(xs), np.ptp(ys)) if k else 0.0) or 1.0
    inner = MAP_SIZE - 2 * (MAP_PAD + r_max)
    if not k:
        return {"cx": [], "cy": [], "r": [], "r_max": r_max, "size": MAP_SIZE, "scale": 1.0, "moved": 0.0}
    centres = np.column_stack([MAP_SIZE / 2 + (xs - (xs.max() + xs.min()) / 2) / span * inner,
                               MAP_SIZE / 2 - (ys - (ys.max() + ys.min()) / 2) / span * inner])
    prevalence = np.asarray(prevalence, dtype=float)
    size = np.sqrt(prevalence / (prevalence.max() or 1.0)) * r_max
    pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
    scale = 1.0
    for i, j in pairs:
        apart = float(np.hypot(*(centres[i] - centres[j])))
        scale = min(scale, max(MAP_MIN_SCALE, (apart - MAP_GAP) / (size[i] + size[j])))
    radius = size * scale
    start = centres.copy()
    for _ in range(500):
        pushed = False
        for i, j in pairs:
            between = centres[j] - centres[i]
            apart = float(np.hypot(*between))
            overlap = radius[i] + radius[j] + MAP_GAP - apart
            if overlap > 1e-6:
                # Two circles at one point part along a fixed direction (the same map every run).
                direction = between / apart if apart > 1e-9 else np.array([1.0, 0.0])
                centres[i] -= direction * overlap / 2
                centres[j] += direction * overlap / 2
                pushed = True
        if not pushed:
            break
    # Pushed circles stay inside the box.
    low, high = MAP_PAD + radius, MAP_SIZE - MAP_PAD - radius
    centres = np.clip(centres, low[:, None], high[:, None])
    moved = float(np.hypot(*(centres - start).T).max()) / MAP_SIZE
    return {"cx": [_plain(v, 2) for v in centres[:, 0]], "cy": [_plain(v, 2) for v in centres[:, 1]],
            "r": [_plain(v, 2) for v in radius], "r_max": _plain(r_max * scale, 2), "size": MAP_SIZE,
            "scale": round(scale, 3), "moved": round(moved, 4)}


def _jensen_shannon_distances(distributions: np.ndarray) -> np.ndarray:
    """Square matrix of Jensen–Shannon distances (base 2) between the rows.

    Uses JSD(p, q) = H((p + q) / 2) − (H(p) + H(q)) / 2, one logarithm per term and pair.
    """
    n = len(distributions)
    entropy = _entropy(distributions)
    distances = np.zeros((n, n))
    for i in range(n - 1):
        mixtures = (distributions[i] + distributions[i + 1:]) / 2
        divergence = _entropy(mixtures) - (entropy[i] + entropy[i + 1:]) / 2
        distances[i, i + 1:] = distances[i + 1:, i] = np.sqrt(np.clip(divergence, 0.0, 1.0))
    return distances


def _entropy(rows: np.ndarray) -> np.ndarray:
    """Shannon entropy in bits of each row (0 log 0 = 0)."""
    return -np.sum(rows * np.log2(np.where(rows > 0, rows, 1.0)), axis=-1)


def _principal_coordinates(distances: np.ndarray, n_components: int = 2) -> np.ndarray:
    """Classical MDS (Torgerson / Gower's PCoA) with a fixed sign per axis."""
    n = len(distances)
    centring = np.eye(n) - np.full((n, n), 1.0 / n)
    gram = -0.5 * centring @ (distances ** 2) @ centring
    eigenvalues, eigenvectors = np.linalg.eigh(gram)
    order = np.argsort(-eigenvalues, kind="stable")[:n_components]
    coordinates = np.zeros((n, n_components))
    for axis, index in enumerate(order):
        if eigenvalues[index] <= 1e-12:  # fewer real dimensions than axes: leave the rest at 0
            continue
        column = eigenvectors[:, index] * math.sqrt(eigenvalues[index])
        # Eigenvectors have no intrinsic sign; without a rule the map could mirror run to run.
        if column[np.argmax(np.abs(column))] < 0:
            column = -column
        coordinates[:, axis] = column
    return np.round(coordinates, 6) + 0.0  # + 0.0 turns -0.0 into 0.0


def _plain(value, digits: int = 6) -> float:
    return round(float(value), digits) + 0.0



__all__ = ["MAP_GAP", "MAP_MIN_SCALE", "MAP_PAD", "MAP_RADIUS", "MAP_SIZE", "circle_layout",
           "topic_coordinates"]
