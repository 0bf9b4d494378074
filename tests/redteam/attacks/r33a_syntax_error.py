"""Row 33 (bad source): the whole, correct solution followed by a stray `return` at module level (a
leftover of moving code out of a function): the parser accepts it, the compiler raises
SyntaxError, so the module cannot be imported. The topic earns nothing, its feedback shows the
SyntaxError and its line, and the other topic is graded in full."""

ROW = 33
EXPECT = {"zero": "all"}

result = dropout  # noqa: F821
return result  # noqa: F706
