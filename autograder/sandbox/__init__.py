"""The trusted side of graded mode's process boundary: everything that starts, confines, talks to
and ends the sandboxed processes that run student code. Nothing here is ever imported inside the
sandbox (that is `autograder.runtime`).

Modules, in reading order:
- `protections`: what this machine offers the sandbox (namespaces, a jail, a separate uid, memory
  cgroups), and the report that says what is lost where one is missing;
- `leases`: sandbox uids, leased host-wide, one per concurrent sandbox;
- `limits`: a topic's limits (time, CPU, memory, processes, output), enforced from outside;
- `zygote`: a worker slot's fork server, started once per grading run;
- `slots`: a grading run's worker slots (a leased uid and a fork server each), started first;
- `transport`: one topic's child: numbered requests, answers checked against them, its output;
- `packing`: probes sent into the sandbox as bytecode;
- `rules`: what a submitted module may contain, checked before it ever runs.
"""
