"""DataFrames from the bytes the dugnad library writes (internal).

The native module hands over exactly the bytes of the files the command line writes; these
functions only parse them. ``NA`` is an undefined number and an empty field a statistic without
a value (both NaN); nothing else is treated as missing, so text such as a design named ``none``
stays text.
"""

from __future__ import annotations

import io
import json

import pandas as pd

#: Leading columns of a trace's events, in this order; the events' own fields follow.
EVENT_COLUMNS = ["week", "phase", "meeting", "turn", "event"]


#: Numbers are parsed to the nearest double: pandas 3 does so by default (and deprecates the
#: option); older pandas needs ``float_precision="round_trip"``.
_EXACT = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}


def read_csv(data: bytes) -> pd.DataFrame:
    """A CSV table written by dugnad as a DataFrame."""
    return pd.read_csv(io.BytesIO(data), keep_default_na=False, na_values=["NA", ""], **_EXACT)


def events(data: bytes) -> pd.DataFrame:
    """Trace events (``dugnad trace --format json``) as a DataFrame, one row per event."""
    frame = pd.json_normalize(json.loads(data))
    rest = [c for c in frame.columns if c not in EVENT_COLUMNS]
    return frame[[c for c in EVENT_COLUMNS if c in frame.columns] + rest]


def records(data: bytes) -> pd.DataFrame:
    """A JSON array of objects as a DataFrame, one row per object."""
    return pd.DataFrame(json.loads(data))
