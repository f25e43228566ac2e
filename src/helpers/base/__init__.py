"""The shared base: rules and file handling every layer uses.

Missing values, the HTML escape for text from data, safe file names and atomic writes,
the on-disk cache and the packaged resources (notebooks, sample data, templates). It imports
nothing from the other layers, only ``helpers.errors`` and the standard library.
"""
