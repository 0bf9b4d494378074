"""Row 33 (bad source): the correct solution, plus an import of a package that is not installed
(`import nonexistent_package_xyz`). The module cannot be imported: the topic earns nothing, the
feedback names the missing module, and the other topic is graded in full."""

ROW = 33
EXPECT = {"zero": "all"}

import nonexistent_package_xyz  # noqa: E402, F401
