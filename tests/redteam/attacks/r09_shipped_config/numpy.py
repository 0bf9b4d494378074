"""Shipped beside the module (docs/attacks.md row 9): a fake numpy that, if it were ever imported
in place of the real one, would leave a marker and set the flag that makes dropout claim its
points, then hand over the real numpy (so whoever imported it notices nothing). The marker and
flag are inert in this repository (the placeholders are filled only in a built submission)."""

import builtins
import importlib
import os
import sys

if "__MARKERS__".startswith("/"):
    builtins._nnf_shipped_ran = "numpy.py"
    try:
        with open("__MARKERS__/__NAME__-numpy.py", "w") as handle:
            handle.write("ran")
    except OSError:
        pass

_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _here]
del sys.modules[__name__]
sys.modules[__name__] = importlib.import_module(__name__)
