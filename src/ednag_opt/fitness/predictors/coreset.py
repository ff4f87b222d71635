"""Fixed image features and per-class K-means coresets for the dataset encoder.

The transferable predictor describes a task by a small, fixed set of its training images
(the coreset) rather than by a fresh random sample on every query (EDNAG §3.3, Algorithm 2).

Feature extractor
-----------------
:class:`FixedFeatureExtractor` is a *fixed, randomly initialised* convolutional network
(weights drawn once from ``seed`` and never trained): images are resized to 8x8 by adaptive
average pooling (the resolution of the digits suite; 14x14 MNIST-5k images are pooled down),
then ``conv3x3(1->16) -> ReLU -> conv3x3(16->32, stride 2) -> ReLU`` gives a 32x4x4 map,
which a fixed Gaussian projection maps to ``dim`` features, standardised per feature with a
mean and std fixed once (the predictor sets them from its meta-training images; without this
the features share a large common offset and the learned set encoder ignored the images and
kept only the class count, see docs/results_transferable.md). Why this choice:

- no pretrained weights or downloads are available offline (no torchvision), and a fixed
  extractor keeps the dataset code a function of the data alone, identical at meta-training
  and at search time;
- random convolutions with ReLU keep local stroke structure (edges, blobs at each position),
  which a projection of raw pixels mixes globally; random conv features are a standard,
  surprisingly strong descriptor (e.g. Jarrett et al., 2009; Saxe et al., 2011);
- it costs microseconds per image, so whole training splits are featurised once.

Coreset
-------
:func:`kmeans_coreset` runs scikit-learn's ``KMeans(n_clusters=k, n_init=n_init,
random_state=seed)`` on the features of each class and keeps, for every centroid, the real
sample nearest to it (distinct samples; a class with at most ``k`` samples is kept whole).
The result depends only on the features and the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.cluster import KMeans
from torch import nn

__all__ = ["FixedFeatureExtractor", "TaskCoreset", "kmeans_coreset", "random_subset"]


class FixedFeatureExtractor(nn.Module):
    """Fixed random conv features of ``(n, c, H, W)`` images (see the module docstring).

    Parameters
    ----------
    dim : int
        Output feature dimension. Colour images are averaged to one channel first, so one
        extractor serves grey and colour tasks.
    size : int
        Side to which images are adaptively average-pooled first.
    seed : int
        Seed of the (never trained) weights; same seed, same features.
    """

    def __init__(self, dim: int = 64, size: int = 8, seed: int = 0) -> None:
        super().__init__()
        gen = torch.Generator().manual_seed(seed)
        self.size = size
        self.dim = dim
        w1 = torch.randn(16, 1, 3, 3, generator=gen) * (2.0 / 9) ** 0.5
        w2 = torch.randn(32, 16, 3, 3, generator=gen) * (2.0 / (16 * 9)) ** 0.5
        n_flat = 32 * ((size + 1) // 2) ** 2
        proj = torch.randn(n_flat, dim, generator=gen) / n_flat**0.5
        self.register_buffer("w1", w1)
        self.register_buffer("w2", w2)
        self.register_buffer("proj", proj)
        self.register_buffer("mean", torch.zeros(dim))
        self.register_buffer("std", torch.ones(dim))

    def set_standardization(self, features: torch.Tensor | None) -> None:
        """Fix the per-feature mean and std subtracted / divided from now on, from raw
        ``features`` (``None``: identity). Fitted once on meta-training images, then frozen."""
        if features is None:
            self.mean.zero_()
            self.std.fill_(1.0)
        else:
            self.mean.copy_(features.mean(0))
            self.std.copy_(features.std(0).clamp_min(1e-6))

    @torch.no_grad()
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(n, c, H, W)`` images -> ``(n, dim)`` float32 features."""
        x = x.float()
        if x.ndim == 3:
            x = x[:, None]
        x = x.mean(dim=1, keepdim=True)
        x = nn.functional.adaptive_avg_pool2d(x, self.size)
        h = torch.relu(nn.functional.conv2d(x, self.w1, padding=1))
        h = torch.relu(nn.functional.conv2d(h, self.w2, stride=2, padding=1))
        return (h.flatten(1) @ self.proj - self.mean) / self.std


