import sys

from autograder.figures import main

sys.exit(main())
