"""Row 34 (invisible library call): dropout and inverted_dropout draw their mask with
torch.dropout called through `itertools.starmap` (C calling C: no `c_call` event), inside
`torch.random.fork_rng` reseeded from the given generator's seed, so the generator check passes
too; standard dropout rescales the library's inverted output by (1 - p)."""

ROW = 34
# WIN on current code: both dropouts keep full marks, the no-library checks included.
EXPECT = {"fail": ["dropout.no_library_shortcut", "inverted_dropout.no_library_shortcut"],
          "full": ["batch_norm", "BatchNorm1d", "layer_norm", "EarlyStopping", "sgd_step_l2",
                   "sgd_step_decoupled", "adam_step_l2", "adam_step_decoupled",
                   "weight_decay_gap", "augment_images"]}

import itertools  # noqa: E402

import torch  # noqa: E402


def _library_dropout(x, p, generator):
    with torch.random.fork_rng(devices=[x.device.index or 0] if x.is_cuda else []):
        torch.manual_seed(generator.initial_seed())
        return next(itertools.starmap(torch.dropout, [(x, p, True)]))


def dropout(x, p, training, generator):
    _check_probability(p)  # noqa: F821  (the reference's)
    if not training:
        return x * (1.0 - p)
    return _library_dropout(x, p, generator) * (1.0 - p)


def inverted_dropout(x, p, training, generator):
    _check_probability(p)  # noqa: F821
    return _library_dropout(x, p, generator) if training else x
