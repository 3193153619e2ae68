"""convviz.gui.common."""
