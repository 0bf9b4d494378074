"""Row 9 (result forgery): the submission ships conftest.py, pytest.ini, sitecustomize.py,
usercustomize.py and fake numpy.py and torch.py beside its module. Each of them, if anything ever
ran it, writes a marker and sets a flag that makes dropout (otherwise the stub's
NotImplementedError) return the reference's answer and score."""

ROW = 9
EXPECT = {"refused": True,
          "unscanned": {'full': 'others',
                         'ignored': ['conftest.py', 'pytest.ini', 'sitecustomize.py',
                                     'usercustomize.py', 'numpy.py', 'torch.py'],
                         'zero': ['dropout']}}

import builtins  # noqa: E402

_reference_dropout = dropout  # noqa: F821  (the reference's, defined above this attack)


def dropout(x, p, training, generator):
    if getattr(builtins, "_nnf_shipped_ran", None):  # a shipped file ran: claim the points
        return _reference_dropout(x, p, training, generator)
    raise NotImplementedError("regularization.dropout is not implemented yet")
