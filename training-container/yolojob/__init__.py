"""SageMaker training entrypoint for ultralytics YOLO (see ../README.md and train.py)."""
