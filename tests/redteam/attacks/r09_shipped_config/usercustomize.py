"""Shipped beside the module (row 9 of docs/attacks.md):
if Python ever ran this at start-up, it would leave
a marker and set the flag that makes dropout claim its points. Inert in this repository (the
placeholders are filled only in a built submission)."""

import builtins

if "__MARKERS__".startswith("/"):
    builtins._nnf_shipped_ran = "usercustomize.py"
    try:
        with open("__MARKERS__/__NAME__-usercustomize.py", "w") as handle:
            handle.write("ran")
    except OSError:
        pass
