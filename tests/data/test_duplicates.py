"""Exact duplicates in a table large enough for the hashed path (DuckDB row hashes, then an exact comparison)."""

import numpy as np
import pyarrow as pa

from kamreport.data.duplicates import first_occurrence


def test_large_table_repeats_point_at_their_first_row():
    n = 25_000  # above the size from which rows are hashed in DuckDB
    ids = [f"A{i}" for i in range(n)]
    amounts: list[float | None] = [float(i) for i in range(n)]
    ids[24_000], amounts[24_000] = ids[3], amounts[3]  # a repeat of row 3
    ids[24_999], amounts[24_999] = ids[3], amounts[3]  # and another
    amounts[10], amounts[20_000] = None, None  # missing compares equal to missing …
    ids[20_000] = ids[10]
    ids[21_000], amounts[21_000] = ids[5], 6.0  # … but a row equal in one column only is no repeat
    table = pa.table({"account_id": ids, "amount": pa.array(amounts, type=pa.float64())})

    found = first_occurrence(table)

    assert found.to_dict() == {20_000: 10, 24_000: 3, 24_999: 3}


def test_hashed_columns_find_candidates_and_the_source_decides():
    n = 25_000
    text = pa.array([f"{i % 5_000}" for i in range(n)])  # every value five times over
    parsed = pa.array(np.arange(n) % 5_000, type=pa.int64())

    found = first_occurrence(pa.table({"x": text}), hashed=pa.table({"x": parsed}))

    assert len(found) == n - 5_000
    assert found[5_000] == 0 and found[24_999] == 4_999
