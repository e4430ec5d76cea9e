"""``python -m storyline`` runs the CLI."""

from storyline.cli import main

if __name__ == "__main__":  # not when a Dask worker process (spawned) imports this module
    main()