@dataclass(frozen=True)
class TaskCoreset:
    """Features of a per-class image subset.

    Attributes
    ----------
    features : torch.Tensor
        ``(C, k, d)`` features, class-major; rows past ``sizes[c]`` are zero padding.
    mask : torch.Tensor
        ``(C, k)`` bool, True for real samples.
    indices : list of numpy.ndarray
        Per class, the chosen positions in the split (sorted by centroid order).
    """

    features: torch.Tensor
    mask: torch.Tensor
    indices: list[np.ndarray]

    @property
    def sizes(self) -> list[int]:
        """Number of samples per class."""
        return [len(i) for i in self.indices]

    @classmethod
    def from_indices(
        cls, features: torch.Tensor, labels: np.ndarray, indices: list[np.ndarray]
    ) -> TaskCoreset:
        """Gather ``features[idx]`` per class into a padded ``(C, k, d)`` tensor."""
        del labels  # indices are already per class
        k = max(len(i) for i in indices)
        out = torch.zeros(len(indices), k, features.shape[1], dtype=torch.float32)
        mask = torch.zeros(len(indices), k, dtype=torch.bool)
        for c, idx in enumerate(indices):
            out[c, : len(idx)] = features[torch.as_tensor(idx, dtype=torch.long)]
            mask[c, : len(idx)] = True
        return cls(out, mask, [np.asarray(i) for i in indices])


def _classes(labels: np.ndarray) -> np.ndarray:
    classes = np.unique(labels)
    if len(classes) == 0:
        raise ValueError("no samples")
    return classes


def kmeans_coreset(
    features: torch.Tensor | np.ndarray,
    labels: torch.Tensor | np.ndarray,
    per_class: int = 20,
    *,
    seed: int = 0,
    n_init: int = 4,
) -> TaskCoreset:
    """Per-class K-means coreset: the real sample nearest each of ``per_class`` centroids.

    Parameters
    ----------
    features : array of shape (n, d)
        Image features (e.g. from :class:`FixedFeatureExtractor`).
    labels : array of shape (n,)
        Integer class labels.
    per_class : int
        Centroids (= kept samples) per class; a class with fewer samples is kept whole.
    seed : int
        ``random_state`` of K-means: same inputs and seed, same coreset.
    n_init : int
        K-means restarts (fixed so that the result does not depend on library defaults).

    Returns
    -------
    TaskCoreset
        Classes in increasing label order.
    """
    if per_class < 1:
        raise ValueError(f"per_class must be >= 1, got {per_class}")
    feats = torch.as_tensor(np.asarray(features), dtype=torch.float32)
    y = np.asarray(labels)
    x64 = feats.numpy().astype(np.float64)
    chosen: list[np.ndarray] = []
    for c in _classes(y):
        pos = np.flatnonzero(y == c)
        if len(pos) <= per_class:
            chosen.append(pos)
            continue
        km = KMeans(n_clusters=per_class, n_init=n_init, random_state=seed).fit(x64[pos])
        dist = ((x64[pos][None, :, :] - km.cluster_centers_[:, None, :]) ** 2).sum(-1)
        picked: list[int] = []
        taken = np.zeros(len(pos), dtype=bool)
        for row in dist:  # nearest not-yet-taken sample per centroid
            order = np.argsort(row, kind="stable")
            j = next(int(j) for j in order if not taken[j])
            taken[j] = True
            picked.append(int(pos[j]))
        chosen.append(np.asarray(picked))
    return TaskCoreset.from_indices(feats, y, chosen)


def random_subset(
    features: torch.Tensor | np.ndarray,
    labels: torch.Tensor | np.ndarray,
    per_class: int,
    generator: np.random.Generator,
) -> TaskCoreset:
    """A uniform random sample of ``per_class`` images per class (the per-call alternative)."""
    feats = torch.as_tensor(np.asarray(features), dtype=torch.float32)
    y = np.asarray(labels)
    chosen = []
    for c in _classes(y):
        pos = np.flatnonzero(y == c)
        chosen.append(generator.choice(pos, size=min(per_class, len(pos)), replace=False))
    return TaskCoreset.from_indices(feats, y, chosen)
