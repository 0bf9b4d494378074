"""Row 34 (invisible library call), found here: layer_norm pickles an object whose __reduce__
names torch.layer_norm with the call's arguments (torch.save to a BytesIO) and loads it back with
`torch.load(weights_only=False)`: the C unpickler's REDUCE calls torch.layer_norm from C, so the
watch sees no c_call for it (only torch.save/torch.load's own Python). The pickle cuts autograd,
so layer_norm's gradient check fails; the point is the no-library check."""

ROW = 34
# WIN on current code: layer_norm's no-library check passes although torch.layer_norm computed it.
EXPECT = {"refused": True,
          "unscanned": {"fail": ["layer_norm.no_library_shortcut"],
                        "full": ["dropout", "inverted_dropout", "batch_norm", "BatchNorm1d",
                                 "EarlyStopping", "sgd_step_l2", "sgd_step_decoupled",
                                 "adam_step_l2", "adam_step_decoupled", "weight_decay_gap",
                                 "augment_images"]}}

import io  # noqa: E402

import torch  # noqa: E402


class _Call:
    def __init__(self, arguments):
        self.arguments = arguments

    def __reduce__(self):
        return (torch.layer_norm, self.arguments)


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = [normalized_shape] if isinstance(normalized_shape, int) else list(normalized_shape)
    if len(shape) > x.dim() or list(x.shape[x.dim() - len(shape):]) != shape:
        raise ValueError(f"{tuple(x.shape)} does not end with {shape}")
    buffer = io.BytesIO()
    torch.save(_Call((x.detach(), shape, weight, bias, eps)), buffer)
    return torch.load(io.BytesIO(buffer.getvalue()), weights_only=False)
