"""What a report says and shows: the document model, words, sentences, charts, tables.

Takes the metrics tables and returns text, matplotlib Figures and table layouts (with the
HTML and xlsx renderings of a layout); :mod:`.words` holds the texts of both languages and
the one rule for Chinese punctuation, :mod:`.fonts` the font the charts draw Chinese with,
:mod:`.layout` how a chart's plot makes room for its labels.
Writes no report file and knows no notebook. May import ``helpers.metrics``,
``helpers.data``, ``helpers.base`` and ``helpers.errors``.
"""
