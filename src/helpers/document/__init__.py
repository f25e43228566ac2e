"""What a report says and shows: sentences, charts, tables and their palette.

Takes the metrics tables and returns text, matplotlib Figures and table layouts (with the
HTML and xlsx renderings of a layout). Writes no report file and knows no notebook. May
import ``helpers.metrics``, ``helpers.data``, ``helpers.base`` and ``helpers.errors``.
"""
