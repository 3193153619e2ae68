"""ConvViz entry point: `python main.py` opens the app, `python main.py --help` lists the commands."""

from convviz.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
