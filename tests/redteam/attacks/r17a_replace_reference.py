"""Row 17 (comparator): import the reference solution (by module name, and by path in this
checkout) and every module in sys.modules that looks like a reference, an oracle or a check file,
and replace their graded functions, and the functions in any oracle namespace they hold, with the
student's, so that expected values would be computed by the student's (wrong: unbiased variance)
layer_norm. Must score exactly what the honest twin scores."""

ROW = 17
EXPECT = {"refused": True,
          "unscanned": {'twin': 'r17a_replace_reference_twin.py', 'below_full': True}}

import importlib  # noqa: E402
import importlib.util  # noqa: E402
import sys  # noqa: E402
import types  # noqa: E402

import torch  # noqa: E402

GRADED = ("dropout", "inverted_dropout", "batch_norm", "BatchNorm1d", "layer_norm",
          "EarlyStopping", "sgd_step_l2", "sgd_step_decoupled", "adam_step_l2",
          "adam_step_decoupled", "weight_decay_gap", "augment_images")
LOOKS_LIKE = ("solution", "reference", "oracle", "checks", "_nnf_impl", "regularization")


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if len(shape) > x.dim() or tuple(x.shape[x.dim() - len(shape):]) != shape:
        raise ValueError(f"x of shape {tuple(x.shape)} does not end with {shape}")
    dims = tuple(range(-len(shape), 0))
    mean = x.mean(dim=dims, keepdim=True)
    y = (x - mean) / torch.sqrt(x.var(dim=dims, keepdim=True, correction=1) + eps)
    if weight is not None:
        y = y * weight
    return y + bias if bias is not None else y


def _overwrite(target, mine) -> None:
    for name in GRADED:
        if hasattr(target, name):
            try:  # noqa: SIM105  (a student's attack, written plainly)
                setattr(target, name, getattr(mine, name))
            except (AttributeError, TypeError):
                pass


def _take_over() -> None:
    mine = sys.modules[__name__]
    for name in ("solutions.regularization", "solutions", "autograder.runtime.oracles",
                 "autograder.topics.regularization.public",
                 "autograder.topics.regularization.hidden.checks"):
        try:
            importlib.import_module(name)
        except Exception:
            continue
    try:
        spec = importlib.util.spec_from_file_location(
            "nnf_reference", "__REPO__/solutions/regularization.py")
        reference = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(reference)
        sys.modules["nnf_reference"] = reference
    except Exception:
        pass
    for name, module in list(sys.modules.items()):
        if module is mine or module is None or not any(word in name for word in LOOKS_LIKE):
            continue
        _overwrite(module, mine)
        for value in list(vars(module).values()):
            namespace = getattr(value, "namespace", value)
            if isinstance(namespace, types.SimpleNamespace):
                _overwrite(namespace, mine)


_take_over()
