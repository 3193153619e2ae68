"""convviz.gui.panels."""
