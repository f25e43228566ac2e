"""kpibook's helpers: everything the notebooks call, tested by pytest."""
