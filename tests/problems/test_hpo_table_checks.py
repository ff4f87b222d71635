"""Tabular HPO problems refuse incomplete or corrupt tables with errors naming the table,
the configuration and the metric."""

from __future__ import annotations

import numpy as np
import pytest

from ednag_opt.fitness import IncompleteTableError, TableFormatError
from ednag_opt.problems.hpo import _checked_rows

CARD = np.array([2, 3])


def _rows(**changes):
    rows = {f"{a}{b}": {"val_acc": [0.1 * a, 0.1 * b]} for a in range(2) for b in range(3)}
    rows.update(changes)
    return rows


def test_complete_table_maps_keys_to_flat_indices():
    keys, vals, flat = _checked_rows(_rows(), "val_acc", CARD, "t/d")
    assert vals.shape == (6, 2) and sorted(flat.tolist()) == list(range(6))
    assert flat[keys.index("12")] == 5


def test_incomplete_table_is_refused():
    rows = _rows()
    del rows["12"]
    with pytest.raises(IncompleteTableError, match=r"table t/d: 5 of 6 configurations"):
        _checked_rows(rows, "val_acc", CARD, "t/d")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ([0.1, float("inf")], r"configuration '12', metric 'val_acc': infinite"),
        ([0.1], r"metric 'val_acc': missing, ragged"),
        (["x", 0.2], r"metric 'val_acc': missing, ragged or non-numeric"),
    ],
)
def test_bad_values_name_configuration_and_metric(entry, message):
    with pytest.raises(TableFormatError, match=message):
        _checked_rows(_rows(**{"12": {"val_acc": entry}}), "val_acc", CARD, "t/d")


def test_bad_key_is_named():
    rows = _rows()
    rows["19"] = rows.pop("12")
    with pytest.raises(TableFormatError, match="key '19' is not a configuration"):
        _checked_rows(rows, "val_acc", CARD, "t/d")
