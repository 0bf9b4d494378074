"""Row 6 (timeout evasion): at import ignore and block SIGTERM, SIGALRM, SIGINT, SIGHUP, SIGXCPU and
SIGUSR1, cancel any alarm, then sleep forever inside dropout (sleeping burns no CPU time)."""

ROW = 6
EXPECT = {"zero": ["dropout"], "below_full": True}

import signal  # noqa: E402
import time  # noqa: E402

EVADED = (signal.SIGTERM, signal.SIGALRM, signal.SIGINT, signal.SIGHUP, signal.SIGXCPU,
          signal.SIGUSR1, signal.SIGVTALRM, signal.SIGPROF)
for number in EVADED:
    signal.signal(number, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, EVADED)
signal.alarm(0)
signal.setitimer(signal.ITIMER_REAL, 0)


def dropout(x, p, training, generator):
    signal.alarm(0)
    while True:
        time.sleep(3600)
