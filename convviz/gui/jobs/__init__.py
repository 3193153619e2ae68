"""convviz.gui.jobs."""
