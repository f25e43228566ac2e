"""The shared base: rules and file handling every layer uses.

Missing values, safe file names and atomic writes, the on-disk cache, the packaged
resources (notebooks, sample data, templates) and the bilingual text helpers. It imports
nothing from the other layers, only ``helpers.errors`` and the standard library.
"""
