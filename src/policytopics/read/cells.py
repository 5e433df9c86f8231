"""A table's cells as text: what a cell of any input table (CSV, Excel, JSON, Parquet) says.

:func:`cell_text` turns a cell of any type (a number, bytes, a list, a struct) into stripped
text, or ``None`` when it is empty; :func:`date_text` turns a date column's cell (a date, a
year, an Excel serial day) into the text :func:`policytopics.text.metadata.parse_date_value`
reads.
"""

from __future__ import annotations

import datetime as dt
import json
import numbers

import numpy as np
import pandas as pd

from policytopics.common.encoding import decode_bytes

# An Excel serial day number (a date cell that lost its date format) in the 1900 date
# system, 1905-10-01 .. 2100-12-31; smaller whole numbers are read as years (2024). A
# workbook in the 1904 date system (Excel for Mac before 2011) counts from 1904-01-01.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_SERIALS = (2101, 73416)
_EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)


def cell_text(value: object, joined: str = "\n") -> str | None:
    """A table cell as stripped text; ``None`` when empty (``NaN``, ``NaT``, ``""``).

    Whole numbers lose the ``.0`` a spreadsheet gives them (编号 ``12.0`` → ``"12"``).
    Cells of Parquet and JSON types are text too: bytes are decoded (:func:`decode_bytes`),
    a list's items are joined by ``joined`` (paragraphs by line breaks), a struct gives its
    name (:data:`STRUCT_NAME_KEYS`, else its only text), and true/false is no text.

    >>> cell_text("浙江".encode("utf-8")), cell_text(["甲", "乙"], " ")
    ('浙江', '甲 乙')
    >>> cell_text({"name": "浙江省", "code": 33}), cell_text(True)
    ('浙江省', None)
    """
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, bytes | bytearray | memoryview):
        value = _bytes_text(bytes(value))
    elif isinstance(value, dict):
        value = _struct_text(value)
    elif isinstance(value, list | tuple | np.ndarray):
        parts = (cell_text(item, joined) for item in value)
        value = joined.join(part for part in parts if part is not None)
    if value is None or (not isinstance(value, str) and _is_missing(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


#: Fields of a struct cell that name it (``{"name": "浙江省", "code": 33}`` → ``浙江省``).
STRUCT_NAME_KEYS = ("name", "名称", "text", "value", "title", "label")


def _struct_text(value: dict) -> str | None:
    """A struct cell's name: its :data:`STRUCT_NAME_KEYS` field, else its only text field,
    else the whole struct as JSON (shown, never guessed)."""
    by_key = {str(key).casefold(): item for key, item in value.items()}
    for key in STRUCT_NAME_KEYS:
        if key in by_key:
            return cell_text(by_key[key])
    texts = [item for item in value.values() if isinstance(item, str) and item.strip()]
    if len(texts) == 1:
        return texts[0]
    return json.dumps(value, ensure_ascii=False, default=str)


def _bytes_text(data: bytes) -> str | None:
    """A bytes cell as text: UTF-8, else the encoding :func:`decode_bytes` finds; ``None``
    if it is no text."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        text, _, error = decode_bytes(data)
        return None if error else text


def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array in a cell
        return False


def date_text(value: object, *, excel: bool = False, date1904: bool = False) -> str | None:
    """A date column's cell as text for :func:`policytopics.text.metadata.parse_date_value`.

    Text is passed on as it is (``2024-03-05``, ``2024/3/5``, ``2024.03.05``,
    ``20240305``, ``2024年3月5日``, ``2024年3月``, ``2024`` all parse there; anything
    else is reported there as not a date). Date and datetime cells become ``YYYY-MM-DD``.
    In an Excel sheet a number is a year (``2024``), a compact date (``20240305``) or a
    serial day number in the workbook's date system (1900: ``45356`` → ``2024-03-05``, what a
    date cell shows once its date format is lost; 1904: ``43894`` → ``2024-03-05``); any other
    number is left marked as a number, so it is reported rather than guessed (``2024.1``
    may be January or October).

    Parameters
    ----------
    value
        The cell as the table reader gives it.
    excel
        Whether the cell comes from an Excel sheet (numbers may be serial days).
    date1904
        Whether that workbook uses the 1904 date system (Excel for Mac before 2011).

    Returns
    -------
    str or None
        The text to parse, ``None`` for an empty cell.

    Examples
    --------
    >>> import datetime
    >>> date_text(datetime.datetime(2013, 8, 21, 9, 30))
    '2013-08-21'
    >>> date_text(45356, excel=True), date_text(2024.0, excel=True), date_text("2024年3月")
    ('2024-03-05', '2024', '2024年3月')
    >>> date_text(43894, excel=True, date1904=True)
    '2024-03-05'
    >>> date_text(2024.1, excel=True)
    'number 2024.1'
    """
    if value is None or (not isinstance(value, str) and _is_missing(value)):
        return None
    if isinstance(value, dt.datetime):  # pandas Timestamps included
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if excel and isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer() and (1900 <= number <= 2100 or 19000101 <= number <= 21001231):
            return str(int(number))
        epoch = _EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH
        shift = (_EXCEL_EPOCH_1904 - _EXCEL_EPOCH).days if date1904 else 0  # 1462 days
        if _EXCEL_SERIALS[0] - shift <= number < _EXCEL_SERIALS[1] - shift:
            return (epoch + dt.timedelta(days=int(number))).isoformat()
        return f"number {cell_text(value)}"
    return cell_text(value)


__all__ = ["STRUCT_NAME_KEYS", "cell_text", "date_text"]
