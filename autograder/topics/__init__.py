"""One folder per topic: everything that grades it (see `autograder/course.py`). Only each topic's
package and its `public.py` enter the grading sandbox; `hidden/` never ships."""
