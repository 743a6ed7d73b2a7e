"""The main job: ``python build.py [--out DIR]`` builds the graph into out/.

It does exactly what ``kg build`` does.
"""

import sys

from graph.cli import main

if __name__ == "__main__":
    main(["build", *sys.argv[1:]], prog_name="build.py")
