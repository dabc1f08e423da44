"""Cells for CSV files that clinicians open in a spreadsheet program.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
spreadsheet programs as a formula, so text someone typed (a comment, a patient identifier)
could run as one. Such a cell is written with a leading apostrophe, which the spreadsheet
shows as plain text.

>>> csv_safe("=HYPERLINK(\\"http://example.org\\")")
'\\'=HYPERLINK("http://example.org")'
>>> csv_safe("-2")
"'-2"
>>> csv_safe("Respiratory distress")
'Respiratory distress'
>>> csv_safe("")
''
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """`value`, kept from being run as a formula by a spreadsheet program."""
    return "'" + value if value[:1] in FORMULA_STARTS else value
