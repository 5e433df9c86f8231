"""A table's cells as text: dates written every usual way, Python and pandas values."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from table_samples import write_delimited

from policytopics.read.cells import date_text
from policytopics.read.files import iter_documents
from policytopics.text.dates import parse_date_value

DATE_FORMS = [
    ("2024-03-05", "2024-03-05", "day"),
    ("2024/3/5", "2024-03-05", "day"),
    ("2024.03.05", "2024-03-05", "day"),
    ("20240305", "2024-03-05", "day"),
    ("2024年3月5日", "2024-03-05", "day"),
    ("2013年08月21日", "2013-08-21", "day"),
    ("2024-03-05 10:30:00", "2024-03-05", "day"),
    ("2024年3月", "2024-03", "month"),
    ("2024", "2024", "year"),
]


@pytest.mark.parametrize(("written", "iso", "precision"), DATE_FORMS, ids=[f[0] for f in DATE_FORMS])
def test_each_date_form_in_a_csv(tmp_path, written, iso, precision):
    path = tmp_path / "docs.csv"
    write_delimited(pd.DataFrame({"正文": ["推动制造业高质量发展"], "发布时间": [written]}), path, "gb18030")
    (doc,) = iter_documents([path])
    assert parse_date_value(doc.date) == (iso, precision)


def test_date_text_of_python_and_pandas_values():
    assert date_text(pd.Timestamp("2024-03-05 10:00")) == "2024-03-05"
    assert date_text(dt.date(2024, 3, 5)) == "2024-03-05"
    assert date_text(pd.NaT) is None and date_text(float("nan")) is None and date_text("  ") is None
    assert date_text(45356) == "45356"  # outside Excel a number is not a serial day: reported, not guessed
    assert date_text(45356.75, excel=True) == "2024-03-05"
    assert date_text(7, excel=True) == "number 7"
