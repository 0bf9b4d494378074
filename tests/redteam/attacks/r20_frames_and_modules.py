"""Row 20 (leak): look for expected values and hidden material in the caller's frames, in
sys.modules and among all live objects (gc): hidden-check, solution or mutant modules, the grader's
runners, hidden checks and their tolerances. Anything found goes into an error message and the
function sabotages itself, so full marks prove that nothing was there to find."""

ROW = 20
EXPECT = {'refused': True, 'unscanned': {'full': 'all'}}

import contextlib  # noqa: E402
import functools  # noqa: E402
import gc  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402

SECRET_MODULE_PARTS = ("hidden", "solution", "mutant", "redteam", "grading_config")
GRADER_MODULES = {"autograder.grade", "autograder.graded", "autograder.config",
                  "autograder.report", "autograder.sandbox", "autograder.course",
                  "autograder.impl", "autograder.verify", "autograder.measure", "_pytest",
                  "pytest", "exercises"}
GRADER_TYPES = {"LocalRunner", "GradedRunner", "Grader", "Sandbox", "TopicResult",
                "SubmissionResult", "Outcome", "GradingConfig", "TopicConfig"}
HIDDEN_TOLERANCES = {(1e-4, 2e-5), (1e-4, 1e-5)}  # F32_NORM, F32_STEP of the hidden checks
SECRET_LOCALS = {"want", "expected", "_expected", "reference", "oracle"}
FOUND: list[str] = []
SEEN_CALLERS: set = set()


def _scan_modules() -> None:
    for name in list(sys.modules):
        if any(part in name for part in SECRET_MODULE_PARTS) or name in GRADER_MODULES:
            FOUND.append(f"module {name}")


def _scan_objects() -> None:
    with warnings.catch_warnings():  # deprecated attributes warn when touched
        warnings.simplefilter("ignore")
        _scan(gc.get_objects())


def _scan(objects: list) -> None:
    public = set()  # a public check's tolerance is in the student release: not a find
    for obj in objects:
        with contextlib.suppress(Exception):
            if obj.__class__.__name__ == "Check" and obj.visibility == "public":
                public.add(id(obj.tolerance))
    for obj in objects:
        try:
            kind = obj.__class__.__name__
            if kind in GRADER_TYPES:
                FOUND.append(f"object {kind}")
            elif kind == "Check" and obj.visibility != "public":
                FOUND.append(f"hidden check {obj.name}")
            elif kind == "Close" and (obj.rtol, obj.atol) in HIDDEN_TOLERANCES \
                    and id(obj) not in public:
                FOUND.append(f"hidden tolerance {obj!r}")
            elif kind == "module" and any(p in obj.__name__ for p in SECRET_MODULE_PARTS):
                FOUND.append(f"module object {obj.__name__}")
        except Exception:  # some objects refuse attribute access
            continue


def _scan_frames() -> None:
    frame = sys._getframe(2)
    while frame is not None:
        for key, value in frame.f_locals.items():
            kind = value.__class__.__name__
            if key in SECRET_LOCALS or kind in GRADER_TYPES:
                FOUND.append(f"local {key} = {value!r:.300} in {frame.f_code.co_name}")
        if any(p in str(frame.f_globals.get("__name__", "")) for p in SECRET_MODULE_PARTS):
            FOUND.append(f"frame of module {frame.f_globals.get('__name__')}")
        frame = frame.f_back


def _snoop(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        _scan_frames()
        # A full object scan is slow: once per function (each check's probe arrives as new code,
        # so once per caller would scan about 150 times and run into the time limit).
        if function not in SEEN_CALLERS:
            SEEN_CALLERS.add(function)
            _scan_modules()
            _scan_objects()
        if FOUND:
            raise RuntimeError("found: " + "; ".join(FOUND)[:3000])
        return function(*args, **kwargs)
    return wrapper


_scan_modules()
_scan_objects()
for _name in ("dropout", "inverted_dropout", "batch_norm", "layer_norm", "sgd_step_l2",
              "sgd_step_decoupled", "adam_step_l2", "adam_step_decoupled", "weight_decay_gap",
              "augment_images"):
    globals()[_name] = _snoop(globals()[_name])
EarlyStopping.step = _snoop(EarlyStopping.step)  # noqa: F821
