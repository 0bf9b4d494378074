"""Row 25 (resources): allocate (and touch) a 30 GB bytearray at import. The memory limit refuses
it, the module cannot be imported: the topic earns nothing, and the other topic is graded in
full."""

ROW = 25
EXPECT = {"zero": "all"}

HOARD = bytearray(30 << 30)
