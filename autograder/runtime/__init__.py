"""Everything the grading sandbox may import, and nothing else: the check idiom (`check`), plain
data (`plain`), compares (`compare`), probing helpers (`probing`, `oracles`), what a probe's run
comes to (`outcome`), the library-use guard (`guard`), the rebuilding of shipped probes
(`shipping`) and the sandbox's own loop (`child`). The public checks and the public dataset code
are the only other modules the sandbox holds (`autograder.manifest.RUNTIME`); a test proves that
nothing here imports anything else of the grader.
"""
