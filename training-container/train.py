"""SageMaker training entrypoint: `python train.py train` (the image runs it as `docker run <image> train`).

Reads /opt/ml (or $OPT_ML_ROOT) as described in README.md beside this file.
"""

import sys

from yolojob.job import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
