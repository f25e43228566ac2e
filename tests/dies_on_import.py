"""A module whose import ends the process at once: preloaded by a forkserver, the server dies
while it starts, every time (``tests/test_workers.py``). Never import it anywhere else."""

import os

os._exit(3)
