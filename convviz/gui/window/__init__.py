"""convviz.gui.window."""
